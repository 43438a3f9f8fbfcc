// Findings disabled in the source: code scanning would show them as open alerts, so SARIF leaves them out
// unless --sarif-include-suppressed (action input include-suppressed) asks for them, with `suppressions`.

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const DIR = path.join(import.meta.dirname, 'suppressed');

interface Result {
  locations: { physicalLocation: { region: { startLine: number } } }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: string; status: string; justification?: string; location: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } } }[];
}

function results(args: string[]): { status: number; results: Result[] } {
  const r = runCli(['--format', 'sarif', ...args, '.'], { cwd: DIR });
  expect(r.stderr).toBe('');
  return { status: r.status, results: JSON.parse(r.stdout).runs[0].results };
}

describe('suppressed findings in SARIF', () => {
  it('are left out by default; the exit status counts only the others', () => {
    const { status, results: list } = results([]);
    expect(status).toBe(1);
    expect(list.map((r) => [r.locations[0]!.physicalLocation.region.startLine, r.suppressions])).toEqual([[9, undefined]]);
  });

  it('are kept with --sarif-include-suppressed, as inSource suppressions with the justification and the comment', () => {
    const { status, results: list } = results(['--sarif-include-suppressed']);
    expect(status).toBe(1);
    expect(
      list.map((r) => [
        r.locations[0]!.physicalLocation.region.startLine,
        r.suppressions?.map((s) => [s.kind, s.status, s.justification, s.location.physicalLocation.artifactLocation.uri, s.location.physicalLocation.region.startLine]),
      ]),
    ).toEqual([
      [7, [['inSource', 'accepted', 'pooled by the arena', 'legacy.c', 6]]],
      [8, [['inSource', 'accepted', undefined, 'legacy.c', 8]]],
      [9, undefined],
    ]);
  });

  it('do not change the fingerprints of the others', () => {
    const without = results([]).results;
    const withThem = results(['--sarif-include-suppressed']).results;
    expect(without[0]!.partialFingerprints).toEqual(withThem[2]!.partialFingerprints);
  });

  it('are left out of --format github annotations', () => {
    const r = runCli(['--format', 'github', '.'], { cwd: DIR });
    expect(r.stdout).toBe(
      '::error file=legacy.c,line=9,endLine=9,col=15,endColumn=69,title=granule(virtualalloc-granularity)::VirtualAlloc reserves 12288 bytes (0x3000); 53248 bytes of its 64 KB granule become unusable\n',
    );
  });
});
