// After a lint run with --fix or --fix-dry-run: writes the fixes and lints again, or prints them as a diff.
// (The fixes themselves are planned, written and diffed by src/engine/linter/fix.ts.)

import * as path from 'node:path';
import type { ConfigValues } from '../config/cli.js';
import type { Notice } from '../engine/model/types.js';
import type { LintOptions, LintResult } from '../engine/runner/lint.js';

export interface FixOutcome {
  /** The report to show: after --fix, the problems that remain. */
  report: LintResult;
  /** With --fix-dry-run: the diff to print instead of the report. */
  diff?: string;
}

/** Writes the fixes (--fix) and lints again, or turns them into a diff (--fix-dry-run). */
export async function finishFixes(
  values: ConfigValues,
  linted: LintResult,
  options: LintOptions,
  relint: (options: LintOptions) => Promise<LintResult>,
  stderr: { write(text: string): unknown },
): Promise<FixOutcome> {
  const patches = linted.patches ?? [];
  const fixes = patches.reduce((n, p) => n + p.fixes, 0);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : word.endsWith('x') ? 'es' : 's'}`;
  if (!values['fix-dry-run'] && !values.fix) return { report: linted };
  // (loaded only by the runs that fix)
  const { unifiedDiff, writePatch } = await import('../engine/linter/fix.js');
  if (values['fix-dry-run']) {
    const label = (file: string) => path.relative(options.cwd, file).split(path.sep).join('/');
    const diff = patches.map((p) => unifiedDiff(p, label(p.file))).join('');
    stderr.write(`granule: ${plural(fixes, 'fix')} in ${plural(patches.length, 'file')} (dry run: nothing was written)\n`);
    return { report: linted, diff };
  }
  const failures: Notice[] = [];
  let written = 0;
  let fixed = 0;
  for (const patch of patches) {
    const problem = writePatch(patch);
    if (problem) failures.push(problem);
    else {
      written++;
      fixed += patch.fixes;
    }
  }
  if (written > 0) stderr.write(`granule: fixed ${plural(fixed, 'problem')} in ${plural(written, 'file')}\n`);
  // what remains is what a fresh run reports
  const after = written > 0 ? await relint({ ...options, fix: false, onProgress: undefined }) : linted;
  const carried = linted.notices.filter((n) => n.code === 'fix-skipped');
  return { report: { ...after, notices: [...after.notices, ...carried, ...failures] } };
}
