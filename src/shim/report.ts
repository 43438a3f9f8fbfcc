// Reads the JSON-lines reports that the runtime shim writes (shim/granule_shim.c).
// A bad line is counted and reported once per file, never fatal; sizes and
// addresses are BigInt, as 64-bit values do not fit a JSON number.

import { closeSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { openRegularFile, readFailure } from '../engine/files/regular-file.js';
import type { Notice } from '../engine/model/types.js';
import { readLines } from './lines.js';

/** One symbolised return address (see symbolize.ts). */
export interface StackFrame {
  /** Module base name as recorded ("prog.exe", "prog", "libfoo.so"). */
  module: string;
  /** Offset from the module's load address (the RVA on Windows); undefined for a bare address. */
  offset?: bigint;
  /** The absolute address, when the shim could not name the module. */
  address?: bigint;
  file?: string;
  line?: number;
  func?: string;
}

/** One recorded call. */
export interface ShimRecord {
  api: string;
  /** `__FILE__` at the call (as given to the compiler), or "" from the IAT hook until symbolised. */
  file: string;
  line: number;
  func: string;
  size: bigint;
  flags: number;
  protect: number;
  address: bigint;
  result: bigint;
  error: number;
  thread: number;
  /** Microseconds since 1970. */
  ts: number;
  /** Return addresses, innermost first: "module+0xOFFSET" or "0xADDRESS". */
  stack: string[];
  reserve: boolean;
  unusable: bigint;
  pid: number;
  /** Parsed and (after symbolizeRecords) symbolised stack, same order as `stack`. */
  frames: StackFrame[];
  /** Where the record was read from. */
  source: { report: string; line: number };
}

export interface ReportReadResult {
  records: ShimRecord[];
  notices: Notice[];
  /** Lines that could not be read, over all files. */
  badLines: number;
  /** The report files that were read. */
  files: string[];
}

export interface ParseResult {
  records: ShimRecord[];
  badLines: number;
  firstBad?: { line: number; reason: string };
}

const MEM_COMMIT = 0x1000;
const MEM_RESERVE = 0x2000;
const MEM_REPLACE_PLACEHOLDER = 0x4000;
const MEM_RELEASE = 0x8000;
const MEM_RESET = 0x80000;
const MEM_RESET_UNDO = 0x1000000;
const PAGE = 0x1000n;
const GRANULE = 0x10000n;

export const roundUp = (value: bigint, to: bigint): bigint => ((value + to - 1n) / to) * to;

/** Bytes of the last 64 KB granule left unusable by a reservation of `size` bytes at `base`. */
export function unusableOf(base: bigint, size: bigint): bigint {
  const end = roundUp(base + size, PAGE);
  return roundUp(end, GRANULE) - end;
}

/** Whether a call with these flags creates a reservation (the rule the shim applies). */
export function reservesOf(api: string, flags: number, address: bigint): boolean {
  if (RELEASE_APIS.has(api)) return false;
  if (api.startsWith('MapViewOfFile')) return true;
  if (flags & (MEM_RESET | MEM_RESET_UNDO)) return false;
  if (flags & MEM_REPLACE_PLACEHOLDER && flags & MEM_RESERVE) return false;
  return (flags & MEM_RESERVE) !== 0 || address === 0n;
}

export function commitsOf(flags: number): boolean {
  return (flags & MEM_COMMIT) !== 0;
}

// Integer fields that may exceed 2^53 are quoted before JSON.parse, so no precision is lost. Only a whole
// token is quoted: `1.5` or `1e308` stays a number and is refused below. Inside a JSON string every '"' is
// escaped, so `"size":123` can only match a real key.
const BIG_FIELDS = /"(size|unusable|address|result)":(\d+)(?=\s*[,}])/g;

/** The APIs the shim and the IAT hook record (shim/granule_shim.c, shim/win/iathook.c). */
export const KNOWN_APIS: ReadonlySet<string> = new Set([
  'VirtualAlloc',
  'VirtualAllocEx',
  'VirtualAllocExNuma',
  'VirtualAlloc2',
  'VirtualAlloc2FromApp',
  'VirtualAllocFromApp',
  'MapViewOfFile',
  'MapViewOfFileEx',
  'VirtualFree',
  'VirtualFreeEx',
  'UnmapViewOfFile',
  'NtFreeVirtualMemory',
]);

