// src/rules/sizes.ts: the granule arithmetic and number formatting every rule's message and fix is made of.

import { describe, expect, it } from 'vitest';
import { byteCount, formatLike, hex, humanBytes, KB64, roundUp, unusableBytes } from '../../src/rules/sizes.js';

describe('granule arithmetic', () => {
  it('rounds up to a multiple', () => {
    expect([0n, 1n, 65535n, 65536n, 65537n].map((v) => roundUp(v, KB64))).toEqual([0n, 65536n, 65536n, 65536n, 131072n]);
  });

  it('counts what the region leaves of its last granule: it ends at the next page boundary', () => {
    expect([1n, 4096n, 4097n, 65532n, 65536n, 98304n].map((v) => unusableBytes(v, 4096n))).toEqual([61440n, 61440n, 57344n, 0n, 0n, 32768n]);
    expect(unusableBytes(3n * 1024n * 1024n, 4096n, 2n * 1024n * 1024n)).toBe(1048576n);
  });
});

describe('numbers in messages', () => {
  it('hex in upper case with 0x; byte counts with the singular for one', () => {
    expect([hex(0n), hex(0x1a000n), byteCount(1n), byteCount(0n), byteCount(4097n)]).toEqual(['0x0', '0x1A000', '1 byte', '0 bytes', '4097 bytes']);
  });

  it('sizes as people read them: MB, KB, or bytes', () => {
    expect([humanBytes(2n * 1024n * 1024n), humanBytes(65536n), humanBytes(12288n), humanBytes(1000n), humanBytes(1n)]).toEqual(['2 MB', '64 KB', '12 KB', '1000 bytes', '1 byte']);
  });
});

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
