// The configurations of a run and the one merge of their results. A file is analysed once per configuration
// (the preprocessor's branches, sizeof and the wrappers found all differ by target), and the findings of one call
// site (file, range, rule) in every configuration become one Finding: the first configuration's message, properties
// and evidence, the list of configurations it holds in, the size in each where they differ, and a suffix to the
// message made from that data (`[x86]`, `[x64; x86: 4096 bytes]`) when not every configuration agrees. Every front
// end merges here: the CLI run (lint.ts), --stdin (lint-text.ts), the language server and the ESLint plugin
// (lintFileInConfigurations).

import type { Finding, Notice } from '../model/types.js';

export { analysisTarget, targetsOf } from '../model/target.js';
export { configurationLabel, configurationsOf, optionsIn, targetConfigurations, type FileConfiguration } from './file-configurations.js';
import type { FileConfiguration } from './file-configurations.js';
import type { FilePatch } from '../linter/fix.js';
import type { FileLint } from './pipeline.js';
import type { AllocationCall } from '../analysis/facts.js';
import type { LintResult } from './run-parts.js';
import { compareText } from '../model/order.js';

/** One configuration's findings, or notices, for the merge. */
export interface ConfigurationPart<T> {
  readonly configuration: string;
  readonly items: readonly T[];
}

/**
 * The findings of every configuration merged into one per call site, in the order of the first configuration
 * that has each. `checkedIn(file)`: the configurations the file was checked in (a finding in all of them, the same
 * in each, gets no suffix).
 */
export function mergeFindings(parts: readonly ConfigurationPart<Finding>[], checkedIn: (file: string) => readonly string[]): Finding[] {
  const sites = new Map<string, { configuration: string; finding: Finding }[]>();
  for (const { configuration, items } of parts) {
    // (one site may hold several calls of one rule: a macro that expands to two; they stay apart, in order)
    const seen = new Map<string, number>();
    for (const finding of items) {
      const base = siteKey(finding);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      const key = `${base}\u0000${n}`;
      let list = sites.get(key);
      if (!list) sites.set(key, (list = []));
      list.push({ configuration, finding });
    }
  }
  const merged: Finding[] = [];
  for (const list of sites.values()) merged.push(mergeSite(list, checkedIn(list[0]!.finding.file)));
  return merged;
}

function siteKey(f: Finding): string {
  return `${f.file}\u0000${f.range.start.offset}\u0000${f.range.end.offset}\u0000${f.ruleId}`;
}

/** What a finding says, as data: two configurations agree when these are the same. */
function saying(f: Finding): string {
  return JSON.stringify([f.messageId, f.properties]);
}

function mergeSite(list: readonly { configuration: string; finding: Finding }[], all: readonly string[]): Finding {
  const first = list[0]!.finding;
  const names = list.map((e) => e.configuration);
  const agree = list.every((e) => saying(e.finding) === saying(first));
  const sizes = Object.fromEntries(
    list.filter((e) => e.finding.properties.size !== undefined).map((e) => [e.configuration, String(e.finding.properties.size)]),
  );
  const everywhere = all.every((name) => names.includes(name));
  const suffix = everywhere && agree ? '' : ` [${configurationSuffix(list)}]`;
  const fixes = new Set(list.map((e) => JSON.stringify(e.finding.fix ?? null)));
  return {
    ...first,
    severity: list.some((e) => e.finding.severity === 'error') ? 'error' : first.severity,
    message: first.message + suffix,
    // a fix is kept when every configuration would make the same one
    fix: fixes.size === 1 ? first.fix : undefined,
    configurations: names,
    ...(new Set(Object.values(sizes)).size > 1 ? { configurationSizes: sizes } : {}),
  };
}

/**
 * What a finding says in which configurations, made from its data: `x86` when it holds in x86 alone and says the
 * same there; `8192 bytes on x64; 4096 on x86` when its size differs; `VirtualAllocEx, 8192 bytes on x64;
 * VirtualAlloc, 4096 on x86` when the API differs too. Configurations that say the same are listed together.
 */
