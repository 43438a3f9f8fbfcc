// Config files as a user writes them: lookup per file, extends, validation messages, ignores, and the
// settings that reach the analysis. Runs the built binary.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { unavailable } from '../helpers/requirements.js';
import { json, makeTree, reserveFile } from '../helpers/tree.js';

interface JsonFinding {
  path: string;
  ruleId: string;
  severity: string;
  range: { start: { line: number } };
  properties: Record<string, string>;
  suppressed?: unknown;
}

function lint(cwd: string, ...args: string[]): { status: number; findings: string[]; stderr: string; stdout: string } {
  const r = runCli(['-f', 'json', ...args], { cwd });
  let findings: string[] = [];
  if (r.stdout.startsWith('{')) {
    const report = JSON.parse(r.stdout) as { findings: JsonFinding[] };
    findings = report.findings.map((f) => `${f.path}:${f.range.start.line} ${f.ruleId} ${f.severity} ${f.properties.size ?? '?'}`);
  }
  return { status: r.status, findings, stderr: r.stderr, stdout: r.stdout };
}

describe('config lookup', () => {
  it('uses the nearest granule.config.json or package.json "granule" key above each file', () => {
    const root = makeTree({
      'granule.config.json': json({ rules: { 'virtualalloc-granularity': 'warn' } }),
      'a.c': reserveFile('4096'),
      'quiet/granule.config.json': json({ rules: { 'virtualalloc-granularity': 'off' } }),
      'quiet/b.c': reserveFile('4096'),
      'pkg/package.json': json({ name: 'pkg', granule: { defines: { SIZE: '8192' } } }),
      'pkg/c.c': reserveFile('SIZE'),
      // a package.json without the key is walked past
      'plain/package.json': json({ name: 'plain' }),
      'plain/d.c': reserveFile('12288'),
    });
    const r = lint(root, '.');
    expect(r.findings).toEqual([
      'a.c:3 virtualalloc-granularity warn 4096',
      'pkg/c.c:3 virtualalloc-granularity error 8192',
      'plain/d.c:3 virtualalloc-granularity warn 12288',
    ]);
    expect(r.status).toBe(1);
  });

  it('--config applies one file to every file and skips the lookup', () => {
    const root = makeTree({
      'granule.config.json': json({ rules: { 'virtualalloc-granularity': 'off' } }),
      'ci.json': json({ rules: { 'virtualalloc-granularity': 'warn' } }),
      'sub/granule.config.json': json({ rules: { 'virtualalloc-granularity': 'off' } }),
      'a.c': reserveFile('4096'),
      'sub/b.c': reserveFile('8192'),
    });
    expect(lint(root, '--config', 'ci.json', '.').findings).toEqual([
      'a.c:3 virtualalloc-granularity warn 4096',
      'sub/b.c:3 virtualalloc-granularity warn 8192',
    ]);
    expect(lint(root, '.').findings).toEqual([]);
  });

  it('accepts comments and $schema in granule.config.json', () => {
    const root = makeTree({
      'granule.config.json':
        '{\n  "$schema": "https://example.com/granule.schema.json",\n  // warn while we migrate\n  "rules": { /* inline */ "virtualalloc-granularity": "warn" }\n}\n',
      'a.c': reserveFile('4096'),
    });
    expect(lint(root, '.').findings).toEqual(['a.c:3 virtualalloc-granularity warn 4096']);
  });
});

