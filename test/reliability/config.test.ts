// Broken and hostile configs: one clear message, exit 2, never a stack trace; a broken config in one
// directory costs only the files it governs, the rest of the run is still reported.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { expectHealthy, expectNoStackTrace, HEALTHY, notices, places, scan, workspace } from './helpers.js';

const dirs: string[] = [];
function ws(files: Record<string, string> = {}): string {
  const dir = workspace(files);
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('a broken config', () => {
  it("in one directory drops only that directory's files; the others are reported (exit 2)", () => {
    const dir = ws({ 'sub/x.c': HEALTHY, 'sub/granule.config.json': '{\n  "rules": { "virtualalloc-granularity": "warn" \n' });
    const r = scan(dir, ['.']);
    expect(r.status).toBe(2);
    expect(notices(r.report)).toEqual([
      {
        level: 'error',
        code: 'config',
        message: "invalid config: invalid JSON: Expected ',' or '}' after property value (line 3, column 1)",
        path: 'sub/granule.config.json',
      },
    ]);
    expect(r.report.filesScanned).toBe(1);
    expect(places(r.report)).toEqual(['healthy.c:3:5 virtualalloc-granularity']);
    expect(r.stderr).toBe("granule: sub/granule.config.json: invalid config: invalid JSON: Expected ',' or '}' after property value (line 3, column 1)\n");
  });

  it('given with --config stops the run with one line (exit 2)', () => {
    const dir = ws({ 'broken.json': '{ "rules": ' });
    const r = runCli(['--config', 'broken.json', '.'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`granule: ${path.join(dir, 'broken.json')}: invalid JSON: Unexpected end of JSON input\n`);
  });

  it('that is empty, or not an object, is named as such', () => {
    const dir = ws({ 'empty.json': '', 'array.json': '[]', 'null.json': 'null', 'string.json': '"x"' });
    const messages = ['empty.json', 'array.json', 'null.json', 'string.json'].map((f) => {
      const r = runCli(['--config', f, '.'], { cwd: dir });
      expect(r.status).toBe(2);
      expectNoStackTrace(r);
      return r.stderr.replace(dir + path.sep, '');
    });
    expect(messages).toEqual([
      'granule: empty.json: invalid JSON: Unexpected end of JSON input\n',
      'granule: array.json: a config must be a JSON object, got an array\n',
      'granule: null.json: a config must be a JSON object, got null\n',
      'granule: string.json: a config must be a JSON object, got "x"\n',
    ]);
  });
});

describe('a hostile config', () => {
  /** Runs with `--config h.json` holding `json`; returns exit code and stderr with the directory removed. */
  function withConfig(json: string, extra: Record<string, string> = {}, args: string[] = []) {
    const dir = ws({ 'h.json': json, ...extra });
    const r = runCli(['--format', 'compact', '--config', 'h.json', ...args, '.'], { cwd: dir });
    expectNoStackTrace(r);
    return { status: r.status, stdout: r.stdout, stderr: r.stderr.split(dir + path.sep).join('') };
  }

  it('prototype keys are refused wherever they appear', () => {
    expect(withConfig('{"__proto__": {"polluted": true}}')).toEqual({ status: 2, stdout: '', stderr: 'granule: h.json: key "__proto__" is not allowed\n' });
    expect(withConfig('{"rules": {"__proto__": {"polluted": true}}}')).toEqual({
      status: 2,
      stdout: '',
      stderr: 'granule: h.json: rules: key "__proto__" is not allowed\n',
    });
    expect(withConfig('{"defines": {"constructor": "1"}}')).toEqual({
      status: 2,
      stdout: '',
      stderr: 'granule: h.json: defines: key "constructor" is not allowed\n',
    });
    expect(withConfig('{"constructor": {"prototype": {"x": 1}}}')).toEqual({
      status: 2,
      stdout: '',
      stderr: 'granule: h.json: key "constructor" is not allowed\n',
    });
  });

  it('values of the wrong type are named with their key', () => {
    expect(withConfig('{"target": 5}').stderr).toBe('granule: h.json: target: must be one of x64, x86, arm64, got 5\n');
    expect(withConfig('{"rules": "all"}').stderr).toBe('granule: h.json: rules: must be an object of rule id → level, got "all"\n');
    expect(withConfig('{"ignores": [1, 2]}').stderr).toBe('granule: h.json: ignores[0]: must be a non-empty string, got 1\n');
    expect(withConfig('{"rules": {"unresolved-allocation-size": ["error", {"x": 1}]}}').stderr).toBe(
      'granule: h.json: rules.unresolved-allocation-size: this rule takes no options\n',
    );
    expect(withConfig('{"rules": {"virtualalloc-granularity": ["error", {"x": 1}]}}').stderr).toBe(
      'granule: h.json: rules.virtualalloc-granularity[1]: unknown option "x"\n',
    );
    expect(withConfig('{"rules": {"virtualalloc-granularity": ["error", {"transient": "sometimes"}]}}').stderr).toMatch(
      /^granule: h\.json: rules\.virtualalloc-granularity\[1\]\.transient: /,
    );
    expect(withConfig('{"defines": {"A": 1e999}}')).toMatchObject({ status: 2, stdout: '' });
    expect(withConfig('{"defines": {"A": 1e999}}').stderr).toMatch(/^granule: h\.json: defines\.A: must be a string, number or boolean, got /);
  });

  it('huge numbers are read as data and never become a guessed size', () => {
    const source = 'void *os_reserve(SIZE_T n);\nvoid g(void) { os_reserve(4096); VirtualAlloc(NULL, BIG, MEM_RESERVE, PAGE_NOACCESS); }\n';
    const r = withConfig('{"wrappers": [{"name": "os_reserve", "sizeArg": 1e308}], "defines": {"BIG": 123456789012345678901234567890}}', { 'w.c': source }, [
      '--rule',
      'unresolved-allocation-size:warn',
    ]);
    expect(r).toEqual({
      status: 1,
      stderr: '',
      stdout: [
        'healthy.c:3:5: error: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable [virtualalloc-granularity]',
        "w.c:2:16: warning: os_reserve's size could not be proven: argument 1e+308 is missing [unresolved-allocation-size]",
        "w.c:2:34: warning: VirtualAlloc's size could not be proven: 1.2345678901234568e+29 is a floating-point number [unresolved-allocation-size]",
        '',
      ].join('\n'),
    });
  });

  it('a huge config is read without a crash', () => {
    const defines: Record<string, string> = {};
    for (let i = 0; i < 20_000; i++) defines[`M${i}`] = String(i);
    const dir = ws({ 'h.json': JSON.stringify({ defines }) });
    const r = scan(dir, ['--config', 'h.json', '.']);
    expect(r.status).toBe(1);
    expectHealthy(r.report);
  });
});
