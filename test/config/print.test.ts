// src/config/print.ts: --print-config FILE, the options granule would use for FILE, as JSON.

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { printConfig } from '../../src/config/print.js';
import { ConfigResolver } from '../../src/config/resolver.js';
import { defaultLintOptions } from '../../src/engine/runner/lint.js';
import { json, makeTree } from '../helpers/tree.js';

describe('printConfig', () => {
  it('prints every rule with its level and options, the config chain and the merged settings', () => {
    const root = makeTree({
      'base.json': json({ extends: 'granule:recommended', ignores: ['/gen/', '!gen/keep.c'] }),
      'granule.config.json': json({
        extends: './base.json',
        rules: { 'large-page-size': ['warn', { largePageMinimum: 4194304 }] },
        defines: { DEBUG: '1' },
        includePaths: ['inc'],
        wrappers: [{ name: 'os_reserve', sizeArg: 0 }],
      }),
      'src/a.c': '',
    });
    const resolver = new ConfigResolver(defaultLintOptions(root), { targetFromCommandLine: false });
    expect(JSON.parse(printConfig(path.join(root, 'src/a.c'), resolver))).toEqual({
      file: path.join(root, 'src/a.c'),
      configFile: path.join(root, 'granule.config.json'),
      extends: ['granule:recommended', path.join(root, 'base.json')],
      ignored: false,
      target: 'x64',
      rules: {
        'virtualalloc-granularity': ['error', { transient: 'warn' }],
        'large-page-size': ['warn', { largePageMinimum: 4194304 }],
        'mapview-granularity': ['warn', { transient: 'warn' }],
        'unresolved-allocation-size': ['off'],
      },
      defines: { DEBUG: '1' },
      undefines: [],
      includePaths: [path.join(root, 'inc')],
      forceIncludes: [],
      ignores: [path.join(root, 'gen/'), '!' + path.join(root, 'gen/keep.c')],
      wrappers: [{ name: 'os_reserve', sizeArg: 0 }],
      compileCommands: null,
      reportUnusedDisableDirectives: 'off',
    });
  });

  it('with no config: granule’s defaults, and nothing extended', () => {
    const root = makeTree({ 'a.c': '' });
    const printed = printConfig(path.join(root, 'a.c'), new ConfigResolver(defaultLintOptions(root), { targetFromCommandLine: false }));
    expect(printed.endsWith('}\n')).toBe(true);
    expect(JSON.parse(printed)).toMatchObject({ configFile: null, extends: [], ignored: false, ignores: [], wrappers: [] });
  });

  it('says a file is ignored, and throws the config error of a broken config', () => {
    const root = makeTree({ 'granule.config.json': json({ ignores: ['gen/'] }), 'gen/g.c': '', 'bad/granule.config.json': '{', 'bad/b.c': '' });
    const resolver = new ConfigResolver(defaultLintOptions(root), { targetFromCommandLine: false });
    expect(JSON.parse(printConfig(path.join(root, 'gen/g.c'), resolver)).ignored).toBe(true);
    expect(() => printConfig(path.join(root, 'bad/b.c'), resolver)).toThrow(ConfigError);
  });
});
