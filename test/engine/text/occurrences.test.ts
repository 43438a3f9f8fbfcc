import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { occurrencesAfterEdit, wordOccurrences } from '../../../src/engine/text/occurrences.js';

describe('wordOccurrences', () => {
  it('finds whole words only, within the range asked', () => {
    const text = 'size sizes _size size$ (size) size';
    expect(wordOccurrences(text, 'size')).toEqual([0, 24, 30]);
    expect(wordOccurrences(text, 'size', 1, 29)).toEqual([24]);
  });
});

describe('occurrencesAfterEdit', () => {
  it('equals a fresh search after any edit', () => {
    const alphabet = fc.constantFrom('a', 'b', 'ab', ' ', '_', '(', '\n');
    const text = fc.array(alphabet, { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, text, fc.nat(), fc.nat(), fc.constantFrom('a', 'ab', 'b', 'aba'), (before, insert, p, q, name) => {
        const start = p % (before.length + 1);
        const oldEnd = start + (q % (before.length - start + 1));
        const after = before.slice(0, start) + insert + before.slice(oldEnd);
        const edit = { startIndex: start, oldEndIndex: oldEnd, newEndIndex: start + insert.length };
        expect(occurrencesAfterEdit(wordOccurrences(before, name), edit, name, after)).toEqual(wordOccurrences(after, name));
      }),
      { numRuns: 5000, seed: 7 },
    );
  });
});
