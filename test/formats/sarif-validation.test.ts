// granule's real SARIF output — for every fixture folder and for the shapes a fixture does not produce — must
// pass the official SARIF 2.1.0 schema and Microsoft's SARIF Multitool with its SARIF and GitHub rules
// (no error, no warning).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lintPaths } from '../../src/engine/runner/lint.js';
import { baselineText } from '../../src/formats/baseline.js';
import { formatSarif } from '../../src/formats/sarif.js';
import { GITHUB_LIMITS, gzipSize } from '../../src/formats/sarif-limits.js';
import { runCli } from '../helpers/cli.js';
import { FIXTURES, fixtureFolders } from '../helpers/fixtures.js';
import { unavailable } from '../helpers/requirements.js';
import { fixtureOptions, INPUT, multitoolProblems, range, schemaErrors, syntheticFinding, syntheticReport, tempDir } from './helpers.js';

const OUT = tempDir('sarif-validation');

/** Each case writes one SARIF file; the name says what it covers. */
const cases: [string, () => Promise<string>][] = [
  ...fixtureFolders().map((dir): [string, () => Promise<string>] => [
    `fixture-${path.basename(dir)}`,
    async () => formatSarif(await lintPaths([dir], fixtureOptions(dir)), { category: `fixtures/${path.basename(dir)}` }).text,
  ]),
  ['wrappers-fixes-duplicates', async () => formatSarif(await lintPaths([INPUT], fixtureOptions(INPUT))).text],
  [
    'rule-overrides',
    async () =>
      formatSarif(await lintPaths([INPUT], { ...fixtureOptions(INPUT), rules: { 'unresolved-allocation-size': 'warn', 'mapview-granularity': 'error' } })).text,
  ],
  [
    'suppressed-included',
    async () => {
      const report = await lintPaths([INPUT], fixtureOptions(INPUT));
      report.findings[1]!.suppressed = { kind: 'inSource', justification: 'legacy allocator, fixed in 3.0', range: range(12, 5, 60) };
      report.findings[2]!.suppressed = { kind: 'inSource', range: range(13, 5, 60) };
      return formatSarif(report).text;
    },
  ],
  [
    'suppressed-from-comments',
    async () => {
      const dir = path.join(import.meta.dirname, 'data', 'suppressed');
      return formatSarif(await lintPaths([dir], fixtureOptions(dir))).text;
    },
  ],
  [
    // the built CLI with its defaults, which keep disabled findings as suppressed results
    'cli-default-disables',
    async () => {
      const r = runCli(['--format', 'sarif', '.'], { cwd: path.join(FIXTURES, 'disables') });
      expect([r.status, r.stderr]).toEqual([1, '']);
      const results = (JSON.parse(r.stdout) as { runs: { results: { suppressions?: { kind: string; justification?: string }[] }[] }[] }).runs[0]!.results;
      expect(results.flatMap((x) => x.suppressions ?? [])).toContainEqual(expect.objectContaining({ kind: 'inSource', justification: 'pooled by the arena' }));
      return r.stdout;
    },
  ],
  [
    'cli-omit-suppressed',
    async () => {
      const r = runCli(['--format', 'sarif', '--sarif-omit-suppressed', '.'], { cwd: path.join(FIXTURES, 'disables') });
      expect([r.status, r.stderr]).toEqual([1, '']);
      return r.stdout;
    },
  ],
  ['docs-pages-missing', async () => formatSarif(await lintPaths([INPUT], fixtureOptions(INPUT)), { docsDir: tempDir('no-docs') }).text],
  [
    'notices-and-uri-escaping',
    async () => {
      const dir = tempDir('notices');
      fs.mkdirSync(path.join(dir, 'odd dir'));
      fs.copyFileSync(path.join(INPUT, 'app.c'), path.join(dir, 'odd dir', 'a b#1%.c'));
      fs.writeFileSync(path.join(dir, 'blob.c'), Buffer.from('VirtualAlloc\0\0\0binary', 'latin1'));
      const report = await lintPaths([dir], fixtureOptions(dir));
      expect(report.notices.map((n) => n.code)).toContain('binary');
      return formatSarif(report, { category: 'notices' }).text;
    },
  ],
  [
    'files-outside-root',
    async () => {
      const report = await lintPaths([INPUT], fixtureOptions(INPUT));
      return formatSarif({ ...report, root: tempDir('elsewhere') }).text;
    },
  ],
  [
    'cut-to-limits',
    async () => {
      const root = tempDir('limits');
      const findings = Array.from({ length: 40 }, (_, i) =>
        syntheticFinding(root, i, { severity: i % 3 ? 'warn' : 'error', ruleId: i % 3 ? 'mapview-granularity' : 'virtualalloc-granularity' }),
      );
      // room for a few results beyond the rules table, whose help pages are most of the file
      const empty = gzipSize(formatSarif(syntheticReport(root, []), { limits: false }).text);
      const { text, warnings } = formatSarif(syntheticReport(root, findings), { limits: { ...GITHUB_LIMITS, resultsPerRun: 30, gzipBytes: empty + 1_500 } });
      expect(warnings).toHaveLength(2); // the result count, then the size
      return text;
    },
  ],
  ['baseline', async () => baselineText(await lintPaths([INPUT], fixtureOptions(INPUT)))],
];

