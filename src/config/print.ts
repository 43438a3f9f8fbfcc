// --print-config FILE: the options granule would use for FILE, after config files and the command line.

import * as path from 'node:path';
import { discoverFiles } from '../engine/files/discover.js';
import { FileReader } from '../engine/files/file-reader.js';
import { activeRules } from '../engine/linter/run-rules.js';
import { BuildConfigurations } from '../engine/preprocess/build-configurations.js';
import type { Configuration } from '../engine/model/configuration.js';
import { HeaderCache } from '../engine/preprocess/header-cache.js';
import { analyzeText } from '../engine/runner/pipeline.js';
import type { LintOptions } from '../engine/runner/options.js';
import { rules as allRules } from '../rules/index.js';
import { analysisTarget } from '../engine/model/target.js';
import type { ConfigResolver } from './resolver.js';

/**
 * The folders where FILE's includes that the include path misses were found by searching the scanned tree
 * (`scanPaths`, the current directory when none is given), each with the includes found there.
 */
async function searchedIncludes(file: string, options: LintOptions, scanPaths: string[]): Promise<Record<string, string[]>> {
  const absolute = path.resolve(options.cwd, file);
  const text = new FileReader().readText(absolute);
  if (options.includeSearch === false || text === undefined) return {};
  const tree = await discoverFiles(scanPaths.length ? scanPaths : ['.'], options.cwd, options.ignores);
  const analysis = analyzeText(absolute, text, options, new Map(), new HeaderCache(tree.files));
  const found: Record<string, string[]> = {};
  for (const edge of analysis.pre.includes) {
    if (!edge.searched || !edge.resolved) continue;
    const spec = edge.angled ? `<${edge.spec}>` : `"${edge.spec}"`;
    const list = (found[path.dirname(edge.resolved)] ??= []);
    if (!list.includes(spec)) list.push(spec);
  }
  return found;
}

export async function printConfig(file: string, resolver: ConfigResolver, scanPaths: string[] = []): Promise<string> {
  const resolved = resolver.forFile(file);
  if ('error' in resolved) throw resolved.error;
  const { options, config, ignored } = resolved;
  const active = activeRules(options.rules);
  const rules: Record<string, unknown[]> = {};
  for (const rule of allRules) {
    const a = active.find((x) => x.rule.name === rule.name);
    rules[rule.name] = a ? [a.level, ...a.options] : ['off'];
  }
  const out = {
    file: path.resolve(options.cwd, file),
    configFile: config?.file ?? null,
    extends: config ? config.sources.slice(0, -1) : [],
    ignored,
    target: options.target,
    compiler: options.compiler ?? 'msvc',
    includeSearch: options.includeSearch !== false,
    includeSearchFound: await searchedIncludes(file, options, scanPaths),
    rules,
    defines: options.defines,
    undefines: options.undefines,
    includePaths: options.includePaths.map((p) => path.resolve(options.cwd, p)),
    forceIncludes: options.forceIncludes.map((p) => path.resolve(options.cwd, p)),
    ignores: (config?.ignores ?? []).map(
      ({ base, pattern }) => (pattern.startsWith('!') ? '!' : '') + path.join(base, pattern.replace(/^!/, '').replace(/^\//, '')),
    ),
    wrappers: options.wrappers ?? [],
    compileCommands: options.compileCommands ?? null,
    // (shown only when a run reads projects or databases)
    ...buildSettings(path.resolve(options.cwd, file), options),
    reportUnusedDisableDirectives: options.reportUnusedDisableDirectives ?? 'off',
  };
  return JSON.stringify(out, null, 2) + '\n';
}

/**
 * The projects a run reads and what they and the compilation databases say of `file`: one configuration per
 * project configuration or database entry that builds it (a database or project that cannot be read gives none:
 * the run itself reports why).
 */
function buildSettings(file: string, options: LintOptions): { projects?: string[]; projectConfigurations?: string[]; configurations?: Configuration[] } {
  if (!options.compileCommands && !options.projects?.length) return {};
  const configurations = new BuildConfigurations(options, []).configurationsOfFile(file, analysisTarget(options.target));
  return { projects: options.projects ?? [], projectConfigurations: options.projectConfigurations ?? [], configurations };
}
