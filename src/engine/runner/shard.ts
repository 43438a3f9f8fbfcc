// --shard K/N: a stable share of the files, for CI matrices. A file belongs to shard 1 + (hash of its
// path relative to the working directory) mod N, so the shares do not depend on the machine, the order
// of discovery or which other files exist. Every shard still reads the whole tree and finds every
// wrapper (other files' functions that reach an API), so the shards together report exactly what one
// run reports; `granule merge` (src/cli/merge.ts) puts their SARIF back together.

import * as path from 'node:path';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** The shard (1-based) a file falls in. */
export function shardOf(file: string, cwd: string, count: number): number {
  const rel = path.relative(cwd, file).split(path.sep).join('/');
  // FNV-1a over the UTF-8 bytes: fast, and the same on every platform and Node version
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(rel, 'utf8')) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return (h % count) + 1;
}

/** A test for "this file is reported by this run": every file when there is no shard. */
export function shardFilter(shard: Shard | undefined, cwd: string): (file: string) => boolean {
  if (!shard || shard.count <= 1) return () => true;
  const memo = new Map<string, boolean>();
  return (file) => {
    let yes = memo.get(file);
    if (yes === undefined) memo.set(file, (yes = shardOf(file, cwd, shard.count) === shard.index));
    return yes;
  };
}