/** The releases among them: their `address` is what they free, and they reserve nothing. */
export const RELEASE_APIS: ReadonlySet<string> = new Set(['VirtualFree', 'VirtualFreeEx', 'UnmapViewOfFile', 'NtFreeVirtualMemory']);

/** Whether a record is a release (a successful one ends the reservation at its `address`, see releasedBase). */
export const isRelease = (r: Pick<ShimRecord, 'api'>): boolean => RELEASE_APIS.has(r.api);

/** The allocation base a successful release with MEM_RELEASE (or an unmap) ends; undefined for anything else. */
export function releasedBase(r: ShimRecord): bigint | undefined {
  if (!isRelease(r) || r.result === 0n || (r.flags & MEM_RELEASE) === 0) return undefined;
  return r.address;
}

const MAX_U64 = (1n << 64n) - 1n;
const MAX_U32 = 0xffffffff;
/** Longest `file` or `func` kept (the shim cuts them far shorter). */
const MAX_NAME = 4096;
/** Most return addresses kept per record (GRANULE_SHIM_STACK allows 32). */
const MAX_STACK = 64;
const MAX_FRAME = 512;

class BadRecord extends Error {}

/** A 64-bit unsigned value: a JSON integer, or a decimal or 0x-hex string of one. */
function toU64(value: unknown, field: string, fallback?: bigint): bigint {
  if (value === undefined || value === null) {
    if (fallback !== undefined) return fallback;
    throw new BadRecord(`missing "${field}"`);
  }
  let n: bigint;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) n = BigInt(value);
  else if (typeof value === 'string' && /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(value)) n = BigInt(value);
  else throw new BadRecord(`"${field}" is not an unsigned integer`);
  if (n > MAX_U64) throw new BadRecord(`"${field}" is wider than 64 bits`);
  return n;
}

/** A JSON integer in [0, max]. */
function toUint(value: unknown, field: string, max: number): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= max) return value;
  throw new BadRecord(`"${field}" is not an integer from 0 to ${max}`);
}

function toStr(value: unknown, field: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new BadRecord(`"${field}" is not a string`);
  if (value.length > MAX_NAME) throw new BadRecord(`"${field}" is longer than ${MAX_NAME} characters`);
  return value;
}

/** Parses one stack entry: "module+0xOFFSET" or "0xADDRESS". */
export function parseFrame(entry: string): StackFrame {
  const at = entry.lastIndexOf('+0x');
  if (at > 0) {
    const offset = entry.slice(at + 1);
    if (/^0x[0-9a-fA-F]{1,16}$/.test(offset)) return { module: entry.slice(0, at), offset: BigInt(offset) };
  }
  if (/^0x[0-9a-fA-F]{1,16}$/.test(entry)) return { module: '', address: BigInt(entry) };
  return { module: entry };
}

/**
 * Turns one parsed JSON value into a record, or throws BadRecord: every field is checked against the
 * report contract (docs/runtime.md), as a report is written by a program granule did not build.
 */
