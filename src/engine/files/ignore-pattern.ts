// .gitignore-style patterns as a test of a relative path ('/'-separated): true when they ignore the path or a
// directory above it. Used for the `ignores` of configs and of the library's options, which come from
// the scanned repository: the `ignore` package matches in time linear in the path, where glob libraries that
// build a backtracking regular expression (picomatch, minimatch) take exponential time on patterns such as
// `*a*a*a*a*a*a*a*a*a*a*b`. Case-sensitive, as git is on Linux.

import { createRequire } from 'node:module';
import type IgnoreFactory from 'ignore';

const require = createRequire(import.meta.url);

export type CompiledIgnore = (relative: string) => boolean;

/** All of `patterns` at once, in order (a later `!pattern` brings back what an earlier one ignored). */
export function compileIgnorePatterns(patterns: readonly string[]): CompiledIgnore {
  // (loaded on first use: most runs have no ignores and should not pay for the package)
  const ignore = require('ignore') as typeof IgnoreFactory;
  const matcher = ignore({ ignorecase: false }).add([...patterns]);
  return (relative) => matcher.ignores(relative);
}
