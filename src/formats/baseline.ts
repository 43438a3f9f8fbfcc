// Baselines let a project adopt granule without fixing old code first: `--write-baseline FILE` records the
// fingerprints of today's findings as SARIF, and `--baseline FILE` reports only findings not recorded there.
// Any SARIF granule wrote (its `--format sarif` output too) works as a baseline.

import { jsonErrorMessage } from '../engine/files/json-error.js';
import { READ_LIMITS, readFailure, readRegularText } from '../engine/files/regular-file.js';
import type * as Sarif from 'sarif';
import type { Finding, Report } from '../engine/model/types.js';
import { artifactLocation, FINGERPRINT_KEY, findingFingerprints, INFORMATION_URI, SARIF_SCHEMA, sarifRules } from './sarif.js';
import { serialize } from './sarif-limits.js';

export class BaselineError extends Error {}

/**
 * The fingerprints recorded in a SARIF file; a BaselineError with one clear sentence when it is not usable.
 * `shown` is the name the user gave, for the messages.
 */
export function readBaseline(file: string, shown = file): Set<string> {
  let text: string;
  try {
    // (a regular file of bounded size: --baseline /dev/zero grew by a gigabyte a second)
    text = readRegularText(file, READ_LIMITS.generated);
  } catch (e) {
    throw new BaselineError(`cannot read baseline ${shown}: ${readFailure(e)}`);
  }
  let log: unknown;
  try {
    log = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new BaselineError(`baseline ${shown} is not JSON: ${jsonErrorMessage(e)}`);
  }
  const runs = (log as { runs?: unknown } | null)?.runs;
  if (!Array.isArray(runs)) throw new BaselineError(`baseline ${shown} is not a SARIF log (it has no "runs" array)`);
  const known = new Set<string>();
  let results = 0;
  for (const run of runs as Sarif.Run[]) {
    for (const r of run?.results ?? []) {
      results++;
      const print = r?.partialFingerprints?.[FINGERPRINT_KEY];
      if (typeof print === 'string') known.add(print);
    }
  }
  if (results > 0 && known.size === 0) {
    throw new BaselineError(`baseline ${shown} has no granule fingerprints ("${FINGERPRINT_KEY}"); write one with --write-baseline`);
  }
  return known;
}

/** The report without the findings the baseline already records, and how many those were. */
export function applyBaseline<R extends Report>(
  report: R,
  known: ReadonlySet<string>,
  prints: ReadonlyMap<Finding, string> = findingFingerprints(report),
): { report: R; matched: number } {
  const findings = report.findings.filter((f) => !known.has(prints.get(f)!));
  return { report: { ...report, findings }, matched: report.findings.length - findings.length };
}

/**
 * A small, deterministic SARIF log of the reported findings (suppressed ones are already accepted in the
 * source): no absolute paths, no help text, so a committed baseline changes only when findings change.
 */
export function baselineLog(report: Report, prints: ReadonlyMap<Finding, string> = findingFingerprints(report)): Sarif.Log {
  // rule metadata only, not the docs pages, so the file does not change when the docs do
  const rules = sarifRules(null);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results: Sarif.Result[] = report.findings
    .filter((f) => !f.suppressed)
    .map((f) => ({
      ruleId: f.ruleId,
      ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
      level: f.severity === 'error' ? 'error' : 'warning',
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifactLocation(report, f.file),
            region: { startLine: f.range.start.line, startColumn: f.range.start.column },
          },
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: prints.get(f)! },
    }));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'granule', semanticVersion: report.toolVersion, informationUri: INFORMATION_URI, rules } },
        automationDetails: { description: { text: 'granule baseline: findings accepted when the baseline was written' } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

export function baselineText(report: Report, prints?: ReadonlyMap<Finding, string>): string {
  return serialize(baselineLog(report, prints));
}
