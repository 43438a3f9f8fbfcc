// Per-file resource limits: a size above which a file is not read, and a time after which its analysis
// stops. A file over a limit is reported as skipped (notice code `limit`) and the run goes on, so one
// generated or hostile file can neither hang a CI job nor cost the other files their results.

import type { Notice } from './types.js';

/**
 * Files larger than this are skipped. Hand-written C and C++ files stay far below it; the largest
 * generated sources that still get reviewed (the SQLite amalgamation is about 9 MB) fit.
 */
export const DEFAULT_MAX_FILE_SIZE = 16 * 1024 * 1024;

/**
 * Analysis of one file stops after this long. Ordinary files take milliseconds; the limit is there for
 * pathological input, and is generous so that a busy CI machine never skips a healthy file.
 */
export const DEFAULT_FILE_TIMEOUT_MS = 30_000;

/** Thrown from inside a file's analysis when its time limit has passed; the run reports the file as skipped. */
export class TimeLimitExceeded extends Error {
  constructor(readonly limitMs: number) {
    super(`analysis took longer than ${formatSeconds(limitMs)}`);
  }
}

// One file is analysed at a time in a thread; its deadline is module state so that the hot loops can
// check it without threading an option through every function.
/* eslint-disable no-restricted-syntax -- per-thread deadline: one file at a time per thread, set and restored by withTimeLimit */
let deadline = Infinity;
let limitMs = 0;
let ticks = 0;
/* eslint-enable no-restricted-syntax -- the exception ends with the deadline's state */

/**
 * Runs `fn` under a time limit (milliseconds; 0 or undefined: none), counted from `since` (a performance.now()
 * time: a file analysed in several steps has one limit for all of them). Nested limits keep the earlier deadline.
 */
export function withTimeLimit<T>(ms: number | undefined, fn: () => T, since = performance.now()): T {
  const saved = { deadline, limitMs };
  if (ms !== undefined && ms > 0 && since + ms < deadline) {
    deadline = since + ms;
    limitMs = ms;
  }
  try {
    return fn();
  } finally {
    deadline = saved.deadline;
    limitMs = saved.limitMs;
  }
}

/** Throws TimeLimitExceeded once the current deadline has passed. Cheap: reads the clock every 64th call. */
export function checkTimeLimit(): void {
  if (deadline === Infinity || (++ticks & 63) !== 0) return;
  if (performance.now() > deadline) throw new TimeLimitExceeded(limitMs);
}

/** Microseconds left before the deadline, for tree-sitter's parse timeout: 0 means no limit, so at least 1. */
export function remainingMicros(): number {
  if (deadline === Infinity) return 0;
  return Math.max(1, Math.floor((deadline - performance.now()) * 1000));
}

/** Called when a parse was cut off by its timeout. */
export function parseTimedOut(): never {
  throw new TimeLimitExceeded(limitMs);
}

export function sizeLimitNotice(file: string, size: number, limit: number): Notice {
  return {
    level: 'warning',
    file,
    code: 'limit',
    message: `skipped: the file is ${formatBytes(size)}, over the ${formatBytes(limit)} limit (--max-file-size)`,
  };
}

export function timeLimitNotice(file: string, e: TimeLimitExceeded): Notice {
  return { level: 'warning', file, code: 'limit', message: `skipped: ${e.message} (--file-timeout)` };
}

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/** Parses a size such as `16MB`, `512k` or `1048576` (binary units). Undefined when it is not one. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = UNITS[m[2]!.toLowerCase()];
  if (unit === undefined) return undefined;
  const bytes = Math.round(Number(m[1]) * unit);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** Parses a time in seconds (`30`, `2.5`) to milliseconds. Undefined when it is not one. */
export function parseSeconds(text: string): number | undefined {
  if (!/^\s*\d+(?:\.\d+)?\s*$/.test(text)) return undefined;
  const ms = Math.round(Number(text) * 1000);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 2 && n % 1024 ** 2 === 0) return `${n / 1024 ** 2} MB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(s < 1 ? 3 : 1).replace(/0+$/, '')} s`;
}
