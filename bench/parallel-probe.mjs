// How much a second thread adds on this machine for pure computation: the same total work done on one thread
// or split over N (`node bench/parallel-probe.mjs N`), timed from the start of the work (worker start-up
// included, as in granule's first pass) and written to standard error the way granule writes its timings.
// npm run bench runs it beside granule's own thread runs, so "2 threads vs 1" can be read against what the
// machine gave any program at that moment: a virtual machine whose host is busy gives well under 2×.

import { isMainThread, Worker, workerData } from 'node:worker_threads';

const TOTAL = 6e8;

/** `n` steps of integer arithmetic, in chunks: the optimised code is used from the next chunk on as soon as the compiler
 * thread has made it, even when a busy machine delays that thread (one long loop waits for on-stack replacement). */
function spin(n) {
  let x = 0;
  for (let done = 0; done < n; done += CHUNK) x = (x + chunk(Math.min(CHUNK, n - done))) | 0;
  return x;
}

const CHUNK = 1e6;

function chunk(n) {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x + Math.imul(i, 7)) | 0;
  return x;
}

if (isMainThread) {
  const threads = Math.max(1, Number(process.argv[2] ?? 1));
  const started = performance.now();
  const share = Math.floor(TOTAL / threads);
  const others = [];
  for (let i = 1; i < threads; i++) others.push(new Promise((resolve) => new Worker(new URL(import.meta.url), { workerData: share }).on('exit', resolve)));
  spin(share);
  await Promise.all(others);
  process.stderr.write(`granule-timings ${JSON.stringify({ threads, firstPassMs: performance.now() - started })}\n`);
} else {
  spin(workerData);
}
