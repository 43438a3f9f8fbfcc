// bin/granule.js compiles the bundled command line with the code V8 kept from an earlier run
// (src/cli/compiled-load.ts). The cache may speed a run up; it must never change what a run reports, and
// nothing wrong with it may cost a run.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';

const EXAMPLE = path.join(ROOT, 'examples', 'fourkbleak');
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-compile-cache-test-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const run = (cache: string) => runCli(['--format', 'compact', EXAMPLE], { env: { GRANULE_COMPILE_CACHE: cache } });
const cacheFiles = (d: string) => (fs.existsSync(d) ? fs.readdirSync(d).filter((f) => f.endsWith('.bin')) : []);

describe('the compile cache of bin/granule.js', () => {
  it('is written by the first run, read by the next, and the report is the same with it, without it and while it is made', () => {
    const cache = path.join(dir, 'cache');
    const off = run('0');
    expect(off.status).toBe(1);
    expect(off.stdout).toMatch(/fourkbleak\.c:11:\d+: error: VirtualAlloc reserves 4096 bytes .*\[virtualalloc-granularity\]/);

    const cold = run(cache);
    expect(cacheFiles(cache)).toHaveLength(1);
    const file = path.join(cache, cacheFiles(cache)[0]!);
    // V8's code for the bundle, not a marker
    expect(fs.statSync(file).size).toBeGreaterThan(100_000);
    // the directory is the user's alone: code read from it runs as the user
    expect(fs.statSync(cache).mode & 0o077).toBe(0);
    const written = fs.statSync(file).mtimeMs;

    const warm = run(cache);
    // accepted by V8, so not written again
    expect(fs.statSync(file).mtimeMs).toBe(written);
    for (const r of [cold, warm]) expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: off.status, stdout: off.stdout, stderr: off.stderr });
  });

  it('replaces a file V8 rejects (damaged, or from another build) and the run goes on', () => {
    const cache = path.join(dir, 'cache');
    run(cache);
    const file = path.join(cache, cacheFiles(cache)[0]!);
    fs.writeFileSync(file, Buffer.alloc(4096, 0x5a));
    const r = run(cache);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/virtualalloc-granularity/);
    expect(fs.statSync(file).size).toBeGreaterThan(100_000);
  });

  it('rewrites its own file once it is a month old, and then removes the month-old files of other builds', () => {
    const cache = path.join(dir, 'cache');
    run(cache);
    const own = path.join(cache, cacheFiles(cache)[0]!);
    const other = path.join(cache, '0badc0de.bin');
    const leftover = path.join(cache, '0badc0de.bin.12345');
    const recent = path.join(cache, '1badc0de.bin');
    const unrelated = path.join(cache, 'notes.txt');
    for (const f of [other, leftover, recent, unrelated]) fs.writeFileSync(f, 'x');
    const old = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    for (const f of [own, other, leftover, unrelated]) fs.utimesSync(f, old, old);

    expect(run(cache).status).toBe(1);
    expect(fs.statSync(own).mtimeMs).toBeGreaterThan(old.getTime() + 1000);
    expect(fs.existsSync(other)).toBe(false);
    expect(fs.existsSync(leftover)).toBe(false);
    // a file of another build still in use, and files that are not the cache's, stay
    expect(fs.existsSync(recent)).toBe(true);
    expect(fs.existsSync(unrelated)).toBe(true);
  });

  it.skipIf(process.platform === 'win32' || process.getuid?.() === undefined)('neither reads nor writes a directory others can write to', () => {
    const shared = path.join(dir, 'shared');
    fs.mkdirSync(shared);
    fs.chmodSync(shared, 0o777);
    const r = run(shared);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(cacheFiles(shared)).toEqual([]);
  });

  it('runs without a cache where none can be written', () => {
    const notADirectory = path.join(dir, 'file');
    fs.writeFileSync(notADirectory, 'x');
    const r = run(path.join(notADirectory, 'cache'));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/virtualalloc-granularity/);
  });
});
