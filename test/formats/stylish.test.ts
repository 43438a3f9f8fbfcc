// --format stylish (the terminal default): notes that code could not be parsed are folded into one line, so
// that in a macro-heavy tree they do not bury the findings; json and sarif keep one notice per file.

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stylish } from '../../src/formats/stylish.js';
import { syntheticFinding, syntheticReport, tempDir } from './helpers.js';

const parseNote = (file: string, n: number) => ({
  level: 'note' as const,
  file,
  code: 'parse-error',
  message: `${n} region${n === 1 ? '' : 's'} could not be parsed; calls there are read from tokens`,
});

describe('--format stylish', () => {
  it('folds the parse-error notes of many files into one line after the findings; other notices stay under their file', () => {
    const root = tempDir('stylish-fold');
    const finding = syntheticFinding(root, 0, { message: 'VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable' });
    const report = syntheticReport(
      root,
      [finding],
      [
        parseNote(finding.file, 3),
        parseNote(path.join(root, 'src/other.c'), 1),
        parseNote(path.join(root, 'src/third.c'), 7),
        { level: 'warning', file: path.join(root, 'src/bin.c'), code: 'binary', message: 'binary file (contains NUL bytes); skipped' },
      ],
    );
    expect(stylish(report, { color: false })).toBe(
      [
        'src/bin.c',
        '  0:0  warning  binary file (contains NUL bytes); skipped  binary',
        '',
        'src/file0.c',
        `  1:5  error  VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable  virtualalloc-granularity`,
        '',
        'note: 3 files have regions that could not be parsed; calls there are read from tokens (--format json lists them)',
        '✖ 2 problems (1 error, 1 warning)',
        '',
      ].join('\n'),
    );
  });

  it('names the file when only one has such a note', () => {
    const root = tempDir('stylish-one');
    const report = { ...syntheticReport(root, [], [parseNote(path.join(root, 'src/x.c'), 2)]), filesScanned: 1 };
    expect(stylish(report, { color: false })).toBe(
      ['note: src/x.c: 2 regions could not be parsed; calls there are read from tokens', '✔ no problems in 1 file', ''].join('\n'),
    );
  });
});
