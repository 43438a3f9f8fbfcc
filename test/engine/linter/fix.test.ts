// --fix and --fix-dry-run on before/after trees (test/engine/linter/fix-fixtures/<case>/{before,after}): the fixed
// tree must equal `after` byte for byte, the remaining report must equal `result.txt`, and the dry
// run's diff, applied with `git apply`, must give the same tree while the run itself changes nothing.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { makeTree } from '../../helpers/tree.js';
import { unavailable } from '../../helpers/requirements.js';

/** git apply checks that --fix-dry-run's diff applies. */
const noGit = unavailable('git');

const CASES = path.join(import.meta.dirname, 'fix-fixtures');

function readTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(root, full)] = fs.readFileSync(full, 'latin1');
  }
  return out;
}

function copyCase(name: string): string {
  const dir = makeTree({}, `granule-fix-${name}-`);
  fs.cpSync(path.join(CASES, name, 'before'), dir, { recursive: true });
  return dir;
}

const cases = fs
  .readdirSync(CASES)
  .filter((d) => fs.statSync(path.join(CASES, d)).isDirectory())
  .sort();

describe.each(cases)('fix-fixtures/%s', (name) => {
  const after = readTree(path.join(CASES, name, 'after'));

  it('--fix turns before into after and reports what remains', () => {
    const dir = copyCase(name);
    const r = runCli(['--fix', '-f', 'compact', '.'], { cwd: dir });
    expect(readTree(dir)).toEqual(after);
    expect(`exit ${r.status}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`).toBe(fs.readFileSync(path.join(CASES, name, 'result.txt'), 'utf8'));
    // a second run has nothing left to fix
    const again = runCli(['--fix', '-f', 'compact', '.'], { cwd: dir });
    expect(again.stderr).toBe('');
    expect(readTree(dir)).toEqual(after);
  });

  it.skipIf(noGit)('--fix-dry-run changes nothing and prints a diff that git apply turns into after', () => {
    const dir = copyCase(name);
    const before = readTree(dir);
    const r = runCli(['--fix-dry-run', '.'], { cwd: dir });
    expect(readTree(dir)).toEqual(before);
    if (r.stdout) {
      const applied = spawnSync('git', ['apply', '--whitespace=nowarn', '-'], { cwd: dir, input: r.stdout, encoding: 'utf8' });
      expect(applied.stderr).toBe('');
      expect(applied.status).toBe(0);
    }
    expect(readTree(dir)).toEqual(after);
  });
});

