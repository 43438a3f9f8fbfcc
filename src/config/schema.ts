// The shape of a config file, checked by hand so every message names the key at fault, and rule
// options checked against each rule's own `meta.schema` with ajv (loaded only when options are given).

import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from 'ajv';
import type { DeclaredWrapper } from '../engine/analysis/analyze.js';
import type { RuleSetting } from '../engine/linter/run-rules.js';
import { COMPILER_NAMES, isCompiler, type Compiler } from '../engine/model/compilers.js';
import type { Level, Target, TargetSetting } from '../engine/model/types.js';
import { rulesById } from '../rules/index.js';

/** A config file's content after validation; paths are still as written. */
export interface ConfigData {
  extends: string[];
  rules: Record<string, RuleSetting>;
  ignores: string[];
  defines: Record<string, string>;
  undefines: string[];
  includePaths: string[];
  forceIncludes: string[];
  target?: TargetSetting;
  compiler?: Compiler;
  /** Look up includes the include path does not resolve in the scanned tree (default true). */
  includeSearch?: boolean;
  wrappers: DeclaredWrapper[];
  /** One compilation database or several. */
  compileCommands?: string | string[];
  /** Visual Studio solutions and projects (`--project`). */
  projects?: string[];
  /** `--project-configuration`: `Release|Win32`, ... */
  projectConfigurations?: string[];
  reportUnusedDisableDirectives?: Level;
}

export const CONFIG_KEYS = [
  '$schema',
  'extends',
  'rules',
  'ignores',
  'defines',
  'undefines',
  'includePaths',
  'forceIncludes',
  'target',
  'compiler',
  'includeSearch',
  'wrappers',
  'compileCommands',
  'projects',
  'projectConfigurations',
  'reportUnusedDisableDirectives',
] as const;

const LEVELS: ReadonlyMap<string, Level> = new Map([
  ['off', 'off'],
  ['warn', 'warn'],
  ['error', 'error'],
  ['0', 'off'],
  ['1', 'warn'],
  ['2', 'error'],
]);
const TARGETS: readonly Target[] = ['x64', 'x86', 'arm64'];

/** `"x86"`, or a list of targets checked in one run (`["x64", "x86"]`): each is one configuration. */
function validateTarget(value: unknown): TargetSetting {
  const one = (v: unknown, key: string): Target => {
    if (!TARGETS.includes(v as Target)) throw new DataError(key, `must be one of ${TARGETS.join(', ')}, got ${describe(v)}`);
    return v as Target;
  };
  if (!Array.isArray(value)) return one(value, 'target');
  if (value.length === 0) throw new DataError('target', 'must name at least one target');
  return value.map((v, i) => one(v, `target[${i}]`));
}
const MACRO_NAME = /^[A-Za-z_]\w*$/;

/** A problem in a config's data: the dotted path of the key and what is wrong with it. */
export class DataError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(path ? `${path}: ${problem}` : problem);
  }
}

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : JSON.stringify(v));

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function stringList(value: unknown, path: string): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) throw new DataError(path, `must be a list of strings, got ${describe(value)}`);
  return value.map((item, i) => {
    if (typeof item !== 'string' || item.length === 0) throw new DataError(`${path}[${i}]`, `must be a non-empty string, got ${describe(item)}`);
    return item;
  });
}

function nonEmptyString(value: unknown, path: string): string {
  if (value === undefined) throw new DataError(path, 'is missing');
  if (typeof value !== 'string' || value.length === 0) throw new DataError(path, `must be a non-empty string, got ${describe(value)}`);
  return value;
}