export function configurationSuffix(list: readonly { configuration: string; finding: Finding }[]): string {
  const groups = new Map<string, { finding: Finding; names: string[] }>();
  for (const { configuration, finding } of list) {
    const key = saying(finding);
    const group = groups.get(key);
    if (group) group.names.push(configuration);
    else groups.set(key, { finding, names: [configuration] });
  }
  if (groups.size === 1) return list.map((e) => e.configuration).join(', ');
  const apis = new Set(list.map((e) => String(e.finding.properties.api)));
  const sized = list.every((e) => e.finding.properties.size !== undefined);
  return [...groups.values()]
    .map(({ finding, names }, i) => {
      const { api, size } = finding.properties;
      const what = [...(apis.size > 1 ? [String(api)] : []), ...(sized ? [i === 0 ? `${String(size)} bytes` : String(size)] : [])];
      return what.length ? `${what.join(', ')} on ${names.join(', ')}` : names.join(', ');
    })
    .join('; ');
}

/**
 * The notices of every configuration: each once. A disable comment is unused only when it is unused in every
 * configuration the notice's file was checked in (a comment may disable a finding of 32-bit code alone).
 * `checkedIn`: the configurations a file was checked in, when not every part checked every file (a run over
 * projects: a file is checked only in the configurations that build it).
 */
export function mergeNotices(parts: readonly ConfigurationPart<Notice>[], checkedIn?: (file: string) => readonly string[]): Notice[] {
  const count = new Map<string, { notice: Notice; in: number }>();
  for (const { items } of parts) {
    const here = new Set<string>();
    for (const notice of items) {
      // (a file's count of unparsable regions differs by configuration: the first configuration's is said)
      const key = JSON.stringify([notice.level, notice.file, notice.line, notice.code, notice.code === 'parse-error' ? '' : notice.message]);
      if (here.has(key)) continue;
      here.add(key);
      const entry = count.get(key);
      if (entry) entry.in++;
      else count.set(key, { notice, in: 1 });
    }
  }
  const out: Notice[] = [];
  const checks = (file: string | undefined) => (file !== undefined && checkedIn?.(file).length) || parts.length;
  for (const { notice, in: n } of count.values()) if (notice.code !== 'unused-disable-directive' || n >= checks(notice.file)) out.push(notice);
  return out;
}

/** One configuration's whole run (the CLI and --stdin run every configuration as a run of its own). */
export interface ConfigurationRun {
  readonly configuration: string;
  readonly result: LintResult;
  /** The name the configuration goes by for a file's findings, when not `configuration` (configuration-runs.ts). */
  readonly labelOf?: (file: string) => string;
}

/**
 * The runs of every configuration as one report: findings merged per call site, notices each once, the files
 * scanned counted once, patches kept where every configuration that patches a file patches it the same way.
 */
export function mergeRuns(runs: readonly ConfigurationRun[], checkedIn: (file: string) => readonly string[]): LintResult {
  const first = runs[0]!.result;
  if (runs.length === 1) return first;
  const findings = mergeFindings(runs.flatMap(findingsByLabel), checkedIn).sort(byPlace);
  const notices = mergeNotices(
    runs.map((r) => ({ configuration: r.configuration, items: r.result.notices })),
    checkedIn,
  );
  const patched = runs.some((r) => r.result.patches);
  const result: LintResult = {
    ...first,
    findings,
    notices: notices.sort((a, b) => compareText(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0)),
    filesScanned: Math.max(...runs.map((r) => r.result.filesScanned)),
    usageError: runs.some((r) => r.result.usageError),
    ...(patched ? { patches: mergePatches(runs, notices) } : {}),
  };
  const stats = runs.map((r) => r.result.cacheStats).filter((s) => s !== undefined);
  if (stats.length) result.cacheStats = { hits: sum(stats.map((s) => s.hits)), misses: sum(stats.map((s) => s.misses)) };
  return result;
}

