// The shim on Windows, under wine: the header build and the IAT-hook DLL with its launcher produce the same
// file:line/size/unusable records as the Linux emulation. One suite for both Windows: wine.test.ts runs it on
// 64-bit programs in a 64-bit prefix, wine32.test.ts on 32-bit programs in a 32-bit prefix. wine and mingw-w64
// are required: where they are missing these tests are skipped with a line that says what to install (CI
// installs them, and GRANULE_TEST_REQUIRE_ALL=1 makes their absence a failure).

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReport, readReport, type ShimRecord } from '../../src/shim/report.js';
import { summarize } from '../../src/shim/summary.js';
import { symbolizeRecords } from '../../src/shim/symbolize.js';
import { buildIatHook, buildLinux, buildMingw, fixture, markers, removeDir, runOk, startWine, tempDir, winePath, type WinArch, type Wine } from './helpers.js';

/** The fields every record has, in the order the recorders write them. */
export const RECORD_FIELDS = [
  'api',
  'file',
  'line',
  'func',
  'size',
  'flags',
  'protect',
  'address',
  'result',
  'error',
  'thread',
  'ts',
  'stack',
  'reserve',
  'unusable',
  'pid',
];

/** The wine tests of the shim for one Windows; `missing` skips them (the caller's requirements). */
export function describeWineShim(arch: WinArch, missing: boolean): void {
  const suffix = arch === 'win64' ? '' : ' (32-bit)';
  let dir: string;
  let wine: Wine;
  let hook: { dll: string; launcher: string };
  const src = fixture('basic.c');
  const fixtureDir = path.dirname(src);
  const L = markers(src);

  const key = (r: ShimRecord) => `${r.api} line ${r.line} size ${r.size} unusable ${r.unusable} reserve ${r.reserve}`;

  async function report(name: string): Promise<ShimRecord[]> {
    const read = await readReport(path.join(dir, name));
    expect(read.notices).toEqual([]);
    return read.records;
  }

  beforeAll(async () => {
    dir = tempDir('shim-wine');
    if (missing) return;
    wine = await startWine(arch);
    const exe = (n: string) => path.join(dir, n);
    // 32-bit x86 C symbols start with an underscore
    const anchor = arch === 'win64' ? 'granule_iathook_anchor' : '_granule_iathook_anchor';
    await Promise.all([
      buildMingw(exe('basic.exe'), ['basic.c'], { cwd: fixtureDir, arch }),
      buildMingw(exe('basic-plain.exe'), [src], { shim: false, arch }),
      buildMingw(exe('threads.exe'), [fixture('threads.c')], { arch }),
      buildMingw(exe('threads-plain.exe'), [fixture('threads.c')], { shim: false, arch }),
      buildMingw(exe('emul.exe'), [fixture('emul.c')], { shim: false, arch }),
      buildLinux(exe('basic-linux'), ['basic.c'], { cwd: fixtureDir }),
      buildIatHook(dir, arch).then((h) => (hook = h)),
    ]);
    await buildMingw(exe('basic-linked.exe'), [src], { shim: false, extra: [`-L${dir}`, `-Wl,-u,${anchor}`, '-lgranule_iathook'], arch });
  }, 600_000);

  afterAll(async () => {
    await wine?.stop();
    if (dir) removeDir(dir);
  });

  describe.skipIf(missing)('wine' + suffix, () => {
    it('agrees with the Linux emulation on reservation semantics', async () => {
      const r = await wine.run([path.join(dir, 'emul.exe')]);
      expect(r.stdout).toContain('emulation ok');
      expect(r.code).toBe(0);
    });
  });

  describe.skipIf(missing)('header shim under wine' + suffix, () => {
    let records: ShimRecord[];
    let stdout: string;

    beforeAll(async () => {
      const r = await wine.run([path.join(dir, 'basic.exe')], { env: { GRANULE_SHIM_REPORT: winePath(path.join(dir, 'header-%p.jsonl')) } });
      expect(r.code).toBe(0);
      stdout = r.stdout;
      records = await report(readdirMatch('header-'));
    });

    it('writes the same records as the Linux emulation', async () => {
      await runOk(path.join(dir, 'basic-linux'), [], { env: { ...process.env, GRANULE_SHIM_REPORT: path.join(dir, 'linux.jsonl') } });
      const linux = await report('linux.jsonl');
      expect(records.map(key)).toEqual(linux.map(key));
      expect(records.map((r) => r.file)).toEqual(linux.map((r) => r.file));
      expect(records.map((r) => r.func)).toEqual(linux.map((r) => r.func));
      expect(records.map((r) => r.error)).toEqual(linux.map((r) => r.error));
      expect(records[0]).toMatchObject({ api: 'VirtualAlloc', file: 'basic.c', line: L.small, func: 'alloc_small', size: 4096n, unusable: 61440n });
    });

    it('writes the same fields, in the same order, on 64-bit and 32-bit Windows', () => {
      const file = path.join(dir, readdirMatch('header-'));
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      for (const line of lines) expect(Object.keys(JSON.parse(line) as object)).toEqual(RECORD_FIELDS);
    });

    it('records RVAs of the program, innermost first', () => {
      for (const r of records) expect(r.stack[0]).toMatch(/^basic\.exe\+0x[0-9a-f]+$/);
      expect(records.some((r) => r.stack.length > 1)).toBe(true);
    });

    it('leaves GetLastError as the API left it', async () => {
      const plain = await wine.run([path.join(dir, 'basic-plain.exe')]);
      expect(plain.code).toBe(0);
      expect(stdout.replace(/\r/g, '')).toBe(plain.stdout.replace(/\r/g, ''));
      expect(stdout).toContain('after_success=1234');
      expect(stdout).toContain('after_failure=87');
    });

    it('8 threads x 10,000 calls and their releases give exactly 160,000 well-formed lines', async () => {
      const file = path.join(dir, 'threads-header.jsonl');
      const r = await wine.run([path.join(dir, 'threads.exe'), '8', '10000'], { env: { GRANULE_SHIM_REPORT: winePath(file) } });
      expect(r.stdout).toContain('failures=0');
      expectThreads(readFileSync(file, 'utf8'));
    });
  });

  function readdirMatch(prefix: string): string {
    const files = readdirSync(dir);
    const hit = files.filter((f) => f.startsWith(prefix) && f.endsWith('.jsonl'));
    expect(hit).toHaveLength(1);
    return hit[0]!;
  }

  // 8 threads x 10,000 reservations, each released: 160,000 whole lines, every release after its reservation
  function expectThreads(text: string): void {
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(160_000);
    const parsed = parseReport(text);
    expect(parsed.badLines).toBe(0);
    const perThread = new Map<number, number>();
    for (const rec of parsed.records) perThread.set(rec.thread, (perThread.get(rec.thread) ?? 0) + 1);
    expect([...perThread.values()]).toEqual(Array(8).fill(20_000));
    const summary = summarize(parsed.records);
    expect(summary.records).toBe(80_000);
    expect(summary.releases).toBe(80_000);
    expect(summary.releasedReservations).toBe(80_000);
    expect(summary.leakedReservations).toBe(0);
  }

  describe.skipIf(missing)('IAT hook DLL under wine' + suffix, () => {
    let header: ShimRecord[];
    beforeAll(async () => {
      const r = await wine.run([path.join(dir, 'basic.exe')], { env: { GRANULE_SHIM_REPORT: winePath(path.join(dir, 'again.jsonl')) } });
      expect(r.code).toBe(0);
      header = await report('again.jsonl');
    });

    async function hooked(records: ShimRecord[], binary: string): Promise<ShimRecord[]> {
      expect(records.length).toBeGreaterThan(0);
      for (const r of records) {
        expect(r.file).toBe('');
        expect(r.stack[0]).toMatch(new RegExp(`^${path.basename(binary).replace('.', '\\.')}\\+0x`, 'i'));
      }
      const sym = await symbolizeRecords(records, { binary });
      expect(sym.notices).toEqual([]);
      for (const r of records) expect(path.resolve(r.file)).toBe(src);
      return records;
    }

    const expected = () => {
      // the header shim cannot see the call through a function pointer; the DLL does
      const keys = header.map(key);
      const at = header.findIndex((r) => r.line === L.fail) + 1;
      keys.splice(at, 0, `VirtualAlloc line ${L.pointer} size 4096 unusable 61440 reserve true`);
      return keys;
    };

    it('granule-run injects it into an unmodified program: same records, and the pointer call too', async () => {
      const out = path.join(dir, 'injected-%p.jsonl');
      const r = await wine.run([hook.launcher, '--report', winePath(out), path.join(dir, 'basic-plain.exe')]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('after_failure=87');
      const records = await hooked(await report(readdirMatch('injected-')), path.join(dir, 'basic-plain.exe'));
      expect(records.map(key)).toEqual(expected());
      expect(records.find((x) => x.line === L.small)!.func).toBe('alloc_small');
    });

    it('works when linked in (-lgranule_iathook) with the DLL next to the program', async () => {
      const out = path.join(dir, 'linked.jsonl');
      const r = await wine.run([path.join(dir, 'basic-linked.exe')], { env: { GRANULE_SHIM_REPORT: winePath(out) } });
      expect(r.code).toBe(0);
      const records = await hooked(await report('linked.jsonl'), path.join(dir, 'basic-linked.exe'));
      expect(records.map(key)).toEqual(expected());
    });

    it('propagates the exit code and reports launch errors', async () => {
      const bad = await wine.run([hook.launcher, path.join(dir, 'threads-plain.exe'), '100']);
      expect(bad.code).toBe(2);
      const usage = await wine.run([hook.launcher]);
      expect(usage.code).toBe(125);
      const missing = await wine.run([hook.launcher, '--dll', winePath(path.join(dir, 'nope.dll')), path.join(dir, 'threads-plain.exe')]);
      expect(missing.code).toBe(126);
      expect(missing.stderr).toContain('not found');
    });

    it('8 threads x 10,000 hooked calls and their releases give exactly 160,000 well-formed lines', async () => {
      const file = path.join(dir, 'threads-hooked.jsonl');
      const r = await wine.run([hook.launcher, '--report', winePath(file), path.join(dir, 'threads-plain.exe'), '8', '10000']);
      expect(r.code).toBe(0);
      expectThreads(readFileSync(file, 'utf8'));
    });
  });
}
