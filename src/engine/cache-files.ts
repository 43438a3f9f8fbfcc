// The files --cache keeps at its location: the per-file cache, the unchanged-tree memo and the prefilter's memo.

import * as fs from 'node:fs';
import { runMemoFile } from './run-memo.js';
import { scanMemoFile } from './scan-memo.js';

/**
 * Refuses a cache location whose files exist and are not granule's (`--cache-location notes.txt` would have been
 * overwritten): every file granule keeps there is JSON that starts with its format number. Returns the problem,
 * or undefined when the location is free or already granule's.
 */
export function foreignCacheFile(cacheFile: string): string | undefined {
  for (const file of [cacheFile, runMemoFile(cacheFile), scanMemoFile(cacheFile)]) {
    const stat = fs.lstatSync(file, { throwIfNoEntry: false });
    if (!stat) continue;
    if (!stat.isFile()) return `${file} is not a regular file`;
    let head = '';
    try {
      const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
      try {
        const buffer = Buffer.alloc(64);
        head = buffer.subarray(0, fs.readSync(fd, buffer, 0, 64, 0)).toString('utf8');
      } finally {
        fs.closeSync(fd);
      }
    } catch (e) {
      return `${file} cannot be read (${(e as Error).message})`;
    }
    // (an empty file is taken: nothing is lost, and a tool that made the path first may leave one)
    if (head !== '' && !/^\s*\{\s*"format"\s*:/.test(head)) return `${file} is not a granule cache file, and is not overwritten`;
  }
  return undefined;
}
