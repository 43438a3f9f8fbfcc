// `granule merge A.sarif B.sarif ... [-o OUT]`: one SARIF log from several, e.g. the shards of a CI matrix
// (`--shard K/N`). Runs of the same tool and category become one run: results and notifications are put
// back in the order one unsharded run gives them (by file, then position), identical notifications that
// every shard made appear once, and the run succeeded only if every shard did. Runs of other tools (the
// runtime shim's) are merged the same way, each with its own kind.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Sarif from 'sarif';
import { fitToLimits } from '../formats/sarif-limits.js';
import { ArgumentError, parseCommandLine } from './args.js';

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
    const fitted = fitToLimits(mergeLogs(logs));
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
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MergeError(`${shown}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
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

/** One log from several: runs of the same tool, version and category are merged into one. */
export function mergeLogs(logs: readonly Sarif.Log[]): Sarif.Log {
  const groups = new Map<string, Sarif.Run[]>();
  for (const log of logs) {
    for (const run of log.runs) {
      const key = `${run.tool.driver.name}\u0000${run.automationDetails?.id ?? ''}`;
      let list = groups.get(key);
      if (!list) groups.set(key, (list = []));
      list.push(run);
    }
  }
  const first = logs[0]!;
  return { ...(first.$schema ? { $schema: first.$schema } : {}), version: first.version, runs: [...groups.values()].map(mergeRuns) };
}

function mergeRuns(runs: Sarif.Run[]): Sarif.Run {
  const base = runs[0]!;
  const version = (r: Sarif.Run) => r.tool.driver.semanticVersion ?? r.tool.driver.version ?? '';
  for (const r of runs) {
    if (version(r) !== version(base)) throw new MergeError(`the logs come from different versions of ${base.tool.driver.name} (${version(base)} and ${version(r)})`);
    const overrides = (x: Sarif.Run) => JSON.stringify(x.invocations?.[0]?.ruleConfigurationOverrides ?? []);
    if (overrides(r) !== overrides(base)) throw new MergeError(`the logs were made with different rule settings; merge only the shards of one run`);
  }
  const root = rootOf(base);
  const results = runs.flatMap((r) => r.results ?? []);
  const keyed = results.map((result, i) => ({ result, i, file: resultFile(result, root), region: result.locations?.[0]?.physicalLocation?.region }));
  keyed.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      (a.region?.startLine ?? 0) - (b.region?.startLine ?? 0) ||
      (a.region?.startColumn ?? 0) - (b.region?.startColumn ?? 0) ||
      (a.result.ruleId ?? '').localeCompare(b.result.ruleId ?? '') ||
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
    notes.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.i - b.i);
    const invocation: Sarif.Invocation = {
      ...base.invocations[0]!,
      executionSuccessful: runs.every((r) => r.invocations?.[0]?.executionSuccessful !== false),
      toolExecutionNotifications: notes.map((x) => x.n),
    };
    merged.invocations = [invocation, ...base.invocations.slice(1)];
  }
  return merged;
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
