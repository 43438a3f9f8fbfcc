// --format msvc: MSBuild's canonical error format, checked line by line and against MSBuild's own parser
// (the regular expressions of CanonicalError.cs, reproduced below), so that Visual Studio's Error List and the
// Exec task read every finding with the right file, line, column, category and code.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { msvc } from '../../src/formats/msvc.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { range, syntheticFinding, syntheticReport, tempDir } from './helpers.js';

// dotnet/msbuild src/Shared/CanonicalError.cs: s_originCategoryCodeTextExpression, s_originCategoryCodeTextExpression2
// (the gcc/clang fallback), s_filenameLocationFromOrigin and s_lineColFromLocation, all case-insensitive
const ORIGIN_CATEGORY_CODE_TEXT = new RegExp(
  '^\\s*' +
    '(((?<ORIGIN>(((\\d+>)?[a-zA-Z]?:[^:]*)|([^:]*))):)' +
    '|())' +
    '(?<SUBCATEGORY>(()|([^:]*? )))' +
    '(?<CATEGORY>(error|warning))' +
    '( \\s*(?<CODE>[^: ]*))?\\s*:' +
    '(?<TEXT>.*)$',
  'i',
);
const GCC_STYLE = /^\s*(?<ORIGIN>(?<FILENAME>.*):(?<LOCATION>(?<LINE>[0-9]*):(?<COLUMN>[0-9]*))):(?<CATEGORY> error| warning):(?<TEXT>.*)/i;
const FILENAME_LOCATION = /^(\d+>)?(?<FILENAME>.*)\((?<LOCATION>[,,0-9,-]*)\)\s*$/i;
const LINE_COL = /^(?<LINE>[0-9]*),(?<COLUMN>[0-9]*)$/i;

interface Parsed {
  file: string;
  line: number;
  column: number;
  category: 'error' | 'warning';
  code: string;
  text: string;
}

/** CanonicalError.Parse as MSBuild runs it on each line of a tool's output; undefined: not an error or warning. */
function msbuildParse(message: string): Parsed | undefined {
  if (!/warning|error/i.test(message)) return undefined;
  const m = ORIGIN_CATEGORY_CODE_TEXT.exec(message.slice(0, 400));
  if (!m) return GCC_STYLE.test(message) ? { file: '', line: 0, column: 0, category: 'error', code: 'gcc', text: message } : undefined;
  const g = m.groups!;
  const origin = (g.ORIGIN ?? '').trim();
  const where = FILENAME_LOCATION.exec(origin);
  const lc = where ? LINE_COL.exec(where.groups!.LOCATION!) : null;
  return {
    file: where ? where.groups!.FILENAME!.trim() : origin,
    line: lc ? Number(lc.groups!.LINE) : 0,
    column: lc ? Number(lc.groups!.COLUMN) : 0,
    category: g.CATEGORY!.toLowerCase() as 'error' | 'warning',
    code: (g.CODE ?? '').trim(),
    text: (g.TEXT! + message.slice(400)).trim(),
  };
}

