// src/rules/sizes.ts: the number formatting every rule's message is made of.

import { describe, expect, it } from 'vitest';
import { byteCount, hex, humanBytes } from '../../src/rules/sizes.js';

describe('numbers in messages', () => {
  it('hex in upper case with 0x; byte counts with the singular for one', () => {
    expect([hex(0n), hex(0x1a000n), byteCount(1n), byteCount(0n), byteCount(4097n)]).toEqual(['0x0', '0x1A000', '1 byte', '0 bytes', '4097 bytes']);
  });

  it('sizes as people read them: MB, KB, or bytes', () => {
    expect([humanBytes(2n * 1024n * 1024n), humanBytes(65536n), humanBytes(12288n), humanBytes(1000n), humanBytes(1n)]).toEqual([
      '2 MB',
      '64 KB',
      '12 KB',
      '1000 bytes',
      '1 byte',
    ]);
  });
});
