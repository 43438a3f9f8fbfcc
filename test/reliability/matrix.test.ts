// The bad-input matrix: each case is one kind of broken or hostile input next to a healthy file, run
// through the built binary. Each asserts the exact message, the exit code, and that the healthy file's
// finding is still reported: one bad file never costs the others their results.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { unavailable } from '../helpers/requirements.js';
import { expectHealthy, expectNoStackTrace, HEALTHY, isRoot, notices, places, runUnprivileged, scan, scanAsNobody, workspace } from './helpers.js';

const CALL = 'VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS);';
const UNRESOLVED = ['--rule', 'unresolved-allocation-size:warn'];
const dirs: string[] = [];

function ws(files: Record<string, string | Buffer> = {}, healthy = true): string {
  const dir = workspace(files, healthy);
  dirs.push(dir);
  return dir;
}

beforeAll(() => {
  expect(fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js')), 'run `npm run build` first (npm test does)').toBe(true);
});

afterAll(() => {
  for (const dir of dirs) {
    // the permission cases leave modes that stop a recursive delete
    for (const name of ['secret.c', 'locked']) if (fs.existsSync(path.join(dir, name))) fs.chmodSync(path.join(dir, name), 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// A path given on the command line that cannot be checked stops the run, as ESLint stops on a pattern that
// matches nothing: one line on stderr, exit 2, no report (a report without it would look clean). The other
// paths given are not linted either: the command line is wrong and the user fixes it first.
describe('paths that are not there', () => {
  it('a missing path stops the run (exit 2): one line on stderr, no report, in every format', () => {
    const dir = ws();
    for (const format of ['stylish', 'compact', 'json', 'sarif', 'github']) {
      const r = runCli(['--format', format, 'missing.c', 'healthy.c'], { cwd: dir });
      expect(r.status, format).toBe(2);
      expect(r.stderr, format).toBe('granule: missing.c: no such file or directory\n');
      expect(r.stdout, format).toBe('');
    }
  });

  it('an empty directory is a warning, not an error', () => {
    const dir = ws();
    fs.mkdirSync(path.join(dir, 'empty'));
    const r = scan(dir, ['empty', 'healthy.c']);
    expect(r.status).toBe(1);
    expect(notices(r.report)).toEqual([{ level: 'warning', code: 'no-files', message: 'no C or C++ source files found', path: 'empty' }]);
    expectHealthy(r.report);
    expectNoStackTrace(r);
  });

  it('a directory named like a source file is searched as a directory, given or found', () => {
    const dir = ws({ 'foo.c/inner.c': HEALTHY });
    fs.mkdirSync(path.join(dir, 'bar.c'));
    const found = scan(dir, ['.']);
    expect(found.status).toBe(1);
    expect(notices(found.report)).toEqual([]);
    expect(places(found.report)).toEqual(['foo.c/inner.c:3:5 virtualalloc-granularity', 'healthy.c:3:5 virtualalloc-granularity']);
    const given = scan(dir, ['bar.c', 'foo.c', 'healthy.c']);
    expect(given.status).toBe(1);
    expect(notices(given.report)).toEqual([{ level: 'warning', code: 'no-files', message: 'no C or C++ source files found', path: 'bar.c' }]);
    expect(places(given.report)).toEqual(['foo.c/inner.c:3:5 virtualalloc-granularity', 'healthy.c:3:5 virtualalloc-granularity']);
  });

  it('a broken symbolic link on the command line is named as such (exit 2)', () => {
    const dir = ws();
    fs.symlinkSync('nowhere.c', path.join(dir, 'broken.c'));
    const r = runCli(['--format', 'json', 'broken.c', 'healthy.c'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('granule: broken.c: broken symbolic link\n');
    expect(r.stdout).toBe('');
  });

  it('a symbolic link loop on the command line is named as such (exit 2)', () => {
    const dir = ws();
    fs.symlinkSync('loop2.c', path.join(dir, 'loop1.c'));
    fs.symlinkSync('loop1.c', path.join(dir, 'loop2.c'));
    const r = runCli(['--format', 'json', 'loop1.c', 'healthy.c'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('granule: loop1.c: symbolic link loop\n');
    expect(r.stdout).toBe('');
  });

  it('every path that cannot be checked gets its line, in the order given; a name is printed escaped', () => {
    const dir = ws();
    const r = runCli(['--format', 'sarif', 'gone.c', 'healthy.c', 'evil\u001b[31m\nname.c', 'gone-dir'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'granule: gone.c: no such file or directory\ngranule: evil\\x1b[31m\\nname.c: no such file or directory\ngranule: gone-dir: no such file or directory\n',
    );
    expect(r.stdout).toBe('');
  });

  it('no report file is written when a path is missing', () => {
    const dir = ws();
    const r = runCli(['--format', 'sarif', '-o', 'out.sarif', 'missing.c', 'healthy.c'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('granule: missing.c: no such file or directory\n');
    expect(fs.existsSync(path.join(dir, 'out.sarif'))).toBe(false);
  });

  it('symbolic links inside a scanned directory are not followed: broken ones and loops cost nothing', () => {
    const dir = ws();
    fs.symlinkSync('nowhere.c', path.join(dir, 'broken.c'));
    fs.symlinkSync('loop2.c', path.join(dir, 'loop1.c'));
    fs.symlinkSync('loop1.c', path.join(dir, 'loop2.c'));
    fs.symlinkSync('healthy.c', path.join(dir, 'alias.c'));
    fs.symlinkSync('.', path.join(dir, 'self'));
    const r = scan(dir, ['.']);
    expect(r.status).toBe(1);
    expect(notices(r.report)).toEqual([]);
    expect(r.report.filesScanned).toBe(1);
    expect(places(r.report)).toEqual(['healthy.c:3:5 virtualalloc-granularity']);
  });
});

describe.skipIf(unavailable('file-modes', 'setpriv'))('files that cannot be read', () => {
  it('a file that cannot be read and a directory that cannot be listed, given by name, stop the run (exit 2)', () => {
    const dir = ws({ 'secret.c': HEALTHY, 'locked/hidden.c': HEALTHY });
    fs.chmodSync(path.join(dir, 'secret.c'), 0);
    fs.chmodSync(path.join(dir, 'locked'), 0);
    // (root reads any file whatever its mode: the permission check needs an ordinary user)
    for (const format of ['stylish', 'compact', 'json', 'sarif', 'github']) {
      const r = runUnprivileged(dir, ['--format', format, 'secret.c', 'locked', 'healthy.c']);
      expect(r.status, format).toBe(2);
      expect(r.stderr, format).toBe('granule: secret.c: cannot read file: permission denied\ngranule: locked: cannot list directory: permission denied\n');
      expect(r.stdout, format).toBe('');
    }
  });

  it('a file that cannot be read, inside a scanned tree, gets one notice; the rest is linted', () => {
    const dir = ws({ 'secret.c': HEALTHY });
    fs.chmodSync(path.join(dir, 'secret.c'), 0);
    const r = isRoot() ? scanAsNobody(dir, ['.']) : scan(dir, ['.']);
    expect(r.status).toBe(1);
    expect(notices(r.report)).toEqual([{ level: 'error', code: 'unreadable', message: 'cannot read file: permission denied', path: 'secret.c' }]);
    expect(r.stderr).toBe('granule: secret.c: cannot read file: permission denied\n');
    expect(places(r.report)).toEqual(['healthy.c:3:5 virtualalloc-granularity']);
  });

  it('a subdirectory that cannot be listed, inside a scanned tree, gets one message; the rest is linted', () => {
    const dir = ws({ 'locked/hidden.c': HEALTHY, 'open/seen.c': HEALTHY });
    fs.chmodSync(path.join(dir, 'locked'), 0);
    const r = isRoot() ? scanAsNobody(dir, ['.']) : scan(dir, ['.']);
    const reason = `EACCES: permission denied, scandir '${path.join(dir, 'locked')}'`;
    expect(r.status).toBe(1);
    expect(notices(r.report)).toEqual([
      { level: 'error', code: 'unreadable', message: `cannot list directory (${reason}); its files are not linted`, path: 'locked' },
    ]);
    expect(r.stderr).toBe(`granule: locked: cannot list directory (${reason}); its files are not linted\n`);
    expect(places(r.report)).toEqual(['healthy.c:3:5 virtualalloc-granularity', 'open/seen.c:3:5 virtualalloc-granularity']);
  });

  it('a binary file with a .c name is skipped with a warning, whether or not it contains an API name', () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37) & 0xff;
    const dir = ws({ 'blob.c': bytes, 'blob-api.c': Buffer.concat([bytes, Buffer.from(CALL)]) });
    const r = scan(dir, ['.']);
    expect(r.status).toBe(1);
    expect(notices(r.report)).toEqual([
      { level: 'warning', code: 'binary', message: 'binary file (contains NUL bytes); skipped', path: 'blob-api.c' },
      { level: 'warning', code: 'binary', message: 'binary file (contains NUL bytes); skipped', path: 'blob.c' },
    ]);
    expect(places(r.report)).toEqual(['healthy.c:3:5 virtualalloc-granularity']);
  });
});

describe('encodings and line endings: positions stay exact', () => {
  it('invalid UTF-8 is read with replacement characters; columns count them', () => {
    const text = Buffer.concat([Buffer.from('void f(void) {\n  /* \xff\xfe */ ', 'latin1'), Buffer.from(`${CALL}\n}\n`)]);
    const dir = ws({ 'latin.c': text });
    const r = scan(dir, ['.']);
    expect(r.status).toBe(1);
    expect(notices(r.report)).toEqual([{ level: 'note', code: 'encoding', message: 'invalid UTF-8; undecodable bytes were read as U+FFFD', path: 'latin.c' }]);
    expect(places(r.report)).toEqual(['healthy.c:3:5 virtualalloc-granularity', 'latin.c:2:12 virtualalloc-granularity']);
  });

  it('UTF-16 with a byte order mark (either byte order) is decoded; lines and columns are those of the text', () => {
    const text = `// ünïcödé comment\nvoid f(void) {\n\t${CALL}\n}\n`;
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    const dir = ws({ 'le.c': le, 'be.c': be });
    const r = scan(dir, ['.']);
    expect(r.status).toBe(1);
    expect(notices(r.report)).toEqual([
      { level: 'note', code: 'encoding', message: 'read as UTF-16BE (byte order mark)', path: 'be.c' },
      { level: 'note', code: 'encoding', message: 'read as UTF-16LE (byte order mark)', path: 'le.c' },
    ]);
    expect(places(r.report)).toEqual(['be.c:3:2 virtualalloc-granularity', 'healthy.c:3:5 virtualalloc-granularity', 'le.c:3:2 virtualalloc-granularity']);
    const le3 = r.report.findings.find((f) => f.path === 'le.c')!;
    expect(le3.range).toEqual({ start: { line: 3, column: 2, offset: 35 }, end: { line: 3, column: 54, offset: 87 } });
  });

  it('CRLF, lone CR and mixed line endings keep lines, columns and offsets exact', () => {
    const body = (eol: string) => `void f(void) {${eol}${eol}  ${CALL}${eol}}${eol}`;
    const dir = ws({ 'crlf.c': body('\r\n'), 'cr.c': body('\r'), 'mixed.c': `void f(void) {\r\n\r  int x;\n  ${CALL}\r}\n` });
    const r = scan(dir, ['.']);
    expect(r.status).toBe(1);
    expect(notices(r.report)).toEqual([]);
    const range = (p: string) => r.report.findings.find((f) => f.path === p)!.range;
    expect(range('crlf.c')).toEqual({ start: { line: 3, column: 3, offset: 20 }, end: { line: 3, column: 55, offset: 72 } });
    expect(range('cr.c')).toEqual({ start: { line: 3, column: 3, offset: 18 }, end: { line: 3, column: 55, offset: 70 } });
    expect(range('mixed.c')).toEqual({ start: { line: 4, column: 3, offset: 28 }, end: { line: 4, column: 55, offset: 80 } });
    expectHealthy(r.report);
  });
});

describe('big and deep input', () => {
  it('a 50 MB generated source is skipped at the default size limit, fast, and the run goes on', () => {
    const dir = ws();
    const file = path.join(dir, 'generated.c');
    const chunk = `static int g(int a) { return a * 3 + 1; }\nvoid user(void) { ${CALL} }\n`;
    const fd = fs.openSync(file, 'w');
    const block = Buffer.from(chunk.repeat(Math.floor((1 << 20) / chunk.length)));
    const pad = Buffer.alloc((1 << 20) - block.length, ' ');
    for (let i = 0; i < 50; i++) fs.writeSync(fd, Buffer.concat([block, pad]));
    fs.closeSync(fd);
    expect(fs.statSync(file).size).toBe(50 * 1024 * 1024);
    const r = scan(dir, ['.']);
    expect(r.status).toBe(1);
    expect(notices(r.report)).toEqual([
      { level: 'warning', code: 'limit', message: 'skipped: the file is 50 MB, over the 16 MB limit (--max-file-size)', path: 'generated.c' },
    ]);
    expect(r.stderr).toBe('granule: generated.c: skipped: the file is 50 MB, over the 16 MB limit (--max-file-size)\n');
    expect(places(r.report)).toEqual(['healthy.c:3:5 virtualalloc-granularity']);
  });

  it('the size limit is configurable: a 2 MB generated file is analysed by default and skipped under --max-file-size 1MB', () => {
    let text = '#include <windows.h>\n';
    for (let i = 0; text.length < 2 * 1024 * 1024 - 4096; i++)
      text += `static int helper${i}(int a, int b) {\n    int t = a * ${i} + b;\n    return t ^ (t >> 3);\n}\n`;
    text += `void late(void) {\n    VirtualAlloc(NULL, 8192, MEM_RESERVE, PAGE_NOACCESS);\n}\n`;
    text += ' '.repeat(2 * 1024 * 1024 - Buffer.byteLength(text));
    const dir = ws({ 'big.c': text });
    const line = text.split('\n').indexOf('void late(void) {') + 2;
    const analysed = scan(dir, ['.']);
    expect(analysed.status).toBe(1);
    expect(notices(analysed.report)).toEqual([]);
    expect(places(analysed.report)).toEqual([`big.c:${line}:5 virtualalloc-granularity`, 'healthy.c:3:5 virtualalloc-granularity']);
    const limited = scan(dir, ['--max-file-size', '1MB', '.']);
    expect(notices(limited.report)).toEqual([
      { level: 'warning', code: 'limit', message: 'skipped: the file is 2 MB, over the 1 MB limit (--max-file-size)', path: 'big.c' },
    ]);
    expect(places(limited.report)).toEqual(['healthy.c:3:5 virtualalloc-granularity']);
    const unlimited = scan(dir, ['--max-file-size', '0', '.']);
    expect(places(unlimited.report)).toEqual(places(analysed.report));
    const bad = runCli(['--max-file-size', 'lots', '.'], { cwd: dir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('granule: --max-file-size expects a size such as 16MB, 512KB or 1048576, got "lots"\n');
  });

  it('10,000-deep parentheses: a size nested that deep is unknown; code nested that deep elsewhere costs nothing', () => {
    const deep = (inner: string) => '('.repeat(10_000) + inner + ')'.repeat(10_000);
    const text = `void f(int *p) {\n    *p = ${deep('1')};\n    VirtualAlloc(NULL, ${deep('4096')}, MEM_RESERVE, PAGE_NOACCESS);\n    ${CALL}\n}\n`;
    const dir = ws({ 'parens.c': text });
    const r = scan(dir, [...UNRESOLVED, '.']);
    expect(r.status).toBe(1);
    expect(notices(r.report)).toEqual([]);
    expect(r.report.findings.filter((f) => f.path === 'parens.c').map((f) => [f.range.start.line, f.range.start.column, f.ruleId, f.message])).toEqual([
      [3, 5, 'unresolved-allocation-size', "VirtualAlloc's size could not be proven: the expression is nested too deeply"],
      [4, 5, 'virtualalloc-granularity', 'VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable'],
    ]);
    expectHealthy(r.report);
  });

  it('10,000-deep nested #if: live code inside and after is found, dead code inside is not', () => {
    const n = 10_000;
    const text = [
      '#if 1\n'.repeat(n) + `void a(void) { ${CALL} }\n` + '#endif\n'.repeat(n),
      '#if 1\n'.repeat(n) + '#if 0\n' + `void b(void) { ${CALL} }\n` + '#endif\n'.repeat(n + 1),
      `void c(void) { ${CALL} }\n`,
    ].join('');
    const dir = ws({ 'ifs.c': text });
    const r = scan(dir, ['.']);
    expect(r.status).toBe(1);
    expect(notices(r.report)).toEqual([]);
    expect(places(r.report)).toEqual([
      'healthy.c:3:5 virtualalloc-granularity',
      `ifs.c:${n + 1}:16 virtualalloc-granularity`,
      `ifs.c:${4 * n + 5}:16 virtualalloc-granularity`,
    ]);
  });

  it('a header nested thousands of levels deep: its constants are unknown, nothing overflows', () => {
    const header = `enum { A = ${'('.repeat(5000)}1${')'.repeat(5000)} };\nstatic const int y = ${'F('.repeat(4000)}1${')'.repeat(4000)};\n`;
    const dir = ws({ 'deep.h': header, 'uses.c': '#include "deep.h"\nvoid f(void) { VirtualAlloc(NULL, A, MEM_RESERVE, PAGE_NOACCESS); }\n' });
    const r = scan(dir, [...UNRESOLVED, '.']);
    expect(r.status).toBe(1);
    expect(notices(r.report)).toEqual([]);
    expect(r.report.findings.filter((f) => f.path === 'uses.c').map((f) => `${f.range.start.line}:${f.range.start.column} ${f.message}`)).toEqual([
      "2:16 VirtualAlloc's size could not be proven: A (deep.h:1): the expression is nested too deeply",
    ]);
    expectHealthy(r.report);
  });

  it('20,000 undecidable #ifdef levels around a wrapper: its caller is still found', () => {
    const n = 20_000;
    const text =
      '#ifdef U\n'.repeat(n) +
      'void *w(SIZE_T n) { return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_NOACCESS); }\nvoid g(void) { w(4096); }\n' +
      '#endif\n'.repeat(n);
    const dir = ws({ 'ifdefs.c': text });
    const r = scan(dir, ['.']);
    expect(r.status).toBe(1);
    expect(notices(r.report)).toEqual([]);
    expect(places(r.report)).toEqual(['healthy.c:3:5 virtualalloc-granularity', `ifdefs.c:${n + 2}:16 virtualalloc-granularity`]);
  });

  it('a 1 MB single-line file is analysed; positions are exact far along the line', () => {
    const filler = 'int x = 1;'.repeat(100_000);
    const dir = ws({ 'line.c': `void f(void) { ${filler} ${CALL} }` });
    const r = scan(dir, ['.']);
    expect(r.status).toBe(1);
    expect(notices(r.report)).toEqual([]);
    const f = r.report.findings.find((x) => x.path === 'line.c')!;
    expect(f.range.start).toEqual({ line: 1, column: 1_000_017, offset: 1_000_016 });
    expectHealthy(r.report);
  });

  it('a file whose analysis outlasts --file-timeout is skipped with a notice, never a hang', () => {
    // 8 MB of calls on one line: seconds of parsing alone, where the healthy file takes milliseconds
    const calls = new Array(Math.ceil(8_000_000 / (CALL.length + 1))).fill(CALL).join(' ');
    const dir = ws({ 'calls.c': `void f(void) { ${calls} }` });
    const r = scan(dir, ['--file-timeout', '0.5', '.']);
    expect(r.status).toBe(1);
    expect(notices(r.report)).toEqual([
      { level: 'warning', code: 'limit', message: 'skipped: analysis took longer than 0.5 s (--file-timeout)', path: 'calls.c' },
    ]);
    expect(places(r.report)).toEqual(['healthy.c:3:5 virtualalloc-granularity']);
    const bad = runCli(['--file-timeout', 'soon', '.'], { cwd: dir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('granule: --file-timeout expects a number of seconds such as 30 or 2.5, got "soon"\n');
  });

  it('thousands of files in one run: every finding among them is reported', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) {
      const call = i % 1000 === 999 ? `    VirtualAlloc(NULL, ${i + 1}, MEM_RESERVE, PAGE_NOACCESS);\n` : `    helper_${i}();\n`;
      files[`d${i % 30}/f${i}.c`] = `#include <windows.h>\nvoid f${i}(void) {\n${call}}\n`;
    }
    const dir = ws(files);
    const r = scan(dir, ['.']);
    expect(r.status).toBe(1);
    expect(r.report.filesScanned).toBe(3001);
    expect(notices(r.report)).toEqual([]);
    expect(places(r.report)).toEqual([
      'd19/f1999.c:3:5 virtualalloc-granularity',
      'd29/f2999.c:3:5 virtualalloc-granularity',
      'd9/f999.c:3:5 virtualalloc-granularity',
      'healthy.c:3:5 virtualalloc-granularity',
    ]);
  });
});

describe('preprocessor and evaluator traps', () => {
  it('an include cycle and a header that includes itself are followed once', () => {
    const dir = ws({
      'inc/a.h': '#include "b.h"\n#define SIZE_A 4096\n',
      'inc/b.h': '#include "a.h"\n#define SIZE_B (SIZE_A * 2)\n',
      'inc/self.h': '#include "self.h"\n#define SIZE_S 12288\n',
      'cycle.c': `#include "inc/a.h"\n#include "inc/self.h"\nvoid f(void) {\n    VirtualAlloc(NULL, SIZE_B, MEM_RESERVE, PAGE_NOACCESS);\n    VirtualAlloc(NULL, SIZE_S, MEM_RESERVE, PAGE_NOACCESS);\n}\n`,
    });
    const r = scan(dir, ['healthy.c', 'cycle.c']);
    expect(r.status).toBe(1);
    expect(notices(r.report)).toEqual([]);
    expect(r.report.findings.map((f) => `${f.path}:${f.range.start.line} ${f.message}`)).toEqual([
      'cycle.c:4 VirtualAlloc reserves 8192 bytes (0x2000); 57344 bytes of its 64 KB granule become unusable',
      'cycle.c:5 VirtualAlloc reserves 12288 bytes (0x3000); 53248 bytes of its 64 KB granule become unusable',
      `healthy.c:3 ${'VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable'}`,
    ]);
  });

  it('self-referential and mutually recursive macros, and wrong argument counts, give unknown sizes', () => {
    const text = [
      '#define A B',
      '#define B A',
      '#define X (X + 1)',
      '#define F(a, b) ((a) + (b))',
      '#define OK F(4096, 4096)',
      'void f(void) {',
      '    VirtualAlloc(NULL, A, MEM_RESERVE, PAGE_NOACCESS);',
      '    VirtualAlloc(NULL, X, MEM_RESERVE, PAGE_NOACCESS);',
      '    VirtualAlloc(NULL, F(1), MEM_RESERVE, PAGE_NOACCESS);',
      '    VirtualAlloc(NULL, F(1, 2, 3), MEM_RESERVE, PAGE_NOACCESS);',
      '    VirtualAlloc(NULL, F(, ), MEM_RESERVE, PAGE_NOACCESS);',
      '    VirtualAlloc(NULL, OK, MEM_RESERVE, PAGE_NOACCESS);',
      '}',
      '',
    ].join('\n');
    const dir = ws({ 'macros.c': text });
    const r = scan(dir, [...UNRESOLVED, '.']);
    expect(r.status).toBe(1);
    // tree-sitter reads the unexpanded `F(, )` as a call with a missing argument
    expect(notices(r.report)).toEqual([
      { level: 'note', code: 'parse-error', message: '1 region could not be parsed; calls there are read from tokens', path: 'macros.c' },
    ]);
    expect(r.report.findings.filter((f) => f.path === 'macros.c').map((f) => `${f.range.start.line} ${f.message}`)).toEqual([
      "7 VirtualAlloc's size could not be proven: the value of A is not known",
      "8 VirtualAlloc's size could not be proven: the value of X is not known",
      "9 VirtualAlloc's size could not be proven: macro F expects 2 arguments, got 1",
      "10 VirtualAlloc's size could not be proven: macro F expects 2 arguments, got 3",
      '11 VirtualAlloc\'s size could not be proven: unexpected ")"',
      '12 VirtualAlloc reserves 8192 bytes (0x2000); 57344 bytes of its 64 KB granule become unusable',
    ]);
    expectHealthy(r.report);
  });

  it('huge literals, division by zero and negative shifts are unknown, never a crash or a guess', () => {
    const sizes = [
      '0xFFFFFFFFFFFFFFFFFFFF',
      '99999999999999999999999999999999999999999',
      '4096 / 0',
      '4096 % (2 - 2)',
      '1 << -1',
      '4096 >> 64',
      '0x7FFFFFFF * 0x7FFFFFFF',
    ];
    const text = `void f(void) {\n${sizes.map((s) => `    VirtualAlloc(NULL, ${s}, MEM_RESERVE, PAGE_NOACCESS);\n`).join('')}}\n`;
    const dir = ws({ 'values.c': text });
    const r = scan(dir, [...UNRESOLVED, '.']);
    expect(r.status).toBe(1);
    expect(notices(r.report)).toEqual([]);
    expect(r.report.findings.filter((f) => f.path === 'values.c').map((f) => `${f.range.start.line} ${f.message}`)).toEqual([
      "2 VirtualAlloc's size could not be proven: 0xFFFFFFFFFFFFFFFFFFFF does not fit in any integer type",
      "3 VirtualAlloc's size could not be proven: 99999999999999999999999999999999999999999 does not fit in any integer type",
      "4 VirtualAlloc's size could not be proven: division by zero",
      "5 VirtualAlloc's size could not be proven: division by zero",
      "6 VirtualAlloc's size could not be proven: shift by a negative amount (-1)",
      "7 VirtualAlloc's size could not be proven: shift by 64 bits of a 32-bit value",
      "8 VirtualAlloc's size could not be proven: signed overflow in 2147483647 * 2147483647 (int)",
    ]);
    expectHealthy(r.report);
  });

  it('a file of nothing but syntax errors gets a note; calls in it are still read from tokens', () => {
    const text = '}}}} ))) VirtualAlloc ((( ;;; {{{ #### \n int int int = = = ;\n VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS\n@@ $$ `` \\\n';
    const dir = ws({ 'garbage.c': text, 'garbage2.c': `}}} ${CALL} {{{ ))) ((( ;\n` });
    const r = scan(dir, ['.']);
    expect(r.status).toBe(1);
    expect(notices(r.report)).toEqual([
      { level: 'note', code: 'parse-error', message: '2 regions could not be parsed; calls there are read from tokens', path: 'garbage.c' },
      { level: 'note', code: 'parse-error', message: '2 regions could not be parsed; calls there are read from tokens', path: 'garbage2.c' },
    ]);
    expect(places(r.report)).toEqual(['garbage2.c:1:5 virtualalloc-granularity', 'healthy.c:3:5 virtualalloc-granularity']);
  });
});
