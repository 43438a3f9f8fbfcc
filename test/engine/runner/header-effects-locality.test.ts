// A file's findings and notices are the same whether its headers' effects were kept by another file first (the
// run's HeaderCache replays them) or it is analysed alone, in whichever order the files come: the header effects
// cache keeps results local.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HeaderCache } from '../../../src/engine/preprocess/header-cache.js';
import { defaultLintOptions, lintPaths } from '../../../src/engine/runner/lint.js';
import { lintFile, type FileLint } from '../../../src/engine/runner/pipeline.js';
import { makeTree } from '../../helpers/tree.js';

const call = (size: string) => `void f(void) { VirtualAlloc(NULL, ${size}, MEM_RESERVE, PAGE_NOACCESS); }\n`;

const TREE = {
  'include/sdk.h': [
    '#ifndef SDK_H',
    '#define SDK_H',
    '#include <limits_cfg.h>',
    '#include <absent.h>',
    '#if WINVER >= 0x0600',
    '#define ARENA 0x10000',
    '#else',
    '#define ARENA 0x3000',
    '#endif',
    '#ifdef _WIN64',
    '#define SLOT 0x20000',
    '#else',
    '#define SLOT 0x1000',
    '#endif',
    '#endif',
    '',
  ].join('\n'),
  'include/limits_cfg.h': '#pragma once\n#define LIMIT 0x5000\n',
  // the same header, read by files whose state differs where its conditions look, and one that agrees
  'src/old.c': `#define WINVER 0x0501\n#include <sdk.h>\n${call('ARENA')}`,
  'src/new.c': `#define WINVER 0x0601\n#include <sdk.h>\n${call('ARENA')}${call('SLOT')}`,
  'src/also-new.c': `/* agrees with new.c */\n#define WINVER 0x0601\n#include <sdk.h>\n${call('ARENA')}${call('LIMIT')}`,
  'src/guarded.c': `#define SDK_H\n#include <sdk.h>\n${call('ARENA')}`,
};

/** A file's findings and notices, as lines that compare by value. */
function summary(lint: FileLint, root: string): string[] {
  const file = path.relative(root, lint.file);
  return [
    ...lint.findings.map((f) => `${file}:${f.range.start.line} ${f.ruleId} ${f.message}`),
    ...lint.notices.map((n) => `${file} ${n.level} ${n.code} ${n.message}`),
  ];
}

describe('header effects keep results local', () => {
  const root = makeTree(TREE);
  const options = {
    ...defaultLintOptions(root),
    target: ['x64' as const],
    includePaths: ['include'],
    rules: { 'unresolved-allocation-size': 'warn' as const },
  };
  const files = ['src/old.c', 'src/new.c', 'src/also-new.c', 'src/guarded.c'].map((f) => path.join(root, f));
  const lint = (file: string, headers: HeaderCache) => summary(lintFile({ file, text: fs.readFileSync(file, 'utf8'), options, headers }), root);

  it('every file gives what it gives alone, after the others in any order', () => {
    const alone = files.map((file) => lint(file, new HeaderCache()));
    expect(alone).toEqual([
      [
        'src/old.c:3 virtualalloc-granularity VirtualAlloc reserves 12288 bytes (0x3000); 53248 bytes of its 64 KB granule become unusable',
        'src/old.c note include-missing <absent.h> was found neither on the include path nor in the scanned tree: what it defines is unknown',
      ],
      ['src/new.c note include-missing <absent.h> was found neither on the include path nor in the scanned tree: what it defines is unknown'],
      [
        'src/also-new.c:5 virtualalloc-granularity VirtualAlloc reserves 20480 bytes (0x5000); 45056 bytes of its 64 KB granule become unusable',
        'src/also-new.c note include-missing <absent.h> was found neither on the include path nor in the scanned tree: what it defines is unknown',
      ],
      ["src/guarded.c:3 unresolved-allocation-size VirtualAlloc's size could not be proven: the value of ARENA is not known"],
    ]);
    for (const order of [
      [0, 1, 2, 3],
      [3, 2, 1, 0],
      [1, 2, 0, 3],
      [2, 0, 3, 1],
    ]) {
      const headers = new HeaderCache();
      const warm: string[][] = [];
      for (const i of order) warm[i] = lint(files[i]!, headers);
      expect(warm).toEqual(alone);
    }
  });

  it('with any budget for the kept effects, from none to room for all, in any order, within the budget', () => {
    const alone = files.map((file) => lint(file, new HeaderCache()));
    for (const budget of [0, 3, 12, 40, 1_000_000]) {
      for (const order of [
        [0, 1, 2, 3, 0, 1, 2, 3],
        [3, 1, 2, 0, 2, 3, 1, 0],
      ]) {
        const headers = new HeaderCache([], budget);
        for (const i of order) {
          expect({ budget, file: files[i], result: lint(files[i]!, headers) }).toEqual({ budget, file: files[i], result: alone[i] });
          expect(headers.effects.kept.weight).toBeLessThanOrEqual(budget);
        }
      }
    }
  });

  it('a whole run gives each file what it gives alone', async () => {
    const run = await lintPaths(['src'], { ...options, concurrency: 1 });
    const findings = run.findings.map((f) => `${path.relative(root, f.file)}:${f.range.start.line} ${f.message}`).sort();
    const alone = await Promise.all(files.map((f) => lintPaths([path.relative(root, f)], { ...options, concurrency: 1 })));
    expect(findings).toEqual(alone.flatMap((r) => r.findings.map((f) => `${path.relative(root, f.file)}:${f.range.start.line} ${f.message}`)).sort());
    expect(findings).toEqual([
      'src/also-new.c:5 VirtualAlloc reserves 20480 bytes (0x5000); 45056 bytes of its 64 KB granule become unusable',
      "src/guarded.c:3 VirtualAlloc's size could not be proven: the value of ARENA is not known",
      'src/old.c:3 VirtualAlloc reserves 12288 bytes (0x3000); 53248 bytes of its 64 KB granule become unusable',
    ]);
  });
});
