// What granule's SARIF says, field by field, for a real lint run of test/formats/data/input and for hand-made reports.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { beforeAll, describe, expect, it } from 'vitest';
import { lintPaths } from '../../src/engine/runner/lint.js';
import type { Report } from '../../src/engine/model/types.js';
import { formatters } from '../../src/formats/index.js';
import { findingFingerprints, formatSarif, sarifRules, toSarif } from '../../src/formats/sarif.js';
import { rules as allRules } from '../../src/rules/index.js';
import { fixtureOptions, INPUT, range, syntheticFinding, syntheticReport, tempDir } from './helpers.js';
import { ROOT } from '../helpers/cli.js';

const APP = path.join(INPUT, 'app.c');
const SOURCE = fs.readFileSync(APP, 'utf8');
const DOCS = 'https://github.com/granule-lint/granule/blob/main/docs/';
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let report: Report;
let run: Sarif.Run;

const where = (startLine: number, startColumn: number, endColumn: number): Sarif.PhysicalLocation => ({
  artifactLocation: { uri: 'app.c', uriBaseId: '%SRCROOT%' },
  region: { startLine, startColumn, endLine: startLine, endColumn },
});

beforeAll(async () => {
  report = await lintPaths([INPUT], fixtureOptions(INPUT));
  run = toSarif(report).runs[0]!;
});

describe('log and run', () => {
  it('has the schema, the version, one run with columnKind, %SRCROOT% and the invocation', () => {
    const log = toSarif(report);
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const root = pathToFileURL(INPUT).href + '/';
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: root } });
    expect(run.invocations).toEqual([{ executionSuccessful: true, toolExecutionNotifications: [], workingDirectory: { uri: root } }]);
    expect(run.automationDetails).toBeUndefined();
  });

  it('names the tool with its version and home page', () => {
    const { rules, ...driver } = run.tool.driver;
    expect(driver).toEqual({ name: 'granule', semanticVersion: VERSION, version: VERSION, informationUri: 'https://github.com/granule-lint/granule' });
    expect(rules!.map((r) => r.id)).toEqual(allRules.map((r) => r.name));
  });

  it('sets runAutomationDetails.id from the category', () => {
    expect(toSarif(report, { category: 'granule/c' }).runs[0]!.automationDetails).toEqual({ id: 'granule/c/' });
    expect(toSarif(report, { category: 'granule/cpp/' }).runs[0]!.automationDetails).toEqual({ id: 'granule/cpp/' });
    expect(toSarif(report, { category: 'granule' }).runs[0]!.automationDetails).toEqual({ id: 'granule/' });
  });

  it('the registered sarif formatter is formatSarif with the defaults', () => {
    expect(formatters.sarif!(report, { color: false })).toBe(formatSarif(report).text);
    expect(JSON.parse(formatSarif(report).text)).toEqual(toSarif(report));
  });
});

