// Helpers shared by the formatters. Formatters are pure: Report in, text out (codeframe also reads the source
// lines it shows, see source-text.ts).

import * as path from 'node:path';
import type { Finding, Notice, Report } from '../engine/model/types.js';
import { compareText } from '../engine/model/order.js';

export interface FormatOptions {
  color: boolean;
}

export type Formatter = (report: Report, options: FormatOptions) => string;

/** Path relative to the report root, with forward slashes (falls back to absolute outside the root). */
export function relativePath(report: Report, file: string): string {
  const rel = path.relative(report.root, file);
  return (rel.startsWith('..') || path.isAbsolute(rel) ? file : rel).split(path.sep).join('/');
}

export function byFile(report: Report): Map<string, { findings: Finding[]; notices: Notice[] }> {
  const map = new Map<string, { findings: Finding[]; notices: Notice[] }>();
  const entry = (file: string) => {
    let e = map.get(file);
    if (!e) map.set(file, (e = { findings: [], notices: [] }));
    return e;
  };
  for (const f of report.findings) entry(f.file).findings.push(f);
  for (const n of report.notices) if (n.file) entry(n.file).notices.push(n);
  return new Map([...map].sort(([a], [b]) => compareText(a, b)));
}

/**
 * The problems of a run, as the summary line and the exit status count them: findings, and notices (an unused
 * disable comment, a file that could not be read or analysed, a rule that failed on a file), as ESLint counts
 * its fatal errors and warnings. Fixable: the findings --fix would change, less those in files it refused.
 */
export function counts(report: Report): { errors: number; warnings: number; fixable: number } {
  const active = report.findings.filter((f) => !f.suppressed);
  const refused = new Set(report.notices.filter((n) => n.code === 'fix-skipped' || n.code === 'fix-failed').map((n) => n.file));
  return {
    errors: active.filter((f) => f.severity === 'error').length + report.notices.filter((n) => n.level === 'error').length,
    warnings: active.filter((f) => f.severity === 'warn').length + report.notices.filter((n) => n.level === 'warning').length,
    fixable: active.filter((f) => f.fix && !refused.has(f.file)).length,
  };
}

const CODES = { red: 31, yellow: 33, dim: 2, bold: 1, underline: 4, green: 32 } as const;

export function paint(options: FormatOptions, style: keyof typeof CODES, text: string): string {
  return options.color ? `\u001b[${CODES[style]}m${text}\u001b[${style === 'bold' || style === 'dim' ? 22 : style === 'underline' ? 24 : 39}m` : text;
}

/** "confirmed at run time: 100 calls, 6144000 bytes unusable": how the runtime shim's report judged a finding. */
export function runtimeNote(f: Finding): string {
  const r = f.runtime;
  if (!r || r.status === 'runtime-only') return '';
  if (r.status === 'not reached') return ' [runtime: not reached]';
  const calls = `${r.calls} call${r.calls === 1 ? '' : 's'}`;
  return r.status === 'confirmed'
    ? ` [runtime: confirmed, ${calls}, ${r.unusable} bytes unusable]`
    : ` [runtime: REFUTED, ${calls} with sizes ${r.sizes.join(', ')}]`;
}
