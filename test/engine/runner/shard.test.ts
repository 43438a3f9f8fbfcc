// --shard K/N and `granule merge`: shards are stable shares of the files by path; a shard still follows
// wrappers defined in other shards' files; the merged SARIF of all shards is the unsharded run's, byte for byte.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardFilter, shardOf } from '../../../src/engine/runner/shard.js';
import { runCli } from '../../helpers/cli.js';

let dir: string;

// main.c (shard 1) calls arena_new (arena.c, shard 3), which calls os_reserve (os.c, shard 4), which calls
// VirtualAlloc; util.h (shard 1) defines a macro that lib/alloc.c (shard 2) uses
const FILES: Record<string, string> = {
  'src/os.c':
    '#include <windows.h>\nvoid *os_reserve(SIZE_T n) { return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_NOACCESS); }\nvoid os_init(void) { VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_NOACCESS); }\n',
  'src/arena.c': '#include <stddef.h>\nvoid *os_reserve(size_t n);\nvoid *arena_new(size_t n) { return os_reserve(n * 2); }\n',
  'src/util.h': '#define ALLOC_PAGE() VirtualAlloc(NULL, 4096, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE)\n',
  'src/main.c': '#include "util.h"\nvoid *arena_new(size_t n);\nint main(void) {\n    arena_new(100);\n    ALLOC_PAGE();\n    return 0;\n}\n',
  'lib/alloc.c': '#include "../src/util.h"\nvoid grab(void) {\n    ALLOC_PAGE();\n    VirtualAlloc(NULL, 12288, MEM_RESERVE, PAGE_NOACCESS);\n}\n',
  'a.c': 'void *os_reserve(unsigned long n);\nvoid *arena_new(unsigned long n);\nvoid f(void) {\n    arena_new(32768);\n    os_reserve(1000);\n}\n',
  'bad.c': 'void g(void) { VirtualAlloc(NULL, 100, MEM_RESERVE, PAGE_NOACCESS) }\n',
};

beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'granule-shard-')));
  for (const [name, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('shardOf', () => {
  it('is a fixed function of the path relative to the working directory', () => {
    const at = (rel: string, n: number) => shardOf(path.join('/repo', rel), '/repo', n);
    expect(
      ['a.c', 'src/os.c', 'src/arena.c', 'src/main.c', 'src/util.h', 'lib/alloc.c', 'dlls/kernelbase/memory.c', 'dir with space/é.c'].map((f) => at(f, 4)),
    ).toEqual([4, 4, 3, 1, 1, 2, 3, 1]);
    expect(['a.c', 'src/arena.c', 'src/main.c'].map((f) => at(f, 3))).toEqual([1, 3, 3]);
    expect(shardOf('/elsewhere/repo/a.c', '/elsewhere/repo', 4)).toBe(4);
    expect(at('a.c', 1)).toBe(1);
  });

  it('splits a tree into disjoint shares that cover it', () => {
    const files = Array.from({ length: 400 }, (_, i) => path.join('/repo', `d${i % 7}`, `f${i}.c`));
    const filters = [1, 2, 3].map((index) => shardFilter({ index, count: 3 }, '/repo'));
    const sizes = filters.map((f) => files.filter(f).length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(400);
    for (const file of files) expect(filters.filter((f) => f(file))).toHaveLength(1);
    for (const n of sizes) expect(n).toBeGreaterThan(100);
    expect(files.every(shardFilter(undefined, '/repo'))).toBe(true);
  });
});

describe('--shard', () => {
  it('reports only its own files, following wrappers and macros defined in the others', () => {
    const compact = (k: number) => runCli(['--format', 'compact', '--shard', `${k}/4`, '.'], { cwd: dir });
    const lines = (k: number) =>
      compact(k)
        .stdout.split('\n')
        .filter((l) => /^\S+:\d+:\d+: (error|warning): /.test(l))
        .map((l) => l.split(': ')[0]);
    expect(lines(1)).toEqual(['src/main.c:4:5', 'src/main.c:5:5']);
    expect(lines(2)).toEqual(['lib/alloc.c:3:5', 'lib/alloc.c:4:5']);
    expect(lines(3)).toEqual([]);
    expect(lines(4)).toEqual(['a.c:5:5', 'bad.c:1:16']);
    const four = compact(4);
    expect(four.status).toBe(1);
  });

  it('merged, the shards give the unsharded SARIF byte for byte', () => {
    const all = runCli(['--format', 'sarif', '-o', 'all.sarif', '.'], { cwd: dir });
    expect(all.status).toBe(1);
    for (const k of [1, 2, 3, 4]) expect([0, 1]).toContain(runCli(['--format', 'sarif', '--shard', `${k}/4`, '-o', `s${k}.sarif`, '.'], { cwd: dir }).status);
    const merged = runCli(['merge', 's1.sarif', 's2.sarif', 's3.sarif', 's4.sarif', '-o', 'merged.sarif'], { cwd: dir });
    expect(merged.stderr).toBe('');
    expect(merged.status).toBe(0);
    const want = fs.readFileSync(path.join(dir, 'all.sarif'), 'utf8');
    expect(JSON.parse(want).runs[0].results).toHaveLength(6);
    // the parse-error note of bad.c is in its shard only, and once in the merge
    expect(JSON.parse(want).runs[0].invocations[0].toolExecutionNotifications.map((n: { descriptor: { id: string } }) => n.descriptor.id)).toEqual([
      'parse-error',
    ]);
    expect(fs.readFileSync(path.join(dir, 'merged.sarif'), 'utf8')).toBe(want);
    // any order of the inputs, and standard output
    const reversed = runCli(['merge', 's4.sarif', 's3.sarif', 's2.sarif', 's1.sarif'], { cwd: dir });
    expect(reversed.stdout).toBe(want);
    for (const f of ['all', 's1', 's2', 's3', 's4', 'merged']) fs.rmSync(path.join(dir, `${f}.sarif`));
  });

  it('rejects a malformed share with exit 2 and one line', () => {
    for (const bad of ['0/4', '5/4', '1/0', 'two/4', '1-4']) {
      const r = runCli(['--shard', bad, '.'], { cwd: dir });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`granule: --shard expects K/N with 1 <= K <= N, e.g. 2/4, got "${bad}"\n`);
    }
  });
});

describe('granule merge', () => {
  it('explains bad input with exit 2: no files, a missing file, not JSON, not SARIF, different versions', () => {
    const log = (version: string) =>
      JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'granule', semanticVersion: version } }, results: [] }] });
    fs.writeFileSync(path.join(dir, 'v1.sarif'), log('1.0.0'));
    fs.writeFileSync(path.join(dir, 'v2.sarif'), log('2.0.0'));
    fs.writeFileSync(path.join(dir, 'text.sarif'), 'hello');
    fs.writeFileSync(path.join(dir, 'other.sarif'), '{"version":"2.0.0","runs":[]}');
    const cases: [string[], string][] = [
      [[], 'granule merge: name the SARIF files to merge\nRun "granule merge --help" for usage.\n'],
      [['nope.sarif'], 'granule merge: nope.sarif: no such file\n'],
      [['text.sarif'], expect.stringMatching(/^granule merge: text\.sarif: not JSON \(.*\)\n$/) as unknown as string],
      [['other.sarif'], 'granule merge: other.sarif: not a SARIF 2.1.0 log\n'],
      [['v1.sarif', 'v2.sarif'], 'granule merge: the logs come from different versions of granule (1.0.0 and 2.0.0)\n'],
    ];
    for (const [files, message] of cases) {
      const r = runCli(['merge', ...files], { cwd: dir });
      expect(r.status).toBe(2);
      expect(r.stderr).toEqual(message);
      expect(r.stdout).toBe('');
    }
    for (const f of ['v1', 'v2', 'text', 'other']) fs.rmSync(path.join(dir, `${f}.sarif`));
  });

  it('prints its usage', () => {
    const r = runCli(['merge', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: granule merge A\.sarif B\.sarif \.\.\. \[-o OUT\]/);
  });
});
