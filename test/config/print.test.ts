// src/config/print.ts: --print-config FILE, the options granule would use for FILE, as JSON.

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { printConfig } from '../../src/config/print.js';
import { ConfigResolver } from '../../src/config/resolver.js';
import { defaultLintOptions } from '../../src/engine/runner/lint.js';
import { json, makeTree } from '../helpers/tree.js';

describe('printConfig', () => {
  it('prints every rule with its level and options, the config chain and the merged settings', async () => {
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
    expect(JSON.parse(await printConfig(path.join(root, 'src/a.c'), resolver))).toEqual({
      file: path.join(root, 'src/a.c'),
      configFile: path.join(root, 'granule.config.json'),
      extends: ['granule:recommended', path.join(root, 'base.json')],
      ignored: false,
      target: ['x64', 'x86'],
      compiler: 'msvc',
      includeSearch: true,
      includeSearchFound: {},
      rules: {
        'virtualalloc-granularity': ['error', { transient: 'warn' }],
        'large-page-size': ['warn', { largePageMinimum: 4194304 }],
        'mapview-granularity': ['warn', { transient: 'warn' }],
        'unresolved-allocation-size': ['off'],
        'virtualfree-misuse': ['error'],
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

  it('with no config: granule’s defaults, and nothing extended', async () => {
    const root = makeTree({ 'a.c': '' });
    const printed = await printConfig(path.join(root, 'a.c'), new ConfigResolver(defaultLintOptions(root), { targetFromCommandLine: false }));
    expect(printed.endsWith('}\n')).toBe(true);
    expect(JSON.parse(printed)).toMatchObject({ configFile: null, extends: [], ignored: false, ignores: [], wrappers: [] });
  });

  it('says a file is ignored, and throws the config error of a broken config', async () => {
    const root = makeTree({ 'granule.config.json': json({ ignores: ['gen/'] }), 'gen/g.c': '', 'bad/granule.config.json': '{', 'bad/b.c': '' });
    const resolver = new ConfigResolver(defaultLintOptions(root), { targetFromCommandLine: false });
    expect(JSON.parse(await printConfig(path.join(root, 'gen/g.c'), resolver)).ignored).toBe(true);
    await expect(printConfig(path.join(root, 'bad/b.c'), resolver)).rejects.toThrow(ConfigError);
  });

  it('shows the compiler, and the folders where the include search found the file’s headers', async () => {
    const root = makeTree({
      'granule.config.json': json({ compiler: 'mingw' }),
      'app/src/a.c': '#include <phnt_ntdef.h>\n#include "cfg/limits.h"\n#include "nowhere.h"\n',
      'app/third_party/phnt/phnt_ntdef.h': '#define PAGE_SIZE 0x1000\n',
      'vendor/ring/cfg/limits.h': '#define RING 1\n',
    });
    const resolver = new ConfigResolver(defaultLintOptions(root), { targetFromCommandLine: false });
    const printed = JSON.parse(await printConfig(path.join(root, 'app/src/a.c'), resolver));
    expect(printed).toMatchObject({
      compiler: 'mingw',
      includeSearch: true,
      includeSearchFound: { [path.join(root, 'app/third_party/phnt')]: ['<phnt_ntdef.h>'], [path.join(root, 'vendor/ring/cfg')]: ['"cfg/limits.h"'] },
    });
    const off = new ConfigResolver({ ...defaultLintOptions(root), includeSearch: false }, { targetFromCommandLine: false });
    expect(JSON.parse(await printConfig(path.join(root, 'app/src/a.c'), off))).toMatchObject({ includeSearch: false, includeSearchFound: {} });
  });
});
