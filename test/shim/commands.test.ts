import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runShimCommand, runVmmapCommand, shellQuote, shimCflags, shimDir, shimSources } from '../../src/shim/cflags.js';
import { unavailable } from '../helpers/requirements.js';
import { capture, removeDir, repoRoot, runOk, tempDir } from './helpers.js';

describe('shim build flags', () => {
  it('points at the package shim folder', () => {
    expect(shimDir()).toBe(path.join(repoRoot, 'shim') + path.sep);
    expect(shimCflags()).toEqual([`-I${path.join(repoRoot, 'shim', 'include')}`]);
    expect(shimCflags({ emulateLinux: true })).toEqual([
      `-I${path.join(repoRoot, 'shim', 'include')}`,
      `-I${path.join(repoRoot, 'shim', 'linux')}`,
      '-pthread',
    ]);
    expect(shimCflags({ msvc: true })).toEqual([`/I${shimDir()}`, `/FI${path.join(repoRoot, 'shim', 'granule_shim.h')}`]);
    expect(shimSources()).toEqual([path.join(repoRoot, 'shim', 'granule_shim.c')]);
    expect(shimSources({ emulateLinux: true })).toEqual([path.join(repoRoot, 'shim', 'granule_shim.c'), path.join(repoRoot, 'shim', 'linux', 'win32_emul.c')]);
    for (const f of [
      ...shimSources({ emulateLinux: true }),
      path.join(repoRoot, 'shim', 'include', 'windows.h'),
      path.join(repoRoot, 'shim', 'granule_shim.h'),
    ])
      expect(existsSync(f), f).toBe(true);
  });

  it('quotes for the shell', () => {
    expect(shellQuote('-I/a/b')).toBe('-I/a/b');
    expect(shellQuote("-I/a b/it's")).toBe(`'-I/a b/it'\\''s'`);
  });

  it('granule shim cflags|sources|dir', () => {
    let c = capture();
    expect(runShimCommand(['cflags', '--emulate-linux'], c.io)).toBe(0);
    expect(c.out()).toBe(`${shimCflags({ emulateLinux: true }).map(shellQuote).join(' ')}\n`);
    c = capture();
    expect(runShimCommand(['sources', '--json'], c.io)).toBe(0);
    expect(JSON.parse(c.out())).toEqual(shimSources());
    c = capture();
    expect(runShimCommand(['dir'], c.io)).toBe(0);
    expect(c.out().trim()).toBe(shellQuote(shimDir()));
    for (const bad of [[], ['nope'], ['cflags', '--bogus'], ['cflags', '--msvc', '--emulate-linux']]) {
      c = capture();
      expect(runShimCommand(bad, c.io)).toBe(2);
      expect(c.err()).toMatch(/granule shim: /);
    }
    c = capture();
    expect(runShimCommand(['--help'], c.io)).toBe(0);
    expect(c.out()).toContain('usage: granule shim');
  });
});

describe('granule vmmap', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('shim-cmd');
  });
  afterAll(() => removeDir(dir));

  it('prints a text summary, writes pictures, and reports bad lines without failing', async () => {
    const report = path.join(dir, 'r.jsonl');
    writeFileSync(
      report,
      [
        JSON.stringify({
          api: 'VirtualAlloc',
          file: 'a.c',
          line: 3,
          func: 'main',
          size: 4096,
          flags: 12288,
          protect: 4,
          address: '0x0',
          result: '0x10000',
          reserve: true,
          unusable: 61440,
          pid: 5,
        }),
        '{"api":"VirtualAlloc","size":',
      ].join('\n'),
    );
    let c = capture();
    expect(await runVmmapCommand([report], c.io)).toBe(0);
    expect(c.out()).toContain('granule runtime report: 1 call, 1 reservation, 1 leaves unusable space');
    expect(c.err()).toMatch(/^granule: warning: 1 record skipped: line 2: not JSON/);
    c = capture();
    const html = path.join(dir, 'out', 'v.html');
    const svg = path.join(dir, 'out', 'v.svg');
    expect(await runVmmapCommand([report, `--html=${html}`, '--svg', svg, '--top', '3'], c.io)).toBe(0);
    expect(c.out()).toBe('');
    expect(readFileSync(html, 'utf8')).toContain('<table id="totals">');
    expect(readFileSync(svg, 'utf8')).toContain('data-address="0x10000"');
  });

  it('exits 2 on usage errors and unreadable reports', async () => {
    for (const argv of [[], ['--html'], ['x.jsonl', '--bogus'], ['x.jsonl', '--top', 'many']]) {
      const c = capture();
      expect(await runVmmapCommand(argv, c.io)).toBe(2);
      expect(c.err()).toContain('usage: granule vmmap');
    }
    const c = capture();
    expect(await runVmmapCommand([path.join(dir, 'missing.jsonl')], c.io)).toBe(2);
    expect(c.err()).toMatch(/error: cannot read runtime report/);
  });
});

describe.skipIf(unavailable('gcc'))('the shim builds with the flags it prints', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('shim-flags');
  });
  afterAll(() => removeDir(dir));

  it('gcc $(granule shim cflags --emulate-linux) prog.c $(granule shim sources --emulate-linux), and the benchmark runs', async () => {
    const exe = path.join(dir, 'overhead');
    const flags = shimCflags({ emulateLinux: true });
    await runOk('gcc', [
      '-std=c99',
      '-O2',
      '-Wall',
      '-Wextra',
      '-Werror',
      ...flags,
      '-o',
      exe,
      path.join(shimDir(), 'bench', 'overhead.c'),
      ...shimSources({ emulateLinux: true }),
    ]);
    const r = await runOk(exe, ['2000', path.join(dir, 'bench.jsonl')], { cwd: dir });
    expect(r.stdout).toMatch(/rejected call: +plain +[\d.]+ ns +recorded +[\d.]+ ns +added +-?[\d.]+ ns\/call/);
    const lines = readFileSync(path.join(dir, 'bench.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBe(2000 + 5 * 2 * 2000);
  });

  it('compiles as C++ too', async () => {
    const cpp = path.join(dir, 'basic-cpp.o');
    await runOk('g++', [
      '-x',
      'c++',
      '-std=c++17',
      '-Wall',
      '-Wextra',
      '-Werror',
      ...shimCflags({ emulateLinux: true }),
      '-c',
      '-o',
      cpp,
      path.join(repoRoot, 'test', 'shim', 'c', 'basic.c'),
    ]);
    await runOk('g++', [
      '-x',
      'c++',
      '-Wall',
      '-Wextra',
      '-Werror',
      ...shimCflags({ emulateLinux: true }),
      '-c',
      '-o',
      path.join(dir, 'shim-cpp.o'),
      ...shimSources({ emulateLinux: true }).slice(0, 1),
    ]);
  });
});
