// The language server's settings, read with `workspace/configuration` (section "granule") or, for clients that
// cannot answer that request, from `initializationOptions`. They sit on top of granule.config.json, the way the
// command line does.

import { isCompiler, type Compiler } from '../engine/model/compilers.js';
import { isTarget, targetsOf } from '../engine/model/target.js';
import type { Level, TargetSetting } from '../engine/model/types.js';
import { rulesById } from '../rules/index.js';
import type { RuleSetting } from '../engine/linter/run-rules.js';

export interface GranuleSettings {
  /** false: no diagnostics at all. */
  enable: boolean;
  /** When to lint: as the buffer changes, or only when it is saved (and opened). */
  run: 'onType' | 'onSave';
  /** Quiet time after a change before the buffer is linted again, in milliseconds. */
  debounceMs: number;
  /** One target, or a list checked together (as the command line's `--target x86,x64`). */
  target?: TargetSetting;
  /** Whose predefined macros apply (msvc by default); a config file's `compiler` applies when this is unset. */
  compiler?: Compiler;
  /** Rule levels (and options), as in granule.config.json. */
  rules: Record<string, RuleSetting>;
  defines: Record<string, string>;
  includePaths: string[];
  /**
   * compile_commands.json files, or the directories that hold them (relative paths: to the workspace folder); a
   * file that several list is checked in each.
   */
  compileCommands?: string | string[];
  /** Visual Studio solutions and projects, as the command line's `--project` (relative paths: to the workspace folder). */
  projects?: string[];
  /** The project configurations to check (`Release|Win32`), as `--project-configuration`; none: every one. */
  projectConfigurations?: string[];
}

export const DEFAULT_SETTINGS: GranuleSettings = { enable: true, run: 'onType', debounceMs: 100, rules: {}, defines: {}, includePaths: [] };

const LEVELS = new Set<Level>(['off', 'warn', 'error']);

/**
 * Reads settings from whatever the client sent, keeping the valid parts; each invalid part becomes one
 * message for the user instead of an error.
 */
export function readSettings(raw: unknown): { settings: GranuleSettings; problems: string[] } {
  const settings: GranuleSettings = { ...DEFAULT_SETTINGS, rules: {}, defines: {}, includePaths: [] };
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { settings, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { settings, problems: ['granule settings must be an object'] };
  const r = raw as Record<string, unknown>;
  if (r.enable !== undefined) {
    if (typeof r.enable === 'boolean') settings.enable = r.enable;
    else problems.push('granule.enable must be true or false');
  }
  if (r.run !== undefined) {
    if (r.run === 'onType' || r.run === 'onSave') settings.run = r.run;
    else problems.push('granule.run must be "onType" or "onSave"');
  }
  if (r.debounceMs !== undefined) {
    if (typeof r.debounceMs === 'number' && Number.isFinite(r.debounceMs) && r.debounceMs >= 0 && r.debounceMs <= 10_000) settings.debounceMs = r.debounceMs;
    else problems.push('granule.debounceMs must be a number of milliseconds between 0 and 10000');
  }
  if (r.target !== undefined && r.target !== null && r.target !== '') {
    const list = typeof r.target === 'string' ? r.target.split(',').map((t) => t.trim()) : r.target;
    if (Array.isArray(list) && list.length > 0 && list.every((t) => typeof t === 'string' && isTarget(t))) {
      const targets = targetsOf(list as TargetSetting);
      settings.target = targets.length === 1 ? targets[0]! : targets;
    } else problems.push(`granule.target must be "x64", "x86" or "arm64", or a list of them, not ${JSON.stringify(r.target)}`);
  }
  if (r.compiler !== undefined && r.compiler !== null && r.compiler !== '') {
    if (isCompiler(r.compiler)) settings.compiler = r.compiler;
    else problems.push(`granule.compiler must be "msvc", "mingw" or "clang-cl", not ${JSON.stringify(r.compiler)}`);
  }
  if (r.rules !== undefined && r.rules !== null) {
    if (typeof r.rules !== 'object' || Array.isArray(r.rules)) problems.push('granule.rules must be an object of rule ids to levels');
    else {
      for (const [key, value] of Object.entries(r.rules as Record<string, unknown>)) {
        const id = key.replace(/^granule\//, '');
        if (!rulesById.has(id)) {
          problems.push(`granule.rules: unknown rule "${key}" (known: ${[...rulesById.keys()].join(', ')})`);
          continue;
        }
        const list = Array.isArray(value) ? (value as unknown[]) : undefined;
        const level = list ? list[0] : value;
        const normal = typeof level === 'number' ? (['off', 'warn', 'error'] as const)[level] : level;
        if (typeof normal !== 'string' || !LEVELS.has(normal as Level)) {
          problems.push(`granule.rules.${key}: level must be "off", "warn" or "error"`);
          continue;
        }
        settings.rules[id] = list ? ([normal, ...list.slice(1)] as RuleSetting) : (normal as Level);
      }
    }
  }
  if (r.defines !== undefined && r.defines !== null) {
    if (typeof r.defines !== 'object' || Array.isArray(r.defines)) problems.push('granule.defines must be an object of macro names to values');
    else {
      for (const [name, value] of Object.entries(r.defines as Record<string, unknown>)) {
        if (!/^[A-Za-z_]\w*$/.test(name)) problems.push(`granule.defines: "${name}" is not a macro name`);
        else if (typeof value === 'string' || typeof value === 'number') settings.defines[name] = String(value);
        else problems.push(`granule.defines.${name} must be a string`);
      }
    }
  }
  if (r.includePaths !== undefined && r.includePaths !== null) {
    if (Array.isArray(r.includePaths) && r.includePaths.every((p) => typeof p === 'string')) settings.includePaths = [...(r.includePaths as string[])];
    else problems.push('granule.includePaths must be an array of directories');
  }
  if (r.compileCommands !== undefined && r.compileCommands !== null && r.compileCommands !== '') {
    if (typeof r.compileCommands === 'string') settings.compileCommands = r.compileCommands;
    else if (isPathList(r.compileCommands)) settings.compileCommands = [...r.compileCommands];
    else problems.push('granule.compileCommands must be a path or a list of paths');
  }
  for (const key of ['projects', 'projectConfigurations'] as const) {
    const value = r[key];
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' && value !== '') settings[key] = [value];
    else if (isPathList(value)) settings[key] = [...value];
    else problems.push(`granule.${key} must be a list of ${key === 'projects' ? '.sln or .vcxproj files' : 'configuration names ("Release|Win32")'}`);
  }
  return { settings, problems };
}

/** A non-empty list of non-empty strings. */
function isPathList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v !== '');
}
