// -o, --write-baseline and merge -o write what the user named the way a shell redirection would: a regular file
// or a new path is replaced atomically, a symbolic link's target is written and the link stays, and a device,
// FIFO or /dev/stdout is written through and never replaced. A failure is one line, exit 2, not an internal error.

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { unavailable } from '../helpers/requirements.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const SOURCE = '#include <windows.h>\nvoid f(void) { VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS); }\n';
const COMPACT = 'a.c:2:16: error: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable [virtualalloc-granularity]\n';

function tree(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'granule-output-')));
  fs.chmodSync(dir, 0o755);
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'a.c'), SOURCE);
  return dir;
}

describe('-o', () => {
  it('replaces a regular file, keeping its mode, and leaves nothing beside it', () => {
    const dir = tree();
    fs.writeFileSync(path.join(dir, 'out.txt'), 'old\n', { mode: 0o640 });
    fs.chmodSync(path.join(dir, 'out.txt'), 0o640);
    const r = runCli(['-f', 'compact', '-o', 'out.txt', 'a.c'], { cwd: dir });
    expect([r.status, r.stdout, r.stderr]).toEqual([1, '', '']);
    expect(fs.readFileSync(path.join(dir, 'out.txt'), 'utf8')).toBe(COMPACT);
    expect(fs.statSync(path.join(dir, 'out.txt')).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(dir).sort()).toEqual(['a.c', 'out.txt']);
  });

  it('writes the target of a symbolic link, and the link stays a link', () => {
    const dir = tree();
    fs.mkdirSync(path.join(dir, 'reports'));
    fs.writeFileSync(path.join(dir, 'reports', 'real.txt'), 'stale\n');
    fs.symlinkSync(path.join('reports', 'real.txt'), path.join(dir, 'out.txt'));
    expect(runCli(['-f', 'compact', '-o', 'out.txt', 'a.c'], { cwd: dir }).status).toBe(1);
    expect(fs.lstatSync(path.join(dir, 'out.txt')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'reports', 'real.txt'), 'utf8')).toBe(COMPACT);
  });

  it('writes through /dev/null, which stays a device', () => {
    const dir = tree();
    const r = runCli(['-f', 'sarif', '-o', '/dev/null', 'a.c'], { cwd: dir });
    expect([r.status, r.stdout, r.stderr]).toEqual([1, '', '']);
    expect(fs.statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it.skipIf(unavailable('setpriv'))('writes through /dev/null as an unprivileged user too (no temporary file in /dev)', () => {
    const dir = tree();
    const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath] : [process.execPath];
    const r = spawnSync(asNobody[0]!, [...asNobody.slice(1), BIN, '-f', 'compact', '-o', '/dev/null', 'a.c'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', HOME: os.tmpdir() },
      encoding: 'utf8',
    });
    expect([r.status, r.stderr]).toEqual([1, '']);
  });

  it.skipIf(unavailable('bash'))('writes through /dev/stdout, which prints the report (stdout a pipe, as in a shell)', () => {
    const dir = tree();
    // (a child's stdout here is a socket, which /dev/stdout cannot be opened on, in a shell redirection either)
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" -f compact -o /dev/stdout a.c | cat`], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect([r.status, r.stdout, r.stderr]).toEqual([1, COMPACT, '']);
    expect(fs.lstatSync('/dev/stdout').isSymbolicLink()).toBe(true);
  });

  it.skipIf(process.platform === 'win32' || unavailable('mkfifo'))('writes through a FIFO to the reader waiting on it', async () => {
    const dir = tree();
    const fifo = path.join(dir, 'pipe');
    spawnSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    let read = '';
    reader.stdout.on('data', (d: Buffer) => (read += d.toString()));
    const closed = new Promise((resolve) => reader.on('close', resolve));
    const r = runCli(['-f', 'compact', '-o', fifo, 'a.c'], { cwd: dir });
    await closed;
    expect([r.status, r.stderr]).toEqual([1, '']);
    expect(read).toBe(COMPACT);
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
  });

  it('says what went wrong in one line and exits 2: a directory, a full disk, a file in the way', () => {
    const dir = tree();
    fs.mkdirSync(path.join(dir, 'out'));
    const cases: [string, string][] = [
      ['out', `granule: cannot write ${path.join(dir, 'out')}: is a directory\n`],
      ['/dev/full', 'granule: cannot write /dev/full: no space left on device\n'],
      ['a.c/out.txt', `granule: cannot write ${path.join(dir, 'a.c/out.txt')}: a part of the path is not a directory\n`],
    ];
    for (const [output, stderr] of cases) {
      const r = runCli(['-f', 'compact', '-o', output, 'a.c'], { cwd: dir });
      expect([r.status, r.stdout, r.stderr]).toEqual([2, '', stderr]);
    }
    expect(fs.readFileSync(path.join(dir, 'a.c'), 'utf8')).toBe(SOURCE);
  });
});

describe('--write-baseline and merge -o', () => {
  it('write the same way: through a symbolic link, and /dev/null stays a device', () => {
    const dir = tree();
    fs.writeFileSync(path.join(dir, 'real.sarif'), '');
    fs.symlinkSync('real.sarif', path.join(dir, 'baseline.sarif'));
    expect(runCli(['--write-baseline', 'baseline.sarif', 'a.c'], { cwd: dir }).status).toBe(0);
    expect(fs.lstatSync(path.join(dir, 'baseline.sarif')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'real.sarif'), 'utf8')).runs[0].results).toHaveLength(1);
    const merged = runCli(['merge', '-o', '/dev/null', 'real.sarif'], { cwd: dir });
    expect([merged.status, merged.stderr]).toEqual([0, '']);
    expect(fs.statSync('/dev/null').isCharacterDevice()).toBe(true);
  });
});
