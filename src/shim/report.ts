// Reads the JSON-lines reports that the runtime shim writes (shim/granule_shim.c).
// A bad line is counted and reported once per file, never fatal; sizes and
// addresses are BigInt, as 64-bit values do not fit a JSON number.

import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Notice } from '../engine/types.js';

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
  if (api.startsWith('MapViewOfFile')) return true;
  if (flags & (MEM_RESET | MEM_RESET_UNDO)) return false;
  if (flags & MEM_REPLACE_PLACEHOLDER && flags & MEM_RESERVE) return false;
  return (flags & MEM_RESERVE) !== 0 || address === 0n;
}

export function commitsOf(flags: number): boolean {
  return (flags & MEM_COMMIT) !== 0;
}

// Integer fields that may exceed 2^53 are quoted before JSON.parse, so no precision is lost.
// Inside a JSON string every '"' is escaped, so `"size":123` can only match a real key.
const BIG_FIELDS = /"(size|unusable|address|result)":(\d+)/g;

class BadRecord extends Error {}

function toBig(value: unknown, field: string, fallback?: bigint): bigint {
  if (value === undefined || value === null) {
    if (fallback !== undefined) return fallback;
    throw new BadRecord(`missing "${field}"`);
  }
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'string' && /^(0x[0-9a-fA-F]+|\d+)$/.test(value.trim())) return BigInt(value.trim());
  throw new BadRecord(`"${field}" is not an unsigned integer`);
}

function toInt(value: unknown, field: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && /^(0x[0-9a-fA-F]+|-?\d+)$/.test(value.trim())) return Number(value.trim());
  throw new BadRecord(`"${field}" is not a number`);
}

function toStr(value: unknown, field: string, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return value;
  throw new BadRecord(`"${field}" is not a string`);
}

/** Parses one stack entry: "module+0xOFFSET" or "0xADDRESS". */
export function parseFrame(entry: string): StackFrame {
  const at = entry.lastIndexOf('+0x');
  if (at > 0) {
    const offset = entry.slice(at + 1);
    if (/^0x[0-9a-fA-F]+$/.test(offset)) return { module: entry.slice(0, at), offset: BigInt(offset) };
  }
  if (/^0x[0-9a-fA-F]+$/.test(entry)) return { module: '', address: BigInt(entry) };
  return { module: entry };
}

/** Turns one parsed JSON value into a record, or throws BadRecord. */
export function toRecord(raw: unknown, source: { report: string; line: number }): ShimRecord {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new BadRecord('not a JSON object');
  const o = raw as Record<string, unknown>;
  const api = toStr(o.api, 'api', '');
  if (!api) throw new BadRecord('missing "api"');
  const size = toBig(o.size, 'size');
  const address = toBig(o.address, 'address', 0n);
  const result = toBig(o.result, 'result', 0n);
  const flags = toInt(o.flags, 'flags', 0) >>> 0;
  const line = toInt(o.line, 'line', 0);
  if (line < 0) throw new BadRecord('"line" is negative');
  const reserve = typeof o.reserve === 'boolean' ? o.reserve : reservesOf(api, flags, address);
  const unusable =
    o.unusable === undefined || o.unusable === null
      ? reserve && result !== 0n
        ? unusableOf(address !== 0n ? address : result, size)
        : 0n
      : toBig(o.unusable, 'unusable');
  let stack: string[] = [];
  if (Array.isArray(o.stack)) stack = o.stack.filter((s): s is string => typeof s === 'string');
  else if (o.stack !== undefined && o.stack !== null) throw new BadRecord('"stack" is not an array');
  return {
    api,
    file: toStr(o.file, 'file', ''),
    line,
    func: toStr(o.func, 'func', ''),
    size,
    flags,
    protect: toInt(o.protect, 'protect', 0) >>> 0,
    address,
    result,
    error: toInt(o.error, 'error', 0),
    thread: toInt(o.thread, 'thread', 0),
    ts: toInt(o.ts, 'ts', 0),
    stack,
    reserve,
    unusable,
    pid: toInt(o.pid, 'pid', 0),
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

async function parseFile(file: string): Promise<ParseResult> {
  const records: ShimRecord[] = [];
  let badLines = 0;
  let firstBad: ParseResult['firstBad'];
  const input = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const text of lines) {
    n++;
    try {
      const r = parseLine(text, { report: file, line: n });
      if (r) records.push(r);
    } catch (e) {
      badLines++;
      firstBad ??= { line: n, reason: explain(e) };
    }
  }
  return { records, badLines, firstBad };
}

/**
 * Reads reports: files, or folders whose `*.jsonl` files are read (one per
 * process when GRANULE_SHIM_REPORT had `%p`). Never throws for bad input:
 * an unreadable path or bad lines become notices.
 */
export async function readReport(paths: string | string[]): Promise<ReportReadResult> {
  const out: ReportReadResult = { records: [], notices: [], badLines: 0, files: [] };
  for (const given of Array.isArray(paths) ? paths : [paths]) {
    const abs = path.resolve(given);
    let files: string[];
    try {
      const st = await stat(abs);
      if (st.isDirectory()) {
        files = (await readdir(abs))
          .filter((f) => f.endsWith('.jsonl'))
          .sort()
          .map((f) => path.join(abs, f));
        if (files.length === 0)
          out.notices.push({ level: 'warning', file: abs, code: 'runtime-report', message: `no .jsonl runtime reports in ${given}` });
      } else {
        files = [abs];
      }
    } catch (e) {
      out.notices.push({ level: 'error', file: abs, code: 'unreadable', message: `cannot read runtime report ${given}: ${explain(e)}` });
      continue;
    }
    for (const file of files) {
      let parsed: ParseResult;
      try {
        parsed = await parseFile(file);
      } catch (e) {
        out.notices.push({ level: 'error', file, code: 'unreadable', message: `cannot read runtime report ${file}: ${explain(e)}` });
        continue;
      }
      out.files.push(file);
      for (const r of parsed.records) out.records.push(r);
      out.badLines += parsed.badLines;
      if (parsed.badLines > 0 && parsed.firstBad) {
        out.notices.push({
          level: 'warning',
          file,
          line: parsed.firstBad.line,
          code: 'runtime-report',
          message: `${parsed.badLines} line${parsed.badLines === 1 ? '' : 's'} of the runtime report could not be read and ${parsed.badLines === 1 ? 'was' : 'were'} skipped (first at line ${parsed.firstBad.line}: ${parsed.firstBad.reason})`,
        });
      }
    }
  }
  if (out.records.length === 0 && out.files.length > 0)
    out.notices.push({
      level: 'note',
      code: 'runtime-empty',
      message: 'the runtime report holds no calls: was GRANULE_SHIM_REPORT set, and was the program built with the shim or run with granule-run?',
    });
  return out;
}
