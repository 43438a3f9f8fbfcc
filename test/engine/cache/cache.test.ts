// --cache: unchanged files are not analysed again; a change to the file, a header it reads (directly
// or not), its config, or a wrapper it calls in another file brings its analysis back.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LintCache } from '../../../src/engine/cache/cache.js';
import { defaultLintOptions, lintPaths, type LintOptions, type LintResult } from '../../../src/engine/runner/lint.js';
import { runCli } from '../../helpers/cli.js';
import { unavailable } from '../../helpers/requirements.js';
import { json, makeTree, reserveFile } from '../../helpers/tree.js';

function options(root: string, extra: Partial<LintOptions> = {}): LintOptions {
  // (one target: the hit and miss counts below are one configuration's; each of several keeps its own)
  return { ...defaultLintOptions(root), target: 'x64', cacheFile: path.join(root, 'cache.json'), ...extra };
}

function summary(report: LintResult): string[] {
  return report.findings.map(
    (f) => `${path.relative(report.root, f.file)}:${f.range.start.line} ${f.properties.size ?? '?'}${f.suppressed ? ' suppressed' : ''}`,
  );
}

const PROJECT = {
  'a.c': '#include <windows.h>\n#include "sizes.h"\nvoid a(void) { VirtualAlloc(NULL, A_SIZE, MEM_RESERVE, PAGE_READWRITE); }\n',
  'sizes.h': '#include "deep.h"\n#define A_SIZE (PAGES * 4096)\n',
  'deep.h': '#define PAGES 1\n',
  'b.c': '#include <windows.h>\n#include "other.h"\nvoid b(void) { VirtualAlloc(NULL, B_SIZE, MEM_RESERVE, PAGE_READWRITE); }\n',
  'other.h': '#define B_SIZE 8192\n',
  'c.c': reserveFile('12288'),
};

