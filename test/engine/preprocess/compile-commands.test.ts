// compile_commands.json: command-line splitting, the flags each file gets, and errors a user can act on.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CompileCommandsError, flagsFromArguments, loadCompilationDatabase, splitCommand } from '../../../src/engine/preprocess/compile-commands.js';
import { FIXTURES } from '../../helpers/fixtures.js';

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-ccdb-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

function database(name: string, content: string): string {
  const file = path.join(temp, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('splitCommand', () => {
  it('splits like a POSIX shell: quotes, escapes, empty quoted arguments', () => {
    expect(splitCommand(`cc -c "-DSIZE=(4 * 1024)" -DNAME=\\"x\\" -I 'my dir' a\\ b.c ""`)).toEqual([
      'cc',
      '-c',
      '-DSIZE=(4 * 1024)',
      '-DNAME="x"',
      '-I',
      'my dir',
      'a b.c',
      '',
    ]);
    expect(splitCommand(`cc "-DQ=\\"a b\\"" '-DS=it'\\''s'`)).toEqual(['cc', '-DQ="a b"', "-DS=it's"]);
  });

  it('keeps backslashes of cl.exe command lines, as CommandLineToArgvW does', () => {
    expect(splitCommand(String.raw`C:\VS\bin\cl.exe /nologo /DNAME=\"x\" /I C:\src\inc "/IC:\Program Files\sdk" src\a.c`)).toEqual([
      String.raw`C:\VS\bin\cl.exe`,
      '/nologo',
      '/DNAME="x"',
      '/I',
      String.raw`C:\src\inc`,
      String.raw`/IC:\Program Files\sdk`,
      String.raw`src\a.c`,
    ]);
    expect(splitCommand('cl.exe /c a.c', true)).toEqual(['cl.exe', '/c', 'a.c']);
  });
});

describe('flagsFromArguments', () => {
  const dir = '/build/project';

  it('reads GCC/Clang and MSVC spellings, joined or separate, paths relative to the directory', () => {
    const flags = flagsFromArguments(
      [
        '-DA',
        '-D',
        'B=2',
        '/DC=3',
        '-DF(x)=((x)*2)',
        '-Iinc',
        '-I',
        '/abs/inc',
        '/Iwin',
        '-isystem',
        'sys',
        '-isystemsys2',
        '-iquote',
        'q',
        '-idirafter',
        'late',
        '-include',
        'force.h',
        '/FIforce2.h',
        '--include=force3.h',
        '-c',
        'a.c',
        '-o',
        'a.o',
      ],
      dir,
    );
    expect(flags).toEqual({
      defines: { A: '1', B: '2', C: '3', 'F(x)': '((x)*2)' },
      undefines: [],
      includePaths: [
        '/build/project/inc',
        '/abs/inc',
        '/build/project/win',
        '/build/project/q',
        '/build/project/sys',
        '/build/project/sys2',
        '/build/project/late',
      ],
      forceIncludes: ['/build/project/force.h', '/build/project/force2.h', '/build/project/force3.h'],
    });
  });

  it('applies -D and -U in order, as a compiler does', () => {
    expect(flagsFromArguments(['-DX=1', '-UX', '-UY', '-DY=2', '/DZ', '/UZ'], dir)).toEqual({
      defines: { Y: '2' },
      undefines: ['X', 'Z'],
      includePaths: [],
      forceIncludes: [],
    });
  });

  it('does not read the values of other flags as preprocessor flags', () => {
    expect(flagsFromArguments(['-o', '-DNOT', '-include-pch', 'x.pch', '-x', 'c', '-MF', '-Ideps'], dir)).toEqual({
      defines: {},
      undefines: [],
      includePaths: [],
      forceIncludes: [],
    });
    // MSVC's linker options after /link are not compiler flags
    expect(flagsFromArguments(['/DA', '/link', '/DEBUG'], dir).defines).toEqual({ A: '1' });
  });
});

describe('loadCompilationDatabase', () => {
  it('resolves a relative directory against the database and files against their directory', () => {
    const file = database(
      'relative.json',
      JSON.stringify([
        { directory: 'sub', file: 'a.c', arguments: ['cc', '-DA=1', '-Iinc', 'a.c'] },
        { directory: temp, file: path.join(temp, 'b.c'), command: 'cc -DB=2 b.c' },
      ]),
    );
    const db = loadCompilationDatabase(file);
    expect(db.size).toBe(2);
    expect(db.flagsFor(path.join(temp, 'sub', 'a.c'))).toEqual({
      defines: { A: '1' },
      undefines: [],
      includePaths: [path.join(temp, 'sub', 'inc')],
      forceIncludes: [],
    });
    expect(db.flagsFor(path.join(temp, 'b.c'))?.defines).toEqual({ B: '2' });
    // a header gets the flags of a source file in its directory; another source file gets none
    expect(db.flagsFor(path.join(temp, 'sub', 'a.h'))?.defines).toEqual({ A: '1' });
    expect(db.flagsFor(path.join(temp, 'sub', 'other.c'))).toBeUndefined();
  });

  it('gives one clear message for each kind of bad database', () => {
    const bad = (content: string) => () => loadCompilationDatabase(database(`bad-${content.length}.json`, content));
    expect(() => loadCompilationDatabase(path.join(temp, 'absent.json'))).toThrow(
      new CompileCommandsError(`cannot read ${path.join(temp, 'absent.json')}: no such file`),
    );
    expect(bad('{ not json')).toThrow(/is not valid JSON/);
    expect(bad('{}')).toThrow(/must be a JSON array of \{directory, file, arguments\|command\} entries/);
    expect(bad('[{"directory": "."}]')).toThrow(/entry 1 has no "file"/);
    expect(bad('[{"file": "a.c", "arguments": "cc a.c"}]')).toThrow(/entry 1 has neither "arguments" \(an array of strings\) nor "command"/);
    expect(bad('[1]')).toThrow(/entry 1 is not an object/);
  });

  it('reads the fixture database: five entries, both forms', () => {
    const dir = path.join(FIXTURES, 'includes');
    const db = loadCompilationDatabase(path.join(dir, 'build', 'compile_commands.json'));
    expect(db.size).toBe(5);
    expect(db.flagsFor(path.join(dir, 'src', 'msvc.c'))).toEqual({
      defines: { CHUNK: '0x3000' },
      undefines: [],
      includePaths: [path.join(dir, 'inc')],
      forceIncludes: [path.join(dir, 'inc', 'forced.h')],
    });
    expect(db.flagsFor(path.join(dir, 'src', 'quoted.c'))?.defines).toEqual({ SIZE_EXPR: '(4 * 1024)', LABEL: '"arena"' });
    expect(db.flagsFor(path.join(dir, 'src', 'main.c'))).toMatchObject({ defines: { ARENA_PAGES: '3', USE_BIG: '1' }, undefines: ['TEMP'] });
  });
});
