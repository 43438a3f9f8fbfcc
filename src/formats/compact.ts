// gcc-style one line per finding: file:line:col: severity: message [rule]. Editors and CI logs parse this. Names
// and messages are printable(): a file name cannot end the line early and forge a finding or a CI command.

import { relativePath, type Formatter, runtimeNote } from './common.js';
import { printable } from './printable.js';

export const compact: Formatter = (report) => {
  const lines: string[] = [];
  for (const n of report.notices) {
    if (n.level === 'note') continue;
    lines.push(`${n.file ? printable(relativePath(report, n.file)) + ':' + (n.line ?? 1) + ':1: ' : ''}${n.level}: ${printable(n.message)} [${n.code}]`);
  }
  for (const f of report.findings) {
    if (f.suppressed) continue;
    lines.push(
      `${printable(relativePath(report, f.file))}:${f.range.start.line}:${f.range.start.column}: ${f.severity === 'error' ? 'error' : 'warning'}: ${printable(f.message + runtimeNote(f))} [${f.ruleId}]`,
    );
  }
  return lines.length ? lines.join('\n') + '\n' : '';
};
