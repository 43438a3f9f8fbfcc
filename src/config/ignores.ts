// `ignores` patterns, with .gitignore's syntax and meaning: a pattern without a slash matches a file or
// directory name at any depth, one with a slash is anchored at the directory of the config that wrote it, a
// trailing slash matches directories only, and `!pattern` brings back what an earlier one ignored.
//
// Matched by the `ignore` package (ESLint's and globby's), not by a glob-to-regular-expression library: a
// config comes from the scanned repository, and picomatch's expressions backtrack exponentially on patterns such
// as `*a*a*a*a*a*a*a*a*a*a*b` (over a minute on a 40-character name). `ignore` pins its wildcards so that a
// match takes time linear in the name.

import * as path from 'node:path';
import { compileIgnorePatterns, type CompiledIgnore } from '../engine/files/ignore-pattern.js';
import type { IgnorePattern } from './load.js';

interface CompiledPattern {
  base: string;
  negated: boolean;
  match: CompiledIgnore;
}

export class IgnoreMatcher {
  private readonly compiled: CompiledPattern[];

  constructor(patterns: readonly IgnorePattern[]) {
    this.compiled = patterns.map(({ base, pattern }) => {
      const negated = pattern.startsWith('!');
      return { base, negated, match: compileIgnorePatterns([negated ? pattern.slice(1) : pattern]) };
    });
  }

  get empty(): boolean {
    return this.compiled.length === 0;
  }

  ignores(file: string): boolean {
    let ignored = false;
    for (const c of this.compiled) {
      if (ignored === !c.negated) continue;
      const rel = path.relative(c.base, file);
      if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) continue;
      if (c.match(rel.split(path.sep).join('/'))) ignored = !c.negated;
    }
    return ignored;
  }
}
