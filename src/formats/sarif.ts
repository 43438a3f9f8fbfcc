// SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type * as Sarif from 'sarif';
import type { Finding, Report } from '../engine/types.js';
import { rules as allRules } from '../rules/index.js';
import { relativePath, type Formatter } from './common.js';

export const INFORMATION_URI = 'https://github.com/granule-lint/granule';

const LEVEL: Record<string, Sarif.ReportingConfiguration.level> = { error: 'error', warn: 'warning', off: 'none' };

function pascal(id: string): string {
  return id.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());
}

/** The rule's docs page, for SARIF help.markdown; the short description when the page is not shipped. */
function docsPage(id: string): string | undefined {
  try {
    return readFileSync(new URL(`../../docs/rules/${id}.md`, import.meta.url), 'utf8');
  } catch {
    return undefined;
  }
}

export function sarifRules(): Sarif.ReportingDescriptor[] {
  return allRules.map((rule) => {
    const markdown = docsPage(rule.name);
    const firstParagraph = markdown?.split(/\n\s*\n/).find((p) => p.trim() && !p.startsWith('#'))?.replace(/\s+/g, ' ').trim();
    return {
      id: rule.name,
      name: pascal(rule.name),
      shortDescription: { text: rule.meta.docs.description },
      fullDescription: { text: (firstParagraph ?? rule.meta.docs.description).slice(0, 1024) },
      help: { text: markdown ?? rule.meta.docs.description, markdown: markdown ?? rule.meta.docs.description },
      helpUri: rule.meta.docs.url,
      defaultConfiguration: { level: LEVEL[rule.meta.defaultLevel] ?? 'warning', enabled: rule.meta.defaultLevel !== 'off' },
      properties: {
        tags: rule.meta.tags,
        precision: rule.meta.precision,
        'problem.severity': rule.meta.defaultLevel === 'error' ? 'error' : rule.meta.type === 'problem' ? 'warning' : 'recommendation',
      },
    };
  });
}

/** A fingerprint that survives unrelated edits: rule, file, enclosing function and normalised call text. */
export function fingerprint(report: Report, f: Finding): string {
  return createHash('sha256')
    .update([f.ruleId, relativePath(report, f.file), f.enclosingFunction, f.callText.replace(/\s+/g, '')].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}

function location(report: Report, file: string, range: Finding['range'], message?: string): Sarif.Location {
  return {
    physicalLocation: {
      artifactLocation: { uri: encodeURI(relativePath(report, file)), uriBaseId: '%SRCROOT%' },
      region: { startLine: range.start.line, startColumn: range.start.column, endLine: range.end.line, endColumn: range.end.column },
    },
    ...(message ? { message: { text: message } } : {}),
  };
}

export function toSarif(report: Report, options: { category?: string } = {}): Sarif.Log {
  const rules = sarifRules();
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const occurrences = new Map<string, number>();
  const results: Sarif.Result[] = report.findings.map((f) => {
    const base = fingerprint(report, f);
    const seen = occurrences.get(base) ?? 0;
    occurrences.set(base, seen + 1);
    const result: Sarif.Result = {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: f.severity === 'error' ? 'error' : 'warning',
      message: { text: f.message },
      locations: [location(report, f.file, f.range)],
      partialFingerprints: { 'granule/v1': `${base}:${seen}` },
      properties: { ...f.properties, ...(f.runtime ? { runtime: f.runtime.status, runtimeCalls: f.runtime.calls, runtimeUnusable: f.runtime.unusable } : {}) },
    };
    if (f.evidence.length > 0) {
      result.relatedLocations = f.evidence.map((e, i) => ({ id: i + 1, ...location(report, e.file, e.range, e.message) }));
      if (f.evidence.some((e) => e.kind === 'wrapper' || e.kind === 'call')) {
        result.codeFlows = [
          {
            message: { text: f.evidence.map((e) => e.message).join(' → ') },
            threadFlows: [{ locations: f.evidence.map((e) => ({ location: location(report, e.file, e.range, e.message) })) }],
          },
        ];
      }
    }
    if (f.fix) {
      result.fixes = [
        {
          description: { text: f.suggestions[0]?.desc ?? 'Round the size up to a multiple of 64 KB' },
          artifactChanges: [
            {
              artifactLocation: { uri: encodeURI(relativePath(report, f.fix.file)), uriBaseId: '%SRCROOT%' },
              replacements: f.fix.edits.map((e) => ({
                deletedRegion: { charOffset: e.range[0], charLength: e.range[1] - e.range[0] },
                insertedContent: { text: e.text },
              })),
            },
          ],
        },
      ];
    }
    if (f.suppressed) {
      result.suppressions = [{ kind: 'inSource', ...(f.suppressed.justification ? { justification: f.suppressed.justification } : {}) }];
    }
    return result;
  });
  const notifications: Sarif.Notification[] = report.notices.map((n) => ({
    level: n.level,
    message: { text: n.message },
    descriptor: { id: n.code },
    ...(n.file ? { locations: [location(report, n.file, { start: { line: n.line ?? 1, column: 1, offset: 0 }, end: { line: n.line ?? 1, column: 1, offset: 0 } })] } : {}),
  }));
  const rootUri = 'file://' + encodeURI(report.root.split('\\').join('/').replace(/\/?$/, '/'));
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'granule',
        semanticVersion: report.toolVersion,
        version: report.toolVersion,
        informationUri: INFORMATION_URI,
        rules,
      },
    },
    invocations: [
      {
        executionSuccessful: !report.notices.some((n) => n.level === 'error' && (n.code === 'internal-error' || n.code === 'config')),
        toolExecutionNotifications: notifications,
        workingDirectory: { uri: rootUri },
      },
    ],
    originalUriBaseIds: { '%SRCROOT%': { uri: rootUri } },
    columnKind: 'utf16CodeUnits',
    results,
  };
  if (options.category) run.automationDetails = { id: options.category.endsWith('/') ? options.category : `${options.category}/` };
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [run],
  };
}

export const sarif: Formatter = (report) => JSON.stringify(toSarif(report), null, 2) + '\n';
