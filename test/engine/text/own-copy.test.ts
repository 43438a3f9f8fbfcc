import * as v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../../src/engine/runner/collect.js';
import { ownCopies, ownCopy } from '../../../src/engine/text/own-copy.js';

const MB = 2 ** 20;

/** A text of 32 MB (as a big file's parsed text is), and where a name sits in it. */
function bigText(): { text: string; at: number } {
  const text = `${' '.repeat(16 * MB)}VirtualAllocWrapperName${' '.repeat(16 * MB)}`;
  // (a flat string, as a decoded text is: a slice of it is a view of the whole)
  return { text: text.slice(0), at: 16 * MB };
}

/** The memory still held after `keep` took what it wants of a big text and the text itself was dropped. */
function heldAfter(keep: (text: string, at: number) => unknown): { held: number; kept: unknown } {
  collectGarbage();
  const before = v8.getHeapStatistics().used_heap_size;
  let made: { text: string; at: number } | undefined = bigText();
  const kept = keep(made.text, made.at);
  // eslint-disable-next-line no-useless-assignment -- the text must be unreachable before the collection below
  made = undefined;
  collectGarbage();
  return { held: v8.getHeapStatistics().used_heap_size - before, kept };
}

describe('ownCopy', () => {
  it('gives the same characters', () => {
    expect(ownCopy('VirtualAllocWrapperName')).toBe('VirtualAllocWrapperName');
    expect(ownCopy('short')).toBe('short');
    expect(ownCopy('')).toBe('');
    expect(ownCopy('名前の長い関数の名前ですよね')).toBe('名前の長い関数の名前ですよね');
  });

  it('keeps nothing of the text a name was cut from, where a slice keeps all of it', () => {
    const sliced = heldAfter((text, at) => text.slice(at, at + 23));
    expect(sliced.kept).toBe('VirtualAllocWrapperName');
    expect(sliced.held).toBeGreaterThan(24 * MB);
    const copied = heldAfter((text, at) => ownCopy(text.slice(at, at + 23)));
    expect(copied.kept).toBe('VirtualAllocWrapperName');
    expect(copied.held).toBeLessThan(8 * MB);
  });
});

describe('ownCopies', () => {
  it('copies plain results deeply, BigInt and undefined fields included', () => {
    const finding = { file: 'a.c', properties: { size: '4096', callee: 'VirtualAllocWrapperName' }, value: 4096n, fix: undefined };
    const copy = ownCopies(finding);
    expect(copy).toEqual(finding);
    expect(copy).not.toBe(finding);
    expect(Object.keys(copy)).toEqual(['file', 'properties', 'value', 'fix']);
  });

  it('keeps nothing of the text the strings of a result were cut from', () => {
    const copied = heldAfter((text, at) => ownCopies({ findings: [{ callee: text.slice(at, at + 23) }] }));
    expect(copied.kept).toEqual({ findings: [{ callee: 'VirtualAllocWrapperName' }] });
    expect(copied.held).toBeLessThan(8 * MB);
  });
});
