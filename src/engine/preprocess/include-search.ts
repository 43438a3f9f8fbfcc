// Headers found without a build: an `#include` the include path does not resolve is looked up among the scanned
// files by its path suffix (`<phnt/ntdef.h>` matches `.../phnt/ntdef.h`), as an editor that searches the whole
// workspace does. Of several matches the one nearest to the including file wins (fewest folders up and down
// between the two), then the one whose case matches; two equally near are no answer (either would be a guess). The
// answer depends only on the including file's place in the tree and on the tree, never on the order files are
// read or on a shard.
// Standard and Windows SDK headers are not searched for (model/system-headers.ts).

import * as path from 'node:path';
import { isSystemHeader } from '../model/system-headers.js';

interface Entry {
  file: string;
  /** Folders of the file, from the root (lowercased: Windows sources are written for a case-insensitive file system). */
  parts: string[];
  /** The path's components as written. */
  exact: string[];
}

/** A spec as components, or undefined when it cannot be a suffix (absolute, empty, climbing with `..`). */
function specParts(spec: string): string[] | undefined {
  const parts = spec
    .replace(/\\/g, '/')
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || /^([a-zA-Z]:)?[\\/]/.test(spec) || parts.includes('..')) return undefined;
  return parts;
}

function components(file: string): string[] {
  return file.split(/[\\/]+/).filter(Boolean);
}

/** Folders between two directories, up to their common ancestor and down again. */
function distance(a: readonly string[], b: readonly string[]): number {
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return a.length - common + (b.length - common);
}

export class IncludeSearch {
  /** The scanned files by lowercased base name, built on the first search. */
  private byName: Map<string, Entry[]> | undefined;
  /** A cache of answers per (spec, including directory): many files of one folder include the same headers. */
  private readonly answers = new Map<string, string | undefined>();

  constructor(private readonly files: readonly string[]) {}

  /** The scanned file `spec` names as seen from `from`, or undefined when none ends with it. */
  find = (spec: string, from: string): string | undefined => {
    const fromDir = path.dirname(from);
    // a header that includes its namesake elsewhere (a wrapper of a system header) does not find itself
    const self = path.basename(from).toLowerCase() === path.basename(spec.replace(/\\/g, '/')).toLowerCase() ? from : undefined;
    const key = `${self ?? fromDir}\0${spec}`;
    if (this.answers.has(key)) return this.answers.get(key);
    const answer = this.search(spec, fromDir, self);
    this.answers.set(key, answer);
    return answer;
  };

  private search(spec: string, fromDir: string, self: string | undefined): string | undefined {
    const wanted = specParts(spec);
    // the standard and SDK headers are granule's own model, not a header to take from the tree
    if (!wanted || isSystemHeader(spec)) return undefined;
    const lower = wanted.map((p) => p.toLowerCase());
    const candidates = (this.index().get(lower.at(-1)!) ?? []).filter(
      (e) => e.file !== self && e.parts.length >= lower.length && lower.every((p, i) => e.parts[e.parts.length - lower.length + i] === p),
    );
    if (candidates.length === 0) return undefined;
    const here = components(fromDir).map((p) => p.toLowerCase());
    const rank = (e: Entry): [number, number, string] => [
      distance(here, e.parts.slice(0, -1)),
      wanted.some((p, i) => e.exact[e.exact.length - wanted.length + i] !== p) ? 1 : 0,
      e.file,
    ];
    const ranked = candidates.map(rank).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const [best, next] = ranked;
    // two headers equally near (two libraries' config.h seen from a third folder): taking either would be a guess
    // that depends on names of unrelated folders, so the include stays unresolved
    if (next && next[0] === best![0] && next[1] === best![1]) return undefined;
    return best![2];
  }

  private index(): Map<string, Entry[]> {
    if (this.byName) return this.byName;
    const byName = new Map<string, Entry[]>();
    for (const file of this.files) {
      const exact = components(file);
      const parts = exact.map((p) => p.toLowerCase());
      const name = parts.at(-1);
      if (name === undefined) continue;
      let list = byName.get(name);
      if (!list) byName.set(name, (list = []));
      list.push({ file, parts, exact });
    }
    return (this.byName = byName);
  }
}
