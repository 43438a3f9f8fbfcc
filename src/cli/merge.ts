// `granule merge A.sarif B.sarif ... [-o OUT]`: one SARIF log from several, e.g. the shards of a CI matrix
// (`--shard K/N`). Runs of the same tool and category become one run: results and notifications are put
// back in the order one unsharded run gives them (by file, then position), identical notifications that
// every shard made appear once, and the run succeeded only if every shard did. Runs of other tools (the
// runtime shim's) are merged the same way, each with its own kind.

import {
  filesOfMissingMessage,
  foldersOfSearchMessage,
  INCLUDE_MISSING,
  INCLUDE_SEARCH,
  searchedFoldersMessage,
  withOtherFiles,
} from '../engine/runner/include-notices.js';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Sarif from 'sarif';
import { READ_LIMITS, readFailure, readRegularText } from '../engine/files/regular-file.js';
import { fitToLimits } from '../formats/sarif-limits.js';
import { ArgumentError, parseCommandLine } from './args.js';
import { printable } from '../formats/printable.js';
import { compareText } from '../engine/model/order.js';

export interface MergeIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
}

export const MERGE_HELP = `Usage: granule merge A.sarif B.sarif ... [-o OUT]

Combines SARIF logs (the shards of --shard K/N, or runtime reports) into one log, as a single run would
have written it. Without -o the log goes to standard output.
`;

export class MergeError extends Error {}

/** Runs the merge command; returns the exit status (2 for bad input, with one line on stderr). */
export function runMergeCommand(argv: string[], io: MergeIo, writeFile: (file: string, text: string) => void): number {
  let parsed;
  try {
    parsed = parseCommandLine(argv, { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } });
  } catch (e) {
    if (!(e instanceof ArgumentError)) throw e;
    io.stderr.write(`granule merge: ${e.message}\nRun "granule merge --help" for usage.\n`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout.write(MERGE_HELP);
    return 0;
  }
  if (parsed.positionals.length === 0) {
    io.stderr.write(`granule merge: name the SARIF files to merge\nRun "granule merge --help" for usage.\n`);
    return 2;
  }
  try {
    const logs = parsed.positionals.map((file) => readLog(path.resolve(io.cwd, file), file));
    const notes: string[] = [];
    const fitted = fitToLimits(mergeLogs(logs, notes, parsed.positionals));
    for (const n of notes) io.stderr.write(`granule merge: ${n}\n`);
    for (const w of fitted.warnings) io.stderr.write(`granule merge: ${w}\n`);
    if (parsed.values.output !== undefined) writeFile(path.resolve(io.cwd, parsed.values.output), fitted.text);
    else io.stdout.write(fitted.text);
    return 0;
  } catch (e) {
    if (!(e instanceof MergeError)) throw e;
    io.stderr.write(`granule merge: ${e.message}\n`);
    return 2;
  }
}

function readLog(file: string, shown: string): Sarif.Log {
  let text: string;
  try {
    // a device or FIFO never ends: only a regular file, of the size a generated log can have
    text = readRegularText(file, READ_LIMITS.generated);
  } catch (e) {
    throw new MergeError(`${shown}: ${readFailure(e)}`);
  }
  let log: unknown;
  try {
    log = JSON.parse(text);
  } catch (e) {
    throw new MergeError(`${shown}: not JSON (${(e as Error).message})`);
  }
  const l = log as Partial<Sarif.Log>;
  if (!l || typeof l !== 'object' || l.version !== '2.1.0' || !Array.isArray(l.runs)) throw new MergeError(`${shown}: not a SARIF 2.1.0 log`);
  for (const run of l.runs) {
    if (!run || typeof run !== 'object' || typeof run.tool?.driver?.name !== 'string') throw new MergeError(`${shown}: a run without a tool name`);
  }
  return l as Sarif.Log;
}

/**
 * One log from several: runs of the same tool, version and category are merged into one. `notes` receives
 * what was left out (duplicates, locations outside %SRCROOT%); `names` name the logs in those notes.
 */