/** Validates the data of one config file (`granule.config.json`, or the `"granule"` key of package.json). */
export function validateConfigData(data: unknown): ConfigData {
  if (!isPlainObject(data)) throw new DataError('', `a config must be a JSON object, got ${describe(data)}`);
  for (const key of Object.keys(data)) {
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
      throw new DataError(key, `unknown key (expected one of: ${CONFIG_KEYS.filter((k) => k !== '$schema').join(', ')})`);
    }
  }
  const out: ConfigData = { extends: [], rules: {}, ignores: [], defines: {}, undefines: [], includePaths: [], forceIncludes: [], wrappers: [] };
  if (data.extends !== undefined) out.extends = stringList(data.extends, 'extends');
  if (data.rules !== undefined) out.rules = validateRules(data.rules);
  if (data.ignores !== undefined) out.ignores = stringList(data.ignores, 'ignores');
  if (data.defines !== undefined) out.defines = validateDefines(data.defines);
  if (data.undefines !== undefined) {
    out.undefines = stringList(data.undefines, 'undefines');
    out.undefines.forEach((name, i) => {
      if (!MACRO_NAME.test(name)) throw new DataError(`undefines[${i}]`, `"${name}" is not a macro name`);
    });
  }
  if (data.includePaths !== undefined) out.includePaths = stringList(data.includePaths, 'includePaths');
  if (data.forceIncludes !== undefined) out.forceIncludes = stringList(data.forceIncludes, 'forceIncludes');
  if (data.target !== undefined) out.target = validateTarget(data.target);
  if (data.compiler !== undefined) {
    if (!isCompiler(data.compiler)) throw new DataError('compiler', `must be one of ${COMPILER_NAMES.join(', ')}, got ${describe(data.compiler)}`);
    out.compiler = data.compiler;
  }
  if (data.includeSearch !== undefined) {
    if (typeof data.includeSearch !== 'boolean') throw new DataError('includeSearch', `must be a boolean, got ${describe(data.includeSearch)}`);
    out.includeSearch = data.includeSearch;
  }
  if (data.wrappers !== undefined) out.wrappers = validateWrappers(data.wrappers);
  if (data.compileCommands !== undefined)
    out.compileCommands = Array.isArray(data.compileCommands)
      ? stringList(data.compileCommands, 'compileCommands')
      : nonEmptyString(data.compileCommands, 'compileCommands');
  if (data.projects !== undefined) {
    out.projects = stringList(data.projects, 'projects');
    out.projects.forEach((p, i) => {
      if (!/\.(?:sln|vcxproj)$/i.test(p)) throw new DataError(`projects[${i}]`, `expected a .sln or .vcxproj file, got ${describe(p)}`);
    });
  }
  if (data.projectConfigurations !== undefined) out.projectConfigurations = stringList(data.projectConfigurations, 'projectConfigurations');
  if (data.reportUnusedDisableDirectives !== undefined) {
    const v = data.reportUnusedDisableDirectives;
    // (only a string is looked up: String() of an object without a prototype throws)
    const level = typeof v === 'boolean' ? (v ? 'error' : 'off') : typeof v === 'string' ? LEVELS.get(v) : undefined;
    if (!level || (typeof v !== 'string' && typeof v !== 'boolean')) {
      throw new DataError('reportUnusedDisableDirectives', `must be "off", "warn", "error" or a boolean, got ${describe(v)}`);
    }
    out.reportUnusedDisableDirectives = level;
  }
  return out;
}

function validateDefines(value: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (Array.isArray(value)) {
    // the compiler's spelling: ["NAME", "NAME=VALUE"]
    value.forEach((item, i) => {
      if (typeof item !== 'string') throw new DataError(`defines[${i}]`, `must be "NAME" or "NAME=VALUE", got ${describe(item)}`);
      const eq = item.indexOf('=');
      const name = eq < 0 ? item : item.slice(0, eq);
      if (!MACRO_NAME.test(name)) throw new DataError(`defines[${i}]`, `"${name}" is not a macro name`);
      out[name] = eq < 0 ? '1' : item.slice(eq + 1);
    });
    return out;
  }
  if (!isPlainObject(value)) throw new DataError('defines', `must be an object of NAME: VALUE or a list of "NAME=VALUE", got ${describe(value)}`);
  for (const [name, v] of Object.entries(value)) {
    if (!MACRO_NAME.test(name)) throw new DataError(`defines.${name}`, `"${name}" is not a macro name`);
    if (typeof v === 'string') out[name] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) out[name] = String(v);
    else if (typeof v === 'boolean') out[name] = v ? '1' : '0';
    else throw new DataError(`defines.${name}`, `must be a string, number or boolean, got ${describe(v)}`);
  }
  return out;
}

/** Functions that reserve memory, declared for code granule cannot see into: `{"name": "os_reserve", "sizeArg": 0}`. */
function validateWrappers(value: unknown): DeclaredWrapper[] {
  if (!Array.isArray(value)) throw new DataError('wrappers', `must be a list of {"name", "sizeArg"} objects, got ${describe(value)}`);
  return value.map((item, i) => {
    const path = `wrappers[${i}]`;
    if (!isPlainObject(item)) throw new DataError(path, `must be an object like {"name": "os_reserve", "sizeArg": 0}, got ${describe(item)}`);
    for (const key of Object.keys(item)) if (!['name', 'sizeArg'].includes(key)) throw new DataError(`${path}.${key}`, 'unknown key (expected name, sizeArg)');
    const name = nonEmptyString(item.name, `${path}.name`);
    if (!/^[A-Za-z_]\w*$/.test(name)) throw new DataError(`${path}.name`, `"${name}" is not a function name`);
    const sizeArg = item.sizeArg;
    if (sizeArg === undefined) throw new DataError(`${path}.sizeArg`, 'is missing (the 0-based index of the size argument)');
    if (typeof sizeArg !== 'number' || !Number.isInteger(sizeArg) || sizeArg < 0)
      throw new DataError(`${path}.sizeArg`, `must be the 0-based index of the size argument, got ${describe(sizeArg)}`);
    return { name, sizeArg };
  });
}

