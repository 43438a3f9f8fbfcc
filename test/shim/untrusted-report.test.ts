// Runtime reports come from programs granule did not build: they are read within limits, validated field by
// field, confined to the project, and printed escaped.

import { closeSync, mkdirSync, openSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/engine/model/types.js';
import { runVmmapCommand } from '../../src/shim/cflags.js';
import { printable } from '../../src/formats/printable.js';
import { applyRuntime } from '../../src/shim/index.js';
import { readLines } from '../../src/shim/lines.js';
import { mergeRuntime } from '../../src/shim/merge.js';
import { MAX_LINE_BYTES, parseReport, readReport } from '../../src/shim/report.js';
import { summarize } from '../../src/shim/summary.js';
import { renderHtml, renderText } from '../../src/shim/vmmap.js';
import { capture, removeDir, tempDir } from './helpers.js';

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
  stack: ['prog+0x1a2b'],
  reserve: true,
  unusable: 61440,
  pid: 42,
};
const line = (o: Record<string, unknown>) => JSON.stringify({ ...rec, ...o });

let dir: string;
beforeAll(() => {
  dir = tempDir('shim-hostile');
});
afterAll(() => removeDir(dir));

describe('reading reports within limits', () => {
  async function lines(text: string, max: number) {
    const file = path.join(dir, `lines-${Math.random().toString(36).slice(2)}.txt`);
    writeFileSync(file, text);
    const fd = openSync(file, 'r');
    const out = [];
    try {
      for await (const item of readLines(fd, max)) out.push(item);
    } finally {
      closeSync(fd);
    }
    return out;
  }

  it('splits lines, drops CR before LF, and skips a line past the limit whole', async () => {
    expect(await lines('abc\r\n0123456789AB\nxyz', 10)).toEqual([
      { tooLong: false, text: 'abc' },
      { tooLong: true, bytes: 12 },
      { tooLong: false, text: 'xyz' },
    ]);
    expect(await lines('0123456789AB', 10)).toEqual([{ tooLong: true, bytes: 12 }]);
    expect(await lines('', 10)).toEqual([]);
  });

  it('keeps a line that crosses read chunks', async () => {
    const long = 'x'.repeat(1_500_000);
    expect(await lines(`a\n${long}\nb\n`, 2_000_000)).toEqual([
      { tooLong: false, text: 'a' },
      { tooLong: false, text: long },
      { tooLong: false, text: 'b' },
    ]);
  });

  it('skips a report line over the limit with one counted notice, and reads on', async () => {
    const file = path.join(dir, 'long.jsonl');
    const big = 2 * MAX_LINE_BYTES;
    writeFileSync(file, `${line({ line: 1 })}\n{"api":"VirtualAlloc","file":"${'a'.repeat(big - 32)}"}\n${line({ line: 3 })}\n`);
    const r = await readReport(file);
    expect(r.records.map((x) => x.line)).toEqual([1, 3]);
    expect(r.badLines).toBe(1);
    expect(r.notices).toEqual([
      { level: 'warning', file, line: 2, code: 'runtime-report', message: `1 record skipped: line 2: longer than ${MAX_LINE_BYTES} bytes (${big} bytes)` },
    ]);
  });

  it('skips a *.jsonl link to a device in a report folder, and refuses a device named as the report', async () => {
    const folder = path.join(dir, 'devices');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'a.jsonl'), line({}) + '\n');
    symlinkSync('/dev/zero', path.join(folder, 'b.jsonl'));
    const r = await readReport(folder);
    expect(r.records).toHaveLength(1);
    expect(r.files).toEqual([path.join(folder, 'a.jsonl')]);
    expect(r.notices).toEqual([
      {
        level: 'warning',
        file: path.join(folder, 'b.jsonl'),
        code: 'unreadable',
        message: `skipped runtime report ${path.join(folder, 'b.jsonl')}: not a regular file`,
      },
    ]);

    const c = capture();
    expect(await runVmmapCommand(['/dev/zero'], c.io)).toBe(2);
    expect(c.err()).toBe('granule: error: cannot read runtime report /dev/zero: not a regular file\n');
    expect(c.out()).toBe('');
  });
});