export function mergeLogs(logs: readonly Sarif.Log[], notes: string[] = [], names: readonly string[] = []): Sarif.Log {
  const groups = new Map<string, { run: Sarif.Run; log: number }[]>();
  logs.forEach((log, i) => {
    for (const run of log.runs) {
      const key = `${run.tool.driver.name}\u0000${run.automationDetails?.id ?? ''}`;
      let list = groups.get(key);
      if (!list) groups.set(key, (list = []));
      list.push({ run, log: i });
    }
  });
  const first = logs[0]!;
  const merged = [...groups.values()].map((list) =>
    mergeRuns(list.map((x) => ({ ...x.run, results: keptResults(x.run, names[x.log] ?? `log ${x.log + 1}`, notes) }))),
  );
  const runs = merged.map((m) => m.run);
  const duplicates = merged.reduce((n, m) => n + m.duplicates, 0);
  if (duplicates > 0)
    notes.push(`${duplicates} duplicate result${duplicates === 1 ? '' : 's'} left out (the same rule, location and fingerprint in more than one log)`);
  return { ...(first.$schema ? { $schema: first.$schema } : {}), version: first.version, runs };
}

/**
 * A relative artifact URI made canonical (`src/./a/../b.c` -> `src/b.c`), or undefined when it leaves its
 * base (`../x`, `/etc/passwd`): a consumer would place such a result outside the repository.
 */
export function confinedUri(uri: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri)) return uri; // absolute URI (file:, https:): granule writes file: for files outside the root
  let decoded: string;
  try {
    decoded = decodeURIComponent(uri);
  } catch {
    return undefined;
  }
  if (decoded.includes('\\') || decoded.includes('\0')) return undefined;
  const normal = path.posix.normalize(decoded);
  if (normal === '..' || normal.startsWith('../') || normal.startsWith('/')) return undefined;
  return normal === decoded ? uri : normal.split('/').map(encodeURIComponent).join('/');
}

/** A run's results whose relative locations stay inside their base, normalised; the others are counted in a note. */
function keptResults(run: Sarif.Run, name: string, notes: string[]): Sarif.Result[] {
  const kept: Sarif.Result[] = [];
  let left = 0;
  let firstUri = '';
  for (const result of run.results ?? []) {
    let escapes: string | undefined;
    const fix = (loc: Sarif.Location): Sarif.Location => {
      const art = loc.physicalLocation?.artifactLocation;
      if (!art || typeof art.uri !== 'string') return loc;
      const uri = confinedUri(art.uri);
      if (uri === undefined) {
        escapes ??= art.uri;
        return loc;
      }
      return uri === art.uri ? loc : { ...loc, physicalLocation: { ...loc.physicalLocation, artifactLocation: { ...art, uri } } };
    };
    const locations = result.locations?.map(fix);
    const related = result.relatedLocations?.map(fix);
    if (escapes !== undefined) {
      left++;
      firstUri ||= escapes;
      continue;
    }
    kept.push({ ...result, ...(locations ? { locations } : {}), ...(related ? { relatedLocations: related } : {}) });
  }
  if (left > 0)
    notes.push(
      `${name}: ${left} result${left === 1 ? '' : 's'} left out: ${left === 1 ? 'its' : 'their'} location leaves the source root (${printable(JSON.stringify(firstUri.slice(0, 200)))})`,
    );
  return kept;
}

/** Results that are the same finding: rule, location and fingerprints (or, without fingerprints, everything). */
function identity(result: Sarif.Result): string {
  if (result.partialFingerprints || result.fingerprints)
    return JSON.stringify([result.ruleId, result.locations?.map((l) => l.physicalLocation), result.partialFingerprints, result.fingerprints]);
  return JSON.stringify(result);
}

