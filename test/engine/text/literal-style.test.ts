// src/engine/text/literal-style.ts: a fixed size written in the style of the literal or expression it replaces.

import { describe, expect, it } from 'vitest';
import { formatLike } from '../../../src/engine/text/literal-style.js';

describe('formatLike: the fixed size in the style it was written in', () => {
  it.each([
    ['16384', 65536n, '65536'],
    ['0x3000', 65536n, '0x10000'],
    ['0x3A00', 65536n, '0x10000'],
    ['0x3a00', 131072n, '0x20000'],
    ['0X1aB0', 0x1ab00n, '0X1ab00'],
    ['0x1000ULL', 65536n, '0x10000ULL'],
    ['4096ui64', 65536n, '65536ui64'],
    ["1'024", 65536n, '65536'],
    ['4 * 1024', 65536n, '64 * 1024'],
    ['16 << 10', 65536n, '64 << 10'],
    [' 4096 ', 65536n, '65536'],
  ])('%s becomes %s', (original, value, expected) => {
    expect(formatLike(original, value)).toBe(expected);
  });

  it.each([
    ['010000', 65536n],
    ['3 * 4096', 65537n],
    ['PAGE * 4', 65536n],
    ['(4096)', 65536n],
    ['4 << 20', 65536n],
  ])('%s cannot keep its style for %s', (original, value) => {
    expect(formatLike(original, value)).toBeUndefined();
  });
});
