// --statistics: after the report, how many problems each rule found, as ruff's --statistics prints them
// (count, rule, whether `--fix` can fix some of them, what the rule finds). Problems are counted as the
// report counts them: findings not disabled in the source, and unused disable comments.

import type { Report } from '../engine/model/types.js';
import { rulesById } from '../rules/index.js';
import { compareText } from '../engine/model/order.js';

const UNUSED_DIRECTIVE = 'unused-disable-directive';

/** Formats whose output a program reads: counts after them would break it. */
export const MACHINE_FORMATS: readonly string[] = ['json', 'sarif'];

/** One line per rule with problems, most first; empty when there are none. */
export function statisticsText(report: Report): string {
  const rows = new Map<string, { count: number; fixable: boolean }>();
  const add = (id: string, fixable: boolean) => {
    const row = rows.get(id) ?? { count: 0, fixable: false };
    row.count++;
    row.fixable ||= fixable;
    rows.set(id, row);
  };
  for (const f of report.findings) if (!f.suppressed) add(f.ruleId, f.fix !== undefined);
  for (const n of report.notices) if (n.code === UNUSED_DIRECTIVE && n.level !== 'note') add(UNUSED_DIRECTIVE, false);
  if (rows.size === 0) return '';
  const sorted = [...rows].sort(([a, x], [b, y]) => y.count - x.count || compareText(a, b));
  const countWidth = Math.max(...sorted.map(([, r]) => String(r.count).length));
  const idWidth = Math.max(...sorted.map(([id]) => id.length));
  const anyFixable = sorted.some(([, r]) => r.fixable);
  const lines = sorted.map(([id, r]) => {
    const marker = anyFixable ? (r.fixable ? '[*] ' : '    ') : '';
    return `${String(r.count).padStart(countWidth)}  ${id.padEnd(idWidth)}  ${marker}${summary(id)}`.trimEnd();
  });
  const footer = anyFixable ? ['[*] fixable with --fix'] : [];
  return [...lines, ...footer].join('\n') + '\n';
}

function summary(id: string): string {
  if (id === UNUSED_DIRECTIVE) return 'granule-disable comments that disable nothing';
  return rulesById.get(id)?.meta.docs.description ?? '';
}
