// What a developer sees in a terminal and in hooks: colour only on a terminal (NO_COLOR and
// --no-color turn it off, --color forces it), --quiet, --max-warnings, and the progress line.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ProgressLine, progressFor } from '../../src/cli/progress.js';
import { BIN, runCli } from '../helpers/cli.js';
import { makeTree } from '../helpers/tree.js';
import { unavailable } from '../helpers/requirements.js';

/** The tests that need a pseudo-terminal. */
const noTerminal = unavailable('script');

const MIXED = [
  '#include <windows.h>',
  'void f(HANDLE h) {',
  '  VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_READWRITE);',
  '  MapViewOfFile(h, FILE_MAP_READ, 0, 0, 4096);',
  '}',
  '',
].join('\n');
const ERROR = '  3:3  error    VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable  virtualalloc-granularity';
const WARNING = '  4:3  warning  MapViewOfFile maps a view of 4096 bytes (0x1000); 61440 bytes of its last 64 KB granule become unusable  mapview-granularity';

/** Runs granule under a pseudo-terminal (util-linux `script`), so stdout and stderr are TTYs. */
function inTerminal(args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
  const base = { ...process.env };
  delete base.NO_COLOR;
  delete base.CI;
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd, env: { ...base, TERM: 'xterm', ...env }, encoding: 'utf8' });
  if (r.status === null) throw new Error(r.error?.message ?? 'script failed');
  return r.stdout.replace(/\r\n/g, '\n');
}

describe('colour', () => {
  it.skipIf(noTerminal)('is on for a terminal, off with NO_COLOR or --no-color, and --color wins over NO_COLOR', () => {
    const root = makeTree({ 'a.c': MIXED });
    const coloured = inTerminal(['a.c'], root, {});
    expect(coloured).toContain('\u001b[4ma.c\u001b[24m\n');
    expect(coloured).toContain('\u001b[31merror\u001b[39m');
    for (const [args, env] of [
      [['a.c'], { NO_COLOR: '1' }],
      [['--no-color', 'a.c'], {}],
    ] as const) {
      const plain = inTerminal([...args], root, env);
      expect(plain).not.toContain('\u001b[');
      expect(plain).toContain(`a.c\n${ERROR}\n${WARNING}\n`);
    }
    // an empty NO_COLOR does not count (no-color.org)
    expect(inTerminal(['a.c'], root, { NO_COLOR: '' })).toContain('\u001b[31merror\u001b[39m');
    // piped output is never coloured unless asked for
    expect(runCli(['a.c'], { cwd: root, env: { NO_COLOR: '' } }).stdout).not.toContain('\u001b[');
    expect(runCli(['--color', 'a.c'], { cwd: root, env: { NO_COLOR: '1' } }).stdout).toContain('\u001b[31merror\u001b[39m');
  });
});

describe('--quiet and --max-warnings', () => {
  it('--quiet shows errors only', () => {
    const root = makeTree({ 'a.c': MIXED });
    const r = runCli(['--quiet', 'a.c'], { cwd: root });
    expect(r.stdout).toBe(
      `a.c\n${ERROR.replace('error    ', 'error  ')}\n\n✖ 1 problem (1 error, 0 warnings)\n  1 error potentially fixable with the \`--fix\` option.\n`,
    );
    expect(r.status).toBe(1);
  });

  it('warnings pass unless there are more than --max-warnings', () => {
    const root = makeTree({ 'a.c': MIXED });
    const onlyWarnings = ['--rule', 'virtualalloc-granularity:off', 'a.c'];
    expect(runCli(onlyWarnings, { cwd: root }).status).toBe(0);
    expect(runCli(['--max-warnings', '1', ...onlyWarnings], { cwd: root }).status).toBe(0);
    const over = runCli(['--max-warnings', '0', ...onlyWarnings], { cwd: root });
    expect([over.status, over.stderr]).toEqual([1, 'granule: too many warnings (1); maximum allowed is 0\n']);
  });
});

describe('progress line', () => {
  function recorder() {
    const written: string[] = [];
    return { written, stream: { isTTY: true, write: (t: string) => written.push(t) } };
  }

  it('appears only after the delay, at most once per interval, and is erased', () => {
    let now = 0;
    const { written, stream } = recorder();
    const line = new ProgressLine(stream, { delay: 1000, interval: 100, now: () => now });
    line.update(0, 400);
    now = 999;
    line.update(10, 400);
    expect(written).toEqual([]);
    now = 1000;
    line.update(100, 400);
    now = 1050;
    line.update(110, 400);
    now = 1100;
    line.update(399, 400);
    line.clear();
    expect(written).toEqual(['\r\u001b[Kgranule: analysing 100/400 files (25%)', '\r\u001b[Kgranule: analysing 399/400 files (99%)', '\r\u001b[K']);
  });

  it('a quick scan leaves no trace', () => {
    const { written, stream } = recorder();
    const line = new ProgressLine(stream);
    line.update(0, 3);
    line.clear();
    expect(written).toEqual([]);
  });

  it('is drawn only on a terminal, never in CI or on a dumb terminal', () => {
    expect(progressFor({ isTTY: true, write: () => true }, {})).toBeInstanceOf(ProgressLine);
    expect(progressFor({ isTTY: false, write: () => true }, {})).toBeUndefined();
    expect(progressFor({ write: () => true }, {})).toBeUndefined();
    expect(progressFor({ isTTY: true, write: () => true }, { CI: 'true' })).toBeUndefined();
    expect(progressFor({ isTTY: true, write: () => true }, { TERM: 'dumb' })).toBeUndefined();
  });

  it.skipIf(noTerminal)('a short scan in a real terminal prints the report and nothing else', () => {
    const root = makeTree({ 'a.c': MIXED });
    const out = inTerminal(['--no-color', 'a.c'], root, {});
    expect(out).not.toContain('analysing');
    expect(out.startsWith(`a.c\n${ERROR}\n`)).toBe(true);
  });
});
