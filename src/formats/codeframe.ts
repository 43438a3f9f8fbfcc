// ESLint's "codeframe" formatter (ESLint 7's built-in, now eslint-formatter-codeframe): each finding with the
// source lines around it, the line marked with `>` and the column with `^`, then a summary.
//
//   error: VirtualAlloc reserves 4096 bytes (0x1000); ... (virtualalloc-granularity) at src/a.c:11:12:
//      9 | static void *allocate_small(void)
//     10 | {
//   > 11 |     return VirtualAlloc(NULL, 0x1000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
//        |            ^
//
// The frame is @babel/code-frame's with its defaults as ESLint used them (2 lines above, 3 below, no syntax
// colours). Source lines come from the scanned tree: control characters in them are shown escaped.

import type { Finding, Notice, Report } from '../engine/model/types.js';
import { byFile, counts, paint, relativePath, runtimeNote, type FormatOptions, type Formatter } from './common.js';
import { printable, printableSource } from './printable.js';
import { readSourceText } from './source-text.js';

const LINES_ABOVE = 2;
const LINES_BELOW = 3;

/** The lines around `line` (1-based) with `column` (1-based, UTF-16 units) marked. */
export function codeFrame(text: string, line: number, column: number): string {
  const lines = text.split(/\r\n|\r|\n/);
  if (line < 1 || line > lines.length) return '';
  const start = Math.max(line - (LINES_ABOVE + 1), 0);
  const end = Math.min(lines.length, line + LINES_BELOW);
  const width = String(end).length;
  const out: string[] = [];
  for (let i = start; i < end; i++) {
    const number = i + 1;
    const gutter = ` ${String(number).padStart(width)} |`;
    const source = printableSource(lines[i]!);
    const shown = source.length > 0 ? ` ${source}` : '';
    if (number !== line) {
      out.push(` ${gutter}${shown}`);
      continue;
    }
    out.push(`>${gutter}${shown}`);
    // tabs stay tabs so the caret lines up however the terminal expands them
    const spacing = printableSource(lines[i]!.slice(0, Math.max(column - 1, 0))).replace(/[^\t]/g, ' ');
    out.push(` ${gutter.replace(/\d/g, ' ')} ${spacing}^`);
  }
  return out.join('\n');
}

function plural(word: string, n: number): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A codeframe formatter that reads source text with `read` (the files of the report by default). */
export function codeframeFormatter(read: (file: string) => string | undefined = readSourceText): Formatter {
  return (report: Report, options: FormatOptions) => {
    const texts = new Map<string, string | undefined>();
    const textOf = (file: string) => {
      if (!texts.has(file)) texts.set(file, read(file));
      return texts.get(file);
    };
    const entries: string[] = [];
    const unparsed: { file: string; notice: Notice }[] = [];
    for (const [file, entry] of byFile(report)) {
      const where = printable(relativePath(report, file));
      for (const n of entry.notices) {
        if (n.code === 'parse-error' && n.level === 'note') unparsed.push({ file, notice: n });
        else entries.push(noticeEntry(options, n, `${where}${n.line ? `:${n.line}` : ''}`));
      }
      for (const f of entry.findings) {
        if (f.suppressed) continue;
        entries.push(findingEntry(options, f, where, textOf(file)));
      }
    }
    for (const n of report.notices) if (!n.file) entries.push(noticeEntry(options, n, undefined));
    const out = entries.map((e) => `${e}\n\n`);
    let text = out.join('\n');
    if (unparsed.length === 1)
      text += paint(options, 'dim', `note: ${printable(relativePath(report, unparsed[0]!.file))}: ${unparsed[0]!.notice.message}`) + '\n';
    else if (unparsed.length > 1) {
      text +=
        paint(
          options,
          'dim',
          `note: ${unparsed.length} files have regions that could not be parsed; calls there are read from tokens (--format json lists them)`,
        ) + '\n';
    }
    const { errors, warnings, fixable } = counts(report);
    if (errors + warnings > 0) {
      const color = errors > 0 ? 'red' : 'yellow';
      const parts = [...(errors > 0 ? [plural('error', errors)] : []), ...(warnings > 0 ? [plural('warning', warnings)] : [])];
      text += `\n${paint(options, color, paint(options, 'bold', `${parts.join(' and ')} found.`))}\n`;
      if (fixable > 0)
        text += `${paint(options, color, paint(options, 'bold', `${plural('error', fixable)} potentially fixable with the \`--fix\` option.`))}\n`;
    }
    return text;
  };
}

function findingEntry(options: FormatOptions, f: Finding, where: string, text: string | undefined): string {
  const { line, column } = f.range.start;
  const type = f.severity === 'error' ? paint(options, 'red', 'error') : paint(options, 'yellow', 'warning');
  const frame = text === undefined ? '' : codeFrame(text, line, column);
  const head = `${type}: ${paint(options, 'bold', printable(f.message + runtimeNote(f)))} ${paint(options, 'dim', `(${f.ruleId})`)} at ${paint(options, 'green', `${where}:${line}:${column}`)}`;
  return frame ? `${head}:\n${frame}` : head;
}

function noticeEntry(options: FormatOptions, n: Notice, where: string | undefined): string {
  const type =
    n.level === 'error' ? paint(options, 'red', 'error') : n.level === 'warning' ? paint(options, 'yellow', 'warning') : paint(options, 'dim', 'note');
  return `${type}: ${printable(n.message)} ${paint(options, 'dim', `(${printable(n.code)})`)}${where === undefined ? '' : ` at ${paint(options, 'green', where)}`}`;
}

export const codeframe: Formatter = codeframeFormatter();
