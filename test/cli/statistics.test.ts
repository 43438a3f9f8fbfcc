// --statistics: the number of problems of each rule after the report, as ruff prints them.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';

let dir: string;
const GRANULARITY = 'Reservations whose constant size is not a multiple of the 64 KB allocation granularity';
const UNRESOLVED = 'Reservations whose size granule could not prove (for audits and coverage)';

beforeAll(() => {
  expect(fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js')), 'run `npm run build` first (npm test does)').toBe(true);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-statistics-'));
  const call = (size: string) => `    VirtualAlloc(NULL, ${size}, MEM_RESERVE, PAGE_NOACCESS);`;
  fs.writeFileSync(path.join(dir, 'a.c'), ['#include <windows.h>', 'void f(unsigned n) {', call('4096'), call('8192'), call('n'), '}', ''].join('\n'));
  fs.writeFileSync(
    path.join(dir, 'b.c'),
    [
      '#include <windows.h>',
      '/* granule-disable-next-line virtualalloc-granularity */',
      'void g(void) { VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_NOACCESS); }',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(dir, 'clean.c'), '#include <windows.h>\nvoid h(void) { VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_NOACCESS); }\n');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('--statistics', () => {
  it('follows the compact report: one line per rule, most problems first, fixable ones marked', () => {
    const r = runCli(['--statistics', '-f', 'compact', '--rule', 'unresolved-allocation-size:warn', '--report-unused-disable-directives', '.'], { cwd: dir });
    expect(r.status).toBe(1);
    const counts = r.stdout.slice(r.stdout.indexOf('\n\n') + 2);
    expect(counts).toBe(
      [
        `2  virtualalloc-granularity    [*] ${GRANULARITY}`,
        `1  unresolved-allocation-size      ${UNRESOLVED}`,
        '1  unused-disable-directive        granule-disable comments that disable nothing',
        '[*] fixable with --fix',
        '',
      ].join('\n'),
    );
    expect(r.stdout).toContain('\na.c:3:5: error: VirtualAlloc reserves 4096 bytes');
  });

  it('follows the stylish report, and counts what is shown: --quiet drops the warnings', () => {
    const r = runCli(['--statistics', '--quiet', '--rule', 'unresolved-allocation-size:warn', 'a.c'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /✖ 2 problems \(2 errors, 0 warnings\)\n {2}2 errors potentially fixable with the `--fix` option\.\n\n2 {2}virtualalloc-granularity {2}\[\*\] /,
    );
    expect(r.stdout.endsWith(`2  virtualalloc-granularity  [*] ${GRANULARITY}\n[*] fixable with --fix\n`)).toBe(true);
  });

  it('adds nothing when there is no problem, and a fixable-free run has no marker', () => {
    const clean = runCli(['--statistics', 'clean.c'], { cwd: dir });
    expect(clean).toMatchObject({ status: 0, stdout: '✔ no problems in 1 file\n', stderr: '' });
    const unresolved = runCli(
      ['--statistics', '-f', 'compact', '--rule', 'virtualalloc-granularity:off', '--rule', 'unresolved-allocation-size:error', 'a.c'],
      { cwd: dir },
    );
    expect(unresolved.stdout.slice(unresolved.stdout.indexOf('\n\n') + 2)).toBe(`1  unresolved-allocation-size  ${UNRESOLVED}\n`);
  });

  it('is written with the report to --output', () => {
    const r = runCli(['--statistics', '-f', 'compact', '-o', 'report.txt', 'a.c'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(
      fs.readFileSync(path.join(dir, 'report.txt'), 'utf8').endsWith(`\n\n2  virtualalloc-granularity  [*] ${GRANULARITY}\n[*] fixable with --fix\n`),
    ).toBe(true);
  });

  it('refuses the machine formats and --fix-dry-run, whose output a program reads (exit 2)', () => {
    for (const format of ['json', 'sarif']) {
      const r = runCli(['--statistics', '-f', format, 'a.c'], { cwd: dir });
      expect(r).toMatchObject({ status: 2, stdout: '', stderr: `granule: --statistics prints text after the report: it cannot follow --format ${format}\n` });
    }
    const dry = runCli(['--statistics', '--fix-dry-run', 'a.c'], { cwd: dir });
    expect(dry).toMatchObject({
      status: 2,
      stdout: '',
      stderr: 'granule: --statistics cannot be used with --fix-dry-run (the diff is printed instead of the report)\n',
    });
  });
});
