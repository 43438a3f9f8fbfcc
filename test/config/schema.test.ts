// src/config/schema.ts: what a config file may hold, and the message for each key at fault. Every message names
// the key's dotted path, so a user finds it in a long file.

import { describe, expect, it } from 'vitest';
import { DataError, validateConfigData, validateRuleOptions, validateRules } from '../../src/config/schema.js';

/** The message validateConfigData throws for `data`. */
function refusal(data: unknown): string {
  try {
    validateConfigData(data);
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

/** The message validateRules throws for `rules`. */
function refusedRules(rules: unknown): string {
  try {
    validateRules(rules);
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

const KNOWN_RULES = 'virtualalloc-granularity, large-page-size, mapview-granularity, unresolved-allocation-size, virtualfree-misuse';

describe('validateConfigData', () => {
  it('fills every list and map when the file sets nothing', () => {
    expect(validateConfigData({})).toEqual({
      extends: [],
      rules: {},
      ignores: [],
      defines: {},
      undefines: [],
      includePaths: [],
      forceIncludes: [],
      wrappers: [],
    });
  });

  it('takes every key, a single string where a list is expected, and $schema', () => {
    const data = validateConfigData({
      $schema: './node_modules/granule/configs/schema.json',
      extends: 'granule:strict',
      rules: { 'large-page-size': ['warn', { largePageMinimum: 4194304 }], 'mapview-granularity': 0 },
      ignores: 'vendor/',
      defines: { DEBUG: 1, NAME: 'x', ON: true, OFF: false },
      undefines: ['NDEBUG'],
      includePaths: 'include',
      forceIncludes: ['pch.h'],
      target: 'x86',
      wrappers: [{ name: 'os_reserve', sizeArg: 1 }],
      compileCommands: 'build',
      reportUnusedDisableDirectives: true,
    });
    expect(data).toEqual({
      extends: ['granule:strict'],
      rules: { 'large-page-size': ['warn', { largePageMinimum: 4194304 }], 'mapview-granularity': 'off' },
      ignores: ['vendor/'],
      defines: { DEBUG: '1', NAME: 'x', ON: '1', OFF: '0' },
      undefines: ['NDEBUG'],
      includePaths: ['include'],
      forceIncludes: ['pch.h'],
      target: 'x86',
      wrappers: [{ name: 'os_reserve', sizeArg: 1 }],
      compileCommands: 'build',
      reportUnusedDisableDirectives: 'error',
    });
  });

  it('reads defines in the compiler’s spelling too: NAME and NAME=VALUE', () => {
    expect(validateConfigData({ defines: ['DEBUG', 'SIZE=0x1000', 'EMPTY='] }).defines).toEqual({ DEBUG: '1', SIZE: '0x1000', EMPTY: '' });
  });

  it.each([
    [[], 'a config must be a JSON object, got an array'],
    [null, 'a config must be a JSON object, got null'],
    ['granule:strict', 'a config must be a JSON object, got "granule:strict"'],
    [
      { rule: {} },
      'rule: unknown key (expected one of: extends, rules, ignores, defines, undefines, includePaths, forceIncludes, target, compiler, includeSearch, wrappers, compileCommands, projects, projectConfigurations, reportUnusedDisableDirectives)',
    ],
    [{ extends: 5 }, 'extends: must be a list of strings, got 5'],
    [{ ignores: ['ok', ''] }, 'ignores[1]: must be a non-empty string, got ""'],
    [{ includePaths: [null] }, 'includePaths[0]: must be a non-empty string, got null'],
    [{ defines: 'DEBUG' }, 'defines: must be an object of NAME: VALUE or a list of "NAME=VALUE", got "DEBUG"'],
    [{ defines: { '1X': '1' } }, 'defines.1X: "1X" is not a macro name'],
    [{ defines: { X: null } }, 'defines.X: must be a string, number or boolean, got null'],
    [{ defines: { X: Infinity } }, 'defines.X: must be a string, number or boolean, got null'],
    [{ defines: ['A', 3] }, 'defines[1]: must be "NAME" or "NAME=VALUE", got 3'],
    [{ defines: ['A-B=1'] }, 'defines[0]: "A-B" is not a macro name'],
    [{ undefines: ['OK', 'NOT OK'] }, 'undefines[1]: "NOT OK" is not a macro name'],
    [{ target: 'arm' }, 'target: must be one of x64, x86, arm64, got "arm"'],
    [{ wrappers: {} }, 'wrappers: must be a list of {"name", "sizeArg"} objects, got an object'],
    [{ wrappers: ['os_reserve'] }, 'wrappers[0]: must be an object like {"name": "os_reserve", "sizeArg": 0}, got "os_reserve"'],
    [{ wrappers: [{ name: 'f', sizeArg: 0, size: 1 }] }, 'wrappers[0].size: unknown key (expected name, sizeArg)'],
    [{ wrappers: [{ sizeArg: 0 }] }, 'wrappers[0].name: is missing'],
    [{ wrappers: [{ name: 'a.b', sizeArg: 0 }] }, 'wrappers[0].name: "a.b" is not a function name'],
    [{ wrappers: [{ name: 'f' }] }, 'wrappers[0].sizeArg: is missing (the 0-based index of the size argument)'],
    [{ wrappers: [{ name: 'f', sizeArg: -1 }] }, 'wrappers[0].sizeArg: must be the 0-based index of the size argument, got -1'],
    [{ wrappers: [{ name: 'f', sizeArg: 1.5 }] }, 'wrappers[0].sizeArg: must be the 0-based index of the size argument, got 1.5'],
    [{ compileCommands: '' }, 'compileCommands: must be a non-empty string, got ""'],
    [{ reportUnusedDisableDirectives: 'yes' }, 'reportUnusedDisableDirectives: must be "off", "warn", "error" or a boolean, got "yes"'],
    [{ reportUnusedDisableDirectives: 2 }, 'reportUnusedDisableDirectives: must be "off", "warn", "error" or a boolean, got 2'],
  ])('refuses %j: %s', (data, message) => {
    expect(refusal(data)).toBe(message);
  });

  it('reads reportUnusedDisableDirectives as a level or a boolean', () => {
    expect(['off', 'warn', 'error', '1', false].map((v) => validateConfigData({ reportUnusedDisableDirectives: v }).reportUnusedDisableDirectives)).toEqual([
      'off',
      'warn',
      'error',
      'warn',
      'off',
    ]);
  });
});

describe('validateRules', () => {
  it('takes levels as words or numbers, alone or first in a list with options', () => {
    expect(
      validateRules({ 'virtualalloc-granularity': 2, 'mapview-granularity': '1', 'large-page-size': ['off'], 'unresolved-allocation-size': ['error'] }),
    ).toEqual({
      'virtualalloc-granularity': 'error',
      'mapview-granularity': 'warn',
      'large-page-size': ['off'],
      'unresolved-allocation-size': ['error'],
    });
  });

  it.each([
    [[], 'rules: must be an object of rule id → level, got an array'],
    [{ 'no-such-rule': 'error' }, `rules.no-such-rule: unknown rule "no-such-rule" (known: ${KNOWN_RULES})`],
    [{ 'large-page-size': 'on' }, 'rules.large-page-size: must be "off", "warn" or "error" (or 0, 1, 2), got "on"'],
    [{ 'large-page-size': 3 }, 'rules.large-page-size: must be "off", "warn" or "error" (or 0, 1, 2), got 3'],
    [{ 'large-page-size': ['on'] }, 'rules.large-page-size[0]: must be "off", "warn" or "error" (or 0, 1, 2), got "on"'],
    [{ 'large-page-size': [] }, 'rules.large-page-size: must not be an empty list; expected [level, options...]'],
    [{ 'large-page-size': 'constructor' }, 'rules.large-page-size: must be "off", "warn" or "error" (or 0, 1, 2), got "constructor"'],
  ])('refuses %j: %s', (rules, message) => {
    expect(refusedRules(rules)).toBe(message);
  });
});

describe('validateRuleOptions', () => {
  const refused = (id: string, options: unknown[]) => {
    try {
      validateRuleOptions(id, options, `rules.${id}`);
    } catch (e) {
      return (e as Error).message;
    }
    return 'accepted';
  };

  it('checks options against the rule’s own schema (ajv), naming the option at fault', () => {
    expect(refused('large-page-size', [{ largePageMinimum: 4194304 }])).toBe('accepted');
    expect(refused('large-page-size', [{ largePageMinimum: 1024 }])).toBe('rules.large-page-size[1].largePageMinimum: must be >= 4096');
    expect(refused('large-page-size', [{ largePageMinimum: '2MB' }])).toBe('rules.large-page-size[1].largePageMinimum: must be integer');
    expect(refused('large-page-size', [{ minimum: 4096 }])).toBe('rules.large-page-size[1]: unknown option "minimum"');
  });

  it('refuses options a rule does not take, and more options than it takes', () => {
    expect(refused('unresolved-allocation-size', [{}])).toBe('rules.unresolved-allocation-size: this rule takes no options');
    expect(refused('virtualalloc-granularity', [{}, {}])).toBe('rules.virtualalloc-granularity: this rule takes at most 1 option, got 2');
    expect(refused('large-page-size', [{}, {}])).toBe('rules.large-page-size: this rule takes at most 1 option, got 2');
  });

  it('refuses numbers JSON cannot give exactly, wherever they sit', () => {
    expect(refused('large-page-size', [{ largePageMinimum: Infinity }])).toBe('rules.large-page-size[1].largePageMinimum: is too large to represent');
    expect(refused('large-page-size', [{ largePageMinimum: 2 ** 60 }])).toBe(
      `rules.large-page-size[1].largePageMinimum: must be at most ${Number.MAX_SAFE_INTEGER} (a larger integer is rounded when read)`,
    );
  });
});