describe('extends', () => {
  it('granule:strict turns on unresolved-allocation-size; granule:recommended is the default set', () => {
    const root = makeTree({
      'a.c': ['#include <windows.h>', 'void f(SIZE_T n) {', '  VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_READWRITE);', '}', ''].join('\n'),
    });
    expect(lint(root, '.').findings).toEqual([]);
    fs.writeFileSync(path.join(root, 'granule.config.json'), json({ extends: 'granule:recommended' }));
    expect(lint(root, '.').findings).toEqual([]);
    fs.writeFileSync(path.join(root, 'granule.config.json'), json({ extends: 'granule:strict' }));
    expect(lint(root, '.').findings).toEqual(['a.c:3 unresolved-allocation-size warn ?']);
  });

  it('merges a relative base under the file: a bare level keeps the base options, lists accumulate', () => {
    const root = makeTree({
      'base/granule.config.json': json({
        extends: ['granule:strict'],
        rules: { 'large-page-size': ['error', { largePageMinimum: 4096 }] },
        defines: { A: '1', B: '2' },
        includePaths: ['inc'],
        ignores: ['gen/**'],
      }),
      'app/granule.config.json': json({ extends: '../base', rules: { 'large-page-size': 'warn' }, defines: { B: '3' }, includePaths: ['include'] }),
      'app/a.c': reserveFile('1'),
    });
    const r = runCli(['--print-config', 'app/a.c'], { cwd: root });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      file: path.join(root, 'app/a.c'),
      configFile: path.join(root, 'app/granule.config.json'),
      extends: ['granule:recommended', 'granule:strict', path.join(root, 'base/granule.config.json')],
      ignored: false,
      target: ['x64', 'x86'],
      compiler: 'msvc',
      includeSearch: true,
      includeSearchFound: {},
      rules: {
        'virtualalloc-granularity': ['error', { transient: 'warn' }],
        'large-page-size': ['warn', { largePageMinimum: 4096 }],
        'mapview-granularity': ['error', { transient: 'warn' }],
        'unresolved-allocation-size': ['warn'],
        'virtualfree-misuse': ['error'],
      },
      defines: { A: '1', B: '3' },
      undefines: [],
      includePaths: [path.join(root, 'app/include'), path.join(root, 'base/inc')],
      forceIncludes: [],
      ignores: [path.join(root, 'base/gen/**')],
      wrappers: [],
      compileCommands: null,
      reportUnusedDisableDirectives: 'error',
    });
  });

  it('reports a cycle in extends with the chain', () => {
    const root = makeTree({
      'granule.config.json': json({ extends: './one.json' }),
      'one.json': json({ extends: './two.json' }),
      'two.json': json({ extends: './granule.config.json' }),
      'a.c': reserveFile('4096'),
    });
    const r = runCli(['-c', 'granule.config.json', '.'], { cwd: root });
    expect(r.status).toBe(2);
    const [g, one, two] = ['granule.config.json', 'one.json', 'two.json'].map((f) => path.join(root, f));
    expect(r.stderr).toBe(`granule: ${two}: "extends" makes a cycle: ${g} → ${one} → ${two} → ${g}\n`);
  });
});

