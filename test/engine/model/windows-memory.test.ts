// The Windows memory API model (src/engine/model/windows-memory.ts) and reading back a fix's literal.

import { describe, expect, it } from 'vitest';
import { integerLiteralValue } from '../../../src/engine/text/literal-style.js';
import {
  ALLOCATION_GRANULARITY,
  MEM_COMMIT,
  MEM_LARGE_PAGES,
  MEM_RESERVE,
  MEM_RESET,
  reserves,
  roundUp,
  unusableBytes,
  usesLargePages,
} from '../../../src/engine/model/windows-memory.js';

const known = (value: bigint) => ({ known: true as const, value });
const unknown = { known: false as const, reason: 'x' };

describe('the Windows memory model', () => {
  it('tells whether a call reserves address space', () => {
    expect(reserves(known(MEM_RESERVE | MEM_COMMIT), unknown)).toBe(true);
    expect(reserves(known(MEM_RESET), known(0n))).toBe(false);
    expect(reserves(known(MEM_COMMIT), known(0n))).toBe(true);
    expect(reserves(known(MEM_COMMIT), known(0x10000n))).toBe(false);
    expect(reserves(known(MEM_COMMIT), unknown)).toBeUndefined();
    expect(reserves(unknown, known(0n))).toBe(true);
    expect(reserves(undefined, undefined)).toBeUndefined();
  });

  it('does the page and granule arithmetic', () => {
    expect(roundUp(4097n, 4096n)).toBe(8192n);
    expect(unusableBytes(4096n)).toBe(61440n);
    expect(unusableBytes(65532n)).toBe(0n);
    expect(unusableBytes(65537n)).toBe(61440n);
    expect(usesLargePages(known(MEM_LARGE_PAGES | MEM_RESERVE))).toBe(true);
    expect(usesLargePages(unknown)).toBe(false);
  });

  it('reads back the plain integer literals a fix writes', () => {
    expect(integerLiteralValue('0x10000')).toBe(65536n);
    expect(integerLiteralValue(' 65536u ')).toBe(65536n);
    expect(integerLiteralValue("1'048'576")).toBe(1048576n);
    expect(integerLiteralValue('64 * 1024')).toBeUndefined();
    expect(integerLiteralValue('010')).toBeUndefined();
  });
});

describe('granule arithmetic', () => {
  it('rounds up to a multiple', () => {
    expect([0n, 1n, 65535n, 65536n, 65537n].map((v) => roundUp(v, ALLOCATION_GRANULARITY))).toEqual([0n, 65536n, 65536n, 65536n, 131072n]);
  });

  it('counts what the region leaves of its last granule: it ends at the next page boundary', () => {
    expect([1n, 4096n, 4097n, 65532n, 65536n, 98304n].map((v) => unusableBytes(v, 4096n))).toEqual([61440n, 61440n, 57344n, 0n, 0n, 32768n]);
    expect(unusableBytes(3n * 1024n * 1024n, 4096n, 2n * 1024n * 1024n)).toBe(1048576n);
  });
});
