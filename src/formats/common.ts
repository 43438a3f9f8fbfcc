// Helpers shared by the formatters. Formatters are pure: Report in, text out (codeframe also reads the source
// lines it shows, see source-text.ts).

import * as path from 'node:path';
import type { Finding, Notice, Report } from '../engine/types.js';

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
  return new Map([...map].sort(([a], [b]) => a.localeCompare(b)));
}

export function counts(report: Report): { errors: number; warnings: number; fixable: number } {
  const active = report.findings.filter((f) => !f.suppressed);
  // an unused disable comment is a problem like a finding (ESLint counts it the same way)
  const unused = report.notices.filter((n) => n.code === 'unused-disable-directive');
  return {
    errors: active.filter((f) => f.severity === 'error').length + unused.filter((n) => n.level === 'error').length,
    warnings: active.filter((f) => f.severity === 'warn').length + unused.filter((n) => n.level === 'warning').length,
    fixable: active.filter((f) => f.fix).length,
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
  return r.status === 'confirmed' ? ` [runtime: confirmed, ${calls}, ${r.unusable} bytes unusable]` : ` [runtime: REFUTED, ${calls} with sizes ${r.sizes.join(', ')}]`;
}
