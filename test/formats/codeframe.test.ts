// --format codeframe: ESLint's codeframe layout (eslint-formatter-codeframe, @babel/code-frame's defaults): the
// finding's line marked with '>', its column with '^', 2 lines above and 3 below, then "N errors found.".

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeFrame, codeframeFormatter } from '../../src/formats/codeframe.js';
import { readSourceText } from '../../src/formats/source-text.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { range, syntheticFinding, syntheticReport, tempDir } from './helpers.js';

const SOURCE = [
  '#include <windows.h>', // 1
  '', // 2
  'static void *a(void)', // 3
  '{', // 4
  '\treturn VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS);', // 5
  '}', // 6
  '', // 7
  'static void *b(void)', // 8
  '{', // 9
  '    return VirtualAlloc(NULL, 8192, MEM_RESERVE, PAGE_NOACCESS);', // 10
  '}', // 11
].join('\n');

describe('codeFrame', () => {
  it('widens the gutter to the last line number shown, and keeps tabs in the marker line so the caret lines up', () => {
    expect(codeFrame(SOURCE, 10, 12)).toBe(
      [
        '   8 | static void *b(void)',
        '   9 | {',
        '> 10 |     return VirtualAlloc(NULL, 8192, MEM_RESERVE, PAGE_NOACCESS);',
        '     |            ^',
        '  11 | }',
      ].join('\n'),
    );
    expect(codeFrame(SOURCE, 5, 9)).toBe(
      [
        '  3 | static void *a(void)',
        '  4 | {',
        '> 5 | \treturn VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS);',
        '    | \t       ^',
        '  6 | }',
        '  7 |',
        '  8 | static void *b(void)',
      ].join('\n'),
    );
  });

  it('shows control characters and bidirectional overrides escaped, the caret still under the column', () => {
    const text = 'int x; /* \u001b[2J\u202e */ void *p = VirtualAlloc(0, 1, 0x3000, 4);\r\nnext\rline';
    const column = text.indexOf('VirtualAlloc') + 1;
    expect(codeFrame(text, 1, column)).toBe(
      [
        '> 1 | int x; /* \\x1b[2J\\u202e */ void *p = VirtualAlloc(0, 1, 0x3000, 4);',
        '    |                                      ^',
        '  2 | next',
        '  3 | line',
      ].join('\n'),
    );
  });

  it('gives no frame for a line the text does not have', () => {
    expect(codeFrame('one line', 3, 1)).toBe('');
  });
});