/** Validates `rules`: known ids, a level, and options that satisfy the rule's schema. */
export function validateRules(value: unknown): Record<string, RuleSetting> {
  if (!isPlainObject(value)) throw new DataError('rules', `must be an object of rule id → level, got ${describe(value)}`);
  const out: Record<string, RuleSetting> = Object.create(null) as Record<string, RuleSetting>;
  for (const [id, setting] of Object.entries(value)) {
    const path = `rules.${id}`;
    const rule = rulesById.get(id);
    if (!rule) throw new DataError(path, `unknown rule "${id}" (known: ${[...rulesById.keys()].join(', ')})`);
    const [rawLevel, ...options]: unknown[] = Array.isArray(setting) ? (setting as unknown[]) : [setting];
    if (Array.isArray(setting) && setting.length === 0) throw new DataError(path, 'must not be an empty list; expected [level, options...]');
    // (a Map: an object's table would answer "constructor" and "toString" with its prototype's functions)
    const level = typeof rawLevel === 'string' || typeof rawLevel === 'number' ? LEVELS.get(String(rawLevel)) : undefined;
    if (!level) {
      throw new DataError(Array.isArray(setting) ? `${path}[0]` : path, `must be "off", "warn" or "error" (or 0, 1, 2), got ${describe(rawLevel)}`);
    }
    if (options.length > 0) validateRuleOptions(id, options, path);
    out[id] = Array.isArray(setting) ? [level, ...options] : level;
  }
  return out;
}

// eslint-disable-next-line no-restricted-syntax -- a cache: the ajv instance, loaded on first use; it holds only the compiled schemas below
let ajv: AjvClass | undefined;
// eslint-disable-next-line no-restricted-syntax -- a cache: each rule's compiled options validator, keyed by rule id (one per rule); schemas never change
const validators = new Map<string, ValidateFunction>();

/** Checks a rule's options against its `meta.schema` (ESLint's array form: one schema per option). */
export function validateRuleOptions(id: string, options: unknown[], path: string): void {
  const rule = rulesById.get(id)!;
  const schemas = rule.meta.schema;
  if (options.length > schemas.length) {
    throw new DataError(
      path,
      schemas.length === 0
        ? 'this rule takes no options'
        : `this rule takes at most ${schemas.length} option${schemas.length === 1 ? '' : 's'}, got ${options.length}`,
    );
  }
  const inexact = findInexactNumber(options, '');
  if (inexact) throw new DataError(path + inexact.where, inexact.what);
  let validate = validators.get(id);
  if (!validate) {
    if (!ajv) {
      // ajv costs a few hundred milliseconds to load: only configs that pass options pay for it
      const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
      ajv = new Ajv({ allErrors: false, strict: false });
    }
    // draft-07 tuple form: one schema per position, nothing after the last
    validate = ajv.compile({ type: 'array', items: schemas, additionalItems: false });
    validators.set(id, validate);
  }
  if (!validate(options)) {
    const { where, what } = describeAjvError(validate.errors?.[0]);
    throw new DataError(path + where, what);
  }
}

/**
 * A number JSON cannot give exactly: `1e400` parses as Infinity, and an integer past 2^53 is rounded to a
 * neighbour. Either would reach a rule as a different value than the config wrote (ajv's "integer" takes
 * Infinity), so it is refused here, wherever it sits in the options.
 */
function findInexactNumber(value: unknown, where: string): { where: string; what: string } | undefined {
  const stack: { value: unknown; where: string }[] = [{ value, where }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    const v = item.value;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return { where: item.where, what: 'is too large to represent' };
      if (Number.isInteger(v) && !Number.isSafeInteger(v))
        return { where: item.where, what: `must be at most ${Number.MAX_SAFE_INTEGER} (a larger integer is rounded when read)` };
    } else if (Array.isArray(v)) {
      // (options start at index 1 of the `[level, ...options]` list)
      v.forEach((e, i) => stack.push({ value: e, where: `${item.where}[${i + (item.where === '' ? 1 : 0)}]` }));
    } else if (v && typeof v === 'object') {
      for (const [k, e] of Object.entries(v)) stack.push({ value: e, where: `${item.where}.${k}` });
    }
  }
  return undefined;
}

/**
 * ajv's first error as a path below the rule's setting and a reason: `[1].largePageMinimum`, `must be >= 4096`.
 * Options start at index 1 of the `[level, ...options]` list, so the first index is shifted by one.
 */
function describeAjvError(error: ErrorObject | undefined): { where: string; what: string } {
  if (!error) return { where: '', what: 'invalid options' };
  const where = error.instancePath
    .split('/')
    .slice(1)
    .map((part, i) => (/^\d+$/.test(part) ? `[${Number(part) + (i === 0 ? 1 : 0)}]` : `.${part.replace(/~1/g, '/').replace(/~0/g, '~')}`))
    .join('');
  let what = error.message ?? 'is invalid';
  if (error.keyword === 'additionalProperties') what = `unknown option "${String(error.params.additionalProperty)}"`;
  else if (error.keyword === 'enum') what = `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return { where, what };
}
