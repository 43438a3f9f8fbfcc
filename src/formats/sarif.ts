// SARIF 2.1.0 for GitHub code scanning and other SARIF consumers (see docs/code-scanning.md).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { packagePath } from '../engine/model/package-files.js';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { Finding, Range, Report } from '../engine/model/types.js';
import { DOCS_BASE } from '../rules/create-rule.js';
import { rules as allRules } from '../rules/index.js';
import { relativePath, type Formatter } from './common.js';
import { fitToLimits, GITHUB_LIMITS, serialize, type SarifLimits } from './sarif-limits.js';

export const INFORMATION_URI = 'https://github.com/granule-lint/granule';
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The partialFingerprints key granule writes and `--baseline` reads. */
export const FINGERPRINT_KEY = 'granule/v1';
/** Where the rule pages are when granule runs from its package (dist/formats or src/formats). */
export const DOCS_DIR = packagePath('docs', 'rules') + path.sep;

const LEVEL: Record<string, Sarif.ReportingConfiguration.level> = { error: 'error', warn: 'warning', off: 'none' };
const TEXT_LIMIT = 1024; // GitHub's limit for shortDescription and fullDescription

export interface SarifOptions {
  /** Code scanning category: becomes `runAutomationDetails.id` ("category/"). */
  category?: string;
  /**
   * Leave out findings disabled in the source. They are kept by default, marked with `suppressions`, which SARIF
   * viewers honour; GitHub code scanning ignores `suppressions` and would show them as open alerts.
   */
  omitSuppressed?: boolean;
  /** Fingerprints computed over the whole run, when the report passed in is a filtered part of it. */
  fingerprints?: ReadonlyMap<Finding, string>;
  /** Directory of the rule pages used for `help`; pages that are missing fall back to the rule's metadata. */
  docsDir?: string | null;
  /** Limits the log is cut down to (GitHub's by default); `false` writes everything. */
  limits?: SarifLimits | false;
}

function pascal(id: string): string {
  return id.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());
}

function readPage(docsDir: string, id: string): string | undefined {
  try {
    return readFileSync(path.join(docsDir, `${id}.md`), 'utf8')
      .replace(/^\uFEFF/, '')
      .replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, '');
  } catch {
    return undefined;
  }
}