describe('--format msvc', () => {
  it("(the parser reproduced here reads the examples of MSBuild's documentation as MSBuild does)", () => {
    expect(msbuildParse("Main.cs(17,20): warning CS0168: The variable 'x' is declared but never used")).toEqual({
      file: 'Main.cs',
      line: 17,
      column: 20,
      category: 'warning',
      code: 'CS0168',
      text: "The variable 'x' is declared but never used",
    });
    expect(msbuildParse("error CS0006: Metadata file 'System.dll' could not be found.")).toMatchObject({ file: '', category: 'error', code: 'CS0006' });
    expect(msbuildParse('C:\\dir1\\strings.resx(2) : error BC30188: Declaration expected.')).toMatchObject({
      file: 'C:\\dir1\\strings.resx',
      category: 'error',
      code: 'BC30188',
    });
    expect(msbuildParse("c:\\src\\a.cpp(10): note: see declaration of 'f'")).toBeUndefined();
  });

  it('prints path(line,col): category CODE: message [rule-id], with the absolute path, and MSBuild reads exactly that back', () => {
    const root = tempDir('msvc');
    const error = syntheticFinding(root, 0, { range: range(11, 12, 40) });
    const warn = syntheticFinding(root, 1, {
      ruleId: 'mapview-granularity',
      severity: 'warn',
      range: range(7, 3, 20),
      message: 'MapViewOfFile maps 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable',
    });
    const suppressed = syntheticFinding(root, 2, { suppressed: { kind: 'inSource', range: range(1, 1, 10) } });
    const file = path.join(root, 'src', 'file0.c');
    const out = msvc(syntheticReport(root, [error, warn, suppressed]), { color: false });
    expect(out).toBe(
      [
        `${file}(11,12): error GR1: VirtualAlloc reserves 4096 bytes; 61440 bytes of its 64 KB granule become unusable [virtualalloc-granularity]`,
        `${file}(7,3): warning GR3: MapViewOfFile maps 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable [mapview-granularity]`,
        '',
      ].join('\n'),
    );
    expect(out.split('\n').filter(Boolean).map(msbuildParse)).toEqual([
      {
        file,
        line: 11,
        column: 12,
        category: 'error',
        code: 'GR1',
        text: 'VirtualAlloc reserves 4096 bytes; 61440 bytes of its 64 KB granule become unusable [virtualalloc-granularity]',
      },
      {
        file,
        line: 7,
        column: 3,
        category: 'warning',
        code: 'GR3',
        text: 'MapViewOfFile maps 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable [mapview-granularity]',
      },
    ]);
  });

  it('keeps a Windows drive path whole (the one colon the origin may have)', () => {
    const file = 'C:\\src\\leak (copy).c';
    const f = syntheticFinding('C:\\src', 0, {
      file,
      range: range(3, 12, 10),
      ruleId: 'large-page-size',
      message: 'VirtualAlloc with MEM_LARGE_PAGES reserves 4096 bytes',
    });
    const line = msvc(syntheticReport('C:\\src', [f]), { color: false });
    expect(line).toBe('C:\\src\\leak (copy).c(3,12): error GR2: VirtualAlloc with MEM_LARGE_PAGES reserves 4096 bytes [large-page-size]\n');
    expect(msbuildParse(line.trimEnd())).toEqual({
      file,
      line: 3,
      column: 12,
      category: 'error',
      code: 'GR2',
      text: 'VirtualAlloc with MEM_LARGE_PAGES reserves 4096 bytes [large-page-size]',
    });
  });

  it('prints notices as warnings (or errors) coded with their id, and notes as cl.exe-style note lines MSBuild does not count', () => {
    const root = tempDir('msvc-notices');
    const bin = path.join(root, 'bin.c');
    const macro = path.join(root, 'macro.c');
    const out = msvc(
      syntheticReport(
        root,
        [],
        [
          { level: 'warning', file: bin, code: 'binary', message: 'binary file (contains NUL bytes); skipped' },
          { level: 'note', file: macro, line: 4, code: 'parse-error', message: '1 region could not be parsed; calls there are read from tokens' },
          { level: 'error', code: 'config', message: 'granule.config.json: "rules" must be an object' },
        ],
      ),
      { color: false },
    );
    const lines = out.split('\n').filter(Boolean);
    expect(lines).toEqual([
      `${bin}(1,1): warning binary: binary file (contains NUL bytes); skipped [binary]`,
      `${macro}(4,1): note: 1 region could not be parsed; calls there are read from tokens [parse-error]`,
      'granule: error config: granule.config.json: "rules" must be an object [config]',
    ]);
    expect(lines.map(msbuildParse)).toEqual([
      { file: bin, line: 1, column: 1, category: 'warning', code: 'binary', text: 'binary file (contains NUL bytes); skipped [binary]' },
      undefined,
      { file: 'granule', line: 0, column: 0, category: 'error', code: 'config', text: 'granule.config.json: "rules" must be an object [config]' },
    ]);
  });

  it('escapes control characters in paths, so a file name cannot forge a second line', () => {
    const root = tempDir('msvc-hostile');
    const file = path.join(root, 'a.c\nC:\\x.c(1,1): error GR1: forged');
    const out = msvc(syntheticReport(root, [syntheticFinding(root, 0, { file, range: range(2, 3, 4) })]), { color: false });
    expect(out.split('\n')).toHaveLength(2);
    expect(out).toBe(
      `${root}${path.sep}a.c\\nC:\\x.c(1,1): error GR1: forged(2,3): error GR1: VirtualAlloc reserves 4096 bytes; 61440 bytes of its 64 KB granule become unusable [virtualalloc-granularity]\n`,
    );
  });

  it('prints nothing when there is nothing to report', () => {
    expect(msvc(syntheticReport(tempDir('msvc-empty'), []), { color: false })).toBe('');
  });
});

describe('granule --format msvc (the built CLI)', () => {
  it('lists findings and notices on stdout only, with absolute paths, and exits 1', () => {
    expect(fs.existsSync(path.join(ROOT, 'dist', 'bundle', 'main.cjs')), 'run `npm run build` first (npm test does)').toBe(true);
    const dir = tempDir('msvc-cli');
    fs.writeFileSync(
      path.join(dir, 'leak.c'),
      ['#include <windows.h>', 'void *f(void) {', '    return VirtualAlloc(NULL, 16384, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);', '}', ''].join('\n'),
    );
    fs.writeFileSync(path.join(dir, 'blob.c'), Buffer.from([0x56, 0x00, 0x01, 0x02]));
    const r = runCli(['--format', 'msvc', '.'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        `${path.join(dir, 'blob.c')}(1,1): warning binary: binary file (contains NUL bytes); skipped [binary]`,
        `${path.join(dir, 'leak.c')}(3,12): error GR1: VirtualAlloc reserves 16384 bytes (0x4000); 49152 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller [virtualalloc-granularity]`,
        '',
      ].join('\n'),
    );
    expect(r.status).toBe(1);
  });
});
