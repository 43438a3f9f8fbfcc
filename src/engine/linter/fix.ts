// Autofix: turns findings' fixes into file patches, adds fixes in macro definitions, applies them
// (never to a file that did not parse cleanly), and prints a unified diff for --fix-dry-run.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { deflateSync } from 'node:zlib';
import { structuredPatch } from 'diff';
import { formatLike, integerLiteralValue } from '../text/literal-style.js';
import type { FileAnalysis } from '../analysis/facts.js';
import { languageFor, parse } from '../parse/parse.js';
import { findPreprocessorDirectives } from '../preprocess/directives.js';
import { replaceFileAtomically } from '../files/atomic-write.js';
import { readRegularHead } from '../files/regular-file.js';
import { decode, textEncoding, type TextEncoding } from '../text/source.js';
import type { Finding, Notice, TextEdit } from '../model/types.js';
import { compareText } from '../model/order.js';

export interface FixInputs {
  findings: readonly Finding[];
  analyses: ReadonlyMap<string, FileAnalysis>;
  /** Every file of the run, for counting the uses of a macro before rewriting its definition. */
  files: readonly string[];
  /** The decoded text of a file of the run. */
  textOf(file: string): string | undefined;
}

export interface FilePatch {
  file: string;
  before: string;
  after: string;
  /** How many findings the patch fixes. */
  fixes: number;
}

export interface FixPlan {
  patches: FilePatch[];
  notices: Notice[];
}

interface PlannedEdit extends TextEdit {
  finding: Finding;
}

/** Works out every fix of a run. Findings that are suppressed are left alone. */
export function planFixes(inputs: FixInputs): FixPlan {
  const notices: Notice[] = [];
  const byFile = new Map<string, PlannedEdit[]>();
  const add = (file: string, edit: PlannedEdit) => {
    let list = byFile.get(file);
    if (!list) byFile.set(file, (list = []));
    list.push(edit);
  };
  const active = inputs.findings.filter((f) => !f.suppressed);
  for (const f of active) {
    if (f.fix) {
      // a rule's fix rewrites the size written at the call: it must lie inside the call
      const inside = f.fix.file === f.file && f.fix.edits.every((e) => e.range[0] >= f.range.start.offset && e.range[1] <= f.range.end.offset);
      if (inside) for (const e of f.fix.edits) add(f.file, { ...e, finding: f });
      continue;
    }
    const macro = macroFix(f, inputs);
    if (macro) add(macro.file, { ...macro.edit, finding: f });
  }

  const patches: FilePatch[] = [];
  for (const [file, edits] of byFile) {
    const before = inputs.textOf(file);
    if (before === undefined) continue;
    const errors = parseErrors(file, before, inputs.analyses);
    if (errors > 0) {
      notices.push({ level: 'warning', file, code: 'fix-skipped', message: `not fixed: ${errors} region${errors === 1 ? '' : 's'} could not be parsed` });
      continue;
    }
    const { text, applied } = applyEdits(before, edits);
    if (applied.length === 0 || text === before) continue;
    patches.push({ file, before, after: text, fixes: new Set(applied.map((e) => e.finding)).size });
  }
  patches.sort((a, b) => compareText(a.file, b.file));
  return { patches, notices };
}

function parseErrors(file: string, text: string, analyses: ReadonlyMap<string, FileAnalysis>): number {
  const analysis = analyses.get(file);
  if (analysis && analysis.text === text) return analysis.errorCount;
  // a header fixed through its macro may not have been analysed on its own
  return parse(text, languageFor(file, text)).rootNode.hasError ? 1 : 0;
}

