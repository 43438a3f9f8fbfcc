// `ignores` globs (picomatch), gitignore-style: a pattern without a slash matches a file or directory
// name at any depth, one with a slash is anchored at the directory of the config that wrote it,
// a trailing slash matches directories only, and `!pattern` brings back what an earlier one ignored.

import { createRequire } from 'node:module';
import * as path from 'node:path';
import type Picomatch from 'picomatch';
import type { IgnorePattern } from './load.js';

const require = createRequire(import.meta.url);

interface CompiledPattern {
  base: string;
  negated: boolean;
  anchored: boolean;
  directoryOnly: boolean;
  match: (p: string) => boolean;
}

export class IgnoreMatcher {
  private readonly compiled: CompiledPattern[];

  constructor(patterns: readonly IgnorePattern[]) {
    // picomatch is loaded only when a config has ignores: most runs have none and should not pay for it
    const picomatch = patterns.length ? (require('picomatch') as typeof Picomatch) : undefined;
    this.compiled = patterns.map(({ base, pattern }) => {
      let p = pattern;
      const negated = p.startsWith('!');
      if (negated) p = p.slice(1);
      const directoryOnly = p.endsWith('/');
      p = p.replace(/\/+$/, '');
      const anchored = p.includes('/');
      p = p.replace(/^\//, '');
      return { base, negated, anchored, directoryOnly, match: picomatch!(p, { dot: true }) };
    });
  }

  get empty(): boolean {
    return this.compiled.length === 0;
  }

  ignores(file: string): boolean {
    let ignored = false;
    for (const c of this.compiled) {
      if (ignored === !c.negated) continue;
      if (matches(c, file)) ignored = !c.negated;
    }
    return ignored;
  }
}

function matches(c: CompiledPattern, file: string): boolean {
  const rel = path.relative(c.base, file);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return false;
  const parts = rel.split(path.sep);
  // the file itself and each directory above it, up to the pattern's base
  for (let i = 0; i < parts.length; i++) {
    const isFile = i === parts.length - 1;
    if (isFile && c.directoryOnly) continue;
    const subject = c.anchored ? parts.slice(0, i + 1).join('/') : parts[i]!;
    if (c.match(subject)) return true;
  }
  return false;
}
