// `granule merge` reads logs from wherever a CI job found them: only regular files, no result twice, and no
// location outside the source root.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type * as Sarif from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeLogs, runMergeCommand } from '../../src/cli/merge.js';
import { capture, removeDir, tempDir } from '../shim/helpers.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('merge-command');
});
afterAll(() => removeDir(dir));

describe('granule merge', () => {
  const log = (results: Sarif.Result[]): Sarif.Log => ({
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'granule', semanticVersion: '1.0.0' } }, results }],
  });
  const result = (uri: string, line: number, fp = `fp-${uri}-${line}`): Sarif.Result => ({
    ruleId: 'virtualalloc-granularity',
    message: { text: 'm' },
    locations: [{ physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, region: { startLine: line } } }],
    partialFingerprints: { 'granule/v1': fp },
  });
  const uris = (l: Sarif.Log) =>
    l.runs[0]!.results!.map((r) => `${r.locations![0]!.physicalLocation!.artifactLocation!.uri}:${r.locations![0]!.physicalLocation!.region!.startLine}`);

  it('merging a log with itself gives the log', () => {
    const a = log([result('src/a.c', 3), result('src/b.c', 1)]);
    const notes: string[] = [];
    const merged = mergeLogs([a, a], notes, ['A', 'A']);
    expect(uris(merged)).toEqual(['src/a.c:3', 'src/b.c:1']);
    expect(notes).toEqual(['2 duplicate results left out (the same rule, location and fingerprint in more than one log)']);
  });

  it('leaves out results whose location leaves the source root, and normalises the others', () => {
    const notes: string[] = [];
    const merged = mergeLogs(
      [log([result('../../etc/passwd', 1), result('src/./x/../a.c', 2), result('/etc/shadow', 1), result('src/%2e%2e/%2e%2e/x.c', 1)])],
      notes,
      ['A.sarif'],
    );
    expect(uris(merged)).toEqual(['src/a.c:2']);
    expect(notes).toEqual(['A.sarif: 3 results left out: their location leaves the source root ("../../etc/passwd")']);
  });

  it('refuses a device as a log, with one line', () => {
    const c = capture();
    expect(runMergeCommand(['/dev/zero'], { ...c.io, cwd: dir } as never, () => undefined)).toBe(2);
    expect(c.err()).toBe('granule merge: /dev/zero: not a regular file\n');
  });

  it('prints what it left out', () => {
    const file = path.join(dir, 'A.sarif');
    writeFileSync(file, JSON.stringify(log([result('src/a.c', 3)])));
    const c = capture();
    expect(runMergeCommand(['A.sarif', 'A.sarif'], { ...c.io, cwd: dir } as never, () => undefined)).toBe(0);
    expect(c.err()).toBe('granule merge: 1 duplicate result left out (the same rule, location and fingerprint in more than one log)\n');
    expect(uris(JSON.parse(c.out()) as Sarif.Log)).toEqual(['src/a.c:3']);
  });
});
