// Joins a runtime report to the static findings.
//
// A record belongs to a finding when
//  1. its source location (`__FILE__`:`__LINE__`, or the symbolised call site
//     of an IAT-hook record) lies in the finding's range; or
//  2. a symbolised caller frame lies in the range of a finding that reaches
//     the API through a wrapper (the finding is at the wrapper's caller); or,
//     without symbolised callers,
//  3. its location is the inner call of a wrapper finding's evidence chain and
//     its size is the finding's evaluated size.
// A finding is `confirmed` when one of its records wastes address space the
// way the rule says, `refuted` when it was reached and none did, and
// `not reached` otherwise. Wasting records that no finding claims become
// `runtime-only` findings at their own source line.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Finding, Range, RuntimeEvidence } from '../engine/types.js';
import { byteCount } from '../rules/sizes.js';
import { roundUp, type ShimRecord } from './report.js';

export interface MergeOptions {
  /** Directory that relative `__FILE__` paths are resolved against (the project root). */
  root: string;
  /** Also the directories the program was compiled from, when not the root. */
  compileDirs?: string[];
}

export interface MergeResult {
  findings: Finding[];
  runtimeOnly: Finding[];
  /** Records with no source location (IAT-hook records not symbolised: pass the binary). */
  unlocated: number;
}

const PAGE = 0x1000n;
const GRANULE = 0x10000n;
const LARGE_PAGE = 0x200000n;
const MEM_LARGE_PAGES = 0x20000000;

/* ------------------------------------------------------------ paths */

/** Forward slashes, no "." or ".." segments, lower-case for Windows drive paths. */
export function normalizePath(p: string): string {
  let s = p.replace(/\\/g, '/');
  const drive = /^[A-Za-z]:\//.test(s);
  s = path.posix.normalize(s);
  if (s.length > 1 && s.endsWith('/')) s = s.slice(0, -1);
  return drive ? s.toLowerCase() : s;
}

const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');

function segments(p: string): string[] {
  return normalizePath(p)
    .split('/')
    .filter((s) => s && s !== '.' && s !== '..');
}

