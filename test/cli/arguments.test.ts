// Mistakes on the command line: each gets one plain line naming the option, the hint to --help, exit 2,
// and nothing on standard output (no report of a run that never started).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';

const HINT = 'Run "granule --help" for usage.\n';
let dir: string;

beforeAll(() => {
  expect(fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js')), 'run `npm run build` first (npm test does)').toBe(true);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-args-'));
  fs.writeFileSync(path.join(dir, 'leak.c'), '#include <windows.h>\nvoid f(void) { VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS); }\n');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function usage(args: string[], line: string): void {
  const r = runCli(args, { cwd: dir });
  expect(r.stderr, args.join(' ')).toBe(`granule: ${line}\n${HINT}`);
  expect(r.status, args.join(' ')).toBe(2);
  expect(r.stdout, args.join(' ')).toBe('');
}

describe('command-line mistakes', () => {
  it('an unknown option, long or short, with or without a value', () => {
    usage(['--bogus', 'leak.c'], "unknown option '--bogus'");
    usage(['leak.c', '--bogus=1'], "unknown option '--bogus'");
    usage(['-x', 'leak.c'], "unknown option '-x'");
    // a name is printed escaped: a terminal never receives the escape sequence
    usage(['--\u001b[2Jwipe'], "unknown option '--\\x1b[2Jwipe'");
  });

  it('an option without its value: at the end, or followed by another option', () => {
    usage(['leak.c', '--format'], "option '--format' needs a value");
    usage(['-f', '--quiet', 'leak.c'], "option '-f' needs a value");
    usage(['--output', '-q', 'leak.c'], "option '--output' needs a value");
    usage(['--cache-location'], "option '--cache-location' needs a value");
  });

  it('a value given to an option that takes none', () => {
    usage(['--quiet=yes', 'leak.c'], "option '--quiet' takes no value");
    usage(['--cache=false', 'leak.c'], "option '--cache' takes no value");
  });

  it('a value of the wrong kind gets one line naming the option (no hint needed: the option is known)', () => {
    const r = runCli(['--max-warnings', 'many', 'leak.c'], { cwd: dir });
    expect(r.stderr).toBe('granule: --max-warnings expects a whole number, got "many"\n');
    expect(r.status).toBe(2);
  });

  it('a negative number is a value, not an option; a value may start with a dash when written inline', () => {
    const negative = runCli(['--format', 'compact', '--max-warnings', '-1', 'leak.c'], { cwd: dir });
    expect(negative.stderr).toBe('');
    expect(negative.stdout).toBe(
      'leak.c:2:16: error: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable [virtualalloc-granularity]\n',
    );
    expect(negative.status).toBe(1);
    const inline = runCli(['--format', 'json', '--output=-dash.json', 'leak.c'], { cwd: dir });
    expect(inline.status).toBe(1);
    expect(JSON.parse(fs.readFileSync(path.join(dir, '-dash.json'), 'utf8')).findings).toHaveLength(1);
  });

  it('granule merge reads its options the same way', () => {
    const r = runCli(['merge', '--bogus', 'a.sarif'], { cwd: dir });
    expect(r).toMatchObject({ status: 2, stdout: '', stderr: `granule merge: unknown option '--bogus'\nRun "granule merge --help" for usage.\n` });
    const o = runCli(['merge', 'a.sarif', '-o'], { cwd: dir });
    expect(o).toMatchObject({ status: 2, stdout: '', stderr: `granule merge: option '-o' needs a value\nRun "granule merge --help" for usage.\n` });
  });

  it('paths after -- are paths, even when they start with a dash', () => {
    fs.writeFileSync(path.join(dir, '-odd.c'), '#include <windows.h>\nvoid g(void) { VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_NOACCESS); }\n');
    const r = runCli(['--format', 'compact', '--', '-odd.c'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('a forced include that is not there', () => {
  it('stops the run with one line, as a compiler does, instead of checking without it', () => {
    for (const [file, why] of [
      ['/nonexistent.h', 'no such file'],
      ['/dev', 'not a regular file'],
    ]) {
      const r = runCli(['--include', file!, 'leak.c'], { cwd: dir });
      expect([r.status, r.stdout, r.stderr]).toEqual([2, '', `granule: --include ${file}: ${why}\n`]);
    }
  });
});