describe('--fix-dry-run output', () => {
  it('is a unified diff with a/ b/ labels and three lines of context, and a summary on stderr', () => {
    const dir = copyCase('suppressed');
    const r = runCli(['--fix-dry-run', '.'], { cwd: dir });
    expect(r.stdout).toBe(
      [
        '--- a/kept.c',
        '+++ b/kept.c',
        '@@ -3,5 +3,5 @@',
        ' void kept(void) {',
        '   // granule-disable-next-line virtualalloc-granularity -- guard page probe, 4 KB on purpose',
        '   VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_READWRITE);',
        '-  VirtualAlloc(NULL, 8192, MEM_RESERVE, PAGE_READWRITE);',
        '+  VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_READWRITE);',
        ' }',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe('granule: 1 fix in 1 file (dry run: nothing was written)\n');
    // the findings are still there: the exit status says so
    expect(r.status).toBe(1);
  });

  it('cannot be combined with --fix', () => {
    const r = runCli(['--fix', '--fix-dry-run', '.'], { cwd: copyCase('suppressed') });
    expect([r.status, r.stderr]).toEqual([2, 'granule: --fix and --fix-dry-run cannot be used together\n']);
  });
});

describe('--fix keeps the file as it was apart from the fix', () => {
  const call = (size: string) => `  VirtualAlloc(NULL, ${size}, MEM_RESERVE, PAGE_READWRITE);`;
  const lines = (size: string) => ['#include <windows.h>', 'void f(void) {', call(size), '}', ''];

  it('UTF-8 with a byte order mark and CRLF line ends', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const dir = makeTree({ 'a.c': Buffer.concat([bom, Buffer.from(lines('0x2000').join('\r\n'))]) });
    expect(runCli(['--fix', '.'], { cwd: dir }).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'a.c'))).toEqual(Buffer.concat([bom, Buffer.from(lines('0x10000').join('\r\n'))]));
  });

  it('UTF-16LE with a byte order mark', () => {
    const encode = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const dir = makeTree({ 'a.c': encode(lines('4096').join('\n')) });
    expect(runCli(['--fix', '.'], { cwd: dir }).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'a.c'))).toEqual(encode(lines('65536').join('\n')));
  });

  it('refuses a file that is not valid UTF-8 (it could not be written back unchanged)', () => {
    const original = Buffer.concat([Buffer.from('// caf\xe9 in Latin-1\n', 'latin1'), Buffer.from(lines('4096').join('\n'))]);
    const dir = makeTree({ 'a.c': original });
    const r = runCli(['--fix', '-f', 'compact', '.'], { cwd: dir });
    expect(fs.readFileSync(path.join(dir, 'a.c'))).toEqual(original);
    expect(r.stdout).toContain('a.c:1:1: warning: not fixed: the file is not valid UTF-8, so it cannot be written back unchanged [fix-skipped]\n');
    expect(r.status).toBe(1);
  });

  it('writes through a symbolic link to its target and keeps the mode', () => {
    const dir = makeTree({ 'real/a.c': lines('4096').join('\n') });
    fs.chmodSync(path.join(dir, 'real/a.c'), 0o640);
    fs.symlinkSync(path.join(dir, 'real/a.c'), path.join(dir, 'link.c'));
    expect(runCli(['--fix', 'link.c'], { cwd: dir }).status).toBe(0);
    expect(fs.lstatSync(path.join(dir, 'link.c')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'real/a.c'), 'utf8')).toBe(lines('65536').join('\n'));
    expect(fs.statSync(path.join(dir, 'real/a.c')).mode & 0o777).toBe(0o640);
  });

  // the dry run's diff applies to these files too, and gives what --fix writes
  const dryRunApplies = (name: string, bytes: Buffer) => {
    const fixedDir = makeTree({ [name]: bytes });
    expect(runCli(['--fix', '.'], { cwd: fixedDir }).status).toBe(0);
    const dir = makeTree({ [name]: bytes });
    const r = runCli(['--fix-dry-run', '.'], { cwd: dir });
    expect(fs.readFileSync(path.join(dir, name))).toEqual(bytes);
    const applied = spawnSync('git', ['apply', '--whitespace=nowarn', '-'], { cwd: dir, input: r.stdout });
    expect(applied.stderr.toString()).toBe('');
    expect(fs.readFileSync(path.join(dir, name))).toEqual(fs.readFileSync(path.join(fixedDir, name)));
    return r.stdout;
  };

  it.skipIf(noGit)('--fix-dry-run of UTF-8 with a byte order mark: the first line keeps it, and git apply takes the diff', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const diff = dryRunApplies('a.c', Buffer.concat([bom, Buffer.from(['void f(void) {', call('4096'), '}', ''].join('\r\n'))]));
    expect(diff).toContain('@@ -1,3 +1,3 @@\n \uFEFFvoid f(void) {\r\n');
  });

  it.skipIf(noGit)('--fix-dry-run of UTF-16 is a git binary patch (git treats UTF-16 as binary), which git apply takes', () => {
    const encode = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const diff = dryRunApplies('w.c', encode(lines('4096').join('\n')));
    expect(diff.split('\n').slice(0, 4)).toEqual([
      'diff --git a/w.c b/w.c',
      expect.stringMatching(/^index [0-9a-f]{40}\.\.[0-9a-f]{40}$/),
      'GIT binary patch',
      `literal ${encode(lines('65536').join('\n')).length}`,
    ]);
  });

  it('UTF-16LE without a byte order mark (as Visual Studio may write it): read as text, and fixed in the same encoding', () => {
    const dir = makeTree({ 'a.c': Buffer.from(lines('4096').join('\r\n'), 'utf16le') });
    const r = runCli(['-f', 'compact', 'a.c'], { cwd: dir });
    expect(r.stdout).toBe(
      'a.c:3:3: error: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable [virtualalloc-granularity]\n',
    );
    expect(runCli(['--fix', 'a.c'], { cwd: dir }).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'a.c'))).toEqual(Buffer.from(lines('65536').join('\r\n'), 'utf16le'));
  });

  it.skipIf(noGit)('--fix-dry-run of UTF-16BE without a byte order mark is a git binary patch that applies', () => {
    const bytes = Buffer.from(lines('4096').join('\n'), 'utf16le').swap16();
    expect(dryRunApplies('b.c', bytes).split('\n')[2]).toBe('GIT binary patch');
  });

  it('keeps the other hard links of a file: every name shows the fix', () => {
    const dir = makeTree({ 'a.c': lines('4096').join('\n') });
    fs.linkSync(path.join(dir, 'a.c'), path.join(dir, 'other-name.txt'));
    expect(runCli(['--fix', 'a.c'], { cwd: dir }).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'other-name.txt'), 'utf8')).toBe(lines('65536').join('\n'));
    expect(fs.statSync(path.join(dir, 'a.c')).ino).toBe(fs.statSync(path.join(dir, 'other-name.txt')).ino);
  });

  it('skips a read-only file with a notice, and leaves it as it was', () => {
    const dir = makeTree({ 'a.c': lines('4096').join('\n') });
    fs.chmodSync(path.join(dir, 'a.c'), 0o444);
    const r = runCli(['--fix', '-f', 'compact', '.'], { cwd: dir });
    expect(fs.readFileSync(path.join(dir, 'a.c'), 'utf8')).toBe(lines('4096').join('\n'));
    expect(r.stdout).toContain('a.c:1:1: warning: not fixed: the file is read-only [fix-skipped]\n');
    expect(r.status).toBe(1);
  });

  it.skipIf(unavailable('root'))("run as root, keeps the owner, group and mode of another user's file", () => {
    const dir = makeTree({ 'a.c': lines('4096').join('\n') });
    const file = path.join(dir, 'a.c');
    fs.chownSync(file, 65534, 65534);
    fs.chmodSync(file, 0o640);
    expect(runCli(['--fix', 'a.c'], { cwd: dir }).status).toBe(0);
    const stat = fs.statSync(file);
    expect([stat.uid, stat.gid, stat.mode & 0o7777]).toEqual([65534, 65534, 0o640]);
    expect(fs.readFileSync(file, 'utf8')).toBe(lines('65536').join('\n'));
    // and no temporary file is left beside it
    expect(fs.readdirSync(dir)).toEqual(['a.c']);
  });
});
