// ESLint's "stylish": findings grouped under each file, then a summary line.

import type { Notice } from '../engine/model/types.js';
import { byFile, counts, paint, relativePath, type Formatter, runtimeNote } from './common.js';
import { printable } from './printable.js';

export const stylish: Formatter = (report, options) => {
  const out: string[] = [];
  const unparsed: { file: string; notice: Notice }[] = [];
  for (const [file, entry] of byFile(report)) {
    // code tree-sitter could not parse is common in macro-heavy trees (7-Zip: 190 files of 990): one line at the
    // end says so, instead of a note under each file burying the findings (json and sarif list every file)
    const notices: Notice[] = [];
    for (const n of entry.notices) {
      if (isParseNote(n)) unparsed.push({ file, notice: n });
      else notices.push(n);
    }
    const shown = entry.findings.filter((f) => !f.suppressed);
    if (shown.length === 0 && notices.length === 0) continue;
    // (names and messages come from the scanned tree: printable, so they cannot move the cursor or forge a line)
    out.push(paint(options, 'underline', printable(relativePath(report, file))));
    const rows = [
      ...notices.map((n) => [
        `${n.line ?? 0}:0`,
        n.level === 'error' ? paint(options, 'red', 'error') : n.level === 'warning' ? paint(options, 'yellow', 'warning') : paint(options, 'dim', 'note'),
        printable(n.message),
        paint(options, 'dim', n.code),
      ]),
      ...shown.map((f) => [
        `${f.range.start.line}:${f.range.start.column}`,
        f.severity === 'error' ? paint(options, 'red', 'error') : paint(options, 'yellow', 'warning'),
        printable(f.message + runtimeNote(f)),
        paint(options, 'dim', f.ruleId),
      ]),
    ];
    const width = (i: number) => Math.max(...rows.map((r) => visible(r[i]!).length));
    const w0 = width(0);
    const w1 = width(1);
    for (const r of rows) out.push(`  ${pad(r[0]!, w0)}  ${pad(r[1]!, w1)}  ${r[2]}  ${r[3]}`);
    out.push('');
  }
  for (const n of report.notices.filter((x) => !x.file)) out.push(`${n.level}: ${printable(n.message)}`);
  if (unparsed.length === 1) out.push(paint(options, 'dim', `note: ${printable(relativePath(report, unparsed[0]!.file))}: ${unparsed[0]!.notice.message}`));
  else if (unparsed.length > 1) {
    out.push(
      paint(
        options,
        'dim',
        `note: ${unparsed.length} files have regions that could not be parsed; calls there are read from tokens (--format json lists them)`,
      ),
    );
  }
  const { errors, warnings, fixable } = counts(report);
  const total = errors + warnings;
  if (total > 0) {
    const summary = `✖ ${total} problem${total === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'})`;
    out.push(paint(options, 'bold', errors > 0 ? paint(options, 'red', summary) : paint(options, 'yellow', summary)));
    if (fixable > 0) out.push(paint(options, 'dim', `  ${fixable} error${fixable === 1 ? '' : 's'} potentially fixable with the \`--fix\` option.`));
  } else if (report.filesScanned > 0) {
    out.push(paint(options, 'green', `✔ no problems in ${report.filesScanned} file${report.filesScanned === 1 ? '' : 's'}`));
  }
  return out.join('\n') + '\n';
};

function visible(s: string): string {
  return s.replace(/\u001b\[\d+m/g, '');
}

function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - visible(s).length));
}

function isParseNote(n: Notice): boolean {
  return n.code === 'parse-error' && n.level === 'note';
}
