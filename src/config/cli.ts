// The command-line side of configuration, autofix and caching: option definitions, help text, and
// the steps main() runs before and after linting.

import * as path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { cacheLocation, createCacheDirectory } from '../engine/cache/cache.js';
import { foreignCacheFile } from '../engine/cache/cache-files.js';
import type { LintOptions, LintResult } from '../engine/runner/lint.js';
import type { Notice } from '../engine/model/types.js';
import { printConfig } from './print.js';
import { ConfigResolver } from './resolver.js';

export const CONFIG_OPTIONS = {
  config: { type: 'string', short: 'c' },
  'print-config': { type: 'string' },
  fix: { type: 'boolean' },
  'fix-dry-run': { type: 'boolean' },
  'report-unused-disable-directives': { type: 'boolean' },
  cache: { type: 'boolean' },
  'cache-location': { type: 'string' },
} satisfies ParseArgsConfig['options'];

export const CONFIG_HELP = `  -c, --config FILE       use this config file for every file (default: the nearest granule.config.json,
                          or package.json with a "granule" key, above each file)
      --print-config FILE print the options that apply to FILE, as JSON, and exit
      --fix               rewrite fixable sizes in place (never in a file with a parse error)
      --fix-dry-run       print the fixes as a unified diff instead of the report; change nothing
      --report-unused-disable-directives  report granule-disable comments that disable nothing (as errors)
      --cache             reuse results for unchanged files (in .granule_cache/, which ignores itself in git)
      --cache-location PATH  where the cache is kept (a directory, or a file)
`;

/** A bad combination of these options: exit code 2. */
export class OptionError extends Error {}

export interface ConfigValues {
  config?: string;
  'print-config'?: string;
  fix?: boolean;
  'fix-dry-run'?: boolean;
  'report-unused-disable-directives'?: boolean;
  cache?: boolean;
  'cache-location'?: string;
  target?: string;
}

export interface ProgressSink {
  update(done: number, total: number): void;
}

/**
 * The run's options: the command line's (`options`, left as they are) with config lookup, fixes, the cache and
 * progress added. Returns instead the text to print when the run ends here (--print-config). A broken --config
 * file throws ConfigError.
 */
export function setUpConfig(values: ConfigValues, base: LintOptions, progress?: ProgressSink): { options: LintOptions; output?: string } {
  if (values.fix && values['fix-dry-run']) throw new OptionError('--fix and --fix-dry-run cannot be used together');
  const settings: LintOptions = values['report-unused-disable-directives'] ? { ...base, reportUnusedDisableDirectives: 'error' } : base;
  const resolver = new ConfigResolver({ ...settings }, { configFile: values.config, targetFromCommandLine: values.target !== undefined });
  const broken = resolver.checkExplicit();
  if (broken) throw broken;
  if (values['print-config'] !== undefined) return { options: settings, output: printConfig(values['print-config'], resolver) };
  const options: LintOptions = { ...settings, optionsFor: (file) => resolver.forFile(file) };
  if (values.fix || values['fix-dry-run']) options.fix = true;
  if (values.cache) {
    const cache = cacheLocation(options.cwd, values['cache-location']);
    const foreign = foreignCacheFile(cache.file);
    if (foreign) throw new OptionError(`--cache-location: ${foreign}; name a new file or a directory`);
    if (cache.ownDirectory) createCacheDirectory(cache.ownDirectory);
    options.cacheFile = cache.file;
  }
  if (progress) options.onProgress = progress.update;
  return { options };
}

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

