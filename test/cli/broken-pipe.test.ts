// A reader that goes away (`granule -f json . | head -c 600`) ends the output, quietly: no stack trace, and the
// exit status is the run's own (1 with findings), so that `set -o pipefail` still fails a check with findings.
// The output is made larger than the pipe holds (Node's child pipes are socket pairs on Linux, about 208 KB),
// so granule is still writing when the reader closes its end.

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';

let leaks: string;
let tiny: string;
let one: string;
beforeAll(() => {
  expect(fs.existsSync(path.join(ROOT, 'dist', 'bundle', 'main.cjs')), 'run `npm run build` first (npm test does)').toBe(true);
  // 5,000 findings: every format's report is over 600 KB
  leaks = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-pipe-'));
  const calls = '  VirtualAlloc(NULL, 4096, MEM_RESERVE|MEM_COMMIT, PAGE_READWRITE);\n'.repeat(100);
  for (let i = 0; i < 50; i++) fs.writeFileSync(path.join(leaks, `f${i}.c`), `#include <windows.h>\nvoid f(void) {\n${calls}}\n`);
  // 1,000 notices on stderr (each file over --max-file-size); the reader of stderr closes it before the first
  tiny = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-pipe-notices-'));
  for (let i = 0; i < 1000; i++) fs.writeFileSync(path.join(tiny, `file${i}.c`), 'int x;\n');
  one = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-pipe-one-'));
  fs.writeFileSync(path.join(one, 'a.c'), `#include <windows.h>\nvoid f(void) {\n${calls}}\n`);
});
afterAll(() => {
  fs.rmSync(leaks, { recursive: true, force: true });
  fs.rmSync(tiny, { recursive: true, force: true });
  fs.rmSync(one, { recursive: true, force: true });
});

const env = { ...process.env, NO_COLOR: '1' };

interface Closed {
  status: number | null;
  signal: NodeJS.Signals | null;
  /** bytes read from the closed stream before it was closed */
  read: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI and closes its `which` pipe after reading `bytes` bytes from it (0: at once). */
function runClosing(args: string[], cwd: string, which: 'stdout' | 'stderr', bytes: number): Promise<Closed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const closing = child[which];
    const other = which === 'stdout' ? child.stderr : child.stdout;
    let read = 0;
    let kept = '';
    other.setEncoding('utf8');
    other.on('data', (s: string) => (kept += s));
    if (bytes === 0) closing.destroy();
    else
      closing.on('data', (b: Buffer) => {
        read += b.length;
        if (read >= bytes) closing.destroy();
      });
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, read, stdout: which === 'stdout' ? '' : kept, stderr: which === 'stderr' ? '' : kept }));
  });
}

function runWhole(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('a closed standard output', () => {
  for (const format of ['stylish', 'compact', 'json', 'sarif', 'github']) {
    it(`ends a --format ${format} run quietly, with the run's exit status`, async () => {
      const r = await runClosing(['--format', format, '.'], leaks, 'stdout', 600);
      expect({ status: r.status, signal: r.signal, stderr: r.stderr }).toEqual({ status: 1, signal: null, stderr: '' });
      // the reader did go away before the report was written
      expect(r.read).toBeLessThan(128 * 1024);
    });
  }

  it('(the whole report, in its shortest format, being over twice what the pipe holds)', () => {
    const whole = runWhole(['--format', 'stylish', '.'], leaks);
    expect(whole.status).toBe(1);
    expect(whole.stdout).toContain('✖ 5000 problems (5000 errors, 0 warnings)');
    expect(whole.stdout.length).toBeGreaterThan(512 * 1024);
  });
});

describe('a closed standard error', () => {
  it('ends the notices quietly: the report on stdout and the exit status are those of the uninterrupted run', async () => {
    const args = ['--format', 'json', '--max-file-size', '1', '.'];
    const whole = runWhole(args, tiny);
    expect(whole.stderr.split('\n').filter(Boolean)).toHaveLength(1000);
    expect(whole.stderr.split('\n')[0]).toBe('granule: file0.c: skipped: the file is 7 bytes, over the 1 bytes limit (--max-file-size)');
    const r = await runClosing(args, tiny, 'stderr', 0);
    expect({ status: r.status, signal: r.signal, stdout: r.stdout }).toEqual({ status: whole.status, signal: null, stdout: whole.stdout });
  });

  it('and a closed stdout on top of it (warnings only: exit 0, where a crash would exit 1)', async () => {
    const args = ['--format', 'json', '--rule', 'virtualalloc-granularity:warn', '.'];
    const child = spawn(process.execPath, [BIN, ...args], { cwd: leaks, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr.destroy();
    let read = 0;
    child.stdout.on('data', (b: Buffer) => {
      read += b.length;
      child.stdout.destroy();
    });
    const status = await new Promise((resolve) => child.on('close', (code) => resolve(code)));
    expect(status).toBe(0);
    expect(read).toBeGreaterThan(0);
  });
});

describe('standard output that cannot be written for another reason', () => {
  it.skipIf(!fs.existsSync('/dev/full'))('says so in one line and exits 2 (a full disk: /dev/full)', () => {
    const out = fs.openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, '--format', 'compact', '.'], { cwd: one, env, stdio: ['ignore', out, 'pipe'], encoding: 'utf8' });
      expect({ status: r.status, stderr: r.stderr }).toEqual({
        status: 2,
        stderr: 'granule: cannot write to standard output (ENOSPC: no space left on device, write)\n',
      });
    } finally {
      fs.closeSync(out);
    }
  });
});
