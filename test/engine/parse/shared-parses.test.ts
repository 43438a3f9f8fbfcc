import { describe, expect, it } from 'vitest';
import type { Tree } from '../../../src/engine/parse/parse.js';
import { SharedParses } from '../../../src/engine/parse/shared-parses.js';

// (the store never looks into a tree: a tagged object stands for one)
const tree = (name: string) => ({ name }) as unknown as Tree;

describe('SharedParses', () => {
  it('gives back the tree of the same text, grammar and window, and nothing else', () => {
    const parses = new SharedParses();
    const t = tree('a');
    parses.keep('a.c', 'int x;', 'c', undefined, t);
    expect(parses.find('a.c', 'int x;', 'c', undefined)?.tree).toBe(t);
    expect(parses.find('a.c', 'int x;', 'c', [])?.tree).toBe(t);
    expect(parses.find('a.c', 'int y;', 'c', undefined)).toBeUndefined();
    expect(parses.find('a.c', 'int x;', 'cpp', undefined)).toBeUndefined();
    expect(parses.find('a.c', 'int x;', 'c', [[0, 3]])).toBeUndefined();
    expect(parses.find('b.c', 'int x;', 'c', undefined)).toBeUndefined();
  });

  it('keeps three parses of a file, the newest', () => {
    const parses = new SharedParses();
    for (const n of [1, 2, 3, 4]) parses.keep('a.c', `int x${n};`, 'c', undefined, tree(`${n}`));
    expect(parses.find('a.c', 'int x1;', 'c', undefined)).toBeUndefined();
    for (const n of [2, 3, 4]) expect(parses.find('a.c', `int x${n};`, 'c', undefined)?.tree).toEqual({ name: `${n}` });
  });

  it('holds at most its budget of parsed characters over every file, dropping the oldest first', () => {
    const parses = new SharedParses(20);
    parses.keep('a.c', 'a'.repeat(8), 'c', undefined, tree('a'));
    parses.keep('b.c', 'b'.repeat(8), 'c', undefined, tree('b'));
    expect(parses.find('a.c', 'a'.repeat(8), 'c', undefined)?.tree).toEqual({ name: 'a' });
    parses.keep('c.c', 'c'.repeat(8), 'c', undefined, tree('c'));
    expect(parses.find('a.c', 'a'.repeat(8), 'c', undefined)).toBeUndefined();
    expect(parses.find('b.c', 'b'.repeat(8), 'c', undefined)?.tree).toEqual({ name: 'b' });
    expect(parses.find('c.c', 'c'.repeat(8), 'c', undefined)?.tree).toEqual({ name: 'c' });
    // a forgotten file's characters are free again
    parses.forget('b.c');
    parses.keep('d.c', 'd'.repeat(8), 'c', undefined, tree('d'));
    expect(parses.find('c.c', 'c'.repeat(8), 'c', undefined)?.tree).toEqual({ name: 'c' });
    expect(parses.find('d.c', 'd'.repeat(8), 'c', undefined)?.tree).toEqual({ name: 'd' });
  });

  it('never keeps a text bigger than its budget (a big file is parsed again by the next configuration)', () => {
    const parses = new SharedParses(20);
    parses.keep('a.c', 'a'.repeat(8), 'c', undefined, tree('a'));
    parses.keep('big.c', 'x'.repeat(21), 'c', undefined, tree('big'));
    expect(parses.find('big.c', 'x'.repeat(21), 'c', undefined)).toBeUndefined();
    expect(parses.find('a.c', 'a'.repeat(8), 'c', undefined)?.tree).toEqual({ name: 'a' });
  });
});

describe('what is derived from a kept parse', () => {
  it('is made once and given to every configuration that finds the parse', () => {
    const parses = new SharedParses();
    const kept = parses.keep('a.c', 'int x;', 'c', undefined, tree('a'))!;
    let made = 0;
    const first = kept.derived('lifetimes', () => ({ made: ++made }));
    const found = parses.find('a.c', 'int x;', 'c', undefined)!;
    expect(found.tree).toEqual({ name: 'a' });
    expect(found.derived('lifetimes', () => ({ made: ++made }))).toBe(first);
    expect(made).toBe(1);
    // another key is derived on its own; keeping the same tree again gives the same parse back
    expect(found.derived('other', () => 'other')).toBe('other');
    expect(parses.keep('a.c', 'int x;', 'c', undefined, found.tree)).toBe(kept);
  });

  it('is not shared by a parse of another text, and goes with the parse when it is dropped', () => {
    const parses = new SharedParses(20);
    const a = parses.keep('a.c', 'a'.repeat(8), 'c', undefined, tree('a'))!;
    a.derived('lifetimes', () => 'of a');
    const other = parses.keep('a.c', 'b'.repeat(8), 'c', undefined, tree('b'))!;
    expect(other.derived('lifetimes', () => 'of b')).toBe('of b');
    parses.keep('c.c', 'c'.repeat(8), 'c', undefined, tree('c'));
    expect(parses.find('a.c', 'a'.repeat(8), 'c', undefined)).toBeUndefined();
    // a text too big to keep has nothing to share
    expect(parses.keep('big.c', 'x'.repeat(21), 'c', undefined, tree('big'))).toBeUndefined();
  });
});
