// One root cause, one finding (docs/rules/virtualalloc-granularity.md): a wrapper's call whose arithmetic makes
// the callers' multiples of 64 KB waste is reported once, there, with the callers of its file as related locations
// (SARIF relatedLocations, LSP relatedInformation); a caller's own constant is reported at the caller; a caller in
// another file than the wrapper is reported at its call, with the wrapper's call as a related location.

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultLintOptions, lintPaths } from '../../src/engine/runner/lint.js';
import type { Finding, Report } from '../../src/engine/model/types.js';
import { formatSarif } from '../../src/formats/sarif.js';
import { toDiagnostic } from '../../src/lsp/diagnostics.js';
import { FIXTURES } from '../helpers/fixtures.js';

const DIR = path.join(FIXTURES, 'root-causes');
const at = (file: string) => path.join(DIR, file);

async function lint(paths: string[], extra = {}): Promise<Report> {
  const report = await lintPaths(paths, { ...defaultLintOptions(DIR), ...extra });
  return report as Report;
}

/** file:line, message and related locations (file:line message) of each finding. */
function shown(findings: readonly Finding[]) {
  return [...findings]
    .filter((f) => f.ruleId === 'virtualalloc-granularity')
    .sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line)
    .map((f) => ({
      at: `${path.relative(DIR, f.file)}:${f.range.start.line}`,
      severity: f.severity,
      message: f.message,
      related: (f.related ?? []).map((r) => `${path.relative(DIR, r.file)}:${r.range.start.line} ${r.message}`),
    }));
}