describe('--cache', () => {
  it('reuses every result of an unchanged tree, with the same findings', async () => {
    const root = makeTree(PROJECT);
    const first = await lintPaths(['.'], options(root));
    expect(first.cacheStats).toEqual({ hits: 0, misses: 3 });
    const second = await lintPaths(['.'], options(root));
    expect(second.cacheStats).toEqual({ hits: 3, misses: 0 });
    expect(second.findings).toEqual(first.findings);
    expect(summary(second)).toEqual(['a.c:3 4096', 'b.c:3 8192', 'c.c:3 12288']);
  });

  it('a change to a header, even one included indirectly, invalidates exactly the files that read it', async () => {
    const root = makeTree(PROJECT);
    await lintPaths(['.'], options(root));
    fs.writeFileSync(path.join(root, 'deep.h'), '#define PAGES 2\n');
    const r = await lintPaths(['.'], options(root));
    expect(r.cacheStats).toEqual({ hits: 2, misses: 1 });
    expect(summary(r)).toEqual(['a.c:3 8192', 'b.c:3 8192', 'c.c:3 12288']);
    fs.writeFileSync(path.join(root, 'other.h'), '#define B_SIZE 65536\n');
    const s = await lintPaths(['.'], options(root));
    expect(s.cacheStats).toEqual({ hits: 2, misses: 1 });
    expect(summary(s)).toEqual(['a.c:3 8192', 'c.c:3 12288']);
  });

  it('a header that did not exist when the file was cached, and appears later, brings its analysis back', async () => {
    const root = makeTree({
      'a.c':
        '#include <windows.h>\n#include "later.h"\n#ifndef SIZE\n#define SIZE 65536\n#endif\nvoid a(void) { VirtualAlloc(NULL, SIZE, MEM_RESERVE, PAGE_READWRITE); }\n',
    });
    expect(summary(await lintPaths(['.'], options(root)))).toEqual([]);
    fs.writeFileSync(path.join(root, 'later.h'), '#define SIZE 4096\n');
    const r = await lintPaths(['.'], options(root));
    expect(r.cacheStats).toEqual({ hits: 0, misses: 1 });
    expect(summary(r)).toEqual(['a.c:6 4096']);
  });

  it('a new header earlier on the include path, which shadows the one read, brings its analysis back', async () => {
    const root = makeTree({
      'a.c': '#include <windows.h>\n#include <sizes.h>\nvoid a(void) { VirtualAlloc(NULL, SIZE, MEM_RESERVE, PAGE_READWRITE); }\n',
      'second/sizes.h': '#define SIZE 65536\n',
      'first/.keep': '',
    });
    const includePaths = [path.join(root, 'first'), path.join(root, 'second')];
    expect(summary(await lintPaths(['.'], options(root, { includePaths })))).toEqual([]);
    fs.writeFileSync(path.join(root, 'first/sizes.h'), '#define SIZE 8192\n');
    const r = await lintPaths(['.'], options(root, { includePaths }));
    expect(r.cacheStats).toEqual({ hits: 0, misses: 1 });
    expect(summary(r)).toEqual(['a.c:3 8192']);
    // and the command line's unchanged-tree memo sees it too
    const cli = () =>
      runCli(['--target', 'x64', '--cache', '--cache-location', path.join(root, 'cli-cache.json'), '-I', 'first', '-I', 'second', '-f', 'compact', 'a.c'], {
        cwd: root,
      }).stdout;
    fs.rmSync(path.join(root, 'first/sizes.h'));
    expect(cli()).toBe('');
    fs.writeFileSync(path.join(root, 'first/sizes.h'), '#define SIZE 8192\n');
    expect(cli()).toContain('a.c:3:');
  });

  it('a change to the file, or to the options, brings its analysis back', async () => {
    const root = makeTree(PROJECT);
    await lintPaths(['.'], options(root));
    fs.writeFileSync(path.join(root, 'c.c'), reserveFile('20480'));
    const r = await lintPaths(['.'], options(root));
    expect(r.cacheStats).toEqual({ hits: 2, misses: 1 });
    expect(summary(r)).toEqual(['a.c:3 4096', 'b.c:3 8192', 'c.c:3 20480']);
    const x86 = await lintPaths(['.'], options(root, { target: 'x86' }));
    expect(x86.cacheStats).toEqual({ hits: 0, misses: 3 });
    const defines = await lintPaths(['.'], options(root, { target: 'x86', defines: { PAGES: '3' } }));
    expect(defines.cacheStats).toEqual({ hits: 0, misses: 3 });
  });

  it('a changed wrapper in another file changes the findings of its unchanged callers', async () => {
    const root = makeTree({
      'wrap.c': '#include <windows.h>\nvoid *reserve(SIZE_T n) { return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_READWRITE); }\n',
      'caller.c': 'void *reserve(unsigned long long n);\nvoid use(void) { reserve(4096); }\n',
    });
    expect(summary(await lintPaths(['.'], options(root)))).toEqual(['caller.c:2 4096']);
    expect(summary(await lintPaths(['.'], options(root)))).toEqual(['caller.c:2 4096']);
    fs.writeFileSync(
      path.join(root, 'wrap.c'),
      '#include <windows.h>\nvoid *reserve(SIZE_T n) { return VirtualAlloc(NULL, n * 16, MEM_RESERVE, PAGE_READWRITE); }\n',
    );
    expect(summary(await lintPaths(['.'], options(root)))).toEqual([]);
  });

  it('a cached file that calls a function which has since become a wrapper is analysed again', async () => {
    const root = makeTree({
      'wrap.c': '#include <windows.h>\nvoid *reserve(SIZE_T n) { return VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_READWRITE); }\n',
      'caller.c': '#include <windows.h>\nvoid *reserve(SIZE_T n);\nvoid use(void) { reserve(4096); VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_READWRITE); }\n',
    });
    expect(summary(await lintPaths(['.'], options(root)))).toEqual([]);
    fs.writeFileSync(
      path.join(root, 'wrap.c'),
      '#include <windows.h>\nvoid *reserve(SIZE_T n) { return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_READWRITE); }\n',
    );
    const r = await lintPaths(['.'], options(root));
    expect(summary(r)).toEqual(['caller.c:3 4096']);
    expect(r.cacheStats).toEqual({ hits: 0, misses: 2 });
  });

  it('inline disables are read afresh on every run', async () => {
    const root = makeTree({ 'a.c': reserveFile('4096').replace('  VirtualAlloc', '  // granule-disable-next-line\n  VirtualAlloc') });
    expect(summary(await lintPaths(['.'], options(root)))).toEqual(['a.c:4 4096 suppressed']);
    const again = await lintPaths(['.'], options(root, { reportUnusedDisableDirectives: 'error' }));
    expect(again.cacheStats).toEqual({ hits: 1, misses: 0 });
    expect(summary(again)).toEqual(['a.c:4 4096 suppressed']);
    expect(again.notices).toEqual([]);
  });

  it('keeps the entries of other runs (pre-commit runs several granule processes on parts of the tree)', async () => {
    const root = makeTree(PROJECT);
    await lintPaths(['a.c'], options(root));
    await lintPaths(['b.c'], options(root));
    const all = await lintPaths(['.'], options(root));
    expect(all.cacheStats).toEqual({ hits: 2, misses: 1 });
  });

  it('belongs to one granule version: another version starts afresh', () => {
    const root = makeTree({ 'x.c': 'text' });
    const file = path.join(root, 'cache.json');
    const source = path.join(root, 'x.c');
    const old = new LintCache(file, '0.0.1');
    const key = old.keyFor('options', 'text');
    old.store(source, key, [], { findings: [], notices: [], needles: [] });
    old.save();
    expect(new LintCache(file, '0.0.1').lookup(source, key)).toEqual({ key, deps: {}, findings: [], notices: [], needles: [] });
    const current = new LintCache(file, '0.0.2');
    expect(current.lookup(source, current.keyFor('options', 'text'))).toBeUndefined();
    expect(current.lookup(source, key)).toBeUndefined();
  });
});

