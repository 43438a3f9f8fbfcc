import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFrame, parseReport, readReport, reservesOf, unusableOf } from '../../src/shim/report.js';
import { removeDir, tempDir } from './helpers.js';

const line = (o: Record<string, unknown>) => JSON.stringify(o);
const rec = {
  api: 'VirtualAlloc',
  file: 'a.c',
  line: 3,
  func: 'f',
  size: 4096,
  flags: 0x3000,
  protect: 4,
  address: '0x0',
  result: '0x7f0000010000',
  error: 0,
  thread: 9,
  ts: 1,
  stack: ['prog+0x1a2b', '0x7fff0000'],
  reserve: true,
  unusable: 61440,
  pid: 42,
};

describe('parseReport', () => {
  it('reads records with BigInt sizes and addresses', () => {
    const { records, badLines } = parseReport(line(rec) + '\n');
    expect(badLines).toBe(0);
    expect(records).toHaveLength(1);
    const r = records[0]!;
    expect(r.size).toBe(4096n);
    expect(r.result).toBe(0x7f0000010000n);
    expect(r.unusable).toBe(61440n);
    expect(r.frames[0]).toEqual({ module: 'prog', offset: 0x1a2bn });
    expect(r.frames[1]).toEqual({ module: '', address: 0x7fff0000n });
    expect(r.source).toEqual({ report: '<report>', line: 1 });
  });

  it('keeps sizes above 2^53 exact', () => {
    const text = `{"api":"VirtualAlloc","file":"a.c","line":1,"size":18446744073709551615,"flags":8192,"address":"0x0","result":"0x0","unusable":0}`;
    const { records } = parseReport(text);
    expect(records[0]!.size).toBe(18446744073709551615n);
  });

  it('does not mistake a key-like text inside a string for a key', () => {
    const text = JSON.stringify({ ...rec, file: 'odd "size":1 name.c' });
    const { records, badLines } = parseReport(text);
    expect(badLines).toBe(0);
    expect(records[0]!.file).toBe('odd "size":1 name.c');
    expect(records[0]!.size).toBe(4096n);
  });

  it('counts bad lines instead of failing', () => {
    const text = [line(rec), '{"api":"VirtualAlloc","size":', 'garbage', line({ ...rec, size: -1 }), '[1,2]', line({ file: 'x' }), '', line(rec)].join('\n');
    const parsed = parseReport(text);
    expect(parsed.records).toHaveLength(2);
    expect(parsed.badLines).toBe(5);
    expect(parsed.firstBad?.line).toBe(2);
  });

  it('computes reserve and unusable when a writer left them out', () => {
    const { records } = parseReport(line({ api: 'VirtualAlloc', size: 20000, flags: 0x3000, address: '0x0', result: '0x10000' }));
    expect(records[0]!.reserve).toBe(true);
    expect(records[0]!.unusable).toBe(45056n);
    const commit = parseReport(line({ api: 'VirtualAlloc', size: 4096, flags: 0x1000, address: '0x10000', result: '0x10000' }));
    expect(commit.records[0]!.reserve).toBe(false);
    expect(commit.records[0]!.unusable).toBe(0n);
  });
});

describe('granule arithmetic', () => {
  it('matches the shim', () => {
    expect(unusableOf(0n, 4096n)).toBe(61440n);
    expect(unusableOf(0n, 1n)).toBe(61440n);
    expect(unusableOf(0n, 65536n)).toBe(0n);
    expect(unusableOf(0n, 100000n)).toBe(28672n);
    expect(unusableOf(0x10000n + 0x1234n, 8192n)).toBe(0x10000n - 0x4000n);
    expect(reservesOf('VirtualAlloc', 0x1000, 0n)).toBe(true);
    expect(reservesOf('VirtualAlloc', 0x1000, 0x10000n)).toBe(false);
    expect(reservesOf('VirtualAlloc', 0x80000, 0x10000n)).toBe(false);
    expect(reservesOf('MapViewOfFile', 0, 0n)).toBe(true);
  });

  it('parses frames', () => {
    expect(parseFrame('a+b.dll+0x10')).toEqual({ module: 'a+b.dll', offset: 16n });
    expect(parseFrame('0x10')).toEqual({ module: '', address: 16n });
    expect(parseFrame('weird')).toEqual({ module: 'weird' });
  });
});

describe('readReport', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('shim-report');
    mkdirSync(path.join(dir, 'many'));
    writeFileSync(path.join(dir, 'many', 'r-1.jsonl'), line(rec) + '\n' + line({ ...rec, pid: 1 }) + '\n');
    writeFileSync(path.join(dir, 'many', 'r-2.jsonl'), line({ ...rec, pid: 2 }) + '\n{"truncated":');
    writeFileSync(path.join(dir, 'many', 'notes.txt'), 'not a report');
    writeFileSync(path.join(dir, 'empty.jsonl'), '');
  });
  afterAll(() => removeDir(dir));

  it('reads every .jsonl file of a folder and reports bad lines once per file', async () => {
    const r = await readReport(path.join(dir, 'many'));
    expect(r.files.map((f) => path.basename(f))).toEqual(['r-1.jsonl', 'r-2.jsonl']);
    expect(r.records).toHaveLength(3);
    expect(r.badLines).toBe(1);
    expect(r.notices).toHaveLength(1);
    expect(r.notices[0]).toMatchObject({ level: 'warning', code: 'runtime-report', line: 2 });
    expect(r.notices[0]!.message).toBe('1 record skipped: line 2: not JSON (Unexpected end of JSON input)');
  });

  it('turns a missing file into a notice', async () => {
    const r = await readReport([path.join(dir, 'missing.jsonl'), path.join(dir, 'many', 'r-1.jsonl')]);
    expect(r.records).toHaveLength(2);
    expect(r.notices.some((n) => n.code === 'unreadable' && n.level === 'error')).toBe(true);
  });

  it('says so when a report is empty', async () => {
    const r = await readReport(path.join(dir, 'empty.jsonl'));
    expect(r.records).toHaveLength(0);
    expect(r.notices.map((n) => n.code)).toEqual(['runtime-empty']);
  });
});

describe('release records', () => {
  const line = (o: Record<string, unknown>) =>
    JSON.stringify({
      api: 'VirtualFree',
      file: 'a.c',
      line: 3,
      func: 'f',
      size: 0,
      flags: 0x8000,
      protect: 0,
      address: '0x10000',
      result: '0x1',
      error: 0,
      thread: 1,
      ts: 1,
      stack: [],
      reserve: false,
      unusable: 0,
      pid: 1,
      ...o,
    });

  it('are read for the four release APIs, and reserve nothing even at address 0', () => {
    for (const api of ['VirtualFree', 'VirtualFreeEx', 'UnmapViewOfFile', 'NtFreeVirtualMemory']) expect(parseReport(line({ api })).badLines).toBe(0);
    const { records } = parseReport(line({ address: '0x0', reserve: undefined, unusable: undefined }));
    expect(records[0]).toMatchObject({ reserve: false, unusable: 0n });
  });

  it('are refused when they claim a reservation or an unusable tail', () => {
    expect(parseReport(line({ reserve: true })).firstBad?.reason).toBe('a VirtualFree record reserves nothing: "reserve" must be false and "unusable" 0');
    expect(parseReport(line({ unusable: 4096 })).badLines).toBe(1);
  });
});
