// tree-sitter reads a long text in chunks of READ_CHUNK UTF-16 units (src/engine/parse/parse.ts): the tree must be
// the one a single read of the whole text gives, also where a chunk ends inside a surrogate pair, a token or a
// CRLF, and with included ranges (a windowed parse) that jump across chunk ends.

import { describe, expect, it } from 'vitest';
import { parse, parserFor, READ_CHUNK } from '../../../src/engine/parse/parse.js';

/** The tree of one read of the whole text (the buffer holds all of it). */
function parsedInOneRead(text: string, ranges?: Parameters<ReturnType<typeof parserFor>['parse']>[2]) {
  return parserFor('c').parse(text, undefined, { ...ranges, bufferSize: text.length + 1 });
}

/** Declarations on CRLF lines, `units` UTF-16 units or a little less. */
function filler(units: number): string {
  const line = 'static int value_0000000 = 1 + 2;\r\n';
  return line.repeat(Math.floor(units / line.length));
}

describe('reading the text in chunks', () => {
  it('gives the tree of a single read where a chunk ends inside a surrogate pair, a word or a CRLF', () => {
    // (the binding copies READ_CHUNK - 1 units a read: the chunk ends before unit READ_CHUNK - 1)
    const end = READ_CHUNK - 1;
    const cases = [
      ['const char *s = "', '\u{1F600}\u{1F600}\u{1F600}', '";'],
      ['int long_identifier_', 'split_here_at_the_end', ' = 3;'],
      ['int x = 1;', '\r\n\r\n', 'int y = 2;'],
    ];
    for (const [before, middle, after] of cases) {
      const prefix = filler(end - 100);
      // `middle` straddles the end of the first chunk
      const text = prefix + ' '.repeat(end - prefix.length - before!.length - 1) + before + middle + after + '\r\nint tail(void) { return 0; }\r\n';
      expect(text.length).toBeGreaterThan(READ_CHUNK);
      const chunked = parse(text, 'c');
      const whole = parsedInOneRead(text);
      expect(chunked.rootNode.hasError).toBe(false);
      expect(chunked.rootNode.toString()).toBe(whole.rootNode.toString());
      const last = (t: typeof whole) => t.rootNode.lastChild!;
      expect([last(chunked).startIndex, last(chunked).endIndex, last(chunked).startPosition]).toEqual([
        last(whole).startIndex,
        last(whole).endIndex,
        last(whole).startPosition,
      ]);
    }
  });

  it('gives the tree of a single read with included ranges spread over several chunks', () => {
    const parts: string[] = [];
    const blank: [number, number][] = [];
    let at = 0;
    for (let i = 0; at < 3 * READ_CHUNK; i++) {
      const keep = `int f${i}(int a) {\n  return a + ${i};\n}\n`;
      const skipped = `void g${i}(void) {\n${' '.repeat(40_000 + (i % 7) * 9_001)}\n}\n`;
      const open = skipped.indexOf('{') + 1;
      parts.push(keep, skipped);
      blank.push([at + keep.length + open, at + keep.length + skipped.lastIndexOf('}')]);
      at += keep.length + skipped.length;
    }
    const text = parts.join('');
    const chunked = parse(text, 'c', undefined, blank);
    const whole = parsedInOneRead(text);
    expect(chunked.rootNode.toString()).toBe(whole.rootNode.toString());
    const ends = (t: typeof whole) => t.rootNode.namedChildren.map((n) => [n.startIndex, n.endIndex, n.endPosition.row]);
    expect(ends(chunked)).toEqual(ends(whole));
    expect(ends(chunked).length).toBeGreaterThan(100);
  });
});
