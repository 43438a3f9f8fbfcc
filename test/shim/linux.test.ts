// The shim with the Linux emulation: exact records, GetLastError, threads.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRelease, parseReport, readReport, type ShimRecord } from '../../src/shim/report.js';
import { summarize } from '../../src/shim/summary.js';
import { unavailable } from '../helpers/requirements.js';
import { buildLinux, fixture, markers, removeDir, run, runOk, tempDir } from './helpers.js';

const missing = unavailable('gcc');

let dir: string;

beforeAll(() => {
  dir = tempDir('shim-linux');
});

afterAll(() => removeDir(dir));

const pick = (r: ShimRecord) => ({ api: r.api, line: r.line, size: r.size, unusable: r.unusable, reserve: r.reserve });

describe.skipIf(missing)('Linux emulation', () => {
  it('behaves like Windows for reservations, commits, queries and sections', async () => {
    const exe = path.join(dir, 'emul');
    await buildLinux(exe, [fixture('emul.c')], { shim: false });
    const r = await run(exe, []);
    expect(r.stdout).toContain('emulation ok');
    expect(r.code).toBe(0);
  });
});

describe.skipIf(missing)('header shim on Linux', () => {
  const src = fixture('basic.c');
  const L = markers(src);
  let records: ShimRecord[];
  let releases: ShimRecord[];
  let all: ShimRecord[];
  let stdout: string;

  beforeAll(async () => {
    // compile from the fixture folder with a relative path: __FILE__ is "basic.c"
    const exe = path.join(dir, 'basic');
    await buildLinux(exe, ['basic.c'], { cwd: path.dirname(src) });
    const report = path.join(dir, 'basic-%p.jsonl');
    const r = await runOk(exe, [], { env: { ...process.env, GRANULE_SHIM_REPORT: report, GRANULE_SHIM_STACK: '4' } });
    stdout = r.stdout;
    const read = await readReport(dir);
    expect(read.files).toHaveLength(1);
    expect(path.basename(read.files[0]!)).toMatch(/^basic-\d+\.jsonl$/);
    expect(read.badLines).toBe(0);
    all = read.records;
    records = read.records.filter((r) => !isRelease(r));
    releases = read.records.filter(isRelease);
  });

  it('records each call with file, line, function, size and the unusable tail', () => {
    expect(records.map(pick)).toEqual([
      { api: 'VirtualAlloc', line: L.small, size: 4096n, unusable: 61440n, reserve: true },
      { api: 'VirtualAlloc', line: L.exact, size: 65536n, unusable: 0n, reserve: true },
      { api: 'VirtualAlloc', line: L.commit, size: 4096n, unusable: 0n, reserve: false },
      { api: 'VirtualAllocEx', line: L.ex, size: 100000n, unusable: 28672n, reserve: true },
      { api: 'VirtualAllocExNuma', line: L.numa, size: 12288n, unusable: 53248n, reserve: true },
      { api: 'VirtualAlloc', line: L.multi, size: 8192n, unusable: 57344n, reserve: true },
      { api: 'VirtualAlloc', line: L.loop, size: 20000n, unusable: 45056n, reserve: true },
      { api: 'VirtualAlloc', line: L.loop, size: 20000n, unusable: 45056n, reserve: true },
      { api: 'VirtualAlloc', line: L.loop, size: 20000n, unusable: 45056n, reserve: true },
      { api: 'VirtualAlloc', line: L.tail, size: 4096n, unusable: 0n, reserve: true },
      { api: 'VirtualAlloc', line: L.keeperr, size: 65536n, unusable: 0n, reserve: true },
      { api: 'VirtualAlloc', line: L.fail, size: 0n, unusable: 0n, reserve: true },
      // the call through a function pointer (L.pointer) is not seen by the header shim
      { api: 'MapViewOfFile', line: L.view, size: 8192n, unusable: 57344n, reserve: true },
    ]);
    for (const r of records) {
      expect(r.file).toBe('basic.c');
      expect(r.pid).toBeGreaterThan(0);
      expect(r.thread).toBeGreaterThan(0);
      expect(r.ts).toBeGreaterThan(1_600_000_000_000_000);
    }
    expect(records[0]!.func).toBe('alloc_small');
    expect(records[1]!.func).toBe('main');
  });

  it('records the releases, with the address each one frees', () => {
    const byLine = (line: number) => records.filter((r) => r.line === line).map((r) => r.result);
    const freed = [L.small, L.exact, L.ex, L.numa, L.multi, L.loop, L.keeperr].flatMap(byLine);
    expect(releases.map((r) => [r.api, r.address, r.result, r.reserve, r.unusable])).toEqual([
      ['UnmapViewOfFile', byLine(L.view)[0], 1n, false, 0n],
      // the reservation through the function pointer is released by a direct call, which the shim sees
      ...[...freed, releases.at(-1)!.address].map((address) => ['VirtualFree', address, 1n, false, 0n]),
    ]);
    expect(releases.slice(1).every((r) => r.flags === 0x8000 && r.size === 0n && r.file === 'basic.c')).toBe(true);
    const summary = summarize(all);
    expect(summary.releases).toBe(11);
    // the header sees neither the pointer's reservation nor, so, its release; the view is released too
    expect(summary.releasedReservations).toBe(10);
    expect(summary.leakedReservations).toBe(0);
    expect(summary.unusableAtExitBytes).toBe(0n);
    expect(summary.peakUnusableBytes).toBe(summary.unusableBytes);
  });

  it('records flags, protection, addresses, results and errors', () => {
    const [small, exact, commit] = records;
    expect(small!.flags).toBe(0x3000);
    expect(small!.protect).toBe(4);
    expect(small!.address).toBe(0n);
    expect(small!.result % 0x10000n).toBe(0n);
    expect(small!.result).not.toBe(0n);
    expect(commit!.address).toBe(exact!.result);
    expect(commit!.result).toBe(exact!.result);
    const tail = records.find((r) => r.line === L.tail)!;
    expect(tail.address).toBe(small!.result + 0x8000n);
    expect(tail.result).toBe(0n);
    expect(tail.error).toBe(487);
    const fail = records.find((r) => r.line === L.fail)!;
    expect(fail.error).toBe(87);
    expect(records.find((r) => r.line === L.keeperr)!.error).toBe(0);
  });

  it('records the call site as the first return address, as a module offset', () => {
    for (const r of records) {
      expect(r.stack.length).toBeGreaterThanOrEqual(1);
      expect(r.stack[0]).toMatch(/^basic\+0x[0-9a-f]+$/);
    }
  });

  it('leaves GetLastError as the API left it', async () => {
    const plain = path.join(dir, 'basic-plain');
    await buildLinux(plain, [src], { shim: false });
    const r = await runOk(plain, []);
    expect(stdout).toBe(r.stdout);
    expect(stdout).toContain('after_success=1234');
    expect(stdout).toContain('after_failure=87');
    expect(stdout).toContain('tail_error=487');
  });

  it('records nothing when GRANULE_SHIM_REPORT is unset', async () => {
    const exe = path.join(dir, 'basic');
    const env = { ...process.env };
    delete env.GRANULE_SHIM_REPORT;
    const sub = tempDir('shim-unset');
    try {
      const r = await runOk(exe, [], { env, cwd: sub });
      expect(r.stdout).toBe(stdout);
      expect((await readReport(sub)).files).toHaveLength(0);
    } finally {
      removeDir(sub);
    }
  });
});

