// partialFingerprints must let code scanning and --baseline recognise a finding after unrelated edits:
// lines added above it, statements added around it, the call re-wrapped; and must change when the call does.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { INPUT, tempDir } from './helpers.js';

const ORIGINAL = fs.readFileSync(path.join(INPUT, 'app.c'), 'utf8');

interface Print {
  rule: string;
  line: number;
  print: string;
}

/** Lints `text` as app.c in a fresh folder with the built CLI and returns each result's line and fingerprint. */
function prints(text: string): Print[] {
  const dir = tempDir('fingerprint');
  fs.writeFileSync(path.join(dir, 'app.c'), text);
  const r = runCli(['--format', 'sarif', '.'], { cwd: dir });
  expect(r.stderr).toBe('');
  const log = JSON.parse(r.stdout) as {
    runs: {
      results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[]; partialFingerprints: Record<string, string> }[];
    }[];
  };
  return log.runs[0]!.results.map((res) => ({
    rule: res.ruleId,
    line: res.locations[0]!.physicalLocation.region.startLine,
    print: res.partialFingerprints['granule/v1']!,
  }));
}

const before = prints(ORIGINAL);
const only = (list: Print[], key: 'print' | 'line') => list.map((p) => p[key]);

describe('fingerprints', () => {
  it('the input has the four findings the edits below move around', () => {
    expect(before.map((p) => [p.rule, p.line])).toEqual([
      ['virtualalloc-granularity', 12],
      ['virtualalloc-granularity', 13],
      ['virtualalloc-granularity', 14],
      ['mapview-granularity', 15],
    ]);
    expect(only(before, 'print').every((p) => /^[0-9a-f]{32}:\d+$/.test(p))).toBe(true);
  });

  it('stay the same when lines are inserted above the findings', () => {
    const header = '/* a new header comment */\n#include <stdio.h>\n\nstatic int unrelated(void)\n{\n    return printf("hi");\n}\n\n';
    const after = prints(header + ORIGINAL);
    expect(only(after, 'line')).toEqual(only(before, 'line').map((l) => l + 8));
    expect(only(after, 'print')).toEqual(only(before, 'print'));
  });

  it('stay the same when statements are added inside the function and a call is re-wrapped', () => {
    const edited = ORIGINAL.replace(
      '    void *arena = make_arena(4096);\n',
      '    int unused = 0;\n    (void)unused;\n    void *arena = make_arena(4096);\n',
    ).replace(
      'MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 8192);',
      'MapViewOfFile(mapping,\n                               FILE_MAP_READ,\n                               0, 0,\n                               8192);',
    );
    const after = prints(edited);
    expect(only(after, 'line')).toEqual([14, 15, 16, 17]);
    expect(only(after, 'print')).toEqual(only(before, 'print'));
  });

  it('change when the call changes, and only for that call', () => {
    const after = prints(ORIGINAL.replace('0, 0, 8192)', '0, 0, 12288)'));
    expect(only(after, 'print').slice(0, 3)).toEqual(only(before, 'print').slice(0, 3));
    expect(after[3]!.print).not.toBe(before[3]!.print);
    expect(only(before, 'print')).not.toContain(after[3]!.print);
  });

  it('change when the enclosing function is renamed (a different place in the program)', () => {
    const after = prints(ORIGINAL.replace('void startup(HANDLE mapping)', 'void boot(HANDLE mapping)'));
    for (let i = 0; i < 4; i++) expect(after[i]!.print).not.toBe(before[i]!.print);
  });
});
