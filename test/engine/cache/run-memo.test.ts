// --cache on an unchanged tree reuses the last run's whole report, wrapper files included; any change to a
// file of the run, a header it read, its options or its file list makes the run go the long way again.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLintOptions, lintPaths, type LintOptions, type LintResult } from '../../../src/engine/runner/lint.js';
import { runMemoFile } from '../../../src/engine/cache/run-memo.js';
import { makeTree, reserveFile } from '../../helpers/tree.js';

// the memo trusts only files whose change time is more than a second before the run
const settle = () => new Promise((resolve) => setTimeout(resolve, 1100));

function options(root: string, extra: Partial<LintOptions> = {}): LintOptions {
  // (one target, whose run also keeps per-file results, which these tests count; configurations.test.ts has the memo of two)
  return { ...defaultLintOptions(root), target: 'x64', cacheFile: path.join(root, 'cache', 'cache.json'), includePaths: [path.join(root, 'inc')], ...extra };
}

function summary(report: LintResult): string[] {
  return report.findings.map((f) => `${path.relative(report.root, f.file)}:${f.range.start.line} ${f.properties.size ?? '?'}`);
}

const WRAPPED = {
  'src/wrap.c': '#include <windows.h>\nvoid *reserve(SIZE_T n) { return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_READWRITE); }\n',
  'src/caller.c': '#include "sizes.h"\nvoid *reserve(unsigned long long n);\nvoid use(void) { reserve(CALLER_SIZE); }\n',
  'src/plain.c': reserveFile('12288'),
  // outside the scanned directory: a header the run reads, not one of its files
  'inc/sizes.h': '#define CALLER_SIZE 4096\n',
};

describe('--cache: the report of an unchanged tree', () => {
  it('is reused whole, with the files that define or call wrappers, until a header it read changes', async () => {
    const root = makeTree(WRAPPED);
    await settle();
    const first = await lintPaths(['src'], options(root));
    expect(first.cacheStats).toEqual({ hits: 0, misses: 3 });
    expect(fs.existsSync(runMemoFile(options(root).cacheFile!))).toBe(true);
    // the per-file cache alone analyses the two wrapper files again on every run
    const second = await lintPaths(['src'], options(root));
    expect(second.cacheStats).toEqual({ hits: 3, misses: 0 });
    expect(second.findings).toEqual(first.findings);
    expect(second.notices).toEqual(first.notices);
    expect(second.rules).toEqual(first.rules);
    expect(second.filesScanned).toBe(3);
    expect(summary(second)).toEqual(['src/caller.c:3 4096', 'src/plain.c:3 12288']);

    fs.writeFileSync(path.join(root, 'inc/sizes.h'), '#define CALLER_SIZE 8192\n');
    const changed = await lintPaths(['src'], options(root));
    expect(summary(changed)).toEqual(['src/caller.c:3 8192', 'src/plain.c:3 12288']);
    expect(changed.cacheStats).toEqual({ hits: 1, misses: 2 });
    // the header changed just before that run: its report is not kept (a second write in the same tick of the
    // file system's clock would leave the header's metadata as it is)
    expect(fs.existsSync(runMemoFile(options(root).cacheFile!))).toBe(false);
    expect((await lintPaths(['src'], options(root))).cacheStats).toEqual({ hits: 1, misses: 2 });
  });

  it('is kept for a tree without a single candidate file, whose cache directory did not exist', async () => {
    const root = makeTree({ 'src/main.c': 'int main(void) { return 0; }\n' });
    await settle();
    const first = await lintPaths(['src'], options(root));
    expect(first.notices).toEqual([]);
    expect(first.cacheStats).toEqual({ hits: 0, misses: 0 });
    expect(fs.existsSync(runMemoFile(options(root).cacheFile!))).toBe(true);
    const second = await lintPaths(['src'], options(root));
    expect(second.notices).toEqual([]);
    expect(second.filesScanned).toBe(1);
  });

  it('is not reused for other options, another file list, a changed file, or a fixing run', async () => {
    const root = makeTree(WRAPPED);
    await settle();
    await lintPaths(['src'], options(root));
    expect((await lintPaths(['src'], options(root))).cacheStats).toEqual({ hits: 3, misses: 0 });
    const x86 = await lintPaths(['src'], options(root, { target: 'x86' }));
    expect(x86.cacheStats).toEqual({ hits: 0, misses: 3 });
    const off = await lintPaths(['src'], options(root, { rules: { 'virtualalloc-granularity': 'off' } }));
    expect(summary(off)).toEqual([]);
    // the run of one file is not the run of the tree
    expect(summary(await lintPaths(['src/plain.c'], options(root)))).toEqual(['src/plain.c:3 12288']);

    fs.writeFileSync(path.join(root, 'src/more.c'), reserveFile('4096'));
    expect(summary(await lintPaths(['src'], options(root)))).toEqual(['src/caller.c:3 4096', 'src/more.c:3 4096', 'src/plain.c:3 12288']);
    fs.rmSync(path.join(root, 'src/more.c'));
    // same size, other bytes
    fs.writeFileSync(path.join(root, 'src/plain.c'), reserveFile('20480'));
    expect(summary(await lintPaths(['src'], options(root)))).toEqual(['src/caller.c:3 4096', 'src/plain.c:3 20480']);

    await settle();
    const kept = await lintPaths(['src'], options(root));
    expect((await lintPaths(['src'], options(root))).cacheStats).toEqual({ hits: 3, misses: 0 });
    const fixing = await lintPaths(['src'], options(root, { fix: true }));
    expect(fixing.cacheStats).toEqual({ hits: 0, misses: 3 });
    expect(fixing.patches?.map((p) => path.relative(root, p.file))).toEqual(['src/plain.c']);
    expect(summary(fixing)).toEqual(summary(kept));
  });
});