describe.skipIf(missing)('threads', () => {
  it('8 threads x 10,000 reservations and releases give exactly 160,000 well-formed lines', async () => {
    const exe = path.join(dir, 'threads');
    await buildLinux(exe, [fixture('threads.c')]);
    const report = path.join(dir, 'threads.jsonl');
    const r = await runOk(exe, ['8', '10000'], { env: { ...process.env, GRANULE_SHIM_REPORT: report } });
    expect(r.stdout).toContain('failures=0');
    const text = readFileSync(report, 'utf8');
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(160_000);
    const parsed = parseReport(text, report);
    expect(parsed.badLines).toBe(0);
    expect(parsed.records).toHaveLength(160_000);
    const perThread = new Map<number, number>();
    for (const rec of parsed.records) perThread.set(rec.thread, (perThread.get(rec.thread) ?? 0) + 1);
    expect([...perThread.values()]).toEqual(Array(8).fill(20_000));
    const L = markers(fixture('threads.c'));
    const reservations = parsed.records.filter((rec) => !isRelease(rec));
    expect(reservations).toHaveLength(80_000);
    expect(reservations.every((rec) => rec.line === L.worker && rec.result !== 0n)).toBe(true);
    expect(parsed.records.filter(isRelease).every((rec) => rec.line === L.free && rec.result === 1n)).toBe(true);
    // sizes 4 KB .. 80 KB: the unusable tail is exact for every one
    const wrong = reservations.filter((rec) => rec.unusable !== (0x10000n - (rec.size % 0x10000n)) % 0x10000n);
    expect(wrong).toEqual([]);
    // every release follows its reservation in the file: nothing is left live
    const summary = summarize(parsed.records);
    expect(summary.releasedReservations).toBe(80_000);
    expect(summary.leakedReservations).toBe(0);
  });

  it('processes writing one file keep their lines whole (O_APPEND)', async () => {
    const exe = path.join(dir, 'threads');
    const report = path.join(dir, 'shared.jsonl');
    const env = { ...process.env, GRANULE_SHIM_REPORT: report, GRANULE_SHIM_FLUSH: 'each' };
    await Promise.all([1, 2, 3, 4].map(() => runOk(exe, ['2', '2000'], { env })));
    const parsed = parseReport(readFileSync(report, 'utf8'));
    expect(parsed.badLines).toBe(0);
    expect(parsed.records).toHaveLength(32_000); // 16,000 reservations and their releases
    expect(new Set(parsed.records.map((r) => r.pid)).size).toBe(4);
  });
});