const files = new Map<string, string>();

beforeAll(async () => {
  for (const [name, make] of cases) {
    const file = path.join(OUT, `${name}.sarif`);
    fs.writeFileSync(file, await make());
    files.set(name, file);
  }
});

describe.skipIf(unavailable('sarif-schema'))('SARIF schema (ajv, official SARIF 2.1.0 schema)', () => {
  it.each(cases.map(([name]) => [name]))('%s', (name) => {
    const log = JSON.parse(fs.readFileSync(files.get(name)!, 'utf8')) as { runs: { results: unknown[] }[] };
    expect(schemaErrors(log)).toEqual([]);
    // each case of this file exists for its results: one without any would validate nothing about them
    if (!name.startsWith('fixture-')) expect(log.runs[0]!.results.length).toBeGreaterThan(0);
  });
});

describe.skipIf(unavailable('sarif-multitool', 'sarif-schema'))('SARIF Multitool validate --rule-kind "Sarif;Gh"', () => {
  it('reports no error and no warning on any case', () => {
    expect(multitoolProblems([...files.values()])).toEqual([]);
  });

  it('catches what GitHub rejects (the check can fail)', () => {
    const read = () => JSON.parse(fs.readFileSync(files.get('wrappers-fixes-duplicates')!, 'utf8'));
    // the Multitool stops at a schema error, so the two kinds of damage go into two files
    const noMessage = read();
    delete noMessage.runs[0].results[0].message;
    const noHelp = read();
    delete noHelp.runs[0].tool.driver.rules[0].fullDescription;
    delete noHelp.runs[0].tool.driver.rules[0].help;
    fs.writeFileSync(path.join(OUT, 'no-message.sarif'), JSON.stringify(noMessage));
    fs.writeFileSync(path.join(OUT, 'no-help.sarif'), JSON.stringify(noHelp));
    expect(schemaErrors(noMessage)).toEqual(['/runs/0/results/0 must have required property \'message\' {"missingProperty":"message"}']);
    expect(schemaErrors(noHelp)).toEqual([]);
    expect(multitoolProblems([path.join(OUT, 'no-message.sarif'), path.join(OUT, 'no-help.sarif')])).toEqual([
      "no-help.sarif: error GH2012: runs[0].tool.driver.rules[0]: This 'reportingDescriptor' object does not provide a 'fullDescription' value. This property is required by the GitHub Advanced Security service.",
      "no-help.sarif: error GH2012: runs[0].tool.driver.rules[0]: This 'reportingDescriptor' object does not provide a 'help' object. This property is required by the GitHub Advanced Security service.",
      "no-message.sarif: error JSON1002: runs[0].results[0]: The required property 'message' is missing.",
    ]);
  });
});
