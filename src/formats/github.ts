// GitHub Actions workflow commands: each finding becomes an annotation on the pull request.
// Suppressed findings are left out; notes are left out (annotations are for what needs attention).

import { relativePath, type Formatter } from './common.js';

/**
 * Escapes data and property values as the Actions runner expects (%, CR and LF), and every other control or
 * bidirectional character as %XX too: a name from the scanned tree must not reach the log as an escape sequence.
 */
function escapeData(s: string): string {
  return s
    .replace(/%/g, '%25')
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A')
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => encodeURIComponent(c));
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export const github: Formatter = (report) => {
  const lines: string[] = [];
  for (const f of report.findings) {
    if (f.suppressed) continue;
    const kind = f.severity === 'error' ? 'error' : 'warning';
    const props = [
      `file=${escapeProperty(relativePath(report, f.file))}`,
      `line=${f.range.start.line}`,
      `endLine=${f.range.end.line}`,
      `col=${f.range.start.column}`,
      `endColumn=${f.range.end.column}`,
      `title=${escapeProperty(`granule(${f.ruleId})`)}`,
    ];
    lines.push(`::${kind} ${props.join(',')}::${escapeData(f.message)}`);
  }
  for (const n of report.notices) {
    if (n.level === 'note') continue;
    const props = [
      ...(n.file ? [`file=${escapeProperty(relativePath(report, n.file))}`] : []),
      ...(n.file && n.line ? [`line=${n.line}`] : []),
      `title=${escapeProperty(`granule(${n.code})`)}`,
    ];
    lines.push(`::${n.level === 'error' ? 'error' : 'warning'} ${props.join(',')}::${escapeData(n.message)}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
};
