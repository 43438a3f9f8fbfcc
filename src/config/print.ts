// --print-config FILE: the options granule would use for FILE, after config files and the command line.

import * as path from 'node:path';
import { activeRules } from '../engine/linter/run-rules.js';
import { BuildConfigurations } from '../engine/preprocess/build-configurations.js';
import type { Notice } from '../engine/model/types.js';
import { rules as allRules } from '../rules/index.js';
import type { ConfigResolver } from './resolver.js';

export function printConfig(file: string, resolver: ConfigResolver): string {
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
    projects: options.projects ?? [],
    projectConfigurations: options.projectConfigurations ?? [],
    // what the compilation databases and projects say of this file: one entry per configuration it is built in
    configurations: buildConfigurations(path.resolve(options.cwd, file), options),
    reportUnusedDisableDirectives: options.reportUnusedDisableDirectives ?? 'off',
  };
  return JSON.stringify(out, null, 2) + '\n';
}

/** The configurations the run's databases and projects give `file`, with what reading them noticed. */
function buildConfigurations(
  file: string,
  options: Parameters<typeof printConfig>[1] extends ConfigResolver ? import('../engine/runner/options.js').LintOptions : never,
) {
  if (!options.compileCommands && !options.projects?.length) return [];
  const notices: Notice[] = [];
  const build = new BuildConfigurations(options, notices);
  const errors = notices.filter((n) => n.level === 'error');
  if (errors.length) throw new Error(errors.map((n) => n.message).join('\n'));
  return build.configurationsOfFile(file, options.target);
}
