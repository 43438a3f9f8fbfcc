// The command-line side of configuration, autofix and caching: option definitions, help text, and
// the setup main() runs before linting (src/cli/fixes.ts writes the fixes after it).

import * as path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { cacheLocation, createCacheDirectory } from '../engine/cache/cache.js';
import { foreignCacheFile } from '../engine/cache/cache-files.js';
import type { LintOptions } from '../engine/runner/lint.js';
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
  compiler?: string;
}

export interface ProgressSink {
  update: (done: number, total: number) => void;
}

/**
 * The run's options: the command line's (`options`, left as they are) with config lookup, fixes, the cache and
 * progress added. Returns instead the text to print when the run ends here (--print-config). A broken --config
 * file throws ConfigError.
 */
export async function setUpConfig(
  values: ConfigValues,
  base: LintOptions,
  progress?: ProgressSink,
  /** The paths the run would scan: --print-config searches includes among their files. */
  scanPaths: string[] = [],
): Promise<{ options: LintOptions; output?: string }> {
  if (values.fix && values['fix-dry-run']) throw new OptionError('--fix and --fix-dry-run cannot be used together');
  const settings: LintOptions = values['report-unused-disable-directives'] ? { ...base, reportUnusedDisableDirectives: 'error' } : base;
  const resolver = new ConfigResolver(
    { ...settings },
    { configFile: values.config, targetFromCommandLine: values.target !== undefined, compilerFromCommandLine: values.compiler !== undefined },
  );
  const broken = resolver.checkExplicit();
  if (broken) throw broken;
  if (values['print-config'] !== undefined) return { options: settings, output: await printConfig(values['print-config'], resolver, scanPaths) };
  const options: LintOptions = { ...settings, ...projectsOfConfig(settings, resolver), optionsFor: (file) => resolver.forFile(file) };
  if (options.projectConfigurations?.length && !options.projects?.length)
    throw new OptionError('--project-configuration narrows the configurations of the projects: give --project, or a config with "projects"');
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

/**
 * The `projects` of the config that governs the working directory, when the command line names none: they decide
 * which files the run checks, before any file's own config is looked up.
 */
function projectsOfConfig(settings: LintOptions, resolver: ConfigResolver): Pick<LintOptions, 'projects' | 'projectConfigurations'> {
  if (settings.projects) return {};
  // (the config of a file in the working directory is the directory's)
  const found = resolver.forFile(path.join(settings.cwd, 'granule.config.json'));
  if ('error' in found || !found.options.projects) return {};
  return { projects: found.options.projects, projectConfigurations: settings.projectConfigurations ?? found.options.projectConfigurations };
}