/** Number of trailing path segments two paths share. */
function commonTail(a: string[], b: string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/**
 * Matches the file names a program recorded to the files of the static
 * findings. A recorded path is resolved against the root (and the compile
 * directories); when that names no finding's file and no existing file, the
 * finding file sharing the longest tail of path segments is taken, if only one does.
 */
export class FileMatcher {
  private readonly byNorm = new Map<string, string>();
  private readonly tails: { segs: string[]; file: string }[] = [];
  private readonly cache = new Map<string, string>();

  constructor(
    files: Iterable<string>,
    private readonly bases: string[],
  ) {
    for (const f of files) {
      const n = normalizePath(f);
      if (!this.byNorm.has(n)) {
        this.byNorm.set(n, f);
        this.tails.push({ segs: segments(f), file: f });
      }
    }
  }

  /** The absolute path a recorded file name stands for. */
  resolve(recorded: string): string {
    const hit = this.cache.get(recorded);
    if (hit !== undefined) return hit;
    const found = this.lookup(recorded);
    this.cache.set(recorded, found);
    return found;
  }

  private lookup(recorded: string): string {
    const candidates = isAbsolute(recorded) ? [recorded] : this.bases.map((b) => path.resolve(b, recorded.replace(/\\/g, '/')));
    for (const c of candidates) {
      const known = this.byNorm.get(normalizePath(c));
      if (known) return known;
    }
    for (const c of candidates) if (existsSync(c)) return path.normalize(c);
    const segs = segments(recorded);
    let best = 0;
    let bestFiles: string[] = [];
    for (const t of this.tails) {
      const n = commonTail(segs, t.segs);
      if (n > best) {
        best = n;
        bestFiles = [t.file];
      } else if (n === best && n > 0) bestFiles.push(t.file);
    }
    if (best > 0 && bestFiles.length === 1) return bestFiles[0]!;
    return path.normalize(candidates[0] ?? recorded);
  }
}

/* --------------------------------------------------------- matching */

interface Located {
  file: string;
  line: number;
}

function inRange(loc: Located, file: string, range: Range): boolean {
  return loc.file === file && loc.line >= range.start.line && loc.line <= range.end.line;
}

/** Where a record's call is in the source, if known. */
function callSite(r: ShimRecord): { file: string; line: number } | undefined {
  if (r.file && r.line > 0) return { file: r.file, line: r.line };
  const f = r.frames[0];
  if (f?.file && f.line) return { file: f.file, line: f.line };
  return undefined;
}

function callers(r: ShimRecord): { file: string; line: number }[] {
  const out: { file: string; line: number }[] = [];
  for (let i = 1; i < r.frames.length; i++) {
    const f = r.frames[i]!;
    if (f.file && f.line) out.push({ file: f.file, line: f.line });
  }
  return out;
}

const viaWrapper = (f: Finding) => f.evidence.some((s) => s.kind === 'wrapper');

/** The bytes a record's size wastes, successful or not (the static claim is about the size). */
export function wasteOf(r: ShimRecord): bigint {
  if (!r.reserve) return 0n;
  if (r.result !== 0n) return r.unusable;
  const base = r.address % GRANULE;
  const end = roundUp(base + r.size, PAGE);
  return roundUp(end, GRANULE) - end;
}

/** Whether a record shows the problem a finding's rule describes. */
export function showsProblem(ruleId: string, r: ShimRecord): boolean {
  if (ruleId === 'large-page-size') return (r.flags & MEM_LARGE_PAGES) !== 0 && r.size % LARGE_PAGE !== 0n;
  return wasteOf(r) > 0n;
}

function evidenceOf(records: ShimRecord[], status: RuntimeEvidence['status'], ruleId: string): RuntimeEvidence {
  const counts = new Map<bigint, number>();
  let unusable = 0n;
  for (const r of records) {
    counts.set(r.size, (counts.get(r.size) ?? 0) + 1);
    if (showsProblem(ruleId, r) || r.unusable > 0n) unusable += r.unusable;
  }
  const sizes = [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 20)
    .map(([s]) => s.toString());
  return { status, calls: records.length, sizes, unusable: unusable.toString() };
}

function ruleForApi(api: string): { ruleId: string; severity: 'error' | 'warn' } {
  if (api.startsWith('MapViewOfFile')) return { ruleId: 'mapview-granularity', severity: 'warn' };
  return { ruleId: 'virtualalloc-granularity', severity: 'error' };
}

/** Position of `name` on a 1-based line of a file, when the file can be read. */
function locate(file: string, line: number, name: string, texts: Map<string, string | null>): Range {
  let text = texts.get(file);
  if (text === undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      text = null;
    }
    texts.set(file, text);
  }
  const fallback: Range = { start: { line, column: 1, offset: 0 }, end: { line, column: 1, offset: 0 } };
  if (text === null) return fallback;
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return fallback;
    offset = nl + 1;
  }
  const eol = text.indexOf('\n', offset);
  const lineText = text.slice(offset, eol < 0 ? text.length : eol);
  const at = lineText.search(new RegExp(`\\b${name}\\s*\\(`));
  if (at < 0) {
    const indent = lineText.length - lineText.trimStart().length;
    const start = { line, column: indent + 1, offset: offset + indent };
    const end = { line, column: lineText.trimEnd().length + 1, offset: offset + lineText.trimEnd().length };
    return { start, end };
  }
  const close = matchParen(lineText, lineText.indexOf('(', at));
  const endCol = close >= 0 ? close + 1 : at + name.length;
  return { start: { line, column: at + 1, offset: offset + at }, end: { line, column: endCol + 1, offset: offset + endCol } };
}

function matchParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

function sourceLine(file: string, line: number, texts: Map<string, string | null>): string | undefined {
  const text = texts.get(file);
  if (!text) return undefined;
  return text.split('\n')[line - 1]?.trim().replace(/\s+/g, ' ');
}

/**
 * Marks each static finding with what the run showed, and turns wasting calls
 * that no finding covers into `runtime-only` findings. Inputs are not changed.
 */
