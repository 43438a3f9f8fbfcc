// Every fixture folder is linted as one run; each `@expect finding` line must carry exactly one
// result, each `@expect none` line none, and no unmarked line any. With every speed-up off, each folder gives the
// same report (the speed-ups never change a result; wine.test.ts checks the same on a real tree).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLintOptions, lintPaths, type LintOptions } from '../../src/engine/runner/lint.js';
import type { Notice } from '../../src/engine/model/types.js';
import { fixtureFolders, readExpectations, sourceFiles } from '../helpers/fixtures.js';

/** Per-folder options: `fixture.json` may set target, defines, includePaths, forceIncludes and rules. */
export function fixtureOptions(dir: string): LintOptions {
  const options = defaultLintOptions(dir);
  const file = path.join(dir, 'fixture.json');
  if (fs.existsSync(file)) Object.assign(options, JSON.parse(fs.readFileSync(file, 'utf8')));
  return options;
}

describe.each(fixtureFolders().map((d) => [path.basename(d), d]))('fixtures/%s', (_name, dir) => {
  it('reports exactly the marked lines', async () => {
    const report = await lintPaths([dir], fixtureOptions(dir));
    const expectations = sourceFiles(dir).flatMap(readExpectations);
    expect(expectations.length).toBeGreaterThan(0);
    const actual = report.findings.filter((f) => !f.suppressed).map((f) => `${path.relative(dir, f.file)}:${f.range.start.line} ${f.ruleId}`);
    const expected: string[] = [];
    for (const e of expectations) {
      if (e.kind !== 'finding') continue;
      const rel = path.relative(dir, e.file);
      if (e.rules.length) for (const r of e.rules) expected.push(`${rel}:${e.line} ${r}`);
      else {
        const onLine = actual.filter((a) => a.startsWith(`${rel}:${e.line} `));
        expected.push(onLine.length === 1 ? onLine[0]! : `${rel}:${e.line} <exactly one finding>`);
      }
    }
    expect(actual.sort()).toEqual(expected.sort());
    for (const e of expectations.filter((x) => x.kind === 'none')) {
      expect(actual.filter((a) => a.startsWith(`${path.relative(dir, e.file)}:${e.line} `))).toEqual([]);
    }
  });

  it('finds the same with every speed-up off: whole-file parses, nothing shared between files or targets, one thread', async () => {
    const fast = await lintPaths([dir], fixtureOptions(dir));
    const slow = await lintPaths([dir], { ...fixtureOptions(dir), windowed: false, shared: false, concurrency: 'off' });
    // every field: ranges, messages, values, evidence chains, fixes, configurations
    expect(fast.findings).toEqual(slow.findings);
    // (a window parses less, so it can count fewer regions tree-sitter could not parse: those notes differ by design)
    const withoutParseErrors = (notices: Notice[]) => notices.filter((n) => n.code !== 'parse-error');
    expect(withoutParseErrors(fast.notices)).toEqual(withoutParseErrors(slow.notices));
  });
});
