// GitHub code scanning rejects a SARIF upload that exceeds any of its hard limits. granule's SARIF is made to
// fit them, keeping the most severe results and saying in a tool notification what was left out, so an upload
// never fails because a codebase has many findings.

import { gzipSync } from 'node:zlib';
import type * as Sarif from 'sarif';

export interface SarifLimits {
  /** Results in one run. */
  resultsPerRun: number;
  /** `locations` plus `relatedLocations` of one result. */
  locationsPerResult: number;
  /** threadFlow locations of one result, over all its code flows. */
  threadFlowLocationsPerResult: number;
  /** `properties.tags` of one rule. */
  tagsPerRule: number;
  /** Size of the whole file after gzip compression. */
  gzipBytes: number;
}

/** GitHub's hard limits for an uploaded SARIF file ("SARIF support for code scanning"). */
export const GITHUB_LIMITS: Readonly<SarifLimits> = {
  resultsPerRun: 25_000,
  locationsPerResult: 1_000,
  threadFlowLocationsPerResult: 10_000,
  tagsPerRule: 20,
  // GitHub's limit is 10 MB; the margin covers the re-serialisation the upload action does
  gzipBytes: 10_000_000,
};

export interface FittedLog {
  log: Sarif.Log;
  /** The serialised log, as measured. */
  text: string;
  /** One line per kind of cut, for the user's terminal; the same text is in the log's notifications. */
  warnings: string[];
}

const SEVERITY: Record<string, number> = { error: 0, warning: 1, note: 2, none: 3 };

export function serialize(log: Sarif.Log): string {
  return JSON.stringify(log, null, 2) + '\n';
}

export function gzipSize(text: string): number {
  return gzipSync(text).length;
}

/**
 * Whether the text fits the compressed limit. Compressing takes time on every run, so it is skipped when even
 * incompressible text would fit: zlib's deflateBound plus gzip's 18 bytes of header and trailer.
 */
function fitsCompressed(text: string, limit: number): boolean {
  const n = Buffer.byteLength(text);
  if (n + (n >> 12) + (n >> 14) + (n >> 25) + 13 + 18 <= limit) return true;
  return gzipSize(text) <= limit;
}

/** Cuts a log down to the limits. Results keep their order; when results must go, the least severe go first. */
export function fitToLimits(log: Sarif.Log, limits: SarifLimits = GITHUB_LIMITS): FittedLog {
  const warnings: string[] = [];
  for (const run of log.runs) {
    const notes: string[] = [];
    trimRules(run, limits, notes);
    trimResults(run, limits, notes);
    for (const n of notes) notify(run, n, 'limit');
    warnings.push(...notes);
  }
  let text = serialize(log);
  if (fitsCompressed(text, limits.gzipBytes)) return { log, text, warnings };

  // too big: first drop the parts of each result that GitHub shows least (flows, related locations, fixes)
  let stripped = false;
  for (const run of log.runs) {
    for (const r of run.results ?? []) {
      if (r.codeFlows || r.relatedLocations || r.fixes) stripped = true;
      delete r.codeFlows;
      delete r.relatedLocations;
      delete r.fixes;
    }
  }
  if (stripped) {
    const detail = `the SARIF file was larger than GitHub code scanning accepts (${mb(limits.gzipBytes)} compressed), so code flows, related locations and fixes were left out`;
    for (const run of log.runs) notify(run, detail, 'limit');
    warnings.push(detail);
    text = serialize(log);
    if (fitsCompressed(text, limits.gzipBytes)) return { log, text, warnings };
  }

  // still too big: keep the largest number of the most severe results that fits
  const run = log.runs[0];
  const all = run?.results ?? [];
  if (!run || all.length === 0) return { log, text, warnings };
  const ranked = rank(all);
  const withCount = (keep: number): string => {
    const kept = new Set(ranked.slice(0, keep));
    run.results = all.filter((r) => kept.has(r));
    const note = `${all.length - keep} of ${all.length} results were left out to keep the SARIF file under ${mb(limits.gzipBytes)} compressed (GitHub code scanning's limit); the most severe were kept. Split the analysis into several runs with --category, or use --format json for the full list`;
    setNotification(run, 'limit-size', note);
    return serialize(log);
  };
  let lo = 0;
  let hi = all.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (gzipSize(withCount(mid)) <= limits.gzipBytes) lo = mid;
    else hi = mid - 1;
  }
  text = withCount(lo);
  warnings.push(notificationText(run, 'limit-size'));
  return { log, text, warnings };
}

