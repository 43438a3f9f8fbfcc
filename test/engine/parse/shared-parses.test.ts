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
    expect(parses.find('a.c', 'int x;', 'c', undefined)).toBe(t);
    expect(parses.find('a.c', 'int x;', 'c', [])).toBe(t);
    expect(parses.find('a.c', 'int y;', 'c', undefined)).toBeUndefined();
    expect(parses.find('a.c', 'int x;', 'cpp', undefined)).toBeUndefined();
    expect(parses.find('a.c', 'int x;', 'c', [[0, 3]])).toBeUndefined();
    expect(parses.find('b.c', 'int x;', 'c', undefined)).toBeUndefined();
  });

  it('keeps three parses of a file, the newest', () => {
    const parses = new SharedParses();
    for (const n of [1, 2, 3, 4]) parses.keep('a.c', `int x${n};`, 'c', undefined, tree(`${n}`));
    expect(parses.find('a.c', 'int x1;', 'c', undefined)).toBeUndefined();
    for (const n of [2, 3, 4]) expect(parses.find('a.c', `int x${n};`, 'c', undefined)).toEqual({ name: `${n}` });
  });

  it('holds at most its budget of parsed characters over every file, dropping the oldest first', () => {
    const parses = new SharedParses(20);
    parses.keep('a.c', 'a'.repeat(8), 'c', undefined, tree('a'));
    parses.keep('b.c', 'b'.repeat(8), 'c', undefined, tree('b'));
    expect(parses.find('a.c', 'a'.repeat(8), 'c', undefined)).toEqual({ name: 'a' });
    parses.keep('c.c', 'c'.repeat(8), 'c', undefined, tree('c'));
    expect(parses.find('a.c', 'a'.repeat(8), 'c', undefined)).toBeUndefined();
    expect(parses.find('b.c', 'b'.repeat(8), 'c', undefined)).toEqual({ name: 'b' });
    expect(parses.find('c.c', 'c'.repeat(8), 'c', undefined)).toEqual({ name: 'c' });
    // a forgotten file's characters are free again
    parses.forget('b.c');
    parses.keep('d.c', 'd'.repeat(8), 'c', undefined, tree('d'));
    expect(parses.find('c.c', 'c'.repeat(8), 'c', undefined)).toEqual({ name: 'c' });
    expect(parses.find('d.c', 'd'.repeat(8), 'c', undefined)).toEqual({ name: 'd' });
  });

  it('never keeps a text bigger than its budget (a big file is parsed again by the next configuration)', () => {
    const parses = new SharedParses(20);
    parses.keep('a.c', 'a'.repeat(8), 'c', undefined, tree('a'));
    parses.keep('big.c', 'x'.repeat(21), 'c', undefined, tree('big'));
    expect(parses.find('big.c', 'x'.repeat(21), 'c', undefined)).toBeUndefined();
    expect(parses.find('a.c', 'a'.repeat(8), 'c', undefined)).toEqual({ name: 'a' });
  });
});
