// A worker thread of a parallel lint run (src/engine/runner/workers.ts): does its share of the first pass and
// posts the result back.

import { parentPort, workerData } from 'node:worker_threads';
import { blockingWait, lintShare, type ThreadJob } from './workers.js';

const { job, memory } = workerData as { job: ThreadJob; memory: Parameters<typeof lintShare>[1] };
const result = await lintShare(job, memory, blockingWait);
parentPort!.postMessage(result);