describe('records are checked against the report contract', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a line too large for a number', { line: 1e308 }, '"line" is not a positive integer'],
    ['a fractional line', { line: 1.5 }, '"line" is not a positive integer'],
    ['a negative line', { line: -4 }, '"line" is not a positive integer'],
    ['a line as a string', { line: '3' }, '"line" is not a positive integer'],
    ['a size that is not a number', { size: '12abc' }, '"size" is not an unsigned integer'],
    ['a size with a fraction', { size: 1.5 }, '"size" is not an unsigned integer'],
    ['a size with spaces', { size: ' 12' }, '"size" is not an unsigned integer'],
    ['a negative size', { size: -1 }, '"size" is not an unsigned integer'],
    ['an address wider than 64 bits', { address: '0x10000000000000000' }, '"address" is wider than 64 bits'],
    ['a result wider than 64 bits', { result: '18446744073709551616' }, '"result" is wider than 64 bits'],
    ['a region past the address space', { result: '0xffffffffffff0000', size: 0x20000 }, '"size" reaches past the 64-bit address space'],
    ['an unknown API', { api: 'VirtualAllocX' }, '"api" is not one of the recorded APIs'],
    ['markup as an API', { api: '<img src=x onerror=alert(1)>' }, '"api" is not one of the recorded APIs'],
    ['an unusable tail of a granule or more', { unusable: 65536 }, '"unusable" is not below 65536'],
    ['flags wider than a DWORD', { flags: 2 ** 32 }, '"flags" is not an integer from 0 to 4294967295'],
    ['a stack holding a number', { stack: [5] }, '"stack" holds something other than a return address'],
    ['a file that is not a string', { file: 7 }, '"file" is not a string'],
  ];
  for (const [what, fields, reason] of cases)
    it(`skips ${what}`, () => {
      const parsed = parseReport([line({}), line(fields), line({})].join('\n'));
      expect(parsed.records).toHaveLength(2);
      expect(parsed.badLines).toBe(1);
      expect(parsed.firstBad).toEqual({ line: 2, reason });
    });

  it('reads sizes exactly from integers and decimal or hex strings, up to 64 bits', () => {
    const parsed = parseReport(
      [line({ size: '0x1000' }), line({ size: '18446744073709551615', result: '0x0', unusable: 0 }), line({ size: 1e3 }), line({ line: 0, file: '' })].join(
        '\n',
      ),
    );
    expect(parsed.badLines).toBe(0);
    expect(parsed.records.map((r) => r.size)).toEqual([4096n, 18446744073709551615n, 1000n, 4096n]);
    expect(parsed.records[3]!.line).toBe(0);
  });

  it('counts the records skipped in one notice per file, with the first reason', async () => {
    const file = path.join(dir, 'bad.jsonl');
    writeFileSync(file, [line({}), line({ line: 1e308 }), line({ api: 'Nope' }), line({})].join('\n'));
    const r = await readReport(file);
    expect(r.records).toHaveLength(2);
    expect(r.notices).toEqual([
      { level: 'warning', file, line: 2, code: 'runtime-report', message: '2 records skipped: line 2 (the first): "line" is not a positive integer' },
    ]);
  });

  it('fails when no record of a report could be read', async () => {
    const file = path.join(dir, 'all-bad.jsonl');
    writeFileSync(file, [line({ line: 1.5 }), line({ api: 'Nope' })].join('\n'));
    const c = capture();
    expect(await runVmmapCommand([file], c.io)).toBe(2);
    expect(c.err()).toBe(
      'granule: warning: 2 records skipped: line 1 (the first): "line" is not a positive integer\n' +
        'granule: error: no record of the runtime report could be read (2 skipped)\n',
    );
    expect(c.out()).toBe('');
    const rt = await applyRuntime([], { reports: file, root: dir });
    expect(rt.notices.map((n) => [n.level, n.code])).toEqual([
      ['warning', 'runtime-report'],
      ['error', 'unreadable'],
    ]);
  });

  it('keeps the granule map of a terabyte reservation bounded', () => {
    const { records } = parseReport(line({ size: String(1n << 40n), result: '0x10000', unusable: 0 }));
    const started = Date.now();
    const summary = summarize(records, { maxGranules: 16 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(summary.reservedBytes).toBe(1n << 40n);
    const p = summary.processes[0]!;
    // the first 16 granules and the last one
    expect(p.granules).toBe(17);
    expect(p.omitted).toBe(1);
  });
});