/** Relative links in a rule page point at sibling pages; in a code-scanning alert they must be absolute. */
function absoluteLinks(markdown: string): string {
  return markdown.replace(/\]\((?![a-z][a-z0-9+.-]*:|#|\/)([^)\s]+)\)/gi, (_, target: string) => `](${new URL(target, DOCS_BASE).href})`);
}

/** Markdown inline syntax removed, for the plain-text fields. */
function plain(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|`)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function clip(text: string, limit = TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > limit / 2 ? cut.slice(0, space) : cut}…`;
}

/**
 * The rules table: one descriptor per rule granule has, help from its docs page when the page exists
 * (`docsDir: null` uses the rule metadata alone).
 */
export function sarifRules(docsDir: string | null = DOCS_DIR): Sarif.ReportingDescriptor[] {
  return allRules.map((rule) => {
    const description = rule.meta.docs.description;
    const page = docsDir === null ? undefined : readPage(docsDir, rule.name);
    const firstParagraph = page
      ?.split(/\r?\n\s*\r?\n/)
      .map((p) => p.trim())
      .find((p) => p && !/^(#|-|\*|>|```|\|)/.test(p));
    const markdown = page ? absoluteLinks(page) : `${sentence(description)}\n\nSee [${rule.name}](${rule.meta.docs.url}) for examples and options.\n`;
    return {
      id: rule.name,
      name: pascal(rule.name),
      shortDescription: { text: clip(description) },
      fullDescription: { text: clip(firstParagraph ? plain(firstParagraph) : sentence(description)) },
      help: { text: page ? absoluteLinks(page) : `${sentence(description)} See ${rule.meta.docs.url} for examples and options.`, markdown },
      helpUri: rule.meta.docs.url,
      defaultConfiguration: { level: LEVEL[rule.meta.defaultLevel] ?? 'warning', enabled: rule.meta.defaultLevel !== 'off' },
      properties: {
        tags: [...new Set(rule.meta.tags)],
        precision: rule.meta.precision,
        'problem.severity': rule.meta.defaultLevel === 'error' ? 'error' : rule.meta.type === 'problem' ? 'warning' : 'recommendation',
      },
    };
  });
}

function baseFingerprint(report: Report, f: Finding): string {
  return createHash('sha256')
    .update([f.ruleId, relativePath(report, f.file), f.enclosingFunction, f.callText.replace(/\s+/g, '')].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}

/**
 * Fingerprints that survive unrelated edits: a hash of rule, repo-relative file, enclosing function and the
 * call's text without whitespace — never the line number — plus the occurrence among identical calls, so two
 * identical calls in one function stay apart. Compute them over the whole run, before filtering.
 */
export function findingFingerprints(report: Report): Map<Finding, string> {
  const seen = new Map<string, number>();
  const out = new Map<Finding, string>();
  for (const f of report.findings) {
    const base = baseFingerprint(report, f);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.set(f, `${base}:${n}`);
  }
  return out;
}

/** A repo-relative URI under %SRCROOT%, or an absolute file URI for a file outside the root. */
export function artifactLocation(report: Report, file: string): Sarif.ArtifactLocation {
  const rel = relativePath(report, file);
  if (path.isAbsolute(rel) || /^[A-Za-z]:[\\/]/.test(rel)) return { uri: pathToFileURL(file).href };
  return { uri: rel.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function region(range: Range): Sarif.Region {
  return { startLine: range.start.line, startColumn: range.start.column, endLine: range.end.line, endColumn: range.end.column };
}

function location(report: Report, file: string, range: Range | undefined, message?: string): Sarif.Location {
  return {
    physicalLocation: { artifactLocation: artifactLocation(report, file), ...(range ? { region: region(range) } : {}) },
    ...(message ? { message: { text: message } } : {}),
  };
}

/**
 * Wrapper chains become a code flow: caller → wrapper → … → the API call; a size that depends on the path, its
 * path; a reservation whose address is lost, the path from the call to the place that loses it.
 */
function codeFlow(report: Report, f: Finding): Sarif.CodeFlow[] | undefined {
  const lostAt = typeof f.properties.lost === 'string' ? f.related?.[0] : undefined;
  if (lostAt) return [lostFlow(report, f, lostAt)];
  const taken =
    typeof f.properties.when === 'string' ? f.evidence.find((e) => e.kind === 'path' && e.message.startsWith(`when ${f.properties.when}:`)) : undefined;
  if (taken) return [pathFlow(report, f, taken)];
  if (!f.evidence.some((e) => e.kind === 'wrapper' || e.kind === 'call' || e.kind === 'pointer')) return undefined;
  return [
    {
      message: { text: f.evidence.map((e) => e.message).join(' → ') },
      threadFlows: [
        { locations: f.evidence.map((e, i) => ({ location: location(report, e.file, e.range, e.message), executionOrder: i + 1, nestingLevel: i })) },
      ],
    },
  ];
}

/** The condition that leads to the reported size, then the call. */
function pathFlow(report: Report, f: Finding, taken: Finding['evidence'][number]): Sarif.CodeFlow {
  const steps = [location(report, taken.file, taken.range, taken.message), location(report, f.file, f.range, f.message)];
  return { message: { text: taken.message }, threadFlows: [{ locations: steps.map((location, i) => ({ location, executionOrder: i + 1, nestingLevel: 0 })) }] };
}

/** The call that makes the reservation, then the place where a path loses its address. */
function lostFlow(report: Report, f: Finding, place: NonNullable<Finding['related']>[number]): Sarif.CodeFlow {
  const steps = [location(report, f.file, f.range, f.message), location(report, place.file, place.range, place.message)];
  return { message: { text: place.message }, threadFlows: [{ locations: steps.map((location, i) => ({ location, executionOrder: i + 1, nestingLevel: 0 })) }] };
}

function toResult(report: Report, f: Finding, fingerprint: string, ruleIndex: Map<string, number>): Sarif.Result {
  const result: Sarif.Result = {
    ruleId: f.ruleId,
    ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
    level: f.severity === 'error' ? 'error' : 'warning',
    message: { text: f.message },
    locations: [location(report, f.file, f.range)],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
    properties: {
      ...f.properties,
      ...(f.enclosingFunction ? { function: f.enclosingFunction } : {}),
      // the configurations the result holds in, and the size in each when they differ (one result per call site)
      ...(f.configurations ? { targets: f.configurations } : {}),
      ...(f.configurationSizes ? { targetSizes: f.configurationSizes } : {}),
      ...(f.runtime ? { runtime: f.runtime.status, runtimeCalls: f.runtime.calls, runtimeSizes: f.runtime.sizes, runtimeUnusable: f.runtime.unusable } : {}),
    },
  };
  if (f.evidence.length > 0) result.relatedLocations = f.evidence.map((e, i) => ({ id: i + 1, ...location(report, e.file, e.range, e.message) }));
  const flows = codeFlow(report, f);
  if (flows) result.codeFlows = flows;
  // the callers of a wrapper whose arithmetic is reported, after the evidence
  if (f.related?.length) {
    const first = result.relatedLocations?.length ?? 0;
    result.relatedLocations = [
      ...(result.relatedLocations ?? []),
      ...f.related.map((r, i) => ({ id: first + i + 1, ...location(report, r.file, r.range, r.message) })),
    ];
  }
  if (f.fix) {
    result.fixes = [
      {
        description: { text: f.suggestions[0]?.desc ?? 'Round the size up to a multiple of 64 KB' },
        artifactChanges: [
          {
            artifactLocation: artifactLocation(report, f.fix.file),
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
    result.suppressions = [
      {
        kind: 'inSource',
        status: 'accepted',
        ...(f.suppressed.justification ? { justification: f.suppressed.justification } : {}),
        location: location(report, f.file, f.suppressed.range),
      },
    ];
  }
  return result;
}

function notification(report: Report, n: Report['notices'][number]): Sarif.Notification {
  return {
    level: n.level,
    message: { text: n.message },
    descriptor: { id: n.code },
    ...(n.file
      ? { locations: [{ physicalLocation: { artifactLocation: artifactLocation(report, n.file), ...(n.line ? { region: { startLine: n.line } } : {}) } }] }
      : {}),
  };
}

function rootUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** The SARIF log of a report, before GitHub's limits are applied. */
export function toSarif(report: Report, options: SarifOptions = {}): Sarif.Log {
  const rules = sarifRules(options.docsDir);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const given = options.fingerprints;
  const prints = given && report.findings.every((f) => given.has(f)) ? given : findingFingerprints(report);
  const findings = options.omitSuppressed ? report.findings.filter((f) => !f.suppressed) : report.findings;
  const results = findings.map((f) => toResult(report, f, prints.get(f)!, ruleIndex));

  // rule levels that differ from the defaults (--rule, config) are run configuration, not rule metadata
  const overrides: Sarif.ConfigurationOverride[] = [];
  for (const r of report.rules) {
    const i = ruleIndex.get(r.id);
    if (i === undefined) continue;
    const level = LEVEL[r.level] ?? 'warning';
    const def = rules[i]!.defaultConfiguration!;
    if (level !== def.level) overrides.push({ descriptor: { id: r.id, index: i }, configuration: { level, enabled: r.level !== 'off' } });
  }
  const root = rootUri(report.root);
  const invocation: Sarif.Invocation = {
    executionSuccessful: !report.notices.some((n) => n.level === 'error' && (n.code === 'internal-error' || n.code === 'config')),
    toolExecutionNotifications: report.notices.map((n) => notification(report, n)),
    workingDirectory: { uri: root },
  };
  if (overrides.length) invocation.ruleConfigurationOverrides = overrides;
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
    invocations: [invocation],
    originalUriBaseIds: { '%SRCROOT%': { uri: root } },
    columnKind: 'utf16CodeUnits',
    results,
  };
  const category = options.category?.trim();
  if (category) run.automationDetails = { id: category.endsWith('/') ? category : `${category}/` };
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

/** The SARIF text for a report, cut to GitHub's limits, with a warning line for each cut. */
export function formatSarif(report: Report, options: SarifOptions = {}): { text: string; warnings: string[] } {
  const log = toSarif(report, options);
  if (options.limits === false) return { text: serialize(log), warnings: [] };
  const fitted = fitToLimits(log, options.limits ?? GITHUB_LIMITS);
  return { text: fitted.text, warnings: fitted.warnings };
}

export const sarif: Formatter = (report) => formatSarif(report).text;
