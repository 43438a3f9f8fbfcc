// Each file's findings, in a form that compares everything a user sees of them: the locality tests compare a
// file's findings across runs (its project alone, the whole tree, shards, orders, threads).

import * as path from 'node:path';
import type { Finding } from '../../src/engine/model/types.js';

/** Per file (relative to the tree), its findings as JSON with the relative path, sorted. */
export type ByFile = Map<string, string[]>;

export function byFile(root: string, findings: readonly Finding[]): ByFile {
  const out: ByFile = new Map();
  for (const f of findings) {
    const rel = path.relative(root, f.file);
    const list = out.get(rel) ?? [];
    list.push(JSON.stringify({ ...f, file: rel }));
    out.set(rel, list);
  }
  for (const list of out.values()) list.sort();
  return out;
}

/** The findings of `files` only (a file with none has an empty list). */
export function restricted(found: ByFile, files: readonly string[]): ByFile {
  return new Map(files.map((f) => [f, found.get(f) ?? []]));
}
