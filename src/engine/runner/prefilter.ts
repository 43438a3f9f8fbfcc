// The byte prefilter: every file is read once, into one reused buffer (file-reader.ts), and searched for the needles
// (API names, then the macros and wrappers found to lead to them). Only the files that contain one are
// kept, as a copy of their bytes (threads keep only which files they are); the rest are forgotten, so memory
// stays flat however big the tree is.
// When the needles grow (a wrapper was found), only the files not yet taken are read again, and only
// searched for the new needles.

import * as fs from 'node:fs';
import { FileReader } from '../files/file-reader.js';
import { sizeLimitNotice } from '../model/limits.js';
import { textEncoding } from '../text/source.js';
import type { ScanMemo } from '../cache/scan-memo.js';
import type { Notice } from '../model/types.js';

export interface ScanHit {
  file: string;
  /** The file's position in the scanner's list. */
  index: number;
  /** The file's size in bytes. */
  size: number;
  /** The file's bytes: a copy the caller owns (undefined when the scanner is told not to keep them). */
  bytes?: Buffer;
}

export interface ScannerOptions {
  /** Also remember the files (not taken) that contain this string, e.g. `granule-` for disable comments. */
  marker?: string;
  /** Which files the marker matters for (default: all). */
  wantsMarker?: (file: string) => boolean;
  /** Files larger than this many bytes are not read; they get a `limit` notice (0 or undefined: no limit). */
  maxSize?: number;
  /**
   * Which file to read next, as an index into the list (one past the end: done). Threads that share a list
   * hand out its files through this; by default the scanner reads them all in order.
   */
  claim?: () => number;
  /** --cache: what earlier runs learnt about the files; unchanged files are only looked up, not read. */
  memo?: ScanMemo;
  /**
   * Whether hits carry a copy of their bytes (default true). Threads only need to know which files are
   * candidates, and read each one again when its turn comes: copies of all of them would be garbage.
   */
  keepBytes?: boolean;
}

export class SourceScanner {
  /** Unreadable, binary and oversized files, found by the first scan. */
  readonly notices: Notice[] = [];
  /** Readable text files not taken yet, in the order read. */
  private pending: string[] = [];
  private readonly known = new Set<string>();
  private readonly searched = new Set<string>();
  private readonly markers = new Set<string>();
  private readonly reader = new FileReader();
  private first = true;
  /** The metadata of the last file read. */
  private lastStat: fs.Stats | undefined;
  /** For the memo: the metadata and facts of the files not taken (text and binary). */
  private readonly facts = new Map<string, { stat: fs.Stats; binary: boolean; marker: boolean | undefined; absent?: ReadonlySet<string> }>();

  constructor(
    private readonly files: readonly string[],
    private readonly options: ScannerOptions = {},
  ) {}

  /** Bytes read so far (all scans), for measurements. */
  get bytesRead(): number {
    return this.reader.bytesRead;
  }

  /** Files that contain one of `needles` (and UTF-16 files) that were not returned before. */
  scan(needles: Iterable<string>): ScanHit[] {
    const fresh = [...new Set(needles)].filter((n) => n && !this.searched.has(n));
    if (!this.first && fresh.length === 0) return [];
    // a file left over does not contain any needle searched before, so it cannot contain one that has such a
    // needle inside it (`pVirtualAlloc2` after `VirtualAlloc`): those need no search
    const searched = [...this.searched];
    const m = matcher(this.first ? fresh : fresh.filter((n) => !searched.some((s) => n.includes(s))));
    for (const n of fresh) this.searched.add(n);
    if (!this.first && m.needles.length === 0) return [];
    const hits: ScanHit[] = [];
    if (this.first) {
      this.first = false;
      const claim = this.options.claim;
      if (claim) for (let i = claim(); i < this.files.length; i = claim()) this.firstRead(i, m, hits);
      else for (let i = 0; i < this.files.length; i++) this.firstRead(i, m, hits);
      return hits;
    }
    const still: string[] = [];
    for (const file of this.pending) {
      // a file the memo vouches for need not be read for needles it is known not to contain
      const absent = this.facts.get(file)?.absent;
      if (absent && m.needles.every((n) => impliedAbsent(n, absent))) {
        still.push(file);
        continue;
      }
      const bytes = this.readInto(file);
      if (bytes && contains(bytes, m)) {
        hits.push(this.hit(file, -1, bytes));
        this.known.delete(file);
        this.markers.delete(file);
        this.facts.delete(file);
      } else still.push(file);
    }
    this.pending = still;
    return hits;
  }

