// --cache: unchanged files are not analysed again; a change to the file, a header it reads (directly
// or not), its config, or a wrapper it calls in another file brings its analysis back.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LintCache } from '../../src/engine/cache.js';
import { defaultLintOptions, lintPaths, type LintOptions, type LintResult } from '../../src/engine/lint.js';
import { runCli } from '../helpers/cli.js';
import { json, makeTree, reserveFile } from '../config/tree.js';

function options(root: string, extra: Partial<LintOptions> = {}): LintOptions {
  return { ...defaultLintOptions(root), cacheFile: path.join(root, 'cache.json'), ...extra };
}

function summary(report: LintResult): string[] {
  return report.findings.map((f) => `${path.relative(report.root, f.file)}:${f.range.start.line} ${f.properties.size ?? '?'}${f.suppressed ? ' suppressed' : ''}`);
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
      'a.c': '#include <windows.h>\n#include "later.h"\n#ifndef SIZE\n#define SIZE 65536\n#endif\nvoid a(void) { VirtualAlloc(NULL, SIZE, MEM_RESERVE, PAGE_READWRITE); }\n',
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
    const cli = () => runCli(['--cache', '--cache-location', path.join(root, 'cli-cache.json'), '-I', 'first', '-I', 'second', '-f', 'compact', 'a.c'], { cwd: root }).stdout;
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
    fs.writeFileSync(path.join(root, 'wrap.c'), '#include <windows.h>\nvoid *reserve(SIZE_T n) { return VirtualAlloc(NULL, n * 16, MEM_RESERVE, PAGE_READWRITE); }\n');
    expect(summary(await lintPaths(['.'], options(root)))).toEqual([]);
  });

  it('a cached file that calls a function which has since become a wrapper is analysed again', async () => {
    const root = makeTree({
      'wrap.c': '#include <windows.h>\nvoid *reserve(SIZE_T n) { return VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_READWRITE); }\n',
      'caller.c': '#include <windows.h>\nvoid *reserve(SIZE_T n);\nvoid use(void) { reserve(4096); VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_READWRITE); }\n',
    });
    expect(summary(await lintPaths(['.'], options(root)))).toEqual([]);
    fs.writeFileSync(path.join(root, 'wrap.c'), '#include <windows.h>\nvoid *reserve(SIZE_T n) { return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_READWRITE); }\n');
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

describe('--cache on the command line', () => {
  it('stores under node_modules/.cache/granule/ by default, or at --cache-location', () => {
    const root = makeTree({ 'a.c': reserveFile('4096') });
    const first = runCli(['--cache', '-f', 'compact', '.'], { cwd: root });
    expect(first.status).toBe(1);
    const file = path.join(root, 'node_modules/.cache/granule/lint-cache.json');
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { entries: Record<string, unknown> };
    expect(Object.keys(stored.entries)).toEqual([path.join(root, 'a.c')]);
    // an unchanged run gives the same report and does not rewrite the cache
    const before = fs.statSync(file).mtimeMs;
    const second = runCli(['--cache', '-f', 'compact', '.'], { cwd: root });
    expect(second).toEqual(first);
    expect(fs.statSync(file).mtimeMs).toBe(before);
    runCli(['--cache', '--cache-location', 'build/lint/', '.'], { cwd: root });
    expect(fs.existsSync(path.join(root, 'build/lint/lint-cache.json'))).toBe(true);
    runCli(['--cache', '--cache-location', '.granulecache', '.'], { cwd: root });
    expect(fs.statSync(path.join(root, '.granulecache')).isFile()).toBe(true);
  });

  it('a damaged cache file is ignored and replaced', () => {
    const root = makeTree({ 'a.c': reserveFile('4096'), 'node_modules/.cache/granule/lint-cache.json': '{"format": 1, "tool": "0.1.0", "entries": ' });
    const r = runCli(['--cache', '-f', 'compact', '.'], { cwd: root });
    expect(r.stdout).toBe('a.c:3:3: error: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable [virtualalloc-granularity]\n');
    expect(r.stderr).toBe('');
    expect(() => JSON.parse(fs.readFileSync(path.join(root, 'node_modules/.cache/granule/lint-cache.json'), 'utf8'))).not.toThrow();
  });

  it('a config change invalidates the files under it', async () => {
    const root = makeTree({ 'a.c': reserveFile('SIZE'), 'granule.config.json': json({ defines: { SIZE: '4096' } }) });
    expect(runCli(['--cache', '-f', 'compact', '.'], { cwd: root }).stdout).toContain('reserves 4096 bytes');
    fs.writeFileSync(path.join(root, 'granule.config.json'), json({ defines: { SIZE: '8192' } }));
    expect(runCli(['--cache', '-f', 'compact', '.'], { cwd: root }).stdout).toContain('reserves 8192 bytes');
  });
});
