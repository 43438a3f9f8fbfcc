import { describe, expect, it } from 'vitest';
import { blankRanges, blankSpans, fillSpans } from '../../../src/engine/text/blanking.js';
import { neutralize, neutralizeAfterEdit, neutralizePiece } from '../../../src/engine/parse/neutralize.js';

/** `text` with each of `parts` (in order of appearance) made spaces. */
function without(text: string, ...parts: string[]): string {
  let at = 0;
  for (const p of parts) {
    at = text.indexOf(p, at);
    text = text.slice(0, at) + ' '.repeat(p.length) + text.slice(at + p.length);
  }
  return text;
}

describe('neutralize', () => {
  it('blanks calling conventions, SAL with its argument list, __declspec(...), and keeps the length', () => {
    const text = 'DECLSPEC_HOTPATCH LPVOID WINAPI f(_In_reads_bytes_(n) const void *p, _In_ SIZE_T n) __attribute__((x));\n__forceinline int g(void);';
    expect(neutralize(text)).toBe(
      without(text, 'DECLSPEC_HOTPATCH', 'WINAPI', '_In_reads_bytes_(n)', '_In_', '__attribute__((x))').replace('__forceinline', 'inline       '),
    );
  });

  it('leaves a word the file defines itself', () => {
    expect(neutralize('int FAR x;', new Set(['FAR']))).toBe('int FAR x;');
  });

  it('keeps a NUL character and the length of the text', () => {
    const text = 'int a\u0000; _In_opt_(x\u0000) int b;';
    expect(neutralize(text)).toBe(without(text, '_In_opt_(x\u0000)'));
  });

  // big texts are neutralised a piece at a time; the pieces must give the same text as the whole
  const words = [
    'WINAPI',
    '_In_',
    '_Out_writes_(n)',
    '_When_(a, b)',
    '__declspec(dllexport)',
    '__attribute__((unused))',
    'CONST',
    '__forceinline',
    'x',
    'size',
    '(',
    ')',
    ';',
    '}',
    '{',
    '\n',
    '\r\n',
    ' ',
    '  ',
    '"s;"',
    '/* c; */',
    '—',
    'é',
    '_In_reads_(\nn\n)',
    '__declspec',
    '_Success_',
  ];
  function randomText(seed: number, length: number): string {
    let x = seed;
    const next = () => ((x = (x * 1103515245 + 12345) & 0x7fffffff), x);
    const parts: string[] = [];
    let n = 0;
    while (n < length) {
      const w = words[next() % words.length]!;
      parts.push(w, next() % 3 ? ' ' : '');
      n += w.length + 1;
    }
    return parts.join('');
  }

  it('gives a big text the same result piece by piece as whole, wide or not, with hidden spans', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      let text = randomText(seed, 300_000);
      if (seed % 2) text = text.replace(/[—é]/g, 'x');
      const hidden: [number, number][] = [];
      for (let at = 1000 * seed; at < text.length - 5000; at += 20_000 + seed * 777) hidden.push([at, at + 3000 + seed]);
      expect(neutralize(text)).toBe(neutralizePiece(text, new Set()));
      expect(neutralize(text, new Set(['CONST']), hidden)).toBe(neutralizePiece(blankRanges(text, hidden), new Set(['CONST'])));
    }
  });

  it('neutralizeAfterEdit gives what neutralize gives after an edit, re-neutralising only the piece around it', () => {
    const keep = new Set(['CONST']);
    let checked = 0;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      let x = seed;
      const next = () => ((x = (x * 1103515245 + 12345) & 0x7fffffff), x);
      let text = randomText(seed, 20_000 + seed * 9_000);
      let hidden: [number, number][] = [];
      for (let at = 500 * seed; at < text.length - 2000; at += 4_000 + seed * 311) hidden.push([at, at + 700 + seed]);
      let neutralized = neutralize(text, keep, hidden);
      for (let i = 0; i < 40; i++) {
        // an edit anywhere, hidden or not: words, list brackets, `;` and `}` typed or deleted
        const start = next() % text.length;
        const oldEnd = Math.min(text.length, start + (next() % 4 === 0 ? next() % 30 : 0));
        const inserted = next() % 3 === 0 ? '' : words[next() % words.length]!.replace(/\n/g, ' ');
        const after = text.slice(0, start) + inserted + text.slice(oldEnd);
        const edit = { start, oldEnd, newEnd: start + inserted.length };
        const delta = edit.newEnd - edit.oldEnd;
        // the spans move as the preprocessor's facts move over an edit (a span holding the edit grows with it); an
        // edit across a span's end is one the preprocessor runs again for
        const moved: [number, number][] = [];
        let movable = true;
        for (const [a, b] of hidden) {
          if (a <= start && oldEnd <= b && start < b) moved.push([a, b + delta]);
          else if (b <= start) moved.push([a, b]);
          else if (a >= oldEnd) moved.push([a + delta, b + delta]);
          else movable = false;
        }
        if (!movable) continue;
        const made = neutralizeAfterEdit({ text, neutralized, hidden }, after, edit, keep, moved);
        expect(made?.text, `seed ${seed}, edit ${i}`).toBe(neutralize(after, keep, moved));
        // outside the piece the texts agree
        expect(neutralized.slice(0, made!.piece.start)).toBe(made!.text.slice(0, made!.piece.start));
        expect(neutralized.slice(made!.piece.oldEnd)).toBe(made!.text.slice(made!.piece.newEnd));
        checked++;
        text = after;
        hidden = moved;
        neutralized = made!.text;
      }
      // spans that are not the old ones moved over the edit: not made from the old text
      expect(hidden.length).toBeGreaterThan(0);
      expect(neutralizeAfterEdit({ text, neutralized, hidden }, `x${text}`, { start: 0, oldEnd: 0, newEnd: 1 }, keep, [])).toBeUndefined();
    }
    expect(checked).toBeGreaterThan(200);
  });
});

describe('blankSpans', () => {
  it('makes every character of the spans a space but line breaks, and counts them', () => {
    expect(
      blankSpans('ab\r\ncd ef', [
        [1, 5],
        [7, 9],
      ]),
    ).toBe('a \r\n d   ');
    expect(
      fillSpans(
        Buffer.from('ab\r\ncd ef', 'latin1'),
        [
          [1, 5],
          [7, 9],
        ],
        false,
      ),
    ).toBe(4);
  });

  it('keeps characters beyond Latin-1 outside the spans, and drops to one byte a character when none is left', () => {
    expect(blankSpans('a—b—c', [[1, 2]])).toBe('a b—c');
    expect(fillSpans(Buffer.from('a—b—c', 'utf16le'), [[1, 2]], true)).toBe(1);
    expect(blankSpans('a—b\nc', [[1, 2]])).toBe('a b\nc');
  });

  it('blankRanges takes ranges in any order, overlapping', () => {
    expect(
      blankRanges('abcdefgh', [
        [4, 6],
        [1, 3],
        [2, 5],
      ]),
    ).toBe('a     gh');
  });
});
