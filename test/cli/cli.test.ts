// The built binary, as a user runs it.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';

let dir: string;

beforeAll(() => {
  expect(fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js')), 'run `npm run build` first (npm test does)').toBe(true);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-cli-'));
  fs.writeFileSync(
    path.join(dir, 'leak.c'),
    ['#include <windows.h>', 'void *f(void) {', '    return VirtualAlloc(NULL, 16384, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);', '}', ''].join('\n'),
  );
  fs.writeFileSync(path.join(dir, 'clean.c'), '#include <windows.h>\nvoid *g(void) { return VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_NOACCESS); }\n');
});

describe('granule CLI', () => {
  it('lists the findings of examples/ and exits 1', () => {
    const r = runCli(['examples/']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('examples/fourkbleak/fourkbleak.c');
    expect(r.stdout).toContain(
      '11:12  error    VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller  virtualalloc-granularity',
    );
    expect(r.stdout).toContain(
      "35:13  error    VirtualAlloc reserves 12288 bytes (0x3000); 53248 bytes of its 64 KB granule become unusable; the program's entry point releases it only as it returns, so it lives as long as the program  virtualalloc-granularity",
    );
    // rarely_used() releases its reservation on every path: a transient finding, a warning
    expect(r.stdout).toContain(
      '22:15  warning  VirtualAlloc reserves 16384 bytes (0x4000), 49152 bytes of its 64 KB granule unusable while it lives; it is released on every path before the function returns, so it does not hold the address space  virtualalloc-granularity',
    );
    expect(r.stdout).toContain('examples/fourkbleak/arena.c');
    expect(r.stdout).toContain('examples/fourkbleak-32bit/exhaust.c');
    expect(r.stdout).toMatch(/✖ 5 problems \(4 errors, 1 warning\)/); // 4 in fourkbleak/, 1 in fourkbleak-32bit/
  });

  it('prints the seed example message in compact format', () => {
    const r = runCli(['--format', 'compact', 'leak.c'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      'leak.c:3:12: error: VirtualAlloc reserves 16384 bytes (0x4000); 49152 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller [virtualalloc-granularity]\n',
    );
  });

  it('says "1 byte", not "1 bytes"', () => {
    fs.writeFileSync(path.join(dir, 'one.c'), '#include <windows.h>\nvoid *h(void) { return VirtualAlloc(NULL, 1, MEM_RESERVE, PAGE_NOACCESS); }\n');
    const r = runCli(['--format', 'compact', 'one.c'], { cwd: dir });
    expect(r.stdout).toBe(
      'one.c:2:24: error: VirtualAlloc reserves 1 byte (0x1); 61440 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller [virtualalloc-granularity]\n',
    );
  });

  it('exits 0 on clean code', () => {
    const r = runCli(['clean.c'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('no problems in 1 file');
  });

  it('writes JSON with exact values', () => {
    const r = runCli(['--format', 'json', 'leak.c'], { cwd: dir });
    const report = JSON.parse(r.stdout);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      ruleId: 'virtualalloc-granularity',
      severity: 'error',
      path: 'leak.c',
      range: { start: { line: 3, column: 12 }, end: { line: 3, column: 79 } },
      properties: { api: 'VirtualAlloc', size: '16384', unusable: '49152' },
    });
  });

  it('writes SARIF to --output', () => {
    const out = path.join(dir, 'out.sarif');
    const r = runCli(['--format', 'sarif', '--output', out, '.'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const log = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(log.version).toBe('2.1.0');
    const result = log.runs[0].results[0];
    expect(result.ruleId).toBe('virtualalloc-granularity');
    expect(result.locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'leak.c', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 12, endLine: 3, endColumn: 79 },
    });
    expect(result.properties).toMatchObject({ size: '16384', unusable: '49152' });
  });

  it('applies --target, -D and -I', () => {
    const inc = path.join(dir, 'inc');
    fs.mkdirSync(inc, { recursive: true });
    fs.writeFileSync(path.join(inc, 'sizes.h'), '#define BLOCK (PAGES * 4096)\n');
    fs.writeFileSync(
      path.join(dir, 'flags.c'),
      '#include <sizes.h>\nvoid h(void) {\n  VirtualAlloc(NULL, BLOCK, MEM_RESERVE, PAGE_NOACCESS);\n  VirtualAlloc(NULL, sizeof(void *) * 8192, MEM_RESERVE, PAGE_NOACCESS);\n}\n',
    );
    const withDefine = runCli(['--format', 'compact', '-I', 'inc', '-D', 'PAGES=3', 'flags.c'], { cwd: dir });
    expect(withDefine.stdout).toContain('flags.c:3:3: error: VirtualAlloc reserves 12288 bytes');
    expect(withDefine.stdout).toContain('become unusable [virtualalloc-granularity]');
    // the default checks x86 too, where 4-byte pointers leave half of the granule unused
    expect(withDefine.stdout).toContain(
      'flags.c:4:3: error: VirtualAlloc reserves 32768 bytes (0x8000); 32768 bytes of its 64 KB granule become unusable [x86]',
    );
    expect(runCli(['--format', 'compact', '--target', 'x64', '-I', 'inc', '-D', 'PAGES=3', 'flags.c'], { cwd: dir }).stdout).not.toContain('flags.c:4:');
    const x86 = runCli(['--format', 'compact', '--target', 'x86', '-I', 'inc', '-DPAGES=16', 'flags.c'], { cwd: dir });
    expect(x86.stdout).toBe(
      'flags.c:4:3: error: VirtualAlloc reserves 32768 bytes (0x8000); 32768 bytes of its 64 KB granule become unusable [virtualalloc-granularity]\n',
    );
  });

  it('reports usage errors with exit 2 and one line', () => {
    const bad = runCli(['--format', 'xml', '.'], { cwd: dir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('granule: unknown format "xml" (expected one of: stylish, compact, json, sarif, github, msvc, codeframe)\n');
    const unknown = runCli(['--frobnicate'], { cwd: dir });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe(`granule: unknown option '--frobnicate'\nRun "granule --help" for usage.\n`);
    const target = runCli(['--target', 'mips', '.'], { cwd: dir });
    expect(target.status).toBe(2);
    expect(target.stderr).toBe('granule: unknown target "mips" (expected x64, x86 or arm64, or a list of them: x64,x86)\n');
    const compiler = runCli(['--compiler', 'gcc', '.'], { cwd: dir });
    expect(compiler.status).toBe(2);
    expect(compiler.stderr).toBe('granule: unknown compiler "gcc" (expected msvc, mingw or clang-cl)\n');
  });

  it('stops with one line on stderr when a path is missing, never a finding', () => {
    const r = runCli(['--format', 'compact', 'missing.c', 'leak.c'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('granule: missing.c: no such file or directory\n');
  });

  it('prints --version and --help', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(runCli(['--version']).stdout).toBe(`${pkg.version}\n`);
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: granule [options] [paths...]');
    for (const option of ['--stdin ', '--stdin-filename PATH', '--statistics ', '--cache-location PATH']) expect(help.stdout).toContain(`      ${option}`);
    expect(help.stdout).toContain('(in .granule_cache/, which ignores itself in git)');
  });
});
