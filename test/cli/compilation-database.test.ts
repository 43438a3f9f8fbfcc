// -p BUILD_DIR and --compile-commands FILE, as a user types them.

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';

const dir = path.join(FIXTURES, 'includes');
const lines = (stdout: string) => stdout.trim().split('\n').filter(Boolean);

describe('compilation database options', () => {
  it('-p BUILD_DIR reads BUILD_DIR/compile_commands.json', () => {
    const r = runCli(['-f', 'compact', '-p', 'build', 'src/msvc.c', 'src/quoted.c'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(lines(r.stdout)).toEqual([
      'src/msvc.c:7:5: error: VirtualAlloc reserves 12288 bytes (0x3000); 53248 bytes of its 64 KB granule become unusable [virtualalloc-granularity]',
      'src/msvc.c:8:5: error: VirtualAlloc reserves 20480 bytes (0x5000); 45056 bytes of its 64 KB granule become unusable [virtualalloc-granularity]',
      'src/quoted.c:7:5: error: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable [virtualalloc-granularity]',
      'src/quoted.c:8:5: error: VirtualAlloc reserves 98304 bytes (0x18000); 32768 bytes of its last 64 KB granule become unusable [virtualalloc-granularity]',
    ]);
    expect(r.status).toBe(1);
  });

  it('--compile-commands FILE names the database; without one the same files have nothing to report', () => {
    const withDb = runCli(['-f', 'compact', '--compile-commands', 'build/compile_commands.json', 'src/msvc.c'], { cwd: dir });
    expect(lines(withDb.stdout)).toHaveLength(2);
    const without = runCli(['-f', 'compact', 'src/msvc.c'], { cwd: dir });
    expect(without.stdout).toBe('');
    expect(without.status).toBe(0);
  });

  it('command-line -D wins over the database', () => {
    const r = runCli(['-f', 'compact', '-p', 'build', '-D', 'CHUNK=0x10000', 'src/msvc.c'], { cwd: dir });
    expect(lines(r.stdout).map((l) => l.split(' ')[0])).toEqual(['src/msvc.c:8:5:']);
  });

  it('a missing database is a usage error with one clear message', () => {
    const p = runCli(['-p', 'nowhere', 'src'], { cwd: dir });
    expect(p.status).toBe(2);
    expect(p.stderr).toBe('granule: -p nowhere: there is no compile_commands.json in that directory\n');
    const file = runCli(['--compile-commands', 'none.json', 'src'], { cwd: dir });
    expect(file.status).toBe(2);
    expect(file.stderr).toBe('granule: --compile-commands none.json: no such file\n');
  });

  it('a database that is not valid JSON is a configuration error (exit 2), not a crash', () => {
    const r = runCli(['-f', 'json', '--compile-commands', 'src/sizes.h', 'src/other.c'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^granule: src\/sizes\.h: .*sizes\.h is not valid JSON: /);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});