describe('rules', () => {
  it('describe every rule for code scanning', () => {
    const rules = sarifRules(tempDir('no-docs'));
    expect(rules).toEqual(
      allRules.map((r) => ({
        id: r.name,
        name: r.name.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase()),
        shortDescription: { text: r.meta.docs.description },
        fullDescription: { text: `${r.meta.docs.description}.` },
        help: {
          text: `${r.meta.docs.description}. See ${DOCS}rules/${r.name}.md for examples and options.`,
          markdown: `${r.meta.docs.description}.\n\nSee [${r.name}](${DOCS}rules/${r.name}.md) for examples and options.\n`,
        },
        helpUri: `${DOCS}rules/${r.name}.md`,
        defaultConfiguration: { level: { error: 'error', warn: 'warning', off: 'none' }[r.meta.defaultLevel], enabled: r.meta.defaultLevel !== 'off' },
        properties: { tags: r.meta.tags, precision: r.meta.precision, 'problem.severity': expect.any(String) },
      })),
    );
    expect(rules.map((r) => [r.id, r.name, r.properties!['problem.severity']])).toEqual([
      ['virtualalloc-granularity', 'VirtualallocGranularity', 'error'],
      ['large-page-size', 'LargePageSize', 'error'],
      ['mapview-granularity', 'MapviewGranularity', 'warning'],
      ['unresolved-allocation-size', 'UnresolvedAllocationSize', 'recommendation'],
      ['virtualfree-misuse', 'VirtualfreeMisuse', 'error'],
    ]);
  });

  it('take help from the docs page: front matter dropped, relative links made absolute, first paragraph as plain text', () => {
    const docsDir = path.join(import.meta.dirname, 'data', 'docs');
    const page = fs.readFileSync(path.join(docsDir, 'virtualalloc-granularity.md'), 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '');
    const rule = sarifRules(docsDir)[0]!;
    const markdown = page
      .replace('](unresolved-allocation-size.md)', `](${DOCS}rules/unresolved-allocation-size.md)`)
      .replace('](./README.md#rules)', `](${DOCS}rules/README.md#rules)`)
      .replace('](../code-scanning.md)', `](${DOCS}code-scanning.md)`);
    expect(markdown).not.toBe(page);
    expect(rule.help).toEqual({ text: markdown, markdown });
    expect(rule.help!.markdown).toContain('](https://learn.microsoft.com/windows/win32/api/memoryapi/nf-memoryapi-virtualalloc)');
    expect(rule.help!.markdown).toContain('[above](#virtualalloc-granularity)');
    const full = rule.fullDescription!.text;
    expect(full.length).toBeLessThanOrEqual(1024);
    // cut at a word boundary of the plain-text paragraph, marked with an ellipsis
    const paragraph = `The VirtualAlloc granule rule reports a reservation that wastes address space, in detail. ${'Every word here makes the first paragraph longer than GitHub accepts for a full description. '.repeat(12)}`;
    expect(full.endsWith('…')).toBe(true);
    expect(paragraph.startsWith(full.slice(0, -1))).toBe(true);
    expect(paragraph[full.length - 1]).toBe(' ');
    expect(full.length).toBeGreaterThan(900);
    // the other rules have no page in that folder: their help comes from the metadata
    expect(sarifRules(docsDir)[1]!.help!.markdown).toBe(
      `${allRules[1]!.meta.docs.description}.\n\nSee [large-page-size](${DOCS}rules/large-page-size.md) for examples and options.\n`,
    );
  });

  it('record rule levels that differ from the defaults as configuration overrides', () => {
    const overridden = {
      ...report,
      rules: report.rules.map((r) =>
        r.id === 'mapview-granularity' ? { ...r, level: 'error' as const } : r.id === 'unresolved-allocation-size' ? { ...r, level: 'warn' as const } : r,
      ),
    };
    expect(toSarif(overridden).runs[0]!.invocations![0]!.ruleConfigurationOverrides).toEqual([
      { descriptor: { id: 'mapview-granularity', index: 2 }, configuration: { level: 'error', enabled: true } },
      { descriptor: { id: 'unresolved-allocation-size', index: 3 }, configuration: { level: 'warning', enabled: true } },
    ]);
  });
});

/** A finding's autofix as SARIF: the engine decides the edits (tested elsewhere); this is the mapping. */
function expectedFixes(f: Report['findings'][number]): Sarif.Fix[] | undefined {
  if (!f.fix) return undefined;
  return [
    {
      description: { text: f.suggestions[0]?.desc ?? 'Round the size up to a multiple of 64 KB' },
      artifactChanges: [
        {
          artifactLocation: { uri: path.relative(INPUT, f.fix.file), uriBaseId: '%SRCROOT%' },
          replacements: f.fix.edits.map((e) => ({
            deletedRegion: { charOffset: e.range[0], charLength: e.range[1] - e.range[0] },
            insertedContent: { text: e.text },
          })),
        },
      ],
    },
  ];
}