describe('invalid configs: exit 2 with the file and the reason', () => {
  const known = 'virtualalloc-granularity, large-page-size, mapview-granularity, unresolved-allocation-size, virtualfree-misuse';
  const cases: [string, string, string][] = [
    [
      'unknown key',
      json({ rule: {} }),
      'rule: unknown key (expected one of: extends, rules, ignores, defines, undefines, includePaths, forceIncludes, target, compiler, includeSearch, wrappers, compileCommands, projects, projectConfigurations, reportUnusedDisableDirectives)',
    ],
    ['unknown rule', json({ rules: { nope: 'error' } }), `rules.nope: unknown rule "nope" (known: ${known})`],
    [
      'bad level',
      json({ rules: { 'virtualalloc-granularity': 'warning' } }),
      'rules.virtualalloc-granularity: must be "off", "warn" or "error" (or 0, 1, 2), got "warning"',
    ],
    ['bad level in a list', json({ rules: { 'large-page-size': [3] } }), 'rules.large-page-size[0]: must be "off", "warn" or "error" (or 0, 1, 2), got 3'],
    [
      'option out of range (ajv, rule schema)',
      json({ rules: { 'large-page-size': ['error', { largePageMinimum: 100 }] } }),
      'rules.large-page-size[1].largePageMinimum: must be >= 4096',
    ],
    [
      'option too large to represent (1e400 reads as Infinity)',
      '{"rules": {"large-page-size": ["error", {"largePageMinimum": 1e400}]}}',
      'rules.large-page-size[1].largePageMinimum: is too large to represent',
    ],
    [
      'option rounded when read (past 2^53)',
      '{"rules": {"large-page-size": ["error", {"largePageMinimum": 9007199254740993}]}}',
      'rules.large-page-size[1].largePageMinimum: must be at most 9007199254740991 (a larger integer is rounded when read)',
    ],
    [
      'option of the wrong type',
      json({ rules: { 'large-page-size': ['error', { largePageMinimum: 'big' }] } }),
      'rules.large-page-size[1].largePageMinimum: must be integer',
    ],
    ['unknown option', json({ rules: { 'large-page-size': ['error', { minimum: 4096 }] } }), 'rules.large-page-size[1]: unknown option "minimum"'],
    [
      'options for a rule without any',
      json({ rules: { 'unresolved-allocation-size': ['error', {}] } }),
      'rules.unresolved-allocation-size: this rule takes no options',
    ],
    ['__proto__ key', '{"rules": {"__proto__": {"polluted": true}}}', 'rules: key "__proto__" is not allowed'],
    ['constructor key at the top', '{"constructor": {"prototype": {}}}', 'key "constructor" is not allowed'],
    // nested thousands of levels deep: one message, no stack overflow
    [
      '5,000 levels deep',
      `{"deep": ${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
      'deep: unknown key (expected one of: extends, rules, ignores, defines, undefines, includePaths, forceIncludes, target, compiler, includeSearch, wrappers, compileCommands, projects, projectConfigurations, reportUnusedDisableDirectives)',
    ],
    [
      '__proto__ 5,000 levels deep',
      `{"rules": {"x": ${'['.repeat(5000)}{"__proto__": 1}${']'.repeat(5000)}}}`,
      `rules.x${'[0]'.repeat(5000)}: key "__proto__" is not allowed`,
    ],
    [
      "a level named like an object's prototype member",
      json({ rules: { 'virtualalloc-granularity': 'constructor' } }),
      'rules.virtualalloc-granularity: must be "off", "warn" or "error" (or 0, 1, 2), got "constructor"',
    ],
    [
      'reportUnusedDisableDirectives named like a prototype member',
      json({ reportUnusedDisableDirectives: 'toString' }),
      'reportUnusedDisableDirectives: must be "off", "warn", "error" or a boolean, got "toString"',
    ],
    ['bad target', json({ target: 'x128' }), 'target: must be one of x64, x86, arm64, got "x128"'],
    ['bad compiler', json({ compiler: 'gcc' }), 'compiler: must be one of msvc, mingw, clang-cl, got "gcc"'],
    ['bad includeSearch', json({ includeSearch: 'no' }), 'includeSearch: must be a boolean, got "no"'],
    ['JSON syntax', '{\n  "rules": {\n    "a": 1,,\n  }\n}\n', 'invalid JSON: Expected double-quoted property name (line 3, column 12)'],
    ['not an object', '[]', 'a config must be a JSON object, got an array'],
    [
      'bare extends',
      json({ extends: 'granule-config-acme' }),
      'extends "granule-config-acme": expected granule:recommended, granule:strict or a path starting with ./ or ../',
    ],
    [
      'unknown shareable config',
      json({ extends: 'granule:lax' }),
      'extends "granule:lax": no such shareable config (expected granule:recommended or granule:strict)',
    ],
    ['bad macro name', json({ defines: { '1X': '2' } }), 'defines.1X: "1X" is not a macro name'],
    ['bad ignores', json({ ignores: [1] }), 'ignores[0]: must be a non-empty string, got 1'],
    ['wrapper without sizeArg', json({ wrappers: [{ name: 'os_reserve' }] }), 'wrappers[0].sizeArg: is missing (the 0-based index of the size argument)'],
    [
      'bad reportUnusedDisableDirectives',
      json({ reportUnusedDisableDirectives: 'maybe' }),
      'reportUnusedDisableDirectives: must be "off", "warn", "error" or a boolean, got "maybe"',
    ],
  ];
  it.each(cases)('%s (--config)', (_name, text, reason) => {
    const root = makeTree({ 'granule.config.json': text, 'a.c': reserveFile('4096') });
    const r = runCli(['--config', 'granule.config.json', '.'], { cwd: root });
    expect(r.stderr).toBe(`granule: ${path.join(root, 'granule.config.json')}: ${reason}\n`);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(2);
  });

  it('a missing extends target and a missing compilation database name the path', () => {
    const root = makeTree({
      'granule.config.json': json({ extends: './missing.json' }),
      'db/granule.config.json': json({ compileCommands: 'build' }),
      'a.c': reserveFile('1'),
    });
    let r = runCli(['-c', 'granule.config.json', 'a.c'], { cwd: root });
    expect(r.stderr).toBe(
      `granule: ${path.join(root, 'granule.config.json')}: extends "./missing.json": file not found (${path.join(root, 'missing.json')})\n`,
    );
    r = runCli(['-c', 'db/granule.config.json', 'a.c'], { cwd: root });
    expect(r.stderr).toBe(`granule: ${path.join(root, 'db/granule.config.json')}: compileCommands: ${path.join(root, 'db/build')} does not exist\n`);
    expect(r.status).toBe(2);
  });

  it('a broken config found by lookup stops its files, not the others, and the run exits 2', () => {
    const root = makeTree({
      'good/a.c': reserveFile('4096'),
      'bad/granule.config.json': '{ "rules": { "virtualalloc-granularity": "loud" } }',
      'bad/b.c': reserveFile('8192'),
      'bad/c.c': reserveFile('12288'),
    });
    const r = lint(root, '.');
    expect(r.findings).toEqual(['good/a.c:3 virtualalloc-granularity error 4096']);
    expect(r.stderr).toBe(
      'granule: bad/granule.config.json: invalid config: rules.virtualalloc-granularity: must be "off", "warn" or "error" (or 0, 1, 2), got "loud"\n',
    );
    expect(r.status).toBe(2);
    const stylish = runCli(['.'], { cwd: root });
    expect(stylish.status).toBe(2);
    expect(stylish.stdout).toContain(
      'bad/granule.config.json\n  0:0  error  invalid config: rules.virtualalloc-granularity: must be "off", "warn" or "error" (or 0, 1, 2), got "loud"  config\n',
    );
  });

  it('config is data: a path to a script is read as JSON and never run', () => {
    const root = makeTree({
      'granule.config.json': json({ extends: './evil.js' }),
      'evil.js': `require('fs').writeFileSync(${JSON.stringify('PWNED')}, 'x'); module.exports = {};\n`,
      'a.c': reserveFile('4096'),
    });
    const r = runCli(['-c', 'granule.config.json', '.'], { cwd: root });
    expect(r.status).toBe(2);
    // (the file's first characters, which V8 quotes, are not repeated: the file may be anything)
    expect(r.stderr).toBe(
      `granule: ${path.join(root, 'evil.js')}: invalid JSON: Unexpected token 'r' (extended by ${path.join(root, 'granule.config.json')})\n`,
    );
    expect(fs.existsSync(path.join(root, 'PWNED'))).toBe(false);
  });

  it('extends only ./ and ../ paths, and reads only regular files of a bounded size', () => {
    const root = makeTree({ 'a.c': reserveFile('4096'), 'big.json': `{"rules": {}, "pad": "${'x'.repeat(17 << 20)}"}` });
    const config = path.join(root, 'granule.config.json');
    const cases: [unknown, string][] = [
      ['/etc/passwd', 'extends "/etc/passwd": expected granule:recommended, granule:strict or a path starting with ./ or ../'],
      ['../../../../../../../../dev/zero', 'cannot read config: not a regular file'],
      ['./big.json', 'cannot read config: larger than 16777216 bytes'],
    ];
    for (const [spec, reason] of cases) {
      fs.writeFileSync(config, json({ extends: spec }));
      const r = runCli(['-c', 'granule.config.json', '.'], { cwd: root });
      const where = reason.startsWith('extends') ? config : path.resolve(root, String(spec));
      expect(r.stderr).toBe(`granule: ${where}: ${reason}${where === config ? '' : ` (extended by ${config})`}\n`);
      expect(r.status).toBe(2);
    }
  });

  it('ignores from a config are matched in time linear in the name (a backtracking glob took minutes)', () => {
    const long = `${'a'.repeat(44)}.c`;
    const root = makeTree({
      'granule.config.json': json({ ignores: ['((((((((((a*)*)*)*)*)*)*)*)*)*)!', '*a*a*a*a*a*a*a*a*a*a*a*a*b.c'] }),
      [long]: reserveFile('4096'),
      [`${'a'.repeat(40)}b.c`]: reserveFile('4096'),
    });
    const started = Date.now();
    const r = lint(root, '.');
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.findings).toEqual([`${long}:3 virtualalloc-granularity error 4096`]);
  });

  it.skipIf(process.platform === 'win32' || unavailable('mkfifo'))(
    'a config, a compilation database or package.json that is a FIFO or a device is refused without reading it',
    () => {
      const root = makeTree({ 'a.c': reserveFile('4096'), 'db/granule.config.json': json({ compileCommands: '/dev/zero' }) });
      execFileSync('mkfifo', [path.join(root, 'fifo.json')]);
      // (a FIFO opened for reading blocks until a writer comes: the run would hang)
      let r = runCli(['-c', 'fifo.json', '.'], { cwd: root });
      expect(r.stderr).toBe(`granule: ${path.join(root, 'fifo.json')}: cannot read config: not a regular file\n`);
      expect(r.status).toBe(2);
      r = runCli(['-c', 'db/granule.config.json', 'a.c'], { cwd: root });
      expect(r.stdout).toContain('/dev/zero\n  0:0  error  cannot read /dev/zero: not a regular file  config\n');
      expect(r.status).toBe(2);
    },
  );
});

describe('settings that reach the analysis', () => {
  it('defines, includePaths, target and wrappers; the command line wins over the config', () => {
    const root = makeTree({
      'granule.config.json': json({ defines: { SIZE: 12288 }, includePaths: ['inc'], target: 'x86', wrappers: [{ name: 'os_reserve', sizeArg: 0 }] }),
      'inc/sizes.h': '#define HDR 8192\n',
      'a.c': [
        '#include <windows.h>',
        '#include "sizes.h"',
        'void os_reserve(SIZE_T n);',
        'void f(void) {',
        '  VirtualAlloc(NULL, SIZE, MEM_RESERVE, PAGE_READWRITE);',
        '  VirtualAlloc(NULL, sizeof(void *) * 1024, MEM_RESERVE, PAGE_READWRITE);',
        '  VirtualAlloc(NULL, HDR, MEM_RESERVE, PAGE_READWRITE);',
        '  os_reserve(4096);',
        '}',
        '',
      ].join('\n'),
    });
    expect(lint(root, '.').findings).toEqual([
      'a.c:5 virtualalloc-granularity error 12288',
      'a.c:6 virtualalloc-granularity error 4096',
      'a.c:7 virtualalloc-granularity error 8192',
      'a.c:8 virtualalloc-granularity error 4096',
    ]);
    expect(lint(root, '--target', 'x64', '-D', 'SIZE=65536', '.').findings).toEqual([
      'a.c:6 virtualalloc-granularity error 8192',
      'a.c:7 virtualalloc-granularity error 8192',
      'a.c:8 virtualalloc-granularity error 4096',
    ]);
    expect(lint(root, '--rule', 'virtualalloc-granularity:warn', '.').findings.map((f) => f.split(' ')[2])).toEqual(['warn', 'warn', 'warn', 'warn']);
  });

  it('compileCommands names the build directory of a compile_commands.json', () => {
    const root = makeTree({ 'a.c': reserveFile('SIZE'), 'granule.config.json': json({ compileCommands: 'build' }) });
    fs.mkdirSync(path.join(root, 'build'));
    fs.writeFileSync(path.join(root, 'build/compile_commands.json'), json([{ directory: root, file: 'a.c', arguments: ['cc', '-DSIZE=20480', '-c', 'a.c'] }]));
    expect(lint(root, '.').findings).toEqual(['a.c:3 virtualalloc-granularity error 20480']);
  });
});

describe('ignores', () => {
  it('skips matching files, also when they are named on the command line (as pre-commit does)', () => {
    const root = makeTree({
      'granule.config.json': json({ ignores: ['third_party/', '*.gen.c', 'src/legacy/**', '!src/legacy/keep.c'] }),
      'a.c': reserveFile('4096'),
      'third_party/zlib/z.c': reserveFile('4096'),
      'src/tables.gen.c': reserveFile('4096'),
      'src/legacy/old.c': reserveFile('4096'),
      'src/legacy/keep.c': reserveFile('4096'),
    });
    expect(lint(root, '.').findings).toEqual(['a.c:3 virtualalloc-granularity error 4096', 'src/legacy/keep.c:3 virtualalloc-granularity error 4096']);
    const r = lint(root, 'third_party/zlib/z.c', 'src/tables.gen.c');
    expect(r.findings).toEqual([]);
    expect(r.status).toBe(0);
    const printed = JSON.parse(runCli(['--print-config', 'src/legacy/old.c'], { cwd: root }).stdout) as { ignored: boolean };
    expect(printed.ignored).toBe(true);
  });

  it('patterns are relative to the config that wrote them', () => {
    const root = makeTree({
      'granule.config.json': json({ ignores: ['/gen/'] }),
      'gen/a.c': reserveFile('4096'),
      'app/granule.config.json': json({ extends: '../granule.config.json' }),
      'app/gen/b.c': reserveFile('8192'),
    });
    expect(lint(root, '.').findings).toEqual(['app/gen/b.c:3 virtualalloc-granularity error 8192']);
  });
});

describe('--print-config', () => {
  it('prints the defaults when no config applies, with the command line folded in', () => {
    const root = makeTree({ 'a.c': reserveFile('1') });
    const r = runCli(['--print-config', 'a.c', '-D', 'X=2', '-I', 'inc', '--rule', 'mapview-granularity:off', '--report-unused-disable-directives'], {
      cwd: root,
    });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      file: path.join(root, 'a.c'),
      configFile: null,
      extends: [],
      ignored: false,
      target: ['x64', 'x86'],
      compiler: 'msvc',
      includeSearch: true,
      includeSearchFound: {},
      rules: {
        'virtualalloc-granularity': ['error', { transient: 'warn' }],
        'large-page-size': ['error', { largePageMinimum: 2097152 }],
        'mapview-granularity': ['off'],
        'unresolved-allocation-size': ['off'],
        'virtualfree-misuse': ['error'],
      },
      defines: { X: '2' },
      undefines: [],
      includePaths: [path.join(root, 'inc')],
      forceIncludes: [],
      ignores: [],
      wrappers: [],
      compileCommands: null,
      reportUnusedDisableDirectives: 'error',
    });
  });

  it('exits 2 with the reason when the config for the file is broken', () => {
    const root = makeTree({ 'granule.config.json': '{"target": 64}', 'a.c': reserveFile('1') });
    const r = runCli(['--print-config', 'a.c'], { cwd: root });
    expect(r.stderr).toBe(`granule: ${path.join(root, 'granule.config.json')}: target: must be one of x64, x86, arm64, got 64\n`);
    expect(r.status).toBe(2);
  });
});
