// A lint run: discover → read and prefilter → analyse (wrappers to a fixpoint) → rules → report.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { rules as allRules } from '../rules/index.js';
import { analyzeFile, type AnalysisOptions, type FileAnalysis, type WrapperModel } from './analyze.js';
import { API_NEEDLES } from './apis.js';
import { discoverFiles } from './discover.js';
import { HeaderCache } from './header-cache.js';
import { activeRules, runRules, type RuleSetting } from './run-rules.js';
import { decode } from './source.js';
import { targetModel } from './target.js';
import type { Finding, Notice, Report, Target } from './types.js';
import { toolVersion } from './version.js';

export interface LintOptions {
  cwd: string;
  target: Target;
  defines: Record<string, string>;
  undefines: string[];
  includePaths: string[];
  forceIncludes: string[];
  /** Rule levels and options; rules not named run at their default level. */
  rules: Record<string, RuleSetting>;
  ignores: string[];
}

export { HeaderCache, activeRules, runRules, type RuleSetting };

export function defaultLintOptions(cwd = process.cwd()): LintOptions {
  return { cwd, target: 'x64', defines: {}, undefines: [], includePaths: [], forceIncludes: [], rules: {}, ignores: [] };
}

/** Analyses one file's text with the wrappers known so far. */
export function analyzeText(
  file: string,
  text: string,
  options: LintOptions,
  wrappers: ReadonlyMap<string, WrapperModel>,
  headers: HeaderCache,
  /** For the editor integrations: the grammar to use, and the incremental re-parse hook (see AnalysisOptions). */
  extra: Pick<AnalysisOptions, 'language' | 'previousTree'> = {},
): FileAnalysis {
  return analyzeFile(
    file,
    text,
    {
      model: targetModel(options.target),
      defines: options.defines,
      undefines: options.undefines,
      includePaths: options.includePaths.map((p) => path.resolve(options.cwd, p)),
      forceIncludes: options.forceIncludes.map((p) => path.resolve(options.cwd, p)),
      readFile: headers.read,
      directivesOf: headers.directivesOf,
      ...extra,
    },
    { wrappers },
  );
}

interface Candidate {
  file: string;
  text: string;
}

/** Lints paths: the whole pipeline, never throwing for bad input. */
export async function lintPaths(paths: string[], options: LintOptions): Promise<Report & { usageError: boolean }> {
  const discovery = await discoverFiles(paths.length ? paths : ['.'], options.cwd, options.ignores);
  const notices: Notice[] = [...discovery.notices];
  const headers = new HeaderCache();
  const active = activeRules(options.rules);

  // read every file once; keep only those that can matter (byte prefilter)
  const raw = new Map<string, Buffer>();
  for (const file of discovery.files) {
    try {
      raw.set(file, fs.readFileSync(file));
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const why = err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'is a directory' : err.message;
      notices.push({ level: 'error', file, code: 'unreadable', message: `cannot read file: ${why}` });
    }
  }
  const needles = new Set(API_NEEDLES);
  const candidates = new Map<string, Candidate>();
  const addCandidates = () => {
    let added = false;
    for (const [file, bytes] of raw) {
      if (candidates.has(file)) continue;
      if (![...needles].some((n) => bytes.includes(n))) continue;
      const decoded = decode(bytes);
      raw.delete(file);
      if (!decoded.ok) {
        notices.push({ level: 'warning', file, code: decoded.code, message: decoded.message });
        continue;
      }
      if (decoded.note) notices.push({ level: 'note', file, code: 'encoding', message: decoded.note });
      candidates.set(file, { file, text: decoded.text });
      added = true;
    }
    return added;
  };
  // binary files among the non-candidates still deserve a notice
  for (const [file, bytes] of raw) {
    if (bytes.subarray(0, 8192).includes(0) && !(bytes[0] === 0xff && bytes[1] === 0xfe) && !(bytes[0] === 0xfe && bytes[1] === 0xff)) {
      notices.push({ level: 'warning', file, code: 'binary', message: 'binary file (contains NUL bytes); skipped' });
      raw.delete(file);
    }
  }

  // wrappers and macros found in one file make calls in other files relevant: iterate to a fixpoint
  let wrappers = new Map<string, WrapperModel>();
  let analyses = new Map<string, FileAnalysis>();
  for (let round = 0; round < 10; round++) {
    addCandidates();
    const next = new Map<string, WrapperModel>();
    analyses = new Map();
    for (const c of candidates.values()) {
      const analysis = safeAnalyze(c, options, wrappers, headers, notices, round === 0);
      if (!analysis) continue;
      analyses.set(c.file, analysis);
      for (const w of analysis.wrappers) next.set(w.name, w);
      for (const name of macroNamesLeadingToCalls(analysis)) needles.add(name);
      if (path.extname(c.file).toLowerCase().startsWith('.h')) needles.add(path.basename(c.file));
    }
    for (const name of next.keys()) needles.add(name);
    const grew = addCandidates();
    const sameWrappers = next.size === wrappers.size && [...next.keys()].every((k) => wrappers.has(k));
    wrappers = next;
    if (sameWrappers && !grew) break;
  }

  const findings: Finding[] = [];
  for (const analysis of analyses.values()) {
    if (analysis.errorCount > 0) {
      notices.push({
        level: 'note',
        file: analysis.file,
        code: 'parse-error',
        message: `${analysis.errorCount} region${analysis.errorCount === 1 ? '' : 's'} could not be parsed; calls there are read from tokens`,
      });
    }
    findings.push(...runRules(analysis, active, options));
  }
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.range.start.offset - b.range.start.offset || a.ruleId.localeCompare(b.ruleId));
  return {
    root: options.cwd,
    findings,
    notices: notices.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '')),
    filesScanned: discovery.files.length,
    rules: allRules.map((r) => {
      const a = active.find((x) => x.rule.name === r.name);
      return { id: r.name, level: a ? a.level : 'off' };
    }),
    toolVersion: toolVersion(),
    usageError: discovery.usageError,
  };
}

function safeAnalyze(
  c: Candidate,
  options: LintOptions,
  wrappers: ReadonlyMap<string, WrapperModel>,
  headers: HeaderCache,
  notices: Notice[],
  reportFailure: boolean,
): FileAnalysis | undefined {
  try {
    return analyzeText(c.file, c.text, options, wrappers, headers);
  } catch (e) {
    if (reportFailure) {
      notices.push({ level: 'error', file: c.file, code: 'internal-error', message: `could not analyse this file: ${(e as Error).message}` });
    }
    return undefined;
  }
}

function macroNamesLeadingToCalls(analysis: FileAnalysis): string[] {
  const names: string[] = [];
  for (const call of analysis.calls) if (call.callee !== call.api) names.push(call.callee);
  for (const name of analysis.pre.macros.names()) {
    if (analysis.pre.macros.definitions(name).some((d) => d.body.some((t) => API_NEEDLES.some((n) => t.text.includes(n))))) names.push(name);
  }
  return names;
}
