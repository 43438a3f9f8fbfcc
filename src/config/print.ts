// --print-config FILE: the options granule would use for FILE, after config files and the command line.

import * as path from 'node:path';
import { activeRules } from '../engine/linter/run-rules.js';
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
    compiler: options.compiler ?? 'msvc',
    includeSearch: options.includeSearch !== false,
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
    reportUnusedDisableDirectives: options.reportUnusedDisableDirectives ?? 'off',
  };
  return JSON.stringify(out, null, 2) + '\n';
}