describe('results', () => {
  it('a wrapper chain: rule, level, message, region, fingerprint, properties, related locations and a code flow', () => {
    const caller = where(12, 19, 35);
    const callee = where(7, 12, 61);
    const { fixes, ...result } = run.results![0]!;
    expect(fixes).toEqual(expectedFixes(report.findings[0]!));
    expect(result).toEqual({
      ruleId: 'virtualalloc-granularity',
      ruleIndex: 0,
      level: 'error',
      message: { text: 'VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable' },
      locations: [{ physicalLocation: caller }],
      partialFingerprints: { 'granule/v1': expect.stringMatching(/^[0-9a-f]{32}:0$/) },
      properties: {
        ...report.findings[0]!.properties,
        api: 'VirtualAlloc',
        callee: 'make_arena',
        size: '4096',
        unusable: '61440',
        function: 'startup',
        targets: ['x64', 'x86'],
      },
      relatedLocations: [
        { id: 1, physicalLocation: caller, message: { text: 'startup calls make_arena(4096)' } },
        { id: 2, physicalLocation: callee, message: { text: 'make_arena(n = 4096) calls VirtualAlloc' } },
      ],
      codeFlows: [
        {
          message: { text: 'startup calls make_arena(4096) → make_arena(n = 4096) calls VirtualAlloc' },
          threadFlows: [
            {
              locations: [
                { location: { physicalLocation: caller, message: { text: 'startup calls make_arena(4096)' } }, executionOrder: 1, nestingLevel: 0 },
                { location: { physicalLocation: callee, message: { text: 'make_arena(n = 4096) calls VirtualAlloc' } }, executionOrder: 2, nestingLevel: 1 },
              ],
            },
          ],
        },
      ],
    });
  });

  it('an autofixable literal carries the fix as a replacement of the literal', () => {
    const literal = SOURCE.indexOf('100,');
    expect(run.results![1]).toEqual({
      ruleId: 'virtualalloc-granularity',
      ruleIndex: 0,
      level: 'error',
      message: { text: 'VirtualAlloc reserves 100 bytes (0x64); 61440 bytes of its 64 KB granule become unusable' },
      locations: [{ physicalLocation: where(13, 15, 80) }],
      partialFingerprints: { 'granule/v1': expect.stringMatching(/^[0-9a-f]{32}:0$/) },
      properties: {
        ...report.findings[1]!.properties,
        api: 'VirtualAlloc',
        callee: 'VirtualAlloc',
        size: '100',
        unusable: '61440',
        function: 'startup',
        targets: ['x64', 'x86'],
      },
      fixes: [
        {
          description: { text: 'Reserve 65536 bytes (0x10000), the next multiple of 64 KB' },
          artifactChanges: [
            {
              artifactLocation: { uri: 'app.c', uriBaseId: '%SRCROOT%' },
              replacements: [{ deletedRegion: { charOffset: literal, charLength: 3 }, insertedContent: { text: '65536' } }],
            },
          ],
        },
      ],
    });
  });

  it('two identical calls in one function share the hash and differ in the occurrence', () => {
    const [, a, b] = run.results!.map((r) => r.partialFingerprints!['granule/v1']!);
    expect(a!.slice(0, 32)).toBe(b!.slice(0, 32));
    expect([a!.slice(32), b!.slice(32)]).toEqual([':0', ':1']);
    expect(new Set(run.results!.map((r) => r.partialFingerprints!['granule/v1'])).size).toBe(4);
  });

  it('a warning-level rule gives a warning result with its rule index', () => {
    expect(run.results![3]).toMatchObject({
      ruleId: 'mapview-granularity',
      ruleIndex: 2,
      level: 'warning',
      message: { text: 'MapViewOfFile maps a view of 8192 bytes (0x2000); 57344 bytes of its last 64 KB granule become unusable' },
      locations: [{ physicalLocation: where(15, 18, 67) }],
      properties: { api: 'MapViewOfFile', size: '8192', unusable: '57344', function: 'startup' },
    });
    expect(run.results![3]!.fixes).toBeUndefined();
    expect(run.results![3]!.codeFlows).toBeUndefined();
  });
});

describe('suppressed findings', () => {
  const suppressedReport = (): Report => {
    const r = { ...report, findings: report.findings.map((f) => ({ ...f })) };
    r.findings[1]!.suppressed = { kind: 'inSource', justification: 'legacy allocator, fixed in 3.0', range: range(12, 5, 62) };
    r.findings[2]!.suppressed = { kind: 'inSource', range: range(13, 5, 50) };
    return r;
  };

  it('are left out with omitSuppressed, keeping the fingerprints of the rest', () => {
    const r = suppressedReport();
    const results = toSarif(r, { omitSuppressed: true }).runs[0]!.results!;
    expect(results.map((x) => x.locations![0]!.physicalLocation!.region!.startLine)).toEqual([12, 15]);
    const prints = findingFingerprints(r);
    expect(results.map((x) => x.partialFingerprints!['granule/v1'])).toEqual([prints.get(r.findings[0]!), prints.get(r.findings[3]!)]);
  });

  it('are kept by default, with an inSource suppression', () => {
    const r = suppressedReport();
    const results = toSarif(r).runs[0]!.results!;
    const prints = findingFingerprints(r);
    expect(results.map((x) => x.partialFingerprints!['granule/v1'])).toEqual(r.findings.map((f) => prints.get(f)));
    expect(results.map((x) => x.suppressions)).toEqual([
      undefined,
      [
        {
          kind: 'inSource',
          status: 'accepted',
          justification: 'legacy allocator, fixed in 3.0',
          location: {
            physicalLocation: {
              artifactLocation: { uri: 'app.c', uriBaseId: '%SRCROOT%' },
              region: { startLine: 12, startColumn: 5, endLine: 12, endColumn: 67 },
            },
          },
        },
      ],
      [
        {
          kind: 'inSource',
          status: 'accepted',
          location: {
            physicalLocation: {
              artifactLocation: { uri: 'app.c', uriBaseId: '%SRCROOT%' },
              region: { startLine: 13, startColumn: 5, endLine: 13, endColumn: 55 },
            },
          },
        },
      ],
      undefined,
    ]);
  });
});

