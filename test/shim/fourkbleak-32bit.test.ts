// The failure granule exists for, reproduced: a 32-bit program that reserves 4 KB at a time runs out of
// address space after about 2 GB ÷ 64 KB reservations, holding only 4 KB of each; after `granule --fix`
// the same program holds 16 times as much before it fails (docs/fourkbleak-32bit.md tells the story).
//
// Tolerances (what the checks allow, and what wine 8.0 on Debian 12 gave):
// - the 4 KB program succeeds between 95 % and 100 % of user address space ÷ 64 KB times
//   (32,321 of 32,766: wine's own DLLs, heaps and stacks hold the rest);
// - each of those leaves 60 KB unusable: the VirtualQuery walk finds reservations × 61,440 bytes, ±1 %;
// - the fixed program's reservations plus the granules still reservable at an address when it fails are
//   the 4 KB program's count ±3 % (the same address space, in whole granules: 20,151 + 12,187);
// - so the memory it can hold is 16× the 4 KB program's, ±0.5; what it holds through VirtualAlloc(NULL, ...)
//   under wine is at least 9× (10.0×: wine's allocator skips lone free granules, Windows' does not).

import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { unavailable } from '../helpers/requirements.js';
import { MINGW32, removeDir, repoRoot, runOk, startWine, tempDir, type Wine } from './helpers.js';

const missing = unavailable('wine', 'wine32', 'mingw-x86');
const SOURCE = path.join(repoRoot, 'examples', 'fourkbleak-32bit', 'exhaust.c');

type Measures = Record<string, number>;

/** The `name=value` lines the program prints. */
function measures(stdout: string): Measures {
  const out: Measures = {};
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^(\w+)=(\d+)$/.exec(line);
    if (m) out[m[1]!] = Number(m[2]);
  }
  return out;
}

let dir: string;
let wine: Wine;
let leaky: Measures;
let fixed: Measures;

async function build(source: string, exe: string): Promise<void> {
  await runOk(MINGW32, ['-O2', '-g', '-Wall', '-Wextra', '-Werror', '-o', exe, source]);
}

async function measure(exe: string): Promise<Measures> {
  const r = await wine.run([exe]);
  expect(r.code, r.stderr).toBe(0);
  return measures(r.stdout);
}

beforeAll(async () => {
  if (missing) return;
  dir = tempDir('fourkbleak-32bit');
  mkdirSync(path.join(dir, 'fixed'));
  const fixedSource = path.join(dir, 'fixed', 'exhaust.c');
  copyFileSync(SOURCE, fixedSource);
  const fix = runCli(['--target', 'x86', '--fix', path.join(dir, 'fixed')]);
  expect(fix.status, fix.stderr).toBe(0);
  expect(fix.stderr).toContain('fixed 1 problem in 1 file');
  wine = await startWine('win32');
  await Promise.all([build(SOURCE, path.join(dir, 'leaky.exe')), build(fixedSource, path.join(dir, 'fixed.exe'))]);
  // one after the other: each takes the whole 2 GB and about 1.3 GB of commit charge
  leaky = await measure(path.join(dir, 'leaky.exe'));
  fixed = await measure(path.join(dir, 'fixed.exe'));
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
  process.stdout.write(
    `fourkbleak 32-bit: ${leaky.reservations} reservations of 4 KB (${mb(leaky.reserved_memory!)}, ${mb(leaky.unusable!)} unusable) ` +
      `before the first failure; fixed: ${fixed.reservations} of 64 KB (${mb(fixed.reserved_memory!)}), ` +
      `${fixed.granules_left} granules left; address space ${leaky.granules} granules\n`,
  );
}, 600_000);

afterAll(async () => {
  await wine?.stop();
  if (dir) removeDir(dir);
});

describe.skipIf(missing)('FourKBLeak as a 32-bit program under 32-bit wine', () => {
  it('runs in a 2 GB address space with 64 KB granules', () => {
    expect(leaky.pointer_bits).toBe(32);
    expect(leaky.allocation_granularity).toBe(65536);
    expect(leaky.user_address_space).toBeGreaterThan(2 ** 31 - 2 ** 20);
    expect(leaky.user_address_space).toBeLessThanOrEqual(2 ** 31);
  });

  it('fails after about user address space ÷ 64 KB reservations of 4 KB', () => {
    expect(leaky.reservation_size).toBe(4096);
    expect(leaky.first_failure_error).toBe(8); // ERROR_NOT_ENOUGH_MEMORY
    expect(leaky.reservations).toBeLessThanOrEqual(leaky.granules!);
    expect(leaky.reservations).toBeGreaterThanOrEqual(Math.floor(leaky.granules! * 0.95));
    expect(leaky.reserved_memory).toBe(leaky.reservations! * 4096);
  });

  it('leaves 60 KB of every granule unusable, and no granule free', () => {
    const expected = leaky.reservations! * 61440;
    expect(Math.abs(leaky.unusable! - expected)).toBeLessThanOrEqual(expected * 0.01);
    expect(leaky.granules_left).toBeLessThan(leaky.granules! * 0.01);
  });

  it('holds 16 times as much once granule --fix has rounded the size up to the granule', () => {
    expect(fixed.reservation_size).toBe(65536);
    expect(fixed.first_failure_error).toBe(8);
    expect(fixed.unusable).toBeLessThan(2 ** 20); // the runtime's own tails only
    const granules = fixed.reservations! + fixed.granules_left!;
    expect(Math.abs(granules - leaky.reservations!)).toBeLessThanOrEqual(leaky.reservations! * 0.03);
    const ratio = (granules * 65536) / leaky.reserved_memory!;
    expect(ratio).toBeGreaterThanOrEqual(15.5);
    expect(ratio).toBeLessThanOrEqual(16.5);
    expect(fixed.reserved_memory! / leaky.reserved_memory!).toBeGreaterThanOrEqual(9);
  });
});
