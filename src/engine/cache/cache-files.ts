// The files --cache keeps at its location: the per-file cache (one per configuration in a run of several), the
// unchanged-tree memo and the prefilter's memo.

import { NotRegularFileError, readRegularHead } from '../files/regular-file.js';
import { runMemoFile } from './run-memo.js';
import { scanMemoFile } from './scan-memo.js';

/**
 * Refuses a cache location whose files exist and are not granule's (`--cache-location notes.txt` would have been
 * overwritten): every file granule keeps there is JSON that starts with its format number. Returns the problem,
 * or undefined when the location is free or already granule's.
 */
export function foreignCacheFile(cacheFile: string): string | undefined {
  for (const file of [cacheFile, runMemoFile(cacheFile), scanMemoFile(cacheFile)]) {
    const problem = foreignFile(file);
    if (problem) return problem;
  }
  return undefined;
}

/** Why granule must not write `file` (it exists and is not one of its cache files), or undefined. */
export function foreignFile(file: string): string | undefined {
  let head: string;
  try {
    // (not through a symbolic link: the location is written, and a link could point anywhere)
    head = readRegularHead(file, 64, { noFollow: true }).bytes.toString('utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (e instanceof NotRegularFileError || (e as NodeJS.ErrnoException).code === 'EISDIR') return `${file} is not a regular file`;
    return `${file} cannot be read (${(e as Error).message})`;
  }
  // (an empty file is taken: nothing is lost, and a tool that made the path first may leave one)
  if (head !== '' && !/^\s*\{\s*"format"\s*:/.test(head)) return `${file} is not a granule cache file, and is not overwritten`;
  return undefined;
}
