// Locality as a property: a file's findings depend on its own project only. test/fixtures/locality/ is a tree of
// unrelated projects (alpha, beta, delta, gamma, each with its own build file) that reuse each other's names: two
// headers called mem.h with a selector macro of the same name and other values, external wrappers of the same
// name, static functions and a function pointer named like another project's wrappers. Each file's findings must
// be the same when its project is scanned alone, when the whole tree is scanned, in every shard of the tree, and
// with the files in reversed order, for each target; and the built CLI's report the same with any number of
// threads.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLintOptions, lintPaths, type LintOptions } from '../../src/engine/runner/lint.js';
import type { Target } from '../../src/engine/model/types.js';
import { runCli } from '../helpers/cli.js';
import { FIXTURES, sourceFiles } from '../helpers/fixtures.js';
import { byFile, restricted, type ByFile } from '../helpers/findings-by-file.js';

const TREE = path.join(FIXTURES, 'locality');
const PROJECTS = fs
  .readdirSync(TREE, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

function optionsFor(target: Target, extra: Partial<LintOptions> = {}): LintOptions {
  return { ...defaultLintOptions(TREE), target, ...extra };
}

async function scan(paths: string[], options: LintOptions): Promise<ByFile> {
  const result = await lintPaths(paths, options);
  expect(result.usageError).toBeFalsy();
  return byFile(TREE, result.findings);
}

const ALL_FILES = sourceFiles(TREE).map((f) => path.relative(TREE, f));
const filesOf = (project: string) => ALL_FILES.filter((f) => f.startsWith(`${project}${path.sep}`));

describe.each(['x64', 'x86'] as const)('locality on %s', (target) => {
  it('gives each file the findings of its project scanned alone: whole tree, every shard, reversed order', async () => {
    expect(PROJECTS).toEqual(['alpha', 'beta', 'delta', 'gamma']);
    const alone: ByFile = new Map();
    for (const project of PROJECTS) {
      const own = await scan([path.join(TREE, project)], optionsFor(target));
      for (const [file, list] of restricted(own, filesOf(project))) alone.set(file, list);
      // a project scanned alone reports nothing outside itself
      expect([...own.keys()].filter((f) => !filesOf(project).includes(f))).toEqual([]);
    }
    const whole = restricted(await scan([TREE], optionsFor(target)), ALL_FILES);
    expect(whole).toEqual(alone);

    const reversed = [...ALL_FILES].reverse().map((f) => path.join(TREE, f));
    expect(restricted(await scan(reversed, optionsFor(target)), ALL_FILES)).toEqual(alone);

    for (const count of [2, 3, 5]) {
      const union: ByFile = new Map();
      for (let index = 1; index <= count; index++) {
        const shard = await scan([TREE], optionsFor(target, { shard: { index, count } }));
        for (const [file, list] of shard) {
          // each file is reported by exactly one shard
          expect(union.has(file)).toBe(false);
          union.set(file, list);
        }
      }
      expect(restricted(union, ALL_FILES)).toEqual(alone);
    }
  });

  it("uses each project's own mem.h: its selector macro, its page size, its functions", async () => {
    const found = await lintPaths([TREE], optionsFor(target));
    const lines = found.findings.map((f) => `${path.relative(TREE, f.file)}:${f.range.start.line} ${f.api} ${f.properties.size}`).sort();
    const x64 = target === 'x64';
    expect(lines).toEqual(
      [
        `${path.join('alpha', 'grab.c')}:15 VirtualAlloc ${x64 ? 24576 : 12288}`,
        // alpha's mem_pages (static inline in alpha/mem.h) through alpha's selector
        `${path.join('alpha', 'main.c')}:5 ${x64 ? 'VirtualAlloc 24576' : 'VirtualAllocEx 12288'}`,
        // alpha's mem_grab: delta's external function of that name is declared only in delta's header
        `${path.join('alpha', 'main.c')}:6 VirtualAlloc ${x64 ? 8192 : 4096}`,
        // the selector: one finding at the call's line, with alpha's API and page for the target
        `${path.join('alpha', 'main.c')}:7 ${x64 ? 'VirtualAlloc 40960' : 'VirtualAllocEx 20480'}`,
        // beta's page is a whole granule: its MEM_RESERVE_PAGES(5) and chunk(MEM_PAGE) waste nothing
        `${path.join('beta', 'main.c')}:15 VirtualAlloc 16384`,
        `${path.join('delta', 'main.c')}:5 VirtualAlloc 12288`,
        `${path.join('gamma', 'gamma.c')}:28 ${x64 ? 'VirtualAlloc 12288' : 'VirtualAllocEx 4096'}`,
      ].sort(),
    );
  });
});

describe('locality with threads', () => {
  it('gives the one-thread report with two and three threads', () => {
    const run = (concurrency: string) => runCli(['--format', 'json', '--target', 'x86', '--concurrency', concurrency, '.'], { cwd: TREE });
    const one = run('off');
    expect(one.status).toBe(1);
    const findings = (JSON.parse(one.stdout) as { findings: unknown[] }).findings;
    expect(findings).toHaveLength(7);
    for (const n of ['2', '3']) {
      const threaded = run(n);
      expect(threaded.stdout).toBe(one.stdout);
      expect(threaded.status).toBe(one.status);
    }
  });
});