export function toRecord(raw: unknown, source: { report: string; line: number }): ShimRecord {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new BadRecord('not a JSON object');
  const o = raw as Record<string, unknown>;
  if (o.api === undefined || o.api === null || o.api === '') throw new BadRecord('missing "api"');
  if (typeof o.api !== 'string' || !KNOWN_APIS.has(o.api)) throw new BadRecord('"api" is not one of the recorded APIs');
  const api = o.api;
  // 0 (or no line) is how the shim writes an unknown line; anything else must be a line number
  if (o.line !== undefined && o.line !== null && !(typeof o.line === 'number' && Number.isSafeInteger(o.line) && o.line >= 0))
    throw new BadRecord('"line" is not a positive integer');
  const line = typeof o.line === 'number' ? o.line : 0;
  const size = toU64(o.size, 'size');
  const address = toU64(o.address, 'address', 0n);
  const result = toU64(o.result, 'result', 0n);
  if ((result !== 0n ? result : address) + size > MAX_U64 + 1n) throw new BadRecord('"size" reaches past the 64-bit address space');
  const flags = toUint(o.flags, 'flags', MAX_U32);
  if (o.reserve !== undefined && o.reserve !== null && typeof o.reserve !== 'boolean') throw new BadRecord('"reserve" is not true or false');
  const reserve = typeof o.reserve === 'boolean' ? o.reserve : reservesOf(api, flags, address);
  const unusable =
    o.unusable === undefined || o.unusable === null
      ? reserve && result !== 0n
        ? unusableOf(address !== 0n ? address : result, size)
        : 0n
      : toU64(o.unusable, 'unusable');
  if (unusable >= GRANULE) throw new BadRecord('"unusable" is not below 65536');
  if (RELEASE_APIS.has(api) && (reserve || unusable !== 0n)) throw new BadRecord(`a ${api} record reserves nothing: "reserve" must be false and "unusable" 0`);
  let stack: string[] = [];
  if (Array.isArray(o.stack)) {
    if (o.stack.length > MAX_STACK) throw new BadRecord(`"stack" has more than ${MAX_STACK} entries`);
    if (!o.stack.every((s) => typeof s === 'string' && s.length <= MAX_FRAME)) throw new BadRecord('"stack" holds something other than a return address');
    stack = o.stack as string[];
  } else if (o.stack !== undefined && o.stack !== null) throw new BadRecord('"stack" is not an array');
  if (o.ts !== undefined && o.ts !== null && !(typeof o.ts === 'number' && Number.isSafeInteger(o.ts) && o.ts >= 0))
    throw new BadRecord('"ts" is not a whole number of microseconds');
  return {
    api,
    file: toStr(o.file, 'file'),
    line,
    func: toStr(o.func, 'func'),
    size,
    flags,
    protect: toUint(o.protect, 'protect', MAX_U32),
    address,
    result,
    error: toUint(o.error, 'error', MAX_U32),
    thread: toUint(o.thread, 'thread', MAX_U32),
    ts: typeof o.ts === 'number' ? o.ts : 0,
    stack,
    reserve,
    unusable,
    pid: toUint(o.pid, 'pid', MAX_U32),
    frames: stack.map(parseFrame),
    source,
  };
}

/** Parses one line; undefined for a blank line. */
export function parseLine(text: string, source: { report: string; line: number }): ShimRecord | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(trimmed.replace(BIG_FIELDS, '"$1":"$2"'));
  } catch (e) {
    throw new BadRecord(`not JSON (${(e as Error).message})`);
  }
  return toRecord(raw, source);
}

function explain(e: unknown): string {
  if (e instanceof BadRecord) return e.message;
  return e instanceof Error ? e.message : String(e);
}

/** Parses the text of a report. */
export function parseReport(text: string, report = '<report>'): ParseResult {
  const records: ShimRecord[] = [];
  let badLines = 0;
  let firstBad: ParseResult['firstBad'];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    try {
      const r = parseLine(lines[i]!, { report, line: i + 1 });
      if (r) records.push(r);
    } catch (e) {
      badLines++;
      firstBad ??= { line: i + 1, reason: explain(e) };
    }
  }
  return { records, badLines, firstBad };
}

/** Longest report line read: a record with a full stack is a few KB. */
export const MAX_LINE_BYTES = 1 << 20;

export interface ReportStreamResult {
  notices: Notice[];
  /** Records read (each was given to the callback). */
  records: number;
  /** Lines that could not be read, over all files. */
  badLines: number;
  /** The report files that were read. */
  files: string[];
}

async function streamFile(file: string, fd: number, onRecord: (r: ShimRecord) => void): Promise<Omit<ParseResult, 'records'> & { records: number }> {
  let records = 0;
  let badLines = 0;
  let firstBad: ParseResult['firstBad'];
  let n = 0;
  for await (const item of readLines(fd, MAX_LINE_BYTES)) {
    n++;
    if (item.tooLong) {
      badLines++;
      firstBad ??= { line: n, reason: `longer than ${MAX_LINE_BYTES} bytes (${item.bytes} bytes)` };
      continue;
    }
    let r: ShimRecord | undefined;
    try {
      r = parseLine(item.text, { report: file, line: n });
    } catch (e) {
      badLines++;
      firstBad ??= { line: n, reason: explain(e) };
      continue;
    }
    if (r) {
      records++;
      onRecord(r);
    }
  }
  return { records, badLines, firstBad };
}

