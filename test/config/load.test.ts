// src/config/load.ts and errors.ts: one config with everything it extends, bases first; paths made absolute
// relative to the file that wrote them; every problem a ConfigError naming the file at fault.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { ConfigLoader, emptyConfig, mergeConfigs, readConfigData, SHAREABLE } from '../../src/config/load.js';
import { ROOT } from '../helpers/cli.js';
import { json, makeTree } from '../helpers/tree.js';

/** The ConfigError that loading `file` throws. */
function loadError(file: string): ConfigError {
  try {
    new ConfigLoader().load(file);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`${file} loaded`);
}

describe('ConfigError', () => {
  it('names the file, then the reason', () => {
    const e = new ConfigError('/repo/granule.config.json', 'target: must be one of x64, x86, arm64, got "arm"');
    expect([e.name, e.file, e.reason, e.message]).toEqual([
      'ConfigError',
      '/repo/granule.config.json',
      'target: must be one of x64, x86, arm64, got "arm"',
      '/repo/granule.config.json: target: must be one of x64, x86, arm64, got "arm"',
    ]);
    expect(e).toBeInstanceOf(Error);
  });
});

describe('shareable configs', () => {
  it('are the files in configs/', () => {
    expect(SHAREABLE).toEqual({
      'granule:recommended': path.join(ROOT, 'configs', 'recommended.json'),
      'granule:strict': path.join(ROOT, 'configs', 'strict.json'),
    });
  });

  it('granule:strict extends granule:recommended and turns on what it leaves off', () => {
    const root = makeTree({ 'granule.config.json': json({ extends: 'granule:strict' }) });
    const config = new ConfigLoader().load(path.join(root, 'granule.config.json'));
    expect(config.sources).toEqual(['granule:recommended', 'granule:strict', path.join(root, 'granule.config.json')]);
    expect(config.rules).toEqual({
      'virtualalloc-granularity': 'error',
      'large-page-size': 'error',
      'mapview-granularity': 'error',
      'unresolved-allocation-size': 'warn',
      'virtualfree-misuse': 'error',
    });
    expect(config.reportUnusedDisableDirectives).toBe('error');
  });
});

describe('extends', () => {
  it('merges bases first: later wins per rule and for scalars, lists accumulate, a bare level keeps the options', () => {
    const root = makeTree({
      'base.json': json({
        rules: { 'large-page-size': ['error', { largePageMinimum: 4194304 }], 'mapview-granularity': 'warn' },
        defines: { A: '1', B: '1' },
        undefines: ['X'],
        includePaths: ['base-inc'],
        forceIncludes: ['base.h'],
        ignores: ['gen/'],
        target: 'x86',
        wrappers: [
          { name: 'os_reserve', sizeArg: 0 },
          { name: 'pool_new', sizeArg: 1 },
        ],
      }),
      'app/granule.config.json': json({
        extends: '../base.json',
        rules: { 'large-page-size': 'warn', 'mapview-granularity': 'off' },
        defines: { B: '2' },
        undefines: ['X', 'Y'],
        includePaths: ['inc'],
        forceIncludes: ['app.h'],
        ignores: ['!gen/keep.c'],
        wrappers: [{ name: 'os_reserve', sizeArg: 2 }],
      }),
    });
    const file = path.join(root, 'app/granule.config.json');
    const config = new ConfigLoader().load(file);
    expect(config).toEqual({
      file,
      sources: [path.join(root, 'base.json'), file],
      rules: { 'large-page-size': ['warn', { largePageMinimum: 4194304 }], 'mapview-granularity': 'off' },
      ignores: [
        { base: root, pattern: 'gen/' },
        { base: path.join(root, 'app'), pattern: '!gen/keep.c' },
      ],
      defines: { A: '1', B: '2' },
      undefines: ['X', 'Y'],
      // the nearer config's directories are searched first
      includePaths: [path.join(root, 'app/inc'), path.join(root, 'base-inc')],
      forceIncludes: [path.join(root, 'base.h'), path.join(root, 'app/app.h')],
      target: 'x86',
      wrappers: [
        { name: 'pool_new', sizeArg: 1 },
        { name: 'os_reserve', sizeArg: 2 },
      ],
      compileCommands: undefined,
      reportUnusedDisableDirectives: undefined,
    });
  });

  it('takes a directory, whose granule.config.json or package.json is the config', () => {
    const root = makeTree({ 'shared/package.json': json({ granule: { target: 'arm64' } }), 'granule.config.json': json({ extends: './shared' }) });
    expect(new ConfigLoader().load(path.join(root, 'granule.config.json')).target).toBe('arm64');
  });

  it('reads each file once per loader, and a base shared by two configs is the same object', () => {
    const root = makeTree({ 'base.json': json({}), 'a.json': json({ extends: './base.json' }), 'b.json': json({ extends: './base.json' }) });
    const loader = new ConfigLoader();
    const a = loader.load(path.join(root, 'a.json'));
    fs.writeFileSync(path.join(root, 'a.json'), '{ broken');
    expect(loader.load(path.join(root, 'a.json'))).toBe(a);
    expect(loader.load(path.join(root, 'b.json')).sources).toEqual([path.join(root, 'base.json'), path.join(root, 'b.json')]);
  });

  it.each([
    ['granule:loose', 'extends "granule:loose": no such shareable config (expected granule:recommended or granule:strict)'],
    ['base.json', 'extends "base.json": expected granule:recommended, granule:strict or a path starting with ./ or ../'],
    ['/etc/granule.json', 'extends "/etc/granule.json": expected granule:recommended, granule:strict or a path starting with ./ or ../'],
  ])('refuses %s', (spec, reason) => {
    const root = makeTree({ 'granule.config.json': json({ extends: spec }) });
    const e = loadError(path.join(root, 'granule.config.json'));
    expect([e.file, e.reason]).toEqual([path.join(root, 'granule.config.json'), reason]);
  });

  it('names a missing target and a directory without a config', () => {
    const root = makeTree({ 'granule.config.json': json({ extends: './gone.json' }), 'empty/.keep': '', 'dir.json': json({ extends: './empty' }) });
    expect(loadError(path.join(root, 'granule.config.json')).reason).toBe(`extends "./gone.json": file not found (${path.join(root, 'gone.json')})`);
    expect(loadError(path.join(root, 'dir.json')).reason).toBe(`extends "./empty": ${path.join(root, 'empty')} has no granule.config.json or package.json`);
  });

  it('names the chain of a cycle', () => {
    const root = makeTree({ 'a.json': json({ extends: './b.json' }), 'b.json': json({ extends: './a.json' }) });
    const [a, b] = [path.join(root, 'a.json'), path.join(root, 'b.json')];
    const e = loadError(a);
    expect([e.file, e.reason]).toEqual([b, `"extends" makes a cycle: ${a} → ${b} → ${a}`]);
  });

  it('a broken base is named, with the config that extended it', () => {
    const root = makeTree({ 'base.json': json({ target: 'arm' }), 'granule.config.json': json({ extends: './base.json' }) });
    const e = loadError(path.join(root, 'granule.config.json'));
    expect([e.file, e.reason]).toEqual([
      path.join(root, 'base.json'),
      `target: must be one of x64, x86, arm64, got "arm" (extended by ${path.join(root, 'granule.config.json')})`,
    ]);
  });

  it('compileCommands names a build directory or the file itself, relative to the config, and must exist', () => {
    const root = makeTree({
      'build/compile_commands.json': '[]',
      'dir.json': json({ compileCommands: 'build' }),
      'file.json': json({ compileCommands: 'build/compile_commands.json' }),
      'gone.json': json({ compileCommands: 'out' }),
    });
    const loader = new ConfigLoader();
    expect(loader.load(path.join(root, 'dir.json')).compileCommands).toBe(path.join(root, 'build/compile_commands.json'));
    expect(loader.load(path.join(root, 'file.json')).compileCommands).toBe(path.join(root, 'build/compile_commands.json'));
    expect(loadError(path.join(root, 'gone.json')).reason).toBe(`compileCommands: ${path.join(root, 'out')} does not exist`);
  });
});

