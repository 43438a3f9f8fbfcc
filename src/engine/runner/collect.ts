// Memory between files, and between the attempts of a big file. Native trees (tree-sitter) are freed by
// finalizers, which run only once the garbage collector has found their objects dead and the event loop has
// turned, and V8 sees little pressure from them (they live outside its heap). A file of tens of megabytes is
// analysed in a few windows, each with a tree and a text as big as the file: without a collection in between,
// the last attempt's tree and text were still held while the next one built its own. And a run over tens of
// thousands of files let each thread's heap grow to several times what it holds alive: each thread now
// collects after a file once its heap has grown by half since its last collection: each thread's run owns a
// HeapWatch that remembers what its heap held after its last collection.

import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** What a driver is asked to do between two steps: let the event loop turn, or collect garbage first. */
export type Pause = 'turn' | 'collect';

/** Files of this many characters or more get a collection after each attempt. */
export const COLLECT_FROM = 8 << 20;

/**
 * A thread collects after a file when its heap holds HEAP_GROWTH times what it kept alive at its last
 * collection, and at least HEAP_FLOOR. On the 20,000-file bench tree (two threads), 1.5 and 48 MB kept the
 * peak near 270 MB at the same speed; 2 and 64 MB gave about 300 MB, and 32 MB cost a third more time.
 */
const HEAP_GROWTH = 1.5;
const HEAP_FLOOR = 48 * 2 ** 20;
/**
 * An explicit cache: V8's collector as a function (null: not looked up yet; undefined: the runtime does not give
 * one). Looked up once per thread (each worker has its own copy of this module); it never changes after.
 */
// eslint-disable-next-line no-restricted-syntax -- the cache described above: looked up once per thread, never changes after
let collect: (() => void) | undefined | null = null;

/** Collects garbage (where the runtime allows it) and lets the event loop turn, so finalizers run. */
export async function releaseMemory(): Promise<void> {
  collectGarbage();
  await turnOfEventLoop();
}

/** One thread's heap across the files of a run: collected after a file once it has grown too far. */
export class HeapWatch {
  /** What this thread's heap held right after its last collection. */
  private liveAfterCollect = 0;

  /** Lets the event loop turn after a file, collecting garbage first when this thread's heap has grown too far. */
  async afterFile(): Promise<void> {
    if (v8.getHeapStatistics().used_heap_size > Math.max(HEAP_FLOOR, HEAP_GROWTH * this.liveAfterCollect)) {
      collectGarbage();
      this.liveAfterCollect = v8.getHeapStatistics().used_heap_size;
    }
    await turnOfEventLoop();
  }
}

/** Collects garbage now, where the runtime allows it (native trees wait for a turn of the event loop). */
export function collectGarbage(): void {
  if (collect === null) {
    try {
      // V8's collector without --expose-gc on the command line: set at run time, the flag gives contexts made
      // afterwards a `gc` function
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    } catch {
      collect = undefined;
    }
  }
  collect?.();
}

function turnOfEventLoop(): Promise<unknown> {
  return new Promise((resolve) => setImmediate(resolve));
}