describe.skipIf(unavailable('git'))('--cache in a git work tree', () => {
  it('leaves git status clean, and the next run reuses the cache', () => {
    const root = makeTree({ 'a.c': reserveFile('4096'), 'src/b.c': reserveFile('8192') });
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: root } });
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'sources');
    const first = runCli(['--target', 'x64', '--cache', '-f', 'compact', '.'], { cwd: root });
    expect(first.status).toBe(1);
    expect(first.stdout.split('\n').filter(Boolean)).toHaveLength(2);
    expect(git('status', '--porcelain', '--untracked-files=all')).toBe('');
    const file = path.join(root, '.granule_cache/lint-cache.json');
    const before = fs.statSync(file).mtimeMs;
    const second = runCli(['--target', 'x64', '--cache', '-f', 'compact', '.'], { cwd: root });
    expect(second).toEqual(first);
    expect(fs.statSync(file).mtimeMs).toBe(before);
    expect(git('status', '--porcelain', '--untracked-files=all')).toBe('');
  });
});

describe('--cache on the command line', () => {
  it('stores in .granule_cache/ by default, a directory that ignores itself, or at --cache-location', () => {
    const root = makeTree({ 'a.c': reserveFile('4096') });
    const first = runCli(['--target', 'x64', '--cache', '-f', 'compact', '.'], { cwd: root });
    expect(first.status).toBe(1);
    const file = path.join(root, '.granule_cache/lint-cache.json');
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { entries: Record<string, unknown> };
    expect(Object.keys(stored.entries)).toEqual([path.join(root, 'a.c')]);
    expect(fs.readFileSync(path.join(root, '.granule_cache/.gitignore'), 'utf8')).toBe('# Created by granule --cache.\n*\n');
    expect(fs.readFileSync(path.join(root, '.granule_cache/CACHEDIR.TAG'), 'utf8')).toMatch(/^Signature: 8a477f597d28d172789f06886806bc55\n/);
    expect(fs.existsSync(path.join(root, 'node_modules'))).toBe(false);
    // an unchanged run gives the same report and does not rewrite the cache
    const before = fs.statSync(file).mtimeMs;
    const second = runCli(['--target', 'x64', '--cache', '-f', 'compact', '.'], { cwd: root });
    expect(second).toEqual(first);
    expect(fs.statSync(file).mtimeMs).toBe(before);
    // a --cache-location is the user's: granule writes only its cache files there
    // (lint-cache.run.json and lint-cache.scan.json are memos kept beside the cache file)
    const onlyCacheFiles = (dir: string) => {
      const names = fs.readdirSync(path.join(root, dir));
      expect(names).toContain('lint-cache.json');
      expect(names.filter((n) => !/^lint-cache(\.run|\.scan)?\.json$/.test(n))).toEqual([]);
    };
    runCli(['--target', 'x64', '--cache', '--cache-location', 'build/lint/', '.'], { cwd: root });
    onlyCacheFiles('build/lint');
    fs.mkdirSync(path.join(root, 'mine'));
    runCli(['--target', 'x64', '--cache', '--cache-location', 'mine', '.'], { cwd: root });
    onlyCacheFiles('mine');
    // a file location: only the file (and its memos) beside it
    runCli(['--target', 'x64', '--cache', '--cache-location', '.granulecache', '.'], { cwd: root });
    expect(fs.statSync(path.join(root, '.granulecache')).isFile()).toBe(true);
  });

  it('reuses the per-file results it stored: a result edited in the cache is what the next run reports', () => {
    const root = makeTree({ 'a.c': reserveFile('4096') });
    runCli(['--target', 'x64', '--cache', '-f', 'compact', '.'], { cwd: root });
    const file = path.join(root, '.granule_cache/lint-cache.json');
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { entries: Record<string, { findings: { message: string }[] }> };
    stored.entries[path.join(root, 'a.c')]!.findings[0]!.message = 'from the cache';
    fs.writeFileSync(file, JSON.stringify(stored));
    // (the memo of a whole run, when one was kept, would answer first)
    fs.rmSync(path.join(root, '.granule_cache/lint-cache.run.json'), { force: true });
    const again = runCli(['--target', 'x64', '--cache', '-f', 'compact', '.'], { cwd: root });
    expect(again.stdout).toBe('a.c:3:3: error: from the cache [virtualalloc-granularity]\n');
  });

  it('a damaged cache file is ignored and replaced', () => {
    const root = makeTree({ 'a.c': reserveFile('4096'), '.granule_cache/lint-cache.json': '{"format": 1, "tool": "0.1.0", "entries": ' });
    const r = runCli(['--target', 'x64', '--cache', '-f', 'compact', '.'], { cwd: root });
    expect(r.stdout).toBe(
      'a.c:3:3: error: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable [virtualalloc-granularity]\n',
    );
    expect(r.stderr).toBe('');
    expect(() => JSON.parse(fs.readFileSync(path.join(root, '.granule_cache/lint-cache.json'), 'utf8'))).not.toThrow();
  });

  it('a config change invalidates the files under it', async () => {
    const root = makeTree({ 'a.c': reserveFile('SIZE'), 'granule.config.json': json({ defines: { SIZE: '4096' } }) });
    expect(runCli(['--target', 'x64', '--cache', '-f', 'compact', '.'], { cwd: root }).stdout).toContain('reserves 4096 bytes');
    fs.writeFileSync(path.join(root, 'granule.config.json'), json({ defines: { SIZE: '8192' } }));
    expect(runCli(['--target', 'x64', '--cache', '-f', 'compact', '.'], { cwd: root }).stdout).toContain('reserves 8192 bytes');
  });
});

describe('--cache-location', () => {
  it('never overwrites a file that is not granule cache: one line, exit 2, the file as it was', () => {
    const root = makeTree({ 'a.c': reserveFile('4096'), 'notes.txt': 'my notes\n', 'notes.run.json': '' });
    const r = runCli(['--target', 'x64', '--cache', '--cache-location', 'notes.txt', '-f', 'compact', '.'], { cwd: root });
    expect([r.status, r.stdout, r.stderr]).toEqual([
      2,
      '',
      `granule: --cache-location: ${path.join(root, 'notes.txt')} is not a granule cache file, and is not overwritten; name a new file or a directory\n`,
    ]);
    expect(fs.readFileSync(path.join(root, 'notes.txt'), 'utf8')).toBe('my notes\n');
    // a location granule wrote before is used again
    const ok = runCli(['--target', 'x64', '--cache', '--cache-location', 'mine.json', '-f', 'compact', '.'], { cwd: root });
    expect(ok.status).toBe(1);
    expect(runCli(['--target', 'x64', '--cache', '--cache-location', 'mine.json', '-f', 'compact', '.'], { cwd: root }).stdout).toBe(ok.stdout);
  });
});