describe('readConfigData', () => {
  it('allows comments in granule.config.json, not in package.json', () => {
    const root = makeTree({
      'granule.config.json': '// the project\'s settings\n{ /* x86 build */ "target": "x86" }\n',
      'package.json': '{ "granule": { "target": "x86" } // no\n}\n',
    });
    expect(readConfigData(path.join(root, 'granule.config.json')).target).toBe('x86');
    expect(() => readConfigData(path.join(root, 'package.json'))).toThrow(ConfigError);
  });

  it('names the "granule" key of a package.json in its messages', () => {
    const root = makeTree({
      'a/package.json': json({ name: 'a' }),
      'b/package.json': json({ granule: { target: 'arm' } }),
      'c/package.json': json({ granule: [] }),
    });
    const reason = (dir: string) => {
      try {
        readConfigData(path.join(root, dir, 'package.json'));
      } catch (e) {
        return (e as ConfigError).reason;
      }
      return 'read';
    };
    expect(reason('a')).toBe('package.json has no "granule" key');
    expect(reason('b')).toBe('granule.target: must be one of x64, x86, arm64, got "arm"');
    expect(reason('c')).toBe('"granule" key: a config must be a JSON object, got an array');
  });

  it('says where JSON breaks, and refuses keys that reach a prototype', () => {
    const root = makeTree({ 'syntax.json': '{\n  "target": "x86",\n}\n', 'proto.json': '{ "rules": { "__proto__": { "x": 1 } } }', 'missing/.keep': '' });
    const reason = (name: string) => {
      try {
        readConfigData(path.join(root, name));
      } catch (e) {
        return (e as ConfigError).reason;
      }
      return 'read';
    };
    expect(reason('syntax.json')).toMatch(/^invalid JSON: .* \(line 3, column 1\)$/);
    expect(reason('proto.json')).toBe('rules: key "__proto__" is not allowed');
    expect(reason('missing/granule.config.json')).toBe('cannot read config: file not found');
  });
});

describe('mergeConfigs', () => {
  it('keeps the base where the config on top says nothing', () => {
    const base = {
      ...emptyConfig('/base.json'),
      target: 'x86' as const,
      compileCommands: '/build/compile_commands.json',
      reportUnusedDisableDirectives: 'warn' as const,
    };
    const merged = mergeConfigs(base, emptyConfig('/top.json'));
    expect([merged.file, merged.target, merged.compileCommands, merged.reportUnusedDisableDirectives]).toEqual([
      '/top.json',
      'x86',
      '/build/compile_commands.json',
      'warn',
    ]);
  });
});
