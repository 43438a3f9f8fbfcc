// Memory between the attempts of a big file. Native trees (tree-sitter) are freed by finalizers, which run
// only once the garbage collector has found their objects dead and the event loop has turned. A file of tens
// of megabytes is analysed in a few windows, each with a tree and a text as big as the file: without a
// collection in between, V8 sees little pressure (the trees live outside its heap), and the last attempt's
// tree and text were still held while the next one built its own.

import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** Files of this many characters or more get a collection after each attempt. */
export const COLLECT_FROM = 8 << 20;

let collect: (() => void) | undefined | null = null;

/** Collects garbage (where the runtime allows it) and lets the event loop turn, so finalizers run. */
export async function releaseMemory(): Promise<void> {
  if (collect === null) {
    try {
      // the documented way to reach V8's collector without --expose-gc on the command line
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    } catch {
      collect = undefined;
    }
  }
  collect?.();
  await new Promise((resolve) => setImmediate(resolve));
}
