// GitHub code scanning rejects SARIF over its hard limits; granule cuts its log to fit, most severe first,
// and says so in a tool notification and on the terminal.

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvidenceStep } from '../../src/engine/model/types.js';
import { formatSarif, toSarif } from '../../src/formats/sarif.js';
import { fitToLimits, GITHUB_LIMITS, gzipSize } from '../../src/formats/sarif-limits.js';
import { unavailable } from '../helpers/requirements.js';
import { range, schemaErrors, syntheticFinding, syntheticReport, tempDir } from './helpers.js';

const root = tempDir('limits');

function chain(steps: number): EvidenceStep[] {
  return Array.from({ length: steps }, (_, i) => ({
    file: path.join(root, 'src/chain.c'),
    range: range(i + 1, 5, 20),
    message: `wrapper${i} calls wrapper${i + 1}`,
    kind: 'wrapper',
  }));
}

describe("GitHub's limits", () => {
  it('are the documented hard limits', () => {
    expect(GITHUB_LIMITS).toEqual({
      resultsPerRun: 25_000,
      locationsPerResult: 1_000,
      threadFlowLocationsPerResult: 10_000,
      tagsPerRule: 20,
      gzipBytes: 10_000_000,
    });
  });

  it('leave a log within them untouched', () => {
    const report = syntheticReport(
      root,
      Array.from({ length: 50 }, (_, i) => syntheticFinding(root, i)),
    );
    const log = toSarif(report);
    const fitted = fitToLimits(structuredClone(log));
    expect(fitted.warnings).toEqual([]);
    expect(fitted.log).toEqual(log);
  });
});

describe('results per run', () => {
  it('keeps 25,000 results, errors before warnings, in report order, and says what was left out', () => {
    // 25,003 findings: three warnings among errors, so the cut falls on the warnings wherever they are
    const findings = Array.from({ length: 25_003 }, (_, i) =>
      [0, 12_000, 25_002].includes(i) ? syntheticFinding(root, i, { severity: 'warn', ruleId: 'mapview-granularity' }) : syntheticFinding(root, i),
    );
    const { text, warnings } = formatSarif(syntheticReport(root, findings));
    const run = JSON.parse(text).runs[0];
    expect(run.results).toHaveLength(25_000);
    expect(run.results.every((r: { level: string }) => r.level === 'error')).toBe(true);
    expect(run.results[0].locations[0].physicalLocation.region.startLine).toBe(2);
    const message =
      '3 of 25003 results were left out: GitHub code scanning accepts at most 25000 results per run, and the most severe were kept. Split the analysis into several runs with --category, or use --format json for the full list';
    expect(warnings).toEqual([message]);
    expect(run.invocations[0].toolExecutionNotifications).toEqual([{ level: 'warning', message: { text: message }, descriptor: { id: 'limit' } }]);
  });
});

describe('locations, code flows and tags', () => {
  it.skipIf(unavailable('sarif-schema'))('cuts related locations to 1,000 locations per result and code flows to 10,000 steps', () => {
    const f = syntheticFinding(root, 0, { evidence: chain(12_000) });
    const { text, warnings } = formatSarif(syntheticReport(root, [f, syntheticFinding(root, 1)]));
    const log = JSON.parse(text);
    const result = log.runs[0].results[0];
    expect(result.locations.length + result.relatedLocations.length).toBe(1_000);
    expect(result.relatedLocations.at(-1).message.text).toBe('wrapper998 calls wrapper999');
    expect(result.codeFlows[0].threadFlows[0].locations).toHaveLength(10_000);
    expect(log.runs[0].results[1].relatedLocations).toBeUndefined();
    expect(warnings).toEqual([
      "1 result has more than 1000 locations; the rest of their related locations were left out (GitHub code scanning's limit)",
      "1 result has more than 10000 code-flow steps; the rest were left out (GitHub code scanning's limit)",
    ]);
    expect(schemaErrors(log)).toEqual([]);
  });

  it('writes at most 20 tags per rule', () => {
    const log = toSarif(syntheticReport(root, [syntheticFinding(root, 0)]));
    const rule = log.runs[0]!.tool.driver.rules![0]!;
    rule.properties!.tags = Array.from({ length: 25 }, (_, i) => `tag${i}`);
    const fitted = fitToLimits(log);
    expect(fitted.log.runs[0]!.tool.driver.rules![0]!.properties!.tags).toEqual(Array.from({ length: 20 }, (_, i) => `tag${i}`));
    expect(fitted.warnings).toEqual(["rule virtualalloc-granularity has 25 tags; only the first 20 are written (GitHub code scanning's limit)"]);
  });
});

describe('compressed size', () => {
  const limits = { ...GITHUB_LIMITS, gzipBytes: 30_000 };

  it('drops code flows, related locations and fixes first when that is enough', () => {
    const findings = Array.from({ length: 20 }, (_, i) =>
      syntheticFinding(root, i, { evidence: chain(300).map((e, j) => ({ ...e, message: `${e.message} ${(i * 7919 + j * 104729).toString(36)}` })) }),
    );
    const { text, warnings } = formatSarif(syntheticReport(root, findings), { limits });
    const run = JSON.parse(text).runs[0];
    expect(gzipSize(text)).toBeLessThanOrEqual(30_000);
    expect(run.results).toHaveLength(20);
    expect(run.results.some((r: object) => 'codeFlows' in r || 'relatedLocations' in r || 'fixes' in r)).toBe(false);
    expect(warnings).toEqual([
      'the SARIF file was larger than GitHub code scanning accepts (0.03 MB compressed), so code flows, related locations and fixes were left out',
    ]);
  });

  it('then keeps the most severe results that fit, and says how many were left out', () => {
    const findings = Array.from({ length: 3_000 }, (_, i) =>
      syntheticFinding(root, i, {
        severity: i % 2 ? 'warn' : 'error',
        ruleId: i % 2 ? 'mapview-granularity' : 'virtualalloc-granularity',
        message: `finding ${i}: ${(i * 2654435761).toString(36)} ${(i * 40503).toString(16)}`,
      }),
    );
    const { text, warnings } = formatSarif(syntheticReport(root, findings), { limits });
    expect(gzipSize(text)).toBeLessThanOrEqual(30_000);
    const run = JSON.parse(text).runs[0];
    const kept = run.results.length as number;
    expect(kept).toBeGreaterThan(100);
    expect(kept).toBeLessThan(1_500);
    expect(run.results.every((r: { level: string }) => r.level === 'error')).toBe(true);
    const message = `${3_000 - kept} of 3000 results were left out to keep the SARIF file under 0.03 MB compressed (GitHub code scanning's limit); the most severe were kept. Split the analysis into several runs with --category, or use --format json for the full list`;
    expect(warnings).toEqual([message]); // nothing to strip first: no note about code flows
    expect(run.invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text)).toContain(message);
    // the largest count that fits: one more result would not
    const more = formatSarif(syntheticReport(root, findings.filter((_, i) => i % 2 === 0).slice(0, kept + 1)), { limits: false });
    expect(gzipSize(more.text)).toBeGreaterThan(30_000 - 2_000);
  });

  it('writes everything when limits are off', () => {
    const findings = Array.from({ length: 25_001 }, (_, i) => syntheticFinding(root, i));
    const { text, warnings } = formatSarif(syntheticReport(root, findings), { limits: false });
    expect(JSON.parse(text).runs[0].results).toHaveLength(25_001);
    expect(warnings).toEqual([]);
  });
});