function trimRules(run: Sarif.Run, limits: SarifLimits, notes: string[]): void {
  for (const rule of run.tool.driver.rules ?? []) {
    const tags = rule.properties?.tags;
    if (tags && tags.length > limits.tagsPerRule) {
      rule.properties!.tags = tags.slice(0, limits.tagsPerRule);
      notes.push(`rule ${rule.id} has ${tags.length} tags; only the first ${limits.tagsPerRule} are written (GitHub code scanning's limit)`);
    }
  }
}

function trimResults(run: Sarif.Run, limits: SarifLimits, notes: string[]): void {
  let cutLocations = 0;
  let cutFlows = 0;
  for (const r of run.results ?? []) {
    const room = Math.max(0, limits.locationsPerResult - (r.locations?.length ?? 0));
    if (r.relatedLocations && r.relatedLocations.length > room) {
      r.relatedLocations = r.relatedLocations.slice(0, room);
      cutLocations++;
    }
    let left = limits.threadFlowLocationsPerResult;
    let cut = false;
    for (const flow of r.codeFlows ?? []) {
      for (const thread of flow.threadFlows) {
        if (thread.locations.length > left) {
          thread.locations = thread.locations.slice(0, left);
          cut = true;
        }
        left -= thread.locations.length;
      }
    }
    if (cut) {
      // a threadFlow must keep at least one location; drop flows that were emptied
      for (const flow of r.codeFlows ?? []) flow.threadFlows = flow.threadFlows.filter((t) => t.locations.length > 0);
      r.codeFlows = r.codeFlows!.filter((f) => f.threadFlows.length > 0);
      if (r.codeFlows.length === 0) delete r.codeFlows;
      cutFlows++;
    }
  }
  if (cutLocations)
    notes.push(
      `${cutLocations} result${cutLocations === 1 ? ' has' : 's have'} more than ${limits.locationsPerResult} locations; the rest of their related locations were left out (GitHub code scanning's limit)`,
    );
  if (cutFlows)
    notes.push(
      `${cutFlows} result${cutFlows === 1 ? ' has' : 's have'} more than ${limits.threadFlowLocationsPerResult} code-flow steps; the rest were left out (GitHub code scanning's limit)`,
    );

  const all = run.results ?? [];
  if (all.length > limits.resultsPerRun) {
    const kept = new Set(rank(all).slice(0, limits.resultsPerRun));
    run.results = all.filter((r) => kept.has(r));
    notes.push(
      `${all.length - limits.resultsPerRun} of ${all.length} results were left out: GitHub code scanning accepts at most ${limits.resultsPerRun} results per run, and the most severe were kept. Split the analysis into several runs with --category, or use --format json for the full list`,
    );
  }
}

/** Most severe first; ties keep the report's order (file, then position). */
function rank(results: Sarif.Result[]): Sarif.Result[] {
  return results
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (SEVERITY[a.r.level ?? 'warning'] ?? 1) - (SEVERITY[b.r.level ?? 'warning'] ?? 1) || a.i - b.i)
    .map((x) => x.r);
}

function notifications(run: Sarif.Run): Sarif.Notification[] {
  run.invocations ??= [{ executionSuccessful: true }];
  const invocation = run.invocations[0]!;
  invocation.toolExecutionNotifications ??= [];
  return invocation.toolExecutionNotifications;
}

function notify(run: Sarif.Run, text: string, id: string): void {
  notifications(run).push({ level: 'warning', message: { text }, descriptor: { id } });
}

function setNotification(run: Sarif.Run, id: string, text: string): void {
  const list = notifications(run);
  const existing = list.find((n) => n.descriptor?.id === id);
  if (existing) existing.message = { text };
  else list.push({ level: 'warning', message: { text }, descriptor: { id } });
}

function notificationText(run: Sarif.Run, id: string): string {
  return notifications(run).find((n) => n.descriptor?.id === id)?.message.text ?? '';
}

function mb(bytes: number): string {
  return `${+(bytes / 1_000_000).toFixed(2)} MB`;
}
