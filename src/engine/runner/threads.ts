// How many threads a lint run uses (src/engine/runner/workers.ts does the threaded work, and is loaded only when
// a run uses threads). Threads are used only by the compiled engine (dist/), and only for runs big enough
// to pay for starting them.

import * as os from 'node:os';

export type Concurrency = number | 'auto' | 'off';

/** Below this many files, `auto` uses one thread: starting a thread costs more than the work it would take. */
const AUTO_MIN_FILES = 400;
const AUTO_MAX_THREADS = 4;

/**
 * How many threads (the main thread included) do the first pass of a run of `fileCount` files; 0 when the
 * run goes file by file on the main thread alone (`off`, and `auto` for small runs).
 */
export function threadsFor(setting: Concurrency | undefined, fileCount: number): number {
  if (setting === 'off') return 0;
  if (typeof setting === 'number') return Math.max(1, Math.floor(setting));
  if (fileCount < AUTO_MIN_FILES) return 0;
  return Math.max(1, Math.min(os.availableParallelism(), AUTO_MAX_THREADS));
}

/** Whether this engine can start worker threads (the compiled one and the bundle can; sources run through a loader cannot). */
export function threadsAvailable(): boolean {
  return /\.c?js$/.test(import.meta.url);
}

/** With GRANULE_TIMINGS set, one line of measurements on standard error (the benchmark reads it). */
export function reportTimings(timings: Record<string, number | string>): void {
  if (process.env.GRANULE_TIMINGS) process.stderr.write(`granule-timings ${JSON.stringify(timings)}\n`);
}
