// src/config/ignores.ts: `ignores` with .gitignore's syntax and meaning, each pattern relative to the directory
// of the config that wrote it.

import { describe, expect, it } from 'vitest';
import { IgnoreMatcher } from '../../src/config/ignores.js';

const matcher = (...patterns: string[]) => new IgnoreMatcher(patterns.map((pattern) => ({ base: '/repo', pattern })));

describe('IgnoreMatcher', () => {
  it('is empty without patterns', () => {
    expect(new IgnoreMatcher([]).empty).toBe(true);
    expect(new IgnoreMatcher([]).ignores('/repo/a.c')).toBe(false);
    expect(matcher('a.c').empty).toBe(false);
  });

  it('matches a name without a slash at any depth, and one with a slash from the config’s directory', () => {
    const m = matcher('*.gen.c', 'third_party/zlib/');
    expect(
      ['/repo/a.gen.c', '/repo/src/deep/b.gen.c', '/repo/third_party/zlib/inflate.c', '/repo/src/third_party/zlib/x.c', '/repo/a.c'].map((f) => m.ignores(f)),
    ).toEqual([true, true, true, false, false]);
  });

  it('a trailing slash matches directories only; a leading slash anchors', () => {
    const m = matcher('build/', '/out');
    expect(['/repo/build/a.c', '/repo/src/build/b.c', '/repo/build', '/repo/out/c.c', '/repo/src/out/d.c'].map((f) => m.ignores(f))).toEqual([
      true,
      true,
      false,
      true,
      false,
    ]);
  });

  it('brings back with !pattern what an earlier pattern ignored, in order', () => {
    expect(matcher('vendor/', '!vendor/ours.c').ignores('/repo/vendor/ours.c')).toBe(false);
    expect(matcher('vendor/', '!vendor/ours.c').ignores('/repo/vendor/theirs.c')).toBe(true);
    expect(matcher('!vendor/ours.c', 'vendor/').ignores('/repo/vendor/ours.c')).toBe(true);
  });

  it('never matches a file outside the config’s directory', () => {
    const m = matcher('*.c');
    expect(['/repo/a.c', '/other/a.c', '/repo-2/a.c', '/a.c'].map((f) => m.ignores(f))).toEqual([true, false, false, false]);
  });

  it('patterns of different configs each keep their own directory', () => {
    const m = new IgnoreMatcher([
      { base: '/repo', pattern: '/gen/' },
      { base: '/repo/lib', pattern: '/gen/' },
    ]);
    expect(['/repo/gen/a.c', '/repo/lib/gen/b.c', '/repo/src/gen/c.c'].map((f) => m.ignores(f))).toEqual([true, true, false]);
  });
});
