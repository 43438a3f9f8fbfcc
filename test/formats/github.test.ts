// --format github: one GitHub Actions workflow command per finding, which the runner turns into an annotation
// on the pull request. Checked to the byte, since the runner parses these lines.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { github } from '../../src/formats/github.js';
import { runCli } from '../helpers/cli.js';
import { INPUT, range, syntheticFinding, syntheticReport, tempDir } from './helpers.js';

describe('--format github', () => {
  it('annotates each finding with file, line, end line, columns and the rule as title', () => {
    const r = runCli(['--format', 'github', 'test/formats/data/input']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        '::error file=test/formats/data/input/app.c,line=12,endLine=12,col=19,endColumn=35,title=granule(virtualalloc-granularity)::VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable',
        '::error file=test/formats/data/input/app.c,line=13,endLine=13,col=15,endColumn=80,title=granule(virtualalloc-granularity)::VirtualAlloc reserves 100 bytes (0x64); 61440 bytes of its 64 KB granule become unusable',
        '::error file=test/formats/data/input/app.c,line=14,endLine=14,col=15,endColumn=80,title=granule(virtualalloc-granularity)::VirtualAlloc reserves 100 bytes (0x64); 61440 bytes of its 64 KB granule become unusable',
        '::warning file=test/formats/data/input/app.c,line=15,endLine=15,col=18,endColumn=67,title=granule(mapview-granularity)::MapViewOfFile maps a view of 8192 bytes (0x2000); 57344 bytes of its last 64 KB granule become unusable',
        '',
      ].join('\n'),
    );
  });

  it('prints nothing for a clean tree and exits 0', () => {
    const dir = tempDir('github-clean');
    fs.writeFileSync(path.join(dir, 'ok.c'), 'void *p(void) { return VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_NOACCESS); }\n');
    expect(runCli(['--format', 'github', '.'], { cwd: dir })).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('shows only new findings with --baseline', () => {
    const dir = tempDir('github-baseline');
    fs.copyFileSync(path.join(INPUT, 'app.c'), path.join(dir, 'app.c'));
    runCli(['--write-baseline', 'b.sarif'], { cwd: dir });
    fs.appendFileSync(path.join(dir, 'app.c'), 'void *more(void) { return VirtualAlloc(NULL, 8192, MEM_RESERVE, PAGE_NOACCESS); }\n');
    const r = runCli(['--format', 'github', '--baseline', 'b.sarif'], { cwd: dir });
    expect(r.stdout).toBe(
      '::error file=app.c,line=17,endLine=17,col=27,endColumn=79,title=granule(virtualalloc-granularity)::VirtualAlloc reserves 8192 bytes (0x2000); 57344 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller\n',
    );
  });

  it("escapes the runner's special characters in properties and messages", () => {
    const root = tempDir('github-escape');
    const f = syntheticFinding(root, 0, {
      file: path.join(root, 'dir,with:odd%chars', 'a.c'),
      range: { start: { line: 3, column: 7, offset: 0 }, end: { line: 4, column: 2, offset: 0 } },
      message: 'size 100% wrong\r\nsecond line: a, b',
    });
    expect(github(syntheticReport(root, [f]), { color: false })).toBe(
      '::error file=dir%2Cwith%3Aodd%25chars/a.c,line=3,endLine=4,col=7,endColumn=2,title=granule(virtualalloc-granularity)::size 100%25 wrong%0D%0Asecond line: a, b\n',
    );
  });

  it('leaves out suppressed findings and notes; turns warnings and errors about files into annotations', () => {
    const root = tempDir('github-notices');
    const kept = syntheticFinding(root, 0, { severity: 'warn', ruleId: 'mapview-granularity', message: 'view wastes 57344 bytes' });
    const hidden = syntheticFinding(root, 1, { suppressed: { kind: 'inSource', justification: 'legacy', range: range(1, 1, 10) } });
    const report = syntheticReport(
      root,
      [kept, hidden],
      [
        { level: 'warning', file: path.join(root, 'blob.c'), code: 'binary', message: 'binary file (contains NUL bytes); skipped' },
        { level: 'error', file: path.join(root, 'src/x.c'), line: 9, code: 'unreadable', message: 'cannot read file: permission denied' },
        { level: 'note', file: path.join(root, 'src/y.c'), code: 'parse-error', message: '1 region could not be parsed' },
        { level: 'error', code: 'no-files', message: 'no C or C++ files found' },
      ],
    );
    expect(github(report, { color: false }).split('\n')).toEqual([
      '::warning file=src/file0.c,line=1,endLine=1,col=5,endColumn=45,title=granule(mapview-granularity)::view wastes 57344 bytes',
      '::warning file=blob.c,title=granule(binary)::binary file (contains NUL bytes); skipped',
      '::error file=src/x.c,line=9,title=granule(unreadable)::cannot read file: permission denied',
      '::error title=granule(no-files)::no C or C++ files found',
      '',
    ]);
  });
});
