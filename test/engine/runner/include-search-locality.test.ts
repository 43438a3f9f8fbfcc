// The include search keeps results local: each file's findings are the same when its project is scanned alone,
// when the whole tree of unrelated projects is scanned, and in every shard, as long as a project's includes find
// its own headers. (A project that lacks a header takes the nearest one of the scanned tree when exactly one is
// nearest: that is where scanning it alone differs.)

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLintOptions, lintPaths, type LintResult } from '../../../src/engine/runner/lint.js';
import { makeTree } from '../../helpers/tree.js';

const call = (size: string) => `#include <windows.h>\n#include <cfg.h>\nvoid f(void) { VirtualAlloc(NULL, ${size}, MEM_RESERVE, PAGE_NOACCESS); }\n`;

const TREE = {
  // each project has its own cfg.h, at a different depth: the nearest is its own
  'alpha/src/a.c': call('ARENA'),
  'alpha/include/cfg.h': '#define ARENA 0x1000\n',
  'beta/core/deep/b.c': call('ARENA'),
  'beta/third_party/cfg.h': '#define ARENA 0x3000\n',
  // gamma has none, and the two others' are equally near to it: it takes neither
  'gamma/g.c': call('ARENA'),
};

function byFile(report: LintResult, root: string): string[] {
  return report.findings.map((f) => `${path.relative(root, f.file)}:${f.range.start.line} ${f.properties.size ?? '?'}`).sort();
}

describe('the include search is local', () => {
  it('alone, in the whole tree and in every shard, each file finds the same headers', async () => {
    const root = makeTree(TREE);
    const whole = byFile(await lintPaths(['.'], defaultLintOptions(root)), root);
    expect(whole).toEqual(['alpha/src/a.c:3 4096', 'beta/core/deep/b.c:3 12288']);
    const alone = [
      ...byFile(await lintPaths(['alpha'], defaultLintOptions(root)), root),
      ...byFile(await lintPaths(['beta'], defaultLintOptions(root)), root),
      ...byFile(await lintPaths(['gamma'], defaultLintOptions(root)), root),
    ].sort();
    expect(alone).toEqual(whole);
    const shards: string[] = [];
    for (let index = 1; index <= 3; index++) shards.push(...byFile(await lintPaths(['.'], { ...defaultLintOptions(root), shard: { index, count: 3 } }), root));
    expect(shards.sort()).toEqual(whole);
  });
});