  /**
   * Takes over a first scan made elsewhere (by threads sharing the list): the files they did not take, the
   * needles they searched for, and the files with the marker. Later scans read only those files again.
   */
  resume(pending: readonly string[], searched: Iterable<string>, markers: Iterable<string>): void {
    this.first = false;
    this.pending = [...pending];
    for (const f of pending) this.known.add(f);
    for (const n of searched) this.searched.add(n);
    for (const f of markers) this.markers.add(f);
  }

  /** Files not taken whose bytes contain the marker. */
  markerFiles(): string[] {
    return [...this.markers];
  }

  /** Readable text files not taken. */
  pendingFiles(): readonly string[] {
    return this.pending;
  }

  /** A readable text file that was not taken: its bytes, read again. */
  reread(file: string): Buffer | undefined {
    if (!this.known.has(file)) return undefined;
    const bytes = this.readInto(file);
    return bytes ? this.reader.kept(bytes) : undefined;
  }

  private hit(file: string, index: number, bytes: Buffer): ScanHit {
    return { file, index, size: bytes.length, bytes: this.options.keepBytes === false ? undefined : this.reader.kept(bytes) };
  }

  /** Records what this run learnt in the memo, for the next run (--cache). */
  saveMemo(): void {
    const memo = this.options.memo;
    if (!memo) return;
    for (const [file, f] of this.facts) memo.record(file, f.stat, { binary: f.binary, marker: f.marker });
    memo.save(this.searched);
  }

  private firstRead(index: number, m: Matcher, hits: ScanHit[]): void {
    const file = this.files[index]!;
    const memo = this.options.memo;
    if (memo) {
      const known = this.fromMemo(file, memo, m);
      if (known === 'done') return;
      if (known) m = known;
    }
    let bytes: Buffer | undefined;
    try {
      bytes = this.read(file, this.options.maxSize);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const why = err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'is a directory' : err.message;
      this.notices.push({ level: 'error', file, code: 'unreadable', message: `cannot read file: ${why}` });
      return;
    }
    if (!bytes) return;
    if (contains(bytes, m)) {
      hits.push(this.hit(file, index, bytes));
      return;
    }
    if (isBinary(bytes)) {
      this.notices.push({ level: 'warning', file, code: 'binary', message: 'binary file (contains NUL bytes); skipped' });
      if (memo && this.lastStat) this.facts.set(file, { stat: this.lastStat, binary: true, marker: false });
      return;
    }
    // the marker costs a pass over the bytes: looked for only where it matters (undefined: not looked for)
    const marker = this.options.marker;
    const hasMarker = marker && (this.options.wantsMarker?.(file) ?? true) ? bytes.includes(marker) : undefined;
    if (hasMarker) this.markers.add(file);
    if (memo && this.lastStat) this.facts.set(file, { stat: this.lastStat, binary: false, marker: hasMarker });
    this.pending.push(file);
    this.known.add(file);
  }

  /**
   * A file the memo knows and that has not changed: 'done' when nothing about it needs reading (it is left
   * over, or binary, or too big), else the needles it still has to be searched for.
   */
  private fromMemo(file: string, memo: ScanMemo, m: Matcher): Matcher | 'done' | undefined {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return undefined;
    }
    const known = memo.lookup(file, stat);
    if (!known) return undefined;
    const maxSize = this.options.maxSize;
    if (maxSize && maxSize > 0 && stat.size > maxSize) return undefined;
    if (known.binary) {
      this.notices.push({ level: 'warning', file, code: 'binary', message: 'binary file (contains NUL bytes); skipped' });
      this.facts.set(file, { stat, binary: true, marker: false });
      return 'done';
    }
    const unknown = m.needles.filter((n) => !impliedAbsent(n, known.absent));
    const wantsMarker = !!this.options.marker && (this.options.wantsMarker?.(file) ?? true);
    // the marker was not looked for last time: reading the file is the only way to know
    if (unknown.length > 0 || (wantsMarker && known.marker === undefined)) return matcher(unknown);
    if (known.marker && wantsMarker) this.markers.add(file);
    this.facts.set(file, { stat, binary: false, marker: known.marker, absent: known.absent });
    this.pending.push(file);
    this.known.add(file);
    return 'done';
  }

  private readInto(file: string): Buffer | undefined {
    try {
      return this.read(file);
    } catch {
      return undefined;
    }
  }

  /**
   * Reads a whole file into the shared buffer; the result is valid until the next read. Undefined (with a
   * `limit` notice) when the file is over `maxSize`.
   */
  private read(file: string, maxSize?: number): Buffer | undefined {
    const { bytes, stat } = this.reader.read(file, maxSize);
    this.lastStat = stat;
    if (!bytes) this.notices.push(sizeLimitNotice(file, stat.size, maxSize!));
    return bytes;
  }
}

