// src/config/resolver.ts: the options for each file are its config's, with the command line on top. Files that
// share a config share one options object; a broken config costs only the files it governs.

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { emptyConfig } from '../../src/config/load.js';
import { applyConfig, ConfigResolver } from '../../src/config/resolver.js';
import { defaultLintOptions } from '../../src/engine/runner/lint.js';
import { json, makeTree } from '../helpers/tree.js';

describe('applyConfig: the command line wins', () => {
  const config = {
    ...emptyConfig('/repo/granule.config.json'),
    rules: { 'large-page-size': ['error', { largePageMinimum: 4194304 }], 'mapview-granularity': 'warn' } as const,
    defines: { A: 'config', B: 'config' },
    undefines: ['X'],
    includePaths: ['/repo/inc'],
    forceIncludes: ['/repo/pch.h'],
    target: 'x86' as const,
    wrappers: [
      { name: 'os_reserve', sizeArg: 0 },
      { name: 'pool_new', sizeArg: 1 },
    ],
    compileCommands: '/repo/build/compile_commands.json',
    reportUnusedDisableDirectives: 'warn' as const,
  };

  it('over defines, rules (a bare level keeps the config’s options), paths and wrappers', () => {
    const base = { ...defaultLintOptions('/work'), defines: { B: 'cli' }, undefines: ['Y', 'X'], includePaths: ['cli-inc'], forceIncludes: ['cli.h'] };
    base.rules = { 'large-page-size': 'warn', 'virtualalloc-granularity': 'off' };
    base.wrappers = [{ name: 'os_reserve', sizeArg: 3 }];
    const options = applyConfig(base, config as any, { targetFromCommandLine: false });
    expect(options).toMatchObject({
      cwd: '/work',
      target: 'x86',
      defines: { A: 'config', B: 'cli' },
      undefines: ['X', 'Y'],
      // -I directories come first, as a compiler searches them; relative ones from the working directory
      includePaths: ['/work/cli-inc', '/repo/inc'],
      forceIncludes: ['/repo/pch.h', '/work/cli.h'],
      rules: { 'large-page-size': ['warn', { largePageMinimum: 4194304 }], 'mapview-granularity': 'warn', 'virtualalloc-granularity': 'off' },
      wrappers: [
        { name: 'pool_new', sizeArg: 1 },
        { name: 'os_reserve', sizeArg: 3 },
      ],
      compileCommands: '/repo/build/compile_commands.json',
      reportUnusedDisableDirectives: 'warn',
    });
  });

  it('the target only when the command line named one; compileCommands and unused directives only when it set none', () => {
    const base = {
      ...defaultLintOptions('/work'),
      target: 'arm64' as const,
      compileCommands: '/cli/compile_commands.json',
      reportUnusedDisableDirectives: 'error' as const,
    };
    expect(applyConfig(base, config as any, { targetFromCommandLine: true })).toMatchObject({
      target: 'arm64',
      compileCommands: '/cli/compile_commands.json',
      reportUnusedDisableDirectives: 'error',
    });
    expect(applyConfig(base, config as any, { targetFromCommandLine: false }).target).toBe('x86');
  });

  it('without a config, gives the command line’s options with paths made absolute', () => {
    const base = { ...defaultLintOptions('/work'), includePaths: ['inc'], forceIncludes: ['f.h'] };
    const options = applyConfig(base, undefined, { targetFromCommandLine: false });
    expect([options.target, options.includePaths, options.forceIncludes, options.rules, options.wrappers]).toEqual([
      ['x64', 'x86'],
      ['/work/inc'],
      ['/work/f.h'],
      {},
      undefined,
    ]);
  });
});

describe('ConfigResolver', () => {
  const tree = () =>
    makeTree({
      'granule.config.json': json({ target: 'x86', ignores: ['gen/'] }),
      'src/a.c': '',
      'src/b.c': '',
      'gen/g.c': '',
      'broken/granule.config.json': json({ target: 'arm' }),
      'broken/c.c': '',
      'lib/granule.config.json': json({ extends: '../granule.config.json', defines: { LIB: '1' } }),
      'lib/d.c': '',
    });

  it('gives each file its config’s options, one object per config, and says which files are ignored', () => {
    const root = tree();
    const resolver = new ConfigResolver(defaultLintOptions(root), { targetFromCommandLine: false });
    const a = resolver.forFile(path.join(root, 'src/a.c'));
    const b = resolver.forFile(path.join(root, 'src/b.c'));
    const g = resolver.forFile(path.join(root, 'gen/g.c'));
    const d = resolver.forFile(path.join(root, 'lib/d.c'));
    if ('error' in a || 'error' in b || 'error' in g || 'error' in d) throw new Error('config error');
    expect([a.options.target, a.ignored, g.ignored]).toEqual(['x86', false, true]);
    expect(b.options).toBe(a.options);
    expect(a.config?.file).toBe(path.join(root, 'granule.config.json'));
    expect([d.options.target, d.options.defines, d.config?.sources]).toEqual([
      'x86',
      { LIB: '1' },
      [path.join(root, 'granule.config.json'), path.join(root, 'lib/granule.config.json')],
    ]);
  });

  it('a broken config is an error for its files only', () => {
    const root = tree();
    const resolver = new ConfigResolver(defaultLintOptions(root), { targetFromCommandLine: false });
    const c = resolver.forFile(path.join(root, 'broken/c.c'));
    expect('error' in c && [c.error.file, c.error.reason]).toEqual([
      path.join(root, 'broken/granule.config.json'),
      'target: must be one of x64, x86, arm64, got "arm"',
    ]);
    expect('options' in resolver.forFile(path.join(root, 'src/a.c'))).toBe(true);
    expect(resolver.checkExplicit()).toBeUndefined();
  });

  it('--config governs every file, relative to the working directory, and is checked up front', () => {
    const root = tree();
    const explicit = new ConfigResolver(defaultLintOptions(root), { configFile: 'lib/granule.config.json', targetFromCommandLine: false });
    expect(explicit.configFileFor(path.join(root, 'broken/c.c'))).toBe(path.join(root, 'lib/granule.config.json'));
    expect(explicit.checkExplicit()).toBeUndefined();
    const broken = new ConfigResolver(defaultLintOptions(root), { configFile: 'broken/granule.config.json', targetFromCommandLine: false }).checkExplicit();
    expect(broken).toBeInstanceOf(ConfigError);
    expect(broken?.message).toBe(`${path.join(root, 'broken/granule.config.json')}: target: must be one of x64, x86, arm64, got "arm"`);
  });

  it('a file with no config above it gets the command line’s options', () => {
    const root = makeTree({ 'a.c': '' });
    const resolver = new ConfigResolver({ ...defaultLintOptions(root), target: 'arm64' }, { targetFromCommandLine: true });
    const a = resolver.forFile(path.join(root, 'a.c'));
    expect('options' in a && [a.config, a.ignored, a.options.target]).toEqual([undefined, false, 'arm64']);
  });
});