/** Applies non-overlapping edits; an edit that overlaps an earlier one is left for a later run. */
export function applyEdits(text: string, edits: readonly PlannedEdit[]): { text: string; applied: PlannedEdit[] } {
  const sorted = [...edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  const applied: PlannedEdit[] = [];
  let out = '';
  let at = 0;
  for (const e of sorted) {
    const last = applied[applied.length - 1];
    if (last && last.range[0] === e.range[0] && last.range[1] === e.range[1] && last.text === e.text) {
      // two findings with the same fix (a size shared by two rules): apply it once
      applied.push(e);
      continue;
    }
    if (e.range[0] < at || e.range[1] > text.length) continue;
    out += text.slice(at, e.range[0]) + e.text;
    at = e.range[1];
    applied.push(e);
  }
  return { text: out + text.slice(at), applied };
}

/**
 * A fix in the definition of the macro that is the whole size argument (`VirtualAlloc(NULL, BUF, ...)`
 * with `#define BUF 4096`), made only when the definition is plain and the macro is used nowhere else
 * in the run: rewriting a shared macro would change other calls.
 */
function macroFix(f: Finding, inputs: FixInputs): { file: string; edit: TextEdit } | undefined {
  if (f.evidence.some((e) => e.kind === 'wrapper' || e.kind === 'call' || e.kind === 'pointer')) return undefined;
  const analysis = inputs.analyses.get(f.file);
  if (!analysis) return undefined;
  const call = analysis.calls.find((c) => c.range.start.offset === f.range.start.offset && c.api === f.api && c.callee === c.api);
  if (!call || !call.size.sourceRange || call.size.macros.length !== 1) return undefined;
  const size = suggestedSize(f, call.size.sourceRange);
  if (size === undefined) return undefined;
  const name = call.size.macros[0]!;
  if (call.size.text.trim() !== name) return undefined;
  if (analysis.pre.macros.definitions(name).length !== 1) return undefined;
  const lookup = analysis.pre.macros.lookup(name, call.range.start.line);
  if (lookup.kind !== 'defined' || lookup.def.params) return undefined;
  const def = lookup.def;
  if (!inputs.files.includes(def.file)) return undefined;
  const text = inputs.textOf(def.file);
  if (text === undefined) return undefined;
  const directive = findPreprocessorDirectives(text).find((d) => d.name === 'define' && d.line === def.line);
  if (!directive) return undefined;
  const raw = text.slice(directive.start, directive.end);
  if (raw.includes('\\')) return undefined;
  const m = new RegExp(`^(\\s*(?:#|%:)\\s*define\\s+${name})(\\s+)(.*?)(\\s*(?://.*|/\\*.*\\*/)?\\s*)$`).exec(raw);
  if (!m) return undefined;
  const body = m[3]!;
  const paren = /^\(\s*(.*?)\s*\)$/.exec(body);
  const inner = paren ? paren[1]! : body;
  const formatted = formatLike(inner, size);
  if (formatted === undefined) return undefined;
  if (useCount(name, inputs) !== 2) return undefined;
  const start = directive.start + m[1]!.length + m[2]!.length;
  return { file: def.file, edit: { range: [start, start + body.length], text: paren ? `(${formatted})` : formatted } };
}

/**
 * The size the rule proposes for the call: the number its suggestion writes in place of the size argument
 * (a rule that can fix a size suggests the new one). Undefined when the rule proposes no new size.
 */
function suggestedSize(f: Finding, sizeRange: readonly [number, number]): bigint | undefined {
  for (const s of f.suggestions) {
    const [edit, ...more] = s.fix.edits;
    if (!edit || more.length > 0 || s.fix.file !== f.file || edit.range[0] !== sizeRange[0] || edit.range[1] !== sizeRange[1]) continue;
    const value = integerLiteralValue(edit.text);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** How many times `name` appears as a word in the files of the run (comments and strings included). */
function useCount(name: string, inputs: FixInputs): number {
  const word = new RegExp(`(?<![\\w$])${name}(?![\\w$])`, 'g');
  let count = 0;
  for (const file of inputs.files) {
    const text = inputs.textOf(file);
    if (!text || !text.includes(name)) continue;
    count += text.match(word)?.length ?? 0;
    if (count > 2) break;
  }
  return count;
}

function encode(text: string, encoding: TextEncoding): Buffer {
  switch (encoding) {
    case 'utf16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf16be':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    case 'utf16le-nobom':
      return Buffer.from(text, 'utf16le');
    case 'utf16be-nobom':
      return Buffer.from(text, 'utf16le').swap16();
    case 'utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    default:
      return Buffer.from(text, 'utf8');
  }
}

const skipped = (file: string, why: string): Notice => ({ level: 'warning', file, code: 'fix-skipped', message: `not fixed: ${why}` });

/**
 * Writes a patch back in the file's own encoding (UTF-8 with or without a BOM, UTF-16 with a BOM). Refuses when
 * the file changed since it was read, when its bytes could not be decoded exactly, and when it is read-only.
 *
 * The file stays the same file: its owner, group, mode and other hard links are kept. A file with one link is
 * replaced atomically (a new file beside it, given the same owner, group and mode, then renamed over it), so
 * an interrupted run leaves the old text or the new one, never half of each; a file with several links, or one
 * whose owner the new file cannot be given, is rewritten in place.
 */
export function writePatch(patch: FilePatch): Notice | undefined {
  const target = fs.realpathSync(patch.file);
  let bytes: Buffer;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
    if (!stat.isFile()) return skipped(patch.file, 'not a regular file');
    bytes = fs.readFileSync(target);
  } catch (e) {
    return { level: 'error', file: patch.file, code: 'fix-failed', message: `not fixed: ${(e as Error).message}` };
  }
  const decoded = decode(bytes);
  if (!decoded.ok || decoded.text !== patch.before) return skipped(patch.file, 'the file changed while granule was running');
  if (decoded.note?.startsWith('invalid UTF-8')) return skipped(patch.file, 'the file is not valid UTF-8, so it cannot be written back unchanged');
  // (root may write anything: the mode says whether the file is meant to be written)
  if ((stat.mode & 0o222) === 0) return skipped(patch.file, 'the file is read-only');
  const out = encode(patch.after, textEncoding(bytes) ?? 'utf8');
  try {
    const keep = { mode: stat.mode & 0o7777, owner: { uid: stat.uid, gid: stat.gid }, fsync: true };
    if (stat.nlink > 1 || !replaceFileAtomically(target, out, keep)) rewriteInPlace(target, out);
  } catch (e) {
    return { level: 'error', file: patch.file, code: 'fix-failed', message: `not fixed: ${(e as Error).message}` };
  }
  return undefined;
}

function rewriteInPlace(target: string, bytes: Buffer): void {
  const fd = fs.openSync(target, 'r+');
  try {
    fs.writeSync(fd, bytes, 0, bytes.length, 0);
    fs.ftruncateSync(fd, bytes.length);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * A diff of one patch that `git apply` and `patch` take: a unified diff with git's a/ b/ labels and three lines
 * of context, its lines in the file's own bytes (a UTF-8 byte order mark stays on the first line). A UTF-16 file
 * is binary to git and patch, so its diff is a git binary patch.
 */
export function unifiedDiff(patch: FilePatch, label: string, context = 3): string {
  const head = headOf(patch.file);
  const encoding = textEncoding(head.bytes, head.size) ?? 'utf8';
  if (encoding !== 'utf8' && encoding !== 'utf8-bom') return gitBinaryPatch(encode(patch.before, encoding), encode(patch.after, encoding), label);
  const bom = encoding === 'utf8-bom' ? '\uFEFF' : '';
  // jsdiff's hunks: `context` lines around each change, hunks closer than twice that merged, and git's
  // "\ No newline at end of file" marker; the header is written here because git omits a count of 1
  const { hunks } = structuredPatch(label, label, bom + patch.before, bom + patch.after, undefined, undefined, { context });
  const out = [`--- a/${label}`, `+++ b/${label}`];
  for (const h of hunks) {
    // (jsdiff's starts are 1-based; range() takes the 0-based index of the first line)
    out.push(`@@ -${range(h.oldStart - 1, h.oldLines)} +${range(h.newStart - 1, h.newLines)} @@`, ...h.lines);
  }
  return out.join('\n') + '\n';
}

/** The bytes textEncoding() needs to tell the file's encoding. */
function headOf(file: string): { bytes: Buffer; size: number } {
  try {
    return readRegularHead(file, 8192);
  } catch {
    return { bytes: Buffer.alloc(0), size: 0 };
  }
}

/** git's binary patch (`git diff --binary`): both directions, deflated and in git's base-85, with full blob ids. */
function gitBinaryPatch(before: Buffer, after: Buffer, label: string): string {
  const blobId = (bytes: Buffer) => createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
  return [
    `diff --git a/${label} b/${label}`,
    `index ${blobId(before)}..${blobId(after)}`,
    'GIT binary patch',
    ...binaryHunk(after),
    '',
    ...binaryHunk(before),
    '',
    '',
  ].join('\n');
}

const BASE85 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~';

/** `literal SIZE` and the deflated bytes, 52 to a line, each line led by its length ('A' = 1 ... 'z' = 52). */
function binaryHunk(bytes: Buffer): string[] {
  const data = deflateSync(bytes);
  const lines = [`literal ${bytes.length}`];
  for (let i = 0; i < data.length; i += 52) {
    const chunk = data.subarray(i, i + 52);
    let line = chunk.length <= 26 ? String.fromCharCode(64 + chunk.length) : String.fromCharCode(96 + chunk.length - 26);
    for (let j = 0; j < chunk.length; j += 4) {
      let acc = 0;
      for (let k = 0; k < 4; k++) acc = acc * 256 + (chunk[j + k] ?? 0);
      const group: string[] = [];
      for (let k = 0; k < 5; k++) {
        group.unshift(BASE85[acc % 85]!);
        acc = Math.floor(acc / 85);
      }
      line += group.join('');
    }
    lines.push(line);
  }
  return lines;
}

function range(start: number, count: number): string {
  // unified diff lines are 1-based; an empty range names the line before it
  return count === 1 ? `${start + 1}` : `${count === 0 ? start : start + 1},${count}`;
}