/** How to look for a set of needles: one search per needle, or (for many) one regular expression over the bytes. */
interface Matcher {
  needles: readonly string[];
  /** Needles that share a substring are looked for only in files that contain it (`Virtual` for VirtualAlloc and NtAllocateVirtualMemory). */
  groups: { guard?: Buffer; members: Buffer[] }[];
  /** For more than a few needles: V8 scans for an alternation in one pass, faster than a search per needle. */
  regex?: RegExp;
}

// up to this many needles, one Buffer.indexOf each (no allocation); beyond, one regular expression over a
// latin1 copy of the bytes
const PER_NEEDLE_LIMIT = 8;
const MIN_GUARD = 6;

function matcher(needles: readonly string[]): Matcher {
  if (needles.length > PER_NEEDLE_LIMIT) return { needles, groups: [], regex: new RegExp(needles.map((n) => escapeLatin1(n)).join('|')) };
  const groups: Matcher['groups'] = [];
  let rest = [...needles];
  while (rest.length) {
    const first = rest[0]!;
    const guard = sharedPart(first, rest.slice(1));
    const members = guard ? rest.filter((n) => n.includes(guard)) : [first];
    groups.push({ guard: guard ? Buffer.from(guard, 'utf8') : undefined, members: members.map((n) => Buffer.from(n, 'utf8')) });
    rest = rest.filter((n) => !members.includes(n));
  }
  return { needles, groups };
}

/** The longest substring (at least MIN_GUARD long) of `needle` that another needle also contains. */
function sharedPart(needle: string, others: readonly string[]): string | undefined {
  for (let len = needle.length - 1; len >= MIN_GUARD; len--) {
    for (let at = 0; at + len <= needle.length; at++) {
      const part = needle.slice(at, at + len);
      if (others.some((o) => o.includes(part))) return part;
    }
  }
  return undefined;
}

function contains(bytes: Buffer, m: Matcher): boolean {
  // UTF-16 text never contains a needle's UTF-8 bytes: such files are always taken (and decoded by the caller)
  // (a zero in the first two bytes, or a byte order mark, is what UTF-16 source looks like; most files are not)
  if ((bytes[0] === 0 || bytes[1] === 0 || bytes[0] === 0xff || bytes[0] === 0xfe) && textEncoding(bytes)?.startsWith('utf16')) return true;
  if (m.needles.length === 0) return false;
  // latin1 maps each byte to one character, so the regular expression matches the needles' UTF-8 bytes exactly
  if (m.regex) return m.regex.test(bytes.toString('latin1'));
  for (const g of m.groups) {
    if (g.guard && bytes.indexOf(g.guard) < 0) continue;
    for (const n of g.members) if (bytes.indexOf(n) >= 0) return true;
  }
  return false;
}

/** A needle as a pattern over latin1 text: its UTF-8 bytes, each a literal character. */
function escapeLatin1(needle: string): string {
  return Buffer.from(needle, 'utf8')
    .toString('latin1')
    .replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** A file without any of `absent` cannot contain `needle` if `needle` has one of them inside it. */
function impliedAbsent(needle: string, absent: ReadonlySet<string>): boolean {
  if (absent.has(needle)) return true;
  for (const a of absent) if (needle.includes(a)) return true;
  return false;
}

/** NUL bytes in the first 8 KB, and not UTF-16 (see textEncoding). */
function isBinary(bytes: Buffer): boolean {
  return textEncoding(bytes) === undefined;
}
