// Linting a text that is not on disk (--stdin): an editor's buffer or a staged version, linted as if it were
// the file it names, as ESLint's --stdin-filename does. The file's config applies, its #include "..." are
// found beside it, and the report shows its name. The run sees that one text: wrappers it defines, and those
// declared in config, are followed; wrappers defined only in other files are not (lint the tree for those).
// The text is analysed in windows as the CLI analyses a file (src/engine/runner/window.ts): a buffer of many
// megabytes is not parsed whole, and gives the findings the same file gives on disk.

import * as path from 'node:path';
import { rules as allRules } from '../../rules/index.js';
import { FileReader } from '../files/file-reader.js';
import type { FilePatch } from '../linter/fix.js';
import { HeaderCache } from '../preprocess/header-cache.js';
import { DEFAULT_FILE_TIMEOUT_MS } from '../model/limits.js';
import { activeRules } from '../linter/run-rules.js';
import { analyzeInWindows, checkAnalysis, safeAnalyze, windowCandidate, type Candidate } from './pipeline.js';
import { COLLECT_FROM, releaseMemory } from './collect.js';
import { WindowSet } from './window.js';
import { mergeFindings, mergeNotices, type ConfigurationPart } from './configurations.js';
import { applyDirectives, scanDisableDirectives } from '../linter/directives.js';
import type { FileAnalysis } from '../analysis/analyze.js';
import type { LintOptions } from './options.js';
import type { LintResult } from './run-parts.js';
import { languageFor } from '../parse/parse.js';
import { RunReach } from './reach.js';
import type { Finding, Notice } from '../model/types.js';
import { toolVersion } from '../model/version.js';
import { compareText } from '../model/order.js';

/** Lints `text` as the file `file` (absolute; it need not exist). Never throws for bad input. */
export async function lintText(file: string, text: string, options: LintOptions): Promise<LintResult> {
  const notices: Notice[] = [];
  const result = (findings: Finding[], fileOptions: LintOptions, usageError: boolean, patches?: FilePatch[]): LintResult => {
    const active = activeRules(fileOptions.rules);
    return {
      root: options.cwd,
      findings,
      notices,
      filesScanned: 1,
      rules: allRules.map((r) => ({ id: r.name, level: active.find((a) => a.rule.name === r.name)?.level ?? 'off' })),
      toolVersion: toolVersion(),
      usageError,
      ...(patches ? { patches } : {}),
    };
  };
  let fileOptions = options;
  if (options.optionsFor) {
    const found = options.optionsFor(file);
    if ('error' in found) {
      notices.push({ level: 'error', file: found.error.file, code: 'config', message: `invalid config: ${found.error.reason}` });
      return result([], options, true);
    }
    if (found.ignored) {
      // as ESLint says of an ignored --stdin-filename: a warning, not a silent clean report
      notices.push({ level: 'warning', file, code: 'ignored', message: 'ignored by the config (its "ignores"); not linted' });
      return result([], found.options, false);
    }
    fileOptions = found.options;
  }
  const database = options.compileCommands || !fileOptions.compileCommands ? options : { ...options, compileCommands: fileOptions.compileCommands };
  const reach = new RunReach(database, notices);
  const headers = new HeaderCache();
  const candidate = { file, text, language: languageFor(file, text) };
  // each configuration analysed on its own (each database or project configuration that builds the file, in its
  // targets), its findings merged per call site before the disable comments
  const configurations = reach.configurationsFor(file, fileOptions);
  fileOptions = configurations[0]!.options;
  const parts: ConfigurationPart<Finding>[] = [];
  const noticeParts: ConfigurationPart<Notice>[] = [];
  // (the analysis is kept only for --fix: a text of many megabytes would hold its parse while the next
  // configuration is analysed)
  let analysis: FileAnalysis | undefined;
  for (const [index, configuration] of configurations.entries()) {
    // (the last configuration's windows are freed before the next one parses the text again)
    if (index > 0 && text.length >= COLLECT_FROM) await releaseMemory();
    const own = configuration.options;
    const ownNotices: Notice[] = [];
    const analysed = await analyseInWindows(candidate, own, options, headers, ownNotices, reach);
    if (options.fix) analysis ??= analysed;
    if (analysed) {
      const checked = checkAnalysis(analysed, own, activeRules(own.rules), undefined, false);
      parts.push({ configuration: configuration.name, items: checked.findings });
      ownNotices.push(...checked.notices);
    }
    noticeParts.push({ configuration: configuration.name, items: ownNotices });
  }
  notices.push(...mergeNotices(noticeParts));
  // (a configuration analysed leaves its part: none means the text could not be analysed at all)
  if (parts.length === 0) return result([], fileOptions, reach.configError);
  const findings = mergeFindings(parts, () => configurations.map((c) => c.name)).sort(
    (a, b) => a.range.start.offset - b.range.start.offset || compareText(a.ruleId, b.ruleId),
  );
  notices.push(...applyDirectives(file, findings, scanDisableDirectives(file, text), fileOptions.reportUnusedDisableDirectives ?? 'off'));
  let patches: FilePatch[] | undefined;
  if (options.fix && analysis) {
    const { planFixes } = await import('../linter/fix.js');
    // (a fix may rewrite a macro in a header, which is read from disk)
    const reader = new FileReader();
    const plan = planFixes({ findings, analyses: new Map([[file, analysis]]), files: [file], textOf: (f) => (f === file ? text : reader.readText(f)) });
    patches = plan.patches;
    notices.push(...plan.notices);
  }
  return result(findings, fileOptions, reach.configError, patches);
}

/** The text analysed in windows as the CLI analyses a file (--fix plans its edits on a whole parse, as there). */
async function analyseInWindows(
  candidate: Candidate,
  own: LintOptions,
  options: LintOptions,
  headers: HeaderCache,
  notices: Notice[],
  reach: RunReach,
): Promise<FileAnalysis | undefined> {
  const windows = new WindowSet(options.windowed !== false && !options.fix);
  const declared = (own.wrappers ?? []).map((d) => d.name);
  const attempts = analyzeInWindows(
    candidate,
    windows,
    declared,
    'findings',
    options.fileTimeout ?? DEFAULT_FILE_TIMEOUT_MS,
    (w) => safeAnalyze(windowCandidate(candidate.file, candidate.text, w), own, new Map(), headers, notices, reach),
    () => reach.forget(candidate.file),
  );
  let step = attempts.next();
  while (!step.done) {
    if (step.value === 'collect') await releaseMemory();
    step = attempts.next();
  }
  return step.value;
}

/** The name a text from standard input is reported under when --stdin-filename does not give one (ESLint's). */
export const STDIN_NAME = '<text>';

/** The absolute path `--stdin-filename` names, or `<text>` in `cwd` (where config lookup starts). */
export function stdinPath(cwd: string, name: string | undefined): string {
  return path.resolve(cwd, name ?? STDIN_NAME);
}