function mergeRuns(runs: Sarif.Run[]): { run: Sarif.Run; duplicates: number } {
  const base = runs[0]!;
  const version = (r: Sarif.Run) => r.tool.driver.semanticVersion ?? r.tool.driver.version ?? '';
  for (const r of runs) {
    if (version(r) !== version(base))
      throw new MergeError(`the logs come from different versions of ${base.tool.driver.name} (${version(base)} and ${version(r)})`);
    const overrides = (x: Sarif.Run) => JSON.stringify(x.invocations?.[0]?.ruleConfigurationOverrides ?? []);
    if (overrides(r) !== overrides(base)) throw new MergeError(`the logs were made with different rule settings; merge only the shards of one run`);
  }
  const root = rootOf(base);
  const seen = new Set<string>();
  let duplicates = 0;
  const results = runs
    .flatMap((r) => r.results ?? [])
    .filter((r) => {
      const id = identity(r);
      if (!seen.has(id)) return seen.add(id);
      duplicates++;
      return false;
    });
  const keyed = results.map((result, i) => ({ result, i, file: resultFile(result, root), region: result.locations?.[0]?.physicalLocation?.region }));
  keyed.sort(
    (a, b) =>
      compareText(a.file, b.file) ||
      (a.region?.startLine ?? 0) - (b.region?.startLine ?? 0) ||
      (a.region?.startColumn ?? 0) - (b.region?.startColumn ?? 0) ||
      compareText(a.result.ruleId ?? '', b.result.ruleId ?? '') ||
      a.i - b.i,
  );
  const merged: Sarif.Run = { ...base, results: keyed.map((k) => k.result) };
  if (base.invocations?.length) {
    const seen = new Set<string>();
    const notes: { n: Sarif.Notification; i: number; file: string; line: number }[] = [];
    for (const r of runs) {
      for (const n of r.invocations?.[0]?.toolExecutionNotifications ?? []) {
        const key = JSON.stringify(n);
        if (seen.has(key)) continue;
        seen.add(key);
        const loc = n.locations?.[0]?.physicalLocation;
        notes.push({ n, i: notes.length, file: loc?.artifactLocation ? artifactFile(loc.artifactLocation, root) : '', line: loc?.region?.startLine ?? 0 });
      }
    }
    const joined = joinIncludeNotes(notes);
    joined.sort(
      (a, b) =>
        compareText(a.file, b.file) ||
        a.line - b.line ||
        compareText(a.n.descriptor?.id ?? '', b.n.descriptor?.id ?? '') ||
        compareText(a.n.message.text!, b.n.message.text!) ||
        a.i - b.i,
    );
    const invocation: Sarif.Invocation = {
      ...base.invocations[0]!,
      executionSuccessful: runs.every((r) => r.invocations?.[0]?.executionSuccessful !== false),
      toolExecutionNotifications: joined.map((x) => x.n),
    };
    merged.invocations = [invocation, ...base.invocations.slice(1)];
  }
  return { run: merged, duplicates };
}

/** The directory %SRCROOT% stands for, as a path, when the run says. */
function rootOf(run: Sarif.Run): string {
  const uri = run.originalUriBaseIds?.['%SRCROOT%']?.uri;
  if (uri?.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return '';
    }
  }
  return '';
}

function resultFile(result: Sarif.Result, root: string): string {
  const loc = result.locations?.[0]?.physicalLocation?.artifactLocation;
  return loc ? artifactFile(loc, root) : '';
}

/** An artifact's path as the report had it (absolute), so files sort as they did in one run. */
function artifactFile(loc: Sarif.ArtifactLocation, root: string): string {
  const uri = loc.uri ?? '';
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return uri;
    }
  }
  let rel: string;
  try {
    rel = decodeURIComponent(uri);
  } catch {
    rel = uri;
  }
  return loc.uriBaseId === '%SRCROOT%' && root ? path.join(root, rel) : rel;
}

type Note = { n: Sarif.Notification; i: number; file: string; line: number };

/**
 * The include notes of shards, joined as one run would have written them: each shard names the folders its own
 * files' headers were found in, and each header found nowhere at its first file with how many others include it.
 */
function joinIncludeNotes(notes: Note[]): Note[] {
  const out: Note[] = [];
  let searched: { note: Note; folders: string[] } | undefined;
  const missing = new Map<string, { first: Note; files: number }>();
  for (const note of notes) {
    const id = note.n.descriptor?.id;
    const text = note.n.message.text ?? '';
    const folders = id === INCLUDE_SEARCH ? foldersOfSearchMessage(text) : undefined;
    if (folders) {
      if (searched) searched.folders.push(...folders);
      else searched = { note, folders: [...folders] };
    } else if (id === INCLUDE_MISSING) {
      const { message, files } = filesOfMissingMessage(text);
      const group = missing.get(message);
      if (!group) missing.set(message, { first: note, files });
      else {
        group.files += files;
        if (compareText(note.file, group.first.file) < 0 || (note.file === group.first.file && note.line < group.first.line)) group.first = note;
      }
    } else out.push(note);
  }
  const withText = (note: Note, text: string): Note => ({ ...note, n: { ...note.n, message: { ...note.n.message, text } } });
  if (searched) out.push(withText(searched.note, searchedFoldersMessage(searched.folders)));
  for (const [message, { first, files }] of missing) out.push(withText(first, withOtherFiles(message, files - 1)));
  return out;
}
