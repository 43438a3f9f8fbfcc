// Findings disabled in the source are in the SARIF by default, marked with an inSource `suppressions` entry that
// SARIF viewers honour. GitHub code scanning ignores `suppressions` and would show them as open alerts, so
// --sarif-omit-suppressed (passed by the action unless its input include-suppressed is true) leaves them out.

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';

const DIR = path.join(import.meta.dirname, 'data', 'suppressed');

interface Result {
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
  partialFingerprints: Record<string, string>;
  suppressions?: {
    kind: string;
    status: string;
    justification?: string;
    location: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } };
  }[];
}

function results(args: string[], cwd = DIR): { status: number; results: Result[] } {
  const r = runCli(['--format', 'sarif', ...args, '.'], { cwd });
  expect(r.stderr).toBe('');
  return { status: r.status, results: JSON.parse(r.stdout).runs[0].results };
}

describe('suppressed findings in SARIF', () => {
  it('are kept by default, as inSource suppressions with the justification and the comment', () => {
    const { status, results: list } = results([]);
    expect(status).toBe(1);
    expect(
      list.map((r) => [
        r.locations[0]!.physicalLocation.region.startLine,
        r.suppressions?.map((s) => [
          s.kind,
          s.status,
          s.justification,
          s.location.physicalLocation.artifactLocation.uri,
          s.location.physicalLocation.region.startLine,
        ]),
      ]),
    ).toEqual([
      [7, [['inSource', 'accepted', 'pooled by the arena', 'legacy.c', 6]]],
      [8, [['inSource', 'accepted', undefined, 'legacy.c', 8]]],
      [9, undefined],
    ]);
  });

  it('are left out with --sarif-omit-suppressed; the exit status counts only the others either way', () => {
    const { status, results: list } = results(['--sarif-omit-suppressed']);
    expect(status).toBe(1);
    expect(list.map((r) => [r.locations[0]!.physicalLocation.region.startLine, r.suppressions])).toEqual([[9, undefined]]);
  });

  it('from every disable form of the disables fixture are in the default CLI SARIF, each with its comment', () => {
    const { status, results: list } = results([], path.join(FIXTURES, 'disables'));
    expect(status).toBe(1);
    const where = (r: Result) => `${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`;
    const suppressed = list.filter((r) => r.suppressions);
    // one result for each finding a comment disables: next-line, line, block regions, several rules, a `//` region
    expect(suppressed.map((r) => [where(r), r.suppressions!.map((s) => [s.kind, s.justification, s.location.physicalLocation.region.startLine])])).toEqual([
      ['disables.c:5', [['inSource', 'pooled by the arena', 4]]],
      ['disables.c:6', [['inSource', undefined, 6]]],
      ['disables.c:7', [['inSource', undefined, 7]]],
      ['disables.c:12', [['inSource', undefined, 11]]],
      ['disables.c:14', [['inSource', undefined, 13]]],
      ['disables.c:17', [['inSource', 'a comment over two lines covers the line after it ends', 15]]],
      ['disables.c:22', [['inSource', undefined, 20]]],
      ['disables.c:29', [['inSource', undefined, 27]]],
      ['disables.c:30', [['inSource', undefined, 27]]],
      ['disables.c:31', [['inSource', undefined, 27]]],
      ['disables.c:43', [['inSource', undefined, 40]]],
      ['tail.cpp:11', [['inSource', 'generated below; a line comment works as a region start too', 9]]],
      ['tail.cpp:12', [['inSource', 'generated below; a line comment works as a region start too', 9]]],
    ]);
    expect(suppressed[0]!.suppressions).toEqual([
      {
        kind: 'inSource',
        status: 'accepted',
        justification: 'pooled by the arena',
        location: {
          physicalLocation: {
            artifactLocation: { uri: 'disables.c', uriBaseId: '%SRCROOT%' },
            region: { startLine: 4, startColumn: 3, endLine: 4, endColumn: 79 },
          },
        },
      },
    ]);
    // --sarif-omit-suppressed keeps exactly the others
    const omitted = results(['--sarif-omit-suppressed'], path.join(FIXTURES, 'disables'));
    expect(omitted.status).toBe(1);
    expect(omitted.results.map(where)).toEqual(list.filter((r) => !r.suppressions).map(where));
    expect(omitted.results.map(where)).toEqual([
      'disables.c:8',
      'disables.c:10',
      'disables.c:23',
      'disables.c:36',
      'disables.c:37',
      'disables.c:44',
      'disables.c:49',
      'disables.c:50',
      'tail.cpp:6',
    ]);
  });

  it('do not change the fingerprints of the others', () => {
    const without = results(['--sarif-omit-suppressed']).results;
    const withThem = results([]).results;
    expect(without[0]!.partialFingerprints).toEqual(withThem[2]!.partialFingerprints);
  });

  it('no longer take --sarif-include-suppressed, which was the opt-in before they were kept by default', () => {
    const r = runCli(['--format', 'sarif', '--sarif-include-suppressed', '.'], { cwd: DIR });
    expect([r.status, r.stdout, r.stderr.split('\n').at(-2)]).toEqual([2, '', 'Run "granule --help" for usage.']);
    expect(r.stderr).toBe(`granule: unknown option '--sarif-include-suppressed'\nRun "granule --help" for usage.\n`);
  });

  it('are left out of --format github annotations', () => {
    const r = runCli(['--format', 'github', '.'], { cwd: DIR });
    expect(r.stdout).toBe(
      '::error file=legacy.c,line=9,endLine=9,col=15,endColumn=69,title=granule(virtualalloc-granularity)::VirtualAlloc reserves 12288 bytes (0x3000); 53248 bytes of its 64 KB granule become unusable\n',
    );
  });
});