describe('a record names a file outside the project', () => {
  const root = '/repo';
  const finding = (file: string, line: number): Finding => ({
    ruleId: 'virtualalloc-granularity',
    severity: 'error',
    file,
    range: { start: { line, column: 5, offset: 0 }, end: { line, column: 30, offset: 0 } },
    messageId: 'wastesGranule',
    message: 'static',
    api: 'VirtualAlloc',
    properties: { api: 'VirtualAlloc' },
    evidence: [],
    callText: 'VirtualAlloc(...)',
    enclosingFunction: 'main',
    suggestions: [],
  });

  it('keeps it without a location, and places one inside the root', () => {
    const { records } = parseReport(
      [line({ file: '../../../../etc/passwd', line: 1 }), line({ file: '/etc/passwd', line: 1 }), line({ file: 'src/new.c', line: 7 })].join('\n'),
    );
    const merged = mergeRuntime([finding('/repo/src/a.c', 3)], records, { root });
    expect(merged.outside).toBe(2);
    expect(merged.unlocated).toBe(2);
    expect(merged.runtimeOnly.map((f) => [f.file, f.range.start.line])).toEqual([['/repo/src/new.c', 7]]);
  });

  it('reads no file outside the project, not even through a link inside it', async () => {
    const project = path.join(dir, 'project');
    const outside = path.join(dir, 'outside.c');
    mkdirSync(project);
    writeFileSync(outside, 'int x;\n  VirtualAlloc(0, n, MEM_RESERVE, PAGE_NOACCESS);\n');
    writeFileSync(path.join(project, 'real.c'), 'int x;\n  VirtualAlloc(0, n, MEM_RESERVE, PAGE_NOACCESS);\n');
    symlinkSync(outside, path.join(project, 'link.c'));
    const report = path.join(dir, 'outside.jsonl');
    writeFileSync(report, [line({ file: '../outside.c', line: 2 }), line({ file: 'link.c', line: 2 }), line({ file: 'real.c', line: 2 })].join('\n'));
    const rt = await applyRuntime([], { reports: report, root: project });
    expect(rt.runtimeOnly.map((f) => [path.basename(f.file), f.range.start.column, f.callText])).toEqual([
      // a link is not followed: no column, no text
      ['link.c', 1, 'VirtualAlloc(...)'],
      ['real.c', 3, 'VirtualAlloc(0, n, MEM_RESERVE, PAGE_NOACCESS);'],
    ]);
    expect(rt.notices).toEqual([
      { level: 'warning', code: 'runtime-outside', message: `1 recorded call names a file outside ${project}; it is counted without a location` },
    ]);
  });
});

describe('what a report says is printed escaped', () => {
  it('on the terminal', () => {
    const { records } = parseReport(line({ file: 'a\u001b[2J.c', func: 'f\n::error file=x::forged\u202e' }));
    const text = renderText(summarize(records));
    expect(text).not.toMatch(/[\u001b\u202e]|\n::error/);
    expect(text).toContain('VirtualAlloc at a\\x1b[2J.c:3 (f\\n::error file=x::forged\\u202e)');
    expect(printable('tab\there\u0085\u200f')).toBe('tab\\there\\x85\\u200f');
  });

  it('in HTML', () => {
    const { records } = parseReport(line({ file: '<script>alert(1)</script>.c', func: '"><img src=x>' }));
    const html = renderHtml(summarize(records));
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;.c:3');
    expect(html).toContain('in &quot;&gt;&lt;img src=x&gt;');
  });
});

describe('mutated reports', () => {
  it('never throw, and every record kept satisfies the contract', () => {
    // a fixed seed: the same 5,000 mutations on every run
    let seed = 0x2545f491;
    const rand = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const base = line({});
    const pieces = [
      '1e308',
      '-1',
      '1.5',
      '"',
      '\\',
      '{',
      '}',
      ',',
      'null',
      '"0x' + 'f'.repeat(20) + '"',
      '\u001b[2J',
      '<b>',
      '99999999999999999999',
      '[]',
      '\u0000',
    ];
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) {
      let text = base;
      for (let k = 1 + rand(3); k > 0; k--) {
        const at = rand(text.length);
        const cut = rand(4);
        text = text.slice(0, at) + pieces[rand(pieces.length)] + text.slice(at + cut);
      }
      lines.push(text);
    }
    const parsed = parseReport(lines.join('\n'));
    expect(parsed.records.length + parsed.badLines).toBe(5000);
    // the mutations leave both kinds: records that still hold, and lines that do not
    expect(parsed.records.length).toBeGreaterThan(100);
    expect(parsed.badLines).toBeGreaterThan(100);
    const max = (1n << 64n) - 1n;
    for (const r of parsed.records) {
      expect(['VirtualAlloc', 'MapViewOfFile'].some((a) => r.api.startsWith(a))).toBe(true);
      expect(Number.isSafeInteger(r.line) && r.line >= 0).toBe(true);
      for (const v of [r.size, r.address, r.result]) expect(v >= 0n && v <= max).toBe(true);
      expect(r.unusable >= 0n && r.unusable < 65536n).toBe(true);
    }
  });
});