export function mergeRuntime(findings: Finding[], records: ShimRecord[], opts: MergeOptions): MergeResult {
  const root = path.resolve(opts.root);
  const matcher = new FileMatcher(
    findings.map((f) => f.file),
    [root, ...(opts.compileDirs ?? []).map((d) => path.resolve(root, d))],
  );
  const byFile = new Map<string, number[]>();
  findings.forEach((f, i) => {
    const list = byFile.get(f.file);
    if (list) list.push(i);
    else byFile.set(f.file, [i]);
  });
  // wrapper findings indexed by the location of their inner calls
  const innerCalls = new Map<string, number[]>();
  findings.forEach((f, i) => {
    if (!viaWrapper(f)) return;
    for (const step of f.evidence) {
      if (step.kind !== 'call') continue;
      for (let line = step.range.start.line; line <= step.range.end.line; line++) {
        const key = `${step.file}\n${line}`;
        const list = innerCalls.get(key);
        if (list) list.push(i);
        else innerCalls.set(key, [i]);
      }
    }
  });

  const claimed: ShimRecord[][] = findings.map(() => []);
  const unclaimed: { record: ShimRecord; file: string; line: number }[] = [];
  let unlocated = 0;

  for (const r of records) {
    const site = callSite(r);
    if (!site) {
      unlocated++;
      continue;
    }
    const here = { file: matcher.resolve(site.file), line: site.line };
    const hits = new Set<number>();
    for (const i of byFile.get(here.file) ?? []) if (inRange(here, findings[i]!.file, findings[i]!.range)) hits.add(i);
    const up = callers(r).map((c) => ({ file: matcher.resolve(c.file), line: c.line }));
    if (up.length) {
      for (const c of up)
        for (const i of byFile.get(c.file) ?? []) {
          const f = findings[i]!;
          if (viaWrapper(f) && inRange(c, f.file, f.range)) hits.add(i);
        }
    } else {
      for (const i of innerCalls.get(`${here.file}\n${here.line}`) ?? []) {
        const size = findings[i]!.properties.size;
        if (size === undefined || String(size) === r.size.toString()) hits.add(i);
      }
    }
    for (const i of hits) claimed[i]!.push(r);
    if (hits.size === 0) unclaimed.push({ record: r, file: here.file, line: here.line });
  }

  const merged = findings.map((f, i) => {
    const own = claimed[i]!;
    const status: RuntimeEvidence['status'] = own.length === 0 ? 'not reached' : own.some((r) => showsProblem(f.ruleId, r)) ? 'confirmed' : 'refuted';
    return { ...f, runtime: evidenceOf(own, status, f.ruleId) };
  });

  // runtime-only: wasting calls no finding claims, one finding per call site and API
  const groups = new Map<string, { file: string; line: number; api: string; records: ShimRecord[] }>();
  for (const u of unclaimed) {
    if (wasteOf(u.record) === 0n) continue;
    const key = `${u.file}\n${u.line}\n${u.record.api}`;
    const g = groups.get(key);
    if (g) g.records.push(u.record);
    else groups.set(key, { file: u.file, line: u.line, api: u.record.api, records: [u.record] });
  }
  const texts = new Map<string, string | null>();
  const runtimeOnly: Finding[] = [];
  for (const g of groups.values()) {
    const { ruleId, severity } = ruleForApi(g.api);
    const first = g.records.find((r) => r.unusable > 0n) ?? g.records[0]!;
    const size = first.size;
    const waste = wasteOf(first);
    const evidence = evidenceOf(g.records, 'runtime-only', ruleId);
    const calls = g.records.length;
    const sizeNote = evidence.sizes.length > 1 ? ` (sizes seen: ${evidence.sizes.slice(0, 5).join(', ')}${evidence.sizes.length > 5 ? ', ...' : ''})` : '';
    const range = locate(g.file, g.line, g.api, texts);
    runtimeOnly.push({
      ruleId,
      severity,
      file: g.file,
      range,
      messageId: 'runtimeOnly',
      message:
        `${g.api} reserves ${byteCount(size)} (0x${size.toString(16)}); ${waste} bytes of its ${size < GRANULE ? '' : 'last '}64 KB granule become unusable` +
        ` (seen at run time in ${calls} call${calls === 1 ? '' : 's'}${sizeNote}; the static analysis did not prove the size)`,
      api: g.api,
      properties: {
        api: g.api,
        size: size.toString(),
        unusable: evidence.unusable,
        calls,
        runtimeOnly: true,
      },
      evidence: [],
      callText: sourceLine(g.file, g.line, texts) ?? `${g.api}(...)`,
      enclosingFunction: first.func || first.frames[0]?.func || '',
      suggestions: [],
      runtime: evidence,
    });
  }
  runtimeOnly.sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.ruleId.localeCompare(b.ruleId));
  return { findings: merged, runtimeOnly, unlocated };
}