describe('--format codeframe', () => {
  it('prints each finding with its frame, notices without one, then the summary', () => {
    const root = tempDir('codeframe');
    const file = path.join(root, 'src', 'a.c');
    const report = syntheticReport(
      root,
      [
        syntheticFinding(root, 0, {
          file,
          range: range(5, 9, 10),
          message: 'VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable',
          fix: { file, edits: [] },
        }),
        syntheticFinding(root, 1, {
          file,
          range: range(10, 12, 10),
          ruleId: 'mapview-granularity',
          severity: 'warn',
          message: 'MapViewOfFile maps 8192 bytes',
        }),
        syntheticFinding(root, 2, { file, range: range(1, 1, 1), suppressed: { kind: 'inSource', range: range(1, 1, 1) } }),
      ],
      [
        { level: 'warning', file: path.join(root, 'src', 'b.c'), code: 'binary', message: 'binary file (contains NUL bytes); skipped' },
        { level: 'note', file: path.join(root, 'src', 'm.c'), code: 'parse-error', message: '1 region could not be parsed; calls there are read from tokens' },
      ],
    );
    const read = (f: string) => (f === file ? SOURCE : undefined);
    expect(codeframeFormatter(read)(report, { color: false })).toBe(
      [
        'error: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable (virtualalloc-granularity) at src/a.c:5:9:',
        '  3 | static void *a(void)',
        '  4 | {',
        '> 5 | \treturn VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS);',
        '    | \t       ^',
        '  6 | }',
        '  7 |',
        '  8 | static void *b(void)',
        '',
        '',
        'warning: MapViewOfFile maps 8192 bytes (mapview-granularity) at src/a.c:10:12:',
        '   8 | static void *b(void)',
        '   9 | {',
        '> 10 |     return VirtualAlloc(NULL, 8192, MEM_RESERVE, PAGE_NOACCESS);',
        '     |            ^',
        '  11 | }',
        '',
        '',
        'warning: binary file (contains NUL bytes); skipped (binary) at src/b.c',
        '',
        'note: src/m.c: 1 region could not be parsed; calls there are read from tokens',
        '',
        '1 error and 2 warnings found.',
        '1 error potentially fixable with the `--fix` option.',
        '',
      ].join('\n'),
    );
  });

  it('prints the finding without a frame when the file cannot be read, and nothing when there is nothing to report', () => {
    const root = tempDir('codeframe-unreadable');
    const report = syntheticReport(root, [syntheticFinding(root, 0, { range: range(2, 3, 4) })]);
    expect(codeframeFormatter(() => undefined)(report, { color: false })).toBe(
      [
        'error: VirtualAlloc reserves 4096 bytes; 61440 bytes of its 64 KB granule become unusable (virtualalloc-granularity) at src/file0.c:2:3',
        '',
        '',
        '1 error found.',
        '',
      ].join('\n'),
    );
    expect(codeframeFormatter(() => SOURCE)(syntheticReport(root, []), { color: false })).toBe('');
  });
});

describe('readSourceText', () => {
  it('reads a regular file as the run decodes it, and nothing else', () => {
    const dir = tempDir('source-text');
    fs.writeFileSync(path.join(dir, 'bom.c'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('int x;\n')]));
    fs.writeFileSync(path.join(dir, 'big.c'), 'x'.repeat(100));
    fs.writeFileSync(path.join(dir, 'nul.c'), Buffer.from([0x61, 0x00]));
    expect(readSourceText(path.join(dir, 'bom.c'))).toBe('int x;\n');
    expect(readSourceText(path.join(dir, 'big.c'), 99)).toBeUndefined();
    expect(readSourceText(path.join(dir, 'big.c'), 100)).toBe('x'.repeat(100));
    expect(readSourceText(path.join(dir, 'nul.c'))).toBeUndefined();
    expect(readSourceText(dir)).toBeUndefined();
    expect(readSourceText(path.join(dir, 'missing.c'))).toBeUndefined();
  });
});

describe('granule --format codeframe (the built CLI)', () => {
  it('shows the source around each finding and exits 1', () => {
    expect(fs.existsSync(path.join(ROOT, 'dist', 'bundle', 'main.cjs')), 'run `npm run build` first (npm test does)').toBe(true);
    const dir = tempDir('codeframe-cli');
    fs.writeFileSync(path.join(dir, 'leak.c'), SOURCE + '\n');
    const r = runCli(['--format', 'codeframe', 'leak.c'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        'error: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller (virtualalloc-granularity) at leak.c:5:9:',
        '  3 | static void *a(void)',
        '  4 | {',
        '> 5 | \treturn VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS);',
        '    | \t       ^',
        '  6 | }',
        '  7 |',
        '  8 | static void *b(void)',
        '',
        '',
        'error: VirtualAlloc reserves 8192 bytes (0x2000); 57344 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller (virtualalloc-granularity) at leak.c:10:12:',
        '   8 | static void *b(void)',
        '   9 | {',
        '> 10 |     return VirtualAlloc(NULL, 8192, MEM_RESERVE, PAGE_NOACCESS);',
        '     |            ^',
        '  11 | }',
        '  12 |',
        '',
        '',
        '2 errors found.',
        '2 errors potentially fixable with the `--fix` option.',
        '',
      ].join('\n'),
    );
    expect(r.status).toBe(1);
  });
});
