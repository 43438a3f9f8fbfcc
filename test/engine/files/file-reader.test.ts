// FileReader: whole files into one reused buffer (src/engine/files/file-reader.ts).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileReader } from '../../../src/engine/files/file-reader.js';

let dir: string;
const at = (name: string) => path.join(dir, name);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-reader-'));
  fs.writeFileSync(at('a.c'), 'int a = 1;\n');
  fs.writeFileSync(at('b.c'), 'long b = 2; /* é */\n');
  fs.writeFileSync(at('bin.c'), Buffer.from([0x69, 0, 0x6e, 0x74]));
  // bigger than the buffer a reader starts with, and than the biggest it shares
  fs.writeFileSync(at('big.c'), 'x'.repeat(9 << 20));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('FileReader', () => {
  it('reads each file whole into the same buffer; kept() gives a copy that outlives the next read', () => {
    const reader = new FileReader();
    const a = reader.read(at('a.c'));
    expect(a.bytes!.toString()).toBe('int a = 1;\n');
    expect(a.stat.size).toBe(11);
    const keptA = reader.kept(a.bytes!);
    const b = reader.read(at('b.c'));
    expect(b.bytes!.toString()).toBe('long b = 2; /* é */\n');
    // the same memory serves both reads
    expect(b.bytes!.buffer).toBe(a.bytes!.buffer);
    expect(keptA.toString()).toBe('int a = 1;\n');
    expect(reader.bytesRead).toBe(11 + b.stat.size);
  });

  it('gives a file too big to share a buffer of its own, and only the metadata of a file over maxSize', () => {
    const reader = new FileReader();
    const small = reader.read(at('a.c'));
    const big = reader.read(at('big.c'));
    expect(big.bytes!.length).toBe(9 << 20);
    expect(big.bytes!.buffer).not.toBe(small.bytes!.buffer);
    expect(reader.kept(big.bytes!)).toBe(big.bytes);
    const over = reader.read(at('big.c'), 1 << 20);
    expect(over.bytes).toBeUndefined();
    expect(over.stat.size).toBe(9 << 20);
  });

  it('readText decodes text and gives undefined for a missing or binary file', () => {
    const reader = new FileReader();
    expect(reader.readText(at('b.c'))).toBe('long b = 2; /* é */\n');
    expect(reader.readText(at('missing.c'))).toBeUndefined();
    expect(reader.readText(at('bin.c'))).toBeUndefined();
  });
});