/** A run's findings as parts of the merge: one, or one per name the configuration goes by in a file. */
function findingsByLabel(run: ConfigurationRun): ConfigurationPart<Finding>[] {
  const { labelOf } = run;
  if (!labelOf) return [{ configuration: run.configuration, items: run.result.findings }];
  const byLabel = new Map<string, Finding[]>();
  for (const finding of run.result.findings) {
    const label = labelOf(finding.file);
    const list = byLabel.get(label);
    if (list) list.push(finding);
    else byLabel.set(label, [finding]);
  }
  return [...byLabel].map(([configuration, items]) => ({ configuration, items }));
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function byPlace(a: Finding, b: Finding): number {
  return compareText(a.file, b.file) || a.range.start.offset - b.range.start.offset || compareText(a.ruleId, b.ruleId);
}

/** A file's patch when every configuration that patches it agrees; otherwise none, with a notice saying why. */
function mergePatches(runs: readonly ConfigurationRun[], notices: Notice[]): FilePatch[] {
  const byFile = new Map<string, FilePatch[]>();
  for (const r of runs) for (const p of r.result.patches ?? []) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
  const out: FilePatch[] = [];
  for (const [file, patches] of byFile) {
    if (patches.every((p) => p.after === patches[0]!.after)) out.push(patches[0]!);
    else notices.push({ level: 'warning', file, code: 'fix-skipped', message: 'not fixed: the configurations would fix this file differently' });
  }
  return out;
}

/**
 * One file linted in each of its configurations (the language server, the ESLint plugin; `RunReach.configurationsFor`
 * or `targetConfigurations`): the first configuration's lint, whose analysis serves hover and fixes, with the
 * findings and notices of all merged. `lint(configuration, first)`: the lint in one configuration (`first`: the
 * one whose analysis is kept).
 */
export function lintInConfigurations(
  configurations: readonly FileConfiguration[],
  lint: (configuration: FileConfiguration, first: boolean) => FileLint,
): FileLint {
  const lints = configurations.map((c, i) => ({ configuration: c.name, lint: lint(c, i === 0) }));
  const first = lints[0]!.lint;
  if (lints.length === 1) return first;
  const names = configurations.map((c) => c.name);
  const findings = mergeFindings(
    lints.map((l) => ({ configuration: l.configuration, items: l.lint.findings })),
    () => names,
  ).sort(byPlace);
  return {
    ...first,
    analysis: { ...first.analysis, calls: callsOfFindings(first.analysis.calls, findings, lints) },
    findings,
    notices: mergeNotices(lints.map((l) => ({ configuration: l.configuration, items: l.lint.notices }))),
    failures: lints.flatMap((l) => l.lint.failures),
    directiveNotices: mergeNotices(lints.map((l) => ({ configuration: l.configuration, items: l.lint.directiveNotices }))),
  };
}

/**
 * The first configuration's calls, where a finding holds only in other configurations with the call of the first
 * of those (a hover on a call of 32-bit-only code shows its x86 size).
 */
function callsOfFindings(
  calls: readonly AllocationCall[],
  findings: readonly Finding[],
  lints: readonly { configuration: string; lint: FileLint }[],
): AllocationCall[] {
  const out = [...calls];
  const same = (c: AllocationCall, f: Finding) => c.range.start.offset === f.range.start.offset && c.range.end.offset === f.range.end.offset;
  for (const f of findings) {
    const home = f.configurations?.[0];
    if (!home || home === lints[0]!.configuration) continue;
    const call = lints.find((l) => l.configuration === home)?.lint.analysis.calls.find((c) => same(c, f));
    if (!call) continue;
    const at = out.findIndex((c) => same(c, f));
    if (at >= 0) out[at] = call;
    else out.push(call);
  }
  return out.sort((a, b) => a.range.start.offset - b.range.start.offset);
}
