// Locality when the run knows the builds: a file's findings depend on the builds that list it, not on the other
// builds of the run. test/fixtures/linkage-projects/ holds two Visual Studio projects in one folder and a solution
// of both; test/fixtures/linkage-databases/ two compilation databases over one source folder (see
// test/engine/analysis/linkage-builds.test.ts). Each file's findings must be the same when its own build is
// given alone (over the whole folder, as `granule --project pool.vcxproj .`), when every build is, in every shard,
// with the files in reversed order, and with any number of threads.

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLintOptions, lintPaths, type LintOptions } from '../../src/engine/runner/lint.js';
import { runCli } from '../helpers/cli.js';
import { FIXTURES, sourceFiles } from '../helpers/fixtures.js';
import { byFile, restricted, type ByFile } from '../helpers/findings-by-file.js';

interface BuildTree {
  root: string;
  /** Each build, as the option that gives it alone, with the files it lists. */
  builds: { option: Partial<LintOptions>; files: string[] }[];
  /** The option that gives every build. */
  all: Partial<LintOptions>;
  /** The same on the command line. */
  cli: string[];
}

const PROJECTS = path.join(FIXTURES, 'linkage-projects');
const DATABASES = path.join(FIXTURES, 'linkage-databases');
const CORE = 'build/core/compile_commands.json';
const TESTS = 'build/tests/compile_commands.json';

const TREES: [string, BuildTree][] = [
  [
    'Visual Studio projects',
    {
      root: PROJECTS,
      builds: [
        { option: { projects: ['pool.vcxproj'] }, files: ['app.c', 'pool.c'] },
        { option: { projects: ['pool_test.vcxproj'] }, files: ['mock.c', 'test.c'] },
      ],
      all: { projects: ['pool.sln'] },
      cli: ['--project', 'pool.sln'],
    },
  ],
  [
    'compilation databases',
    {
      root: DATABASES,
      builds: [
        { option: { compileCommands: [CORE] }, files: ['src/app.c', 'src/pool.c'] },
        { option: { compileCommands: [TESTS] }, files: ['src/mock.c', 'src/test.c'] },
      ],
      all: { compileCommands: [CORE, TESTS] },
      cli: ['-p', 'build/core', '-p', 'build/tests'],
    },
  ],
];

describe.each(TREES)('locality with %s', (_name, tree) => {
  const all = sourceFiles(tree.root).map((f) => path.relative(tree.root, f));
  const options = (extra: Partial<LintOptions>): LintOptions => ({ ...defaultLintOptions(tree.root), ...extra });
  const scan = async (paths: string[], extra: Partial<LintOptions>): Promise<ByFile> => {
    const result = await lintPaths(paths, options(extra));
    expect(result.usageError).toBeFalsy();
    return restricted(byFile(tree.root, result.findings), all);
  };

  it('gives each file the findings of its build given alone: every build, every shard, reversed order', async () => {
    expect(tree.builds.flatMap((b) => b.files).sort()).toEqual(all.filter((f) => f.endsWith('.c')).sort());
    const alone: ByFile = new Map();
    for (const build of tree.builds) {
      const own = await scan([tree.root], build.option);
      for (const [file, list] of restricted(own, build.files)) alone.set(file, list);
    }
    // (what each file is expected to report: test/engine/analysis/linkage-builds.test.ts)
    expect([...alone.values()].flat().length).toBe(tree.root === PROJECTS ? 2 : 1);
    const whole = restricted(await scan([tree.root], tree.all), [...alone.keys()]);
    expect(whole).toEqual(alone);

    const reversed = [...all].reverse().map((f) => path.join(tree.root, f));
    expect(restricted(await scan(reversed, tree.all), [...alone.keys()])).toEqual(alone);

    for (const count of [2, 3]) {
      const union: ByFile = new Map();
      for (let index = 1; index <= count; index++) {
        const shard = await scan([tree.root], { ...tree.all, shard: { index, count } });
        for (const [file, list] of shard) {
          if (list.length === 0) continue;
          // each file is reported by exactly one shard
          expect(union.has(file)).toBe(false);
          union.set(file, list);
        }
      }
      expect(restricted(union, [...alone.keys()])).toEqual(alone);
    }
  });

  it('gives the one-thread report with two and three threads', () => {
    const run = (concurrency: string) => runCli(['--format', 'json', ...tree.cli, '--concurrency', concurrency, '.'], { cwd: tree.root });
    const one = run('off');
    expect(one.status).toBe(1);
    expect((JSON.parse(one.stdout) as { findings: unknown[] }).findings).toHaveLength(tree.root === PROJECTS ? 2 : 1);
    for (const n of ['2', '3']) {
      const threaded = run(n);
      expect(threaded.stdout).toBe(one.stdout);
      expect(threaded.status).toBe(one.status);
    }
  });
});
