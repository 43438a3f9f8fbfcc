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

import path from 'node:path';
import { READ_LIMITS, readRegularFile } from '../engine/files/regular-file.js';
import type { Finding, Range, RuntimeEvidence } from '../engine/model/types.js';
import { byteCount } from '../rules/sizes.js';
import { isRelease, roundUp, type ShimRecord } from './report.js';
import { countSize } from './summary.js';
import { compareText } from '../engine/model/order.js';

export interface MergeOptions {
  /** Directory that relative `__FILE__` paths are resolved against (the project root). */
  root: string;
  /** Also the directories the program was compiled from, when not the root. */
  compileDirs?: string[];
  /** Where a recorded file may lie (default: the root); a record naming a file elsewhere has no location. */
  roots?: string[];
}

export interface MergeResult {
  findings: Finding[];
  runtimeOnly: Finding[];
  /** Records with no source location (IAT-hook records not symbolised: pass the binary). */
  unlocated: number;
  /** Records whose file lies outside the roots (counted as well in `unlocated`). */
  outside: number;
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

/** Whether `file` (absolute) is `root` or lies under it, by its path alone. */
export function isInside(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Matches the file names a program recorded to the files of the static
 * findings. A recorded path is resolved against the root (and the compile
 * directories); when that names no finding's file, the finding file sharing the
 * longest tail of path segments is taken, if only one does. Otherwise a path
 * that stays inside the allowed roots is taken as it is, and anything else
 * (`../../etc/passwd`, an absolute path elsewhere) has no location: undefined.
 * Nothing is looked up on disk, as a report can name any file.
 */
export class FileMatcher {
  private readonly byNorm = new Map<string, string>();
  private readonly tails: { segs: string[]; file: string }[] = [];
  private readonly cache = new Map<string, string | undefined>();
  private readonly roots: string[];

  constructor(
    files: Iterable<string>,
    private readonly bases: string[],
    /** Where a recorded file may be (by default the first base, the project root). */
    roots?: string[],
  ) {
    this.roots = (roots ?? bases.slice(0, 1)).map((r) => path.resolve(r));
    for (const f of files) {
      const n = normalizePath(f);
      if (!this.byNorm.has(n)) {
        this.byNorm.set(n, f);
        this.tails.push({ segs: segments(f), file: f });
      }
    }
  }

  /** The absolute path a recorded file name stands for, or undefined when it lies outside the roots. */
  resolve(recorded: string): string | undefined {
    if (this.cache.has(recorded)) return this.cache.get(recorded);
    const found = this.lookup(recorded);
    this.cache.set(recorded, found);
    return found;
  }

  private lookup(recorded: string): string | undefined {
    if (recorded.includes('\0')) return undefined;
    const candidates = isAbsolute(recorded) ? [recorded] : this.bases.map((b) => path.resolve(b, recorded.replace(/\\/g, '/')));
    for (const c of candidates) {
      const known = this.byNorm.get(normalizePath(c));
      if (known) return known;
    }
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
    for (const c of candidates) {
      const file = path.normalize(c);
      if (path.isAbsolute(file) && this.roots.some((r) => isInside(file, r))) return file;
    }
    return undefined;
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

/** What the records claimed by one finding (or one runtime-only call site) showed, kept as totals. */
class Evidence {
  calls = 0;
  unusable = 0n;
  shows = false;
  readonly sizes = new Map<bigint, number>();

  constructor(private readonly ruleId: string) {}

  add(r: ShimRecord): void {
    this.calls++;
    countSize(this.sizes, r.size);
    this.unusable += r.unusable;
    if (!this.shows && showsProblem(this.ruleId, r)) this.shows = true;
  }

  result(status: RuntimeEvidence['status']): RuntimeEvidence {
    const sizes = [...this.sizes]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 20)
      .map(([s]) => s.toString());
    return { status, calls: this.calls, sizes, unusable: this.unusable.toString() };
  }
}

function ruleForApi(api: string): { ruleId: string; severity: 'error' | 'warn' } {
  if (api.startsWith('MapViewOfFile')) return { ruleId: 'mapview-granularity', severity: 'warn' };
  return { ruleId: 'virtualalloc-granularity', severity: 'error' };
}

/** The text of a file the run located a call in: only inside the roots (the matcher sees to that), only a
 * regular file and not through a symbolic link, within the limit for sources. */
function textOf(file: string, texts: Map<string, string | null>): string | null {
  let text = texts.get(file);
  if (text === undefined) {
    try {
      text = readRegularFile(file, READ_LIMITS.config, { noFollow: true }).toString('utf8');
    } catch {
      text = null;
    }
    texts.set(file, text);
  }
  return text;
}

/** Position of `name` on a 1-based line of a file, when the file can be read. */
function locate(file: string, line: number, name: string, texts: Map<string, string | null>): Range {
  const text = textOf(file, texts);
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

/** One runtime-only call site: the first record that shows its waste, and the totals. */
interface Group {
  file: string;
  line: number;
  api: string;
  first: { size: bigint; waste: bigint; func: string; unusable: boolean };
  evidence: Evidence;
}

/**
 * Marks each static finding with what the run showed, and turns wasting calls
 * that no finding covers into `runtime-only` findings. Records are added one at
 * a time and only totals are kept, so a report of any length costs the memory
 * of its call sites. Inputs are not changed.
 */
export class RuntimeMerger {
  private readonly matcher: FileMatcher;
  private readonly byFile = new Map<string, number[]>();
  // wrapper findings indexed by the location of their inner calls
  private readonly innerCalls = new Map<string, number[]>();
  private readonly claimed: Evidence[];
  private readonly groups = new Map<string, Group>();
  private unlocated = 0;
  private outside = 0;

  constructor(
    private readonly findings: Finding[],
    opts: MergeOptions,
  ) {
    const root = path.resolve(opts.root);
    this.matcher = new FileMatcher(
      findings.map((f) => f.file),
      [root, ...(opts.compileDirs ?? []).map((d) => path.resolve(root, d))],
      opts.roots ?? [root],
    );
    findings.forEach((f, i) => {
      const list = this.byFile.get(f.file);
      if (list) list.push(i);
      else this.byFile.set(f.file, [i]);
    });
    findings.forEach((f, i) => {
      if (!viaWrapper(f)) return;
      for (const step of f.evidence) {
        if (step.kind !== 'call') continue;
        for (let line = step.range.start.line; line <= step.range.end.line; line++) {
          const key = `${step.file}\n${line}`;
          const list = this.innerCalls.get(key);
          if (list) list.push(i);
          else this.innerCalls.set(key, [i]);
        }
      }
    });
    this.claimed = findings.map((f) => new Evidence(f.ruleId));
  }

  add(r: ShimRecord): void {
    if (isRelease(r)) return; // a release is at no finding's call; the summary follows what is live
    const site = callSite(r);
    if (!site) {
      this.unlocated++;
      return;
    }
    const file = this.matcher.resolve(site.file);
    if (file === undefined) {
      // a file outside the roots: the call is counted, but not placed anywhere
      this.outside++;
      this.unlocated++;
      return;
    }
    const here = { file, line: site.line };
    const findings = this.findings;
    const hits = new Set<number>();
    for (const i of this.byFile.get(here.file) ?? []) if (inRange(here, findings[i]!.file, findings[i]!.range)) hits.add(i);
    const up: Located[] = [];
    for (const c of callers(r)) {
      const f = this.matcher.resolve(c.file);
      if (f !== undefined) up.push({ file: f, line: c.line });
    }
    if (up.length) {
      for (const c of up)
        for (const i of this.byFile.get(c.file) ?? []) {
          const f = findings[i]!;
          if (viaWrapper(f) && inRange(c, f.file, f.range)) hits.add(i);
        }
    } else {
      for (const i of this.innerCalls.get(`${here.file}\n${here.line}`) ?? []) {
        const size = findings[i]!.properties.size;
        if (size === undefined || String(size) === r.size.toString()) hits.add(i);
      }
    }
    for (const i of hits) this.claimed[i]!.add(r);
    if (hits.size === 0 && wasteOf(r) !== 0n) this.unclaimed(r, here);
  }

  // runtime-only: wasting calls no finding claims, one finding per call site and API
  private unclaimed(r: ShimRecord, here: Located): void {
    const key = `${here.file}\n${here.line}\n${r.api}`;
    let g = this.groups.get(key);
    const first = { size: r.size, waste: wasteOf(r), func: r.func || r.frames[0]?.func || '', unusable: r.unusable > 0n };
    if (!g) {
      g = { file: here.file, line: here.line, api: r.api, first, evidence: new Evidence(ruleForApi(r.api).ruleId) };
      this.groups.set(key, g);
    } else if (!g.first.unusable && first.unusable) g.first = first;
    g.evidence.add(r);
  }

  result(): MergeResult {
    const merged = this.findings.map((f, i) => {
      const own = this.claimed[i]!;
      const status: RuntimeEvidence['status'] = own.calls === 0 ? 'not reached' : own.shows ? 'confirmed' : 'refuted';
      return { ...f, runtime: own.result(status) };
    });
    const texts = new Map<string, string | null>();
    const runtimeOnly: Finding[] = [];
    for (const g of this.groups.values()) {
      const { ruleId, severity } = ruleForApi(g.api);
      const { size, waste, func } = g.first;
      const evidence = g.evidence.result('runtime-only');
      const calls = g.evidence.calls;
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
        enclosingFunction: func,
        suggestions: [],
        runtime: evidence,
      });
    }
    runtimeOnly.sort((a, b) => compareText(a.file, b.file) || a.range.start.line - b.range.start.line || compareText(a.ruleId, b.ruleId));
    return { findings: merged, runtimeOnly, unlocated: this.unlocated, outside: this.outside };
  }
}

/** mergeRuntime over records already in memory (see RuntimeMerger). */
export function mergeRuntime(findings: Finding[], records: Iterable<ShimRecord>, opts: MergeOptions): MergeResult {
  const m = new RuntimeMerger(findings, opts);
  for (const r of records) m.add(r);
  return m.result();
}
