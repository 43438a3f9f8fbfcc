// A run over Visual Studio projects checks each project configuration (`Debug|Win32`, `Release|x64`, ...) as a
// run of its own, with the files that configuration compiles, and merges the reports: a call site found in
// several configurations is reported once, and its `configurations` property lists where it was found (with
// the message of each configuration that words it differently). The results stay keyed by configuration so a
// later merge of multi-target runs can combine them with its own.

import * as path from 'node:path';
import type { Finding, Notice } from '../model/types.js';
import { databaseFiles } from '../preprocess/build-configurations.js';
import type { VisualStudioProjects } from '../preprocess/msbuild/projects.js';
import type { LintOptions } from './options.js';
import type { LintResult } from './run-parts.js';
import { compareText } from '../model/order.js';

/**
 * The configurations a run checks one by one: every configuration of its projects, and each compilation database
 * when there are several (a database is the configuration of the files it lists). None: one run, as before.
 */
export function configurationNames(options: LintOptions, projects: VisualStudioProjects | undefined): string[] {
  const databases = databaseFiles(options.compileCommands).map((f) => path.resolve(options.cwd, f));
  return [...(projects?.configurationNames ?? []), ...(databases.length > 1 ? databases : [])];
}

/** One configuration's report, the configuration's name and the files it checked. */
export interface ConfigurationReport {
  name: string;
  result: LintResult;
  files: readonly string[];
}

/** Runs `lintOne` for each configuration in turn (one at a time: each run already uses the machine) and merges the reports. */
export async function lintEachConfiguration(
  names: readonly string[],
  lintOne: (name: string) => Promise<{ result: LintResult; files: readonly string[] }>,
): Promise<LintResult> {
  const reports: ConfigurationReport[] = [];
  for (const name of names) {
    const { result, files } = await lintOne(name);
    // a path that cannot be checked is the same in every configuration: stop at the first
    if (result.usageError) return result;
    reports.push({ name, result, files });
  }
  return mergeConfigurationReports(reports);
}

/** The reports of several configurations as one: each site once, notices once, counts summed where they add up. */
export function mergeConfigurationReports(reports: readonly ConfigurationReport[]): LintResult {
  const first = reports[0]!.result;
  const sites = new Map<string, { finding: Finding; configurations: string[]; messages: string[] }>();
  for (const { name, result } of reports)
    for (const finding of result.findings) {
      const key = siteKey(finding);
      const site = sites.get(key);
      if (!site) sites.set(key, { finding, configurations: [name], messages: [finding.message] });
      else {
        site.configurations.push(name);
        site.messages.push(finding.message);
      }
    }
  const findings = [...sites.values()].map(({ finding, configurations, messages }) => {
    const properties: Finding['properties'] = { ...finding.properties, configurations: configurations.join('; ') };
    messages.forEach((message, i) => {
      if (message !== finding.message) properties[`message[${configurations[i]!}]`] = message;
    });
    return { ...finding, properties };
  });
  findings.sort((a, b) => compareText(a.file, b.file) || a.range.start.offset - b.range.start.offset || compareText(a.ruleId, b.ruleId));
  const notices = new Map<string, Notice>();
  for (const { result } of reports) for (const n of result.notices) notices.set(JSON.stringify([n.level, n.code, n.file, n.line, n.message]), n);
  const cacheStats = reports.every((r) => r.result.cacheStats)
    ? reports.reduce((sum, r) => ({ hits: sum.hits + r.result.cacheStats!.hits, misses: sum.misses + r.result.cacheStats!.misses }), { hits: 0, misses: 0 })
    : undefined;
  return {
    ...first,
    findings,
    notices: [...notices.values()].sort((a, b) => compareText(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0)),
    // a file is counted once however many configurations compile it
    filesScanned: new Set(reports.flatMap((r) => r.files)).size,
    ...(cacheStats ? { cacheStats } : {}),
  };
}

/** A call site: the file, the position and the rule (not the message, which may differ by configuration). */
function siteKey(f: Finding): string {
  return JSON.stringify([f.file, f.range.start.line, f.range.start.column, f.ruleId]);
}