/** The files a given report path stands for: itself, or the `*.jsonl` entries of a folder. */
async function reportFiles(given: string, abs: string, notices: Notice[]): Promise<string[] | undefined> {
  let st;
  try {
    st = await stat(abs);
  } catch (e) {
    notices.push({ level: 'error', file: abs, code: 'unreadable', message: `cannot read runtime report ${given}: ${readFailure(e)}` });
    return undefined;
  }
  if (!st.isDirectory()) return [abs];
  const files = (await readdir(abs))
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => path.join(abs, f));
  if (files.length === 0) notices.push({ level: 'warning', file: abs, code: 'runtime-report', message: `no .jsonl runtime reports in ${given}` });
  return files;
}

/**
 * Reads reports as streams and hands each valid record to `onRecord`, so memory holds what the caller keeps,
 * not the reports. A path is a file or a folder whose `*.jsonl` files are read (one per process when
 * GRANULE_SHIM_REPORT had `%p`). Only regular files are opened: an entry that is a device, a FIFO or a
 * symbolic link to one is skipped with a notice. Never throws for bad input: an unreadable path, a line
 * past MAX_LINE_BYTES and a record that breaks the contract become notices (one per file, counted).
 */
export async function streamReport(paths: string | string[], onRecord: (r: ShimRecord) => void): Promise<ReportStreamResult> {
  const out: ReportStreamResult = { records: 0, notices: [], badLines: 0, files: [] };
  for (const given of Array.isArray(paths) ? paths : [paths]) {
    const abs = path.resolve(given);
    const files = await reportFiles(given, abs, out.notices);
    if (!files) continue;
    for (const file of files) {
      const shown = file === abs ? given : file;
      let fd: number;
      try {
        fd = openRegularFile(file).fd;
      } catch (e) {
        // a folder's entry that is not a regular file is passed over; a report named on its own must be read
        const level = file === abs ? 'error' : 'warning';
        const what = file === abs ? 'cannot read runtime report' : 'skipped runtime report';
        out.notices.push({ level, file, code: 'unreadable', message: `${what} ${shown}: ${readFailure(e)}` });
        continue;
      }
      let parsed;
      try {
        parsed = await streamFile(file, fd, onRecord);
      } catch (e) {
        out.notices.push({ level: 'error', file, code: 'unreadable', message: `cannot read runtime report ${shown}: ${readFailure(e)}` });
        continue;
      } finally {
        closeSync(fd);
      }
      out.files.push(file);
      out.records += parsed.records;
      out.badLines += parsed.badLines;
      if (parsed.badLines > 0 && parsed.firstBad) {
        const n = parsed.badLines;
        out.notices.push({
          level: 'warning',
          file,
          line: parsed.firstBad.line,
          code: 'runtime-report',
          message: `${n} record${n === 1 ? '' : 's'} skipped: line ${parsed.firstBad.line}${n === 1 ? '' : ' (the first)'}: ${parsed.firstBad.reason}`,
        });
      }
    }
  }
  // every line was refused: nothing was checked, which is not the same as a run that made no calls
  if (out.records === 0 && out.badLines > 0)
    out.notices.push({ level: 'error', code: 'unreadable', message: `no record of the runtime report could be read (${out.badLines} skipped)` });
  else if (out.records === 0 && out.files.length > 0)
    out.notices.push({
      level: 'note',
      code: 'runtime-empty',
      message: 'the runtime report holds no calls: was GRANULE_SHIM_REPORT set, and was the program built with the shim or run with granule-run?',
    });
  return out;
}

/** Reads reports into memory (see streamReport); for small reports and tests. */
export async function readReport(paths: string | string[]): Promise<ReportReadResult> {
  const records: ShimRecord[] = [];
  const read = await streamReport(paths, (r) => records.push(r));
  return { records, notices: read.notices, badLines: read.badLines, files: read.files };
}