describe('locations and notifications', () => {
  it('escapes repo-relative URIs and writes absolute file URIs for files outside the root', () => {
    const root = tempDir('uris');
    const inside = syntheticFinding(root, 0, { file: path.join(root, 'odd dir', 'a b#1%.c') });
    const outside = syntheticFinding(root, 1, { file: '/elsewhere/x y.c' });
    const results = toSarif(syntheticReport(root, [inside, outside])).runs[0]!.results!;
    expect(results.map((r) => r.locations![0]!.physicalLocation!.artifactLocation)).toEqual([
      { uri: 'odd%20dir/a%20b%231%25.c', uriBaseId: '%SRCROOT%' },
      { uri: 'file:///elsewhere/x%20y.c' },
    ]);
  });

  it('turns notices into tool execution notifications, and an internal error into an unsuccessful run', () => {
    const root = tempDir('notices');
    const notices: Report['notices'] = [
      { level: 'warning', file: path.join(root, 'blob.c'), code: 'binary', message: 'binary file (contains NUL bytes); skipped' },
      {
        level: 'note',
        file: path.join(root, 'src/x.c'),
        line: 7,
        code: 'parse-error',
        message: '1 region could not be parsed; calls there are read from tokens',
      },
      { level: 'error', code: 'internal-error', message: 'something broke' },
    ];
    const invocation = toSarif(syntheticReport(root, [], notices)).runs[0]!.invocations![0]!;
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications).toEqual([
      {
        level: 'warning',
        message: { text: 'binary file (contains NUL bytes); skipped' },
        descriptor: { id: 'binary' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'blob.c', uriBaseId: '%SRCROOT%' } } }],
      },
      {
        level: 'note',
        message: { text: '1 region could not be parsed; calls there are read from tokens' },
        descriptor: { id: 'parse-error' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'src/x.c', uriBaseId: '%SRCROOT%' }, region: { startLine: 7 } } }],
      },
      { level: 'error', message: { text: 'something broke' }, descriptor: { id: 'internal-error' } },
    ]);
  });

  it('reports a real unreadable-as-text file from a lint run', async () => {
    const dir = tempDir('binary');
    fs.writeFileSync(path.join(dir, 'blob.c'), Buffer.from('VirtualAlloc\0\0\0', 'latin1'));
    const r = await lintPaths([dir], fixtureOptions(dir));
    const notes = toSarif(r).runs[0]!.invocations![0]!.toolExecutionNotifications!;
    expect(notes.map((n) => [n.level, n.descriptor!.id, n.locations![0]!.physicalLocation!.artifactLocation!.uri])).toEqual([
      ['warning', r.notices[0]!.code, 'blob.c'],
    ]);
  });

  it('carries runtime confirmation in the result properties', () => {
    const root = tempDir('runtime');
    const f = syntheticFinding(root, 0, { runtime: { status: 'confirmed', calls: 3, sizes: ['4096'], unusable: '184320' } });
    expect(toSarif(syntheticReport(root, [f])).runs[0]!.results![0]!.properties).toEqual({
      api: 'VirtualAlloc',
      callee: 'VirtualAlloc',
      size: '4096',
      unusable: '61440',
      function: 'function0',
      runtime: 'confirmed',
      runtimeCalls: 3,
      runtimeSizes: ['4096'],
      runtimeUnusable: '184320',
    });
  });
});