describe('one root cause, one finding', () => {
  it('reports the chunk allocator once, at its over-reservation, with the three callers; a caller constant at the caller', async () => {
    const report = await lint([DIR]);
    expect(shown(report.findings)).toEqual([
      {
        at: 'chain.c:12',
        severity: 'error',
        message:
          'VirtualAlloc reserves 69632 to 135168 bytes (0x11000 to 0x21000) here for 2 calls that pass only multiples of 64 KB; 61440 bytes of its last 64 KB granule become unusable because of the arithmetic of this call',
        related: [
          'chain.c:27 chain calls outer_reserve(65536): VirtualAlloc reserves 69632 bytes (0x11000)',
          'chain.c:28 chain calls top_reserve(65536): VirtualAlloc reserves 135168 bytes (0x21000)',
        ],
      },
      {
        at: 'chunk-alloc.c:35',
        // (the over-reservation is kept when the aligned range was taken: not transient)
        severity: 'error',
        message:
          'VirtualAlloc reserves 4190208 bytes (0x3FF000) here for 3 calls that pass only multiples of 64 KB; 4096 bytes of its last 64 KB granule become unusable because of the arithmetic of this call; it is kept: its address is returned to the caller',
        related: [
          'chunk-alloc.c:57 alloc_pages calls chunk_alloc(?, 2097152, 2097152): VirtualAlloc reserves 4190208 bytes (0x3FF000)',
          'chunk-alloc.c:59 alloc_pages calls chunk_alloc(?, 2097152, 2097152): VirtualAlloc reserves 4190208 bytes (0x3FF000)',
          'chunk-alloc.c:66 heap_init calls chunk_alloc_int(2097152, 2097152): VirtualAlloc reserves 4190208 bytes (0x3FF000)',
        ],
      },
      {
        at: path.join('cross', 'callers.c') + ':7',
        severity: 'error',
        message:
          'VirtualAlloc reserves 69632 bytes (0x11000); 61440 bytes of its last 64 KB granule become unusable; it is kept: its address is returned to the caller',
        related: [
          `${path.join('cross', 'guard.c')}:7 the waste comes from the arithmetic of this call in guarded_reserve, VirtualAlloc(NULL, size + 4096, MEM_RESERVE, PAGE_NOACCESS), for the multiples of 64 KB passed here (a caller in another file is reported at its own call)`,
        ],
      },
      {
        at: 'pass-through.c:11',
        severity: 'error',
        message:
          'VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller',
        related: [],
      },
      {
        at: 'some-callers.c:7',
        severity: 'error',
        message:
          'VirtualAlloc reserves 69632 to 135168 bytes (0x11000 to 0x21000) here for 2 calls that pass only multiples of 64 KB; 61440 bytes of its last 64 KB granule become unusable because of the arithmetic of this call',
        related: [
          'some-callers.c:12 callers calls with_guard(65536): VirtualAlloc reserves 69632 bytes (0x11000)',
          'some-callers.c:13 callers calls with_guard(131072): VirtualAlloc reserves 135168 bytes (0x21000)',
        ],
      },
      {
        at: 'some-callers.c:14',
        severity: 'error',
        message: 'VirtualAlloc reserves 104096 bytes (0x196A0); 24576 bytes of its last 64 KB granule become unusable',
        related: [],
      },
    ]);
    // the finding at the wrapper has no fix: the callers' sizes are right
    const chunk = report.findings.find((f) => f.file === at('chunk-alloc.c'))!;
    expect(chunk.fix).toBeUndefined();
    expect(chunk.suggestions).toEqual([]);
    expect(chunk.enclosingFunction).toBe('chunk_alloc_int');
    expect(chunk.properties).toMatchObject({ size: '4190208', unusable: '4096', lifetime: 'escapes' });
  });

  it('puts the callers in SARIF relatedLocations, after the evidence', async () => {
    const report = await lint([DIR]);
    const sarif = JSON.parse(formatSarif({ ...report, root: DIR }).text) as {
      runs: {
        results: {
          ruleId: string;
          locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
          relatedLocations?: {
            id: number;
            message?: { text: string };
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
          }[];
        }[];
      }[];
    };
    const result = sarif.runs[0]!.results.find((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === 'chunk-alloc.c')!;
    expect(result.locations[0]!.physicalLocation.region.startLine).toBe(35);
    const related = result.relatedLocations!;
    // ids are unique and in order; the evidence (two steps) first, then the three callers
    expect(related.map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
    expect(related.slice(2).map((r) => [r.physicalLocation.artifactLocation.uri, r.physicalLocation.region.startLine, r.message?.text])).toEqual([
      ['chunk-alloc.c', 57, 'alloc_pages calls chunk_alloc(?, 2097152, 2097152): VirtualAlloc reserves 4190208 bytes (0x3FF000)'],
      ['chunk-alloc.c', 59, 'alloc_pages calls chunk_alloc(?, 2097152, 2097152): VirtualAlloc reserves 4190208 bytes (0x3FF000)'],
      ['chunk-alloc.c', 66, 'heap_init calls chunk_alloc_int(2097152, 2097152): VirtualAlloc reserves 4190208 bytes (0x3FF000)'],
    ]);
    const cross = sarif.runs[0]!.results.find((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === 'cross/callers.c')!;
    expect(cross.relatedLocations!.at(-1)!.physicalLocation).toMatchObject({ artifactLocation: { uri: 'cross/guard.c' }, region: { startLine: 7 } });
  });

  it('puts the callers in the LSP diagnostic relatedInformation', async () => {
    const report = await lint([DIR]);
    const diagnostic = toDiagnostic(report.findings.find((f) => f.file === at('chunk-alloc.c'))!);
    expect(diagnostic.range.start.line).toBe(34);
    expect(diagnostic.relatedInformation!.map((r) => [r.location.uri, r.location.range.start.line, r.message])).toEqual([
      [pathToFileURL(at('chunk-alloc.c')).href, 56, 'alloc_pages calls chunk_alloc(?, 2097152, 2097152): VirtualAlloc reserves 4190208 bytes (0x3FF000)'],
      [pathToFileURL(at('chunk-alloc.c')).href, 58, 'alloc_pages calls chunk_alloc(?, 2097152, 2097152): VirtualAlloc reserves 4190208 bytes (0x3FF000)'],
      [pathToFileURL(at('chunk-alloc.c')).href, 65, 'heap_init calls chunk_alloc_int(2097152, 2097152): VirtualAlloc reserves 4190208 bytes (0x3FF000)'],
    ]);
    // a finding without related locations has none
    expect(toDiagnostic(report.findings.find((f) => f.file === at('pass-through.c'))!).relatedInformation).toBeUndefined();
  });

  it('gives each file the same findings alone, in the whole folder, in every shard and with threads', async () => {
    const whole = (await lint([DIR])).findings;
    const json = (list: readonly Finding[]) => list.map((f) => JSON.stringify(f)).sort();
    for (const file of ['chain.c', 'chunk-alloc.c', 'pass-through.c', 'some-callers.c']) {
      const alone = (await lint([at(file)])).findings;
      expect(json(alone)).toEqual(json(whole.filter((f) => f.file === at(file))));
    }
    const sharded: Finding[] = [];
    for (const index of [1, 2, 3]) sharded.push(...(await lint([DIR], { shard: { index, count: 3 } })).findings);
    expect(json(sharded)).toEqual(json(whole));
  });
});
