// MSBuild's canonical error format, which Visual Studio's Error List and MSBuild's Exec task read from a tool's
// output: `origin(line,col): category code: text`. `path(11,12): error GR1: message [virtualalloc-granularity]`.
//
// - Paths are absolute, in the platform's spelling: MSBuild resolves a relative origin against the project
//   directory, which need not be where granule ran, and Visual Studio opens the file a line names on a double click.
//   The origin may contain no colon but a drive letter's: a path with another colon cannot be written in this format.
// - The category is `error` or `warning`, the only two MSBuild recognises (the Exec task fails the build on an
//   error line). The code is the rule's short code (GR1, ...), which has no colon or space as the format requires;
//   the rule id follows the message in brackets, as compact prints it.
// - Notices about a file (unreadable, binary, over a limit) are warnings (errors when they are), coded with the
//   notice's id; notes (code that could not be parsed) are `note:` lines as cl.exe writes them: shown in the build
//   log, with a clickable location in the Output window, but not counted as warnings.

import type { Finding, Notice } from '../engine/model/types.js';
import { rulesById } from '../rules/index.js';
import type { Formatter } from './common.js';
import { runtimeNote } from './common.js';
import { printable } from './printable.js';

/** The origin of a line: the file (absolute, as reports hold it) with its location, or the tool's name. */
function origin(file: string | undefined, line: number, column: number): string {
  return file === undefined ? 'granule' : `${printable(file)}(${line},${column})`;
}

/** The code printed for a finding: its rule's short code, or the id for a rule that has none. */
function findingCode(f: Finding): string {
  return rulesById.get(f.ruleId)?.meta.code ?? f.ruleId;
}

function noticeLine(n: Notice): string {
  const where = origin(n.file, n.line ?? 1, 1);
  const text = `${printable(n.message)} [${printable(n.code)}]`;
  if (n.level === 'note') return `${where}: note: ${text}`;
  // (a code is one word: a space or colon would end it early)
  return `${where}: ${n.level === 'error' ? 'error' : 'warning'} ${printable(n.code).replace(/[\s:]/g, '-')}: ${text}`;
}

function findingLine(f: Finding): string {
  const category = f.severity === 'error' ? 'error' : 'warning';
  return `${origin(f.file, f.range.start.line, f.range.start.column)}: ${category} ${findingCode(f)}: ${printable(f.message + runtimeNote(f))} [${f.ruleId}]`;
}

export const msvc: Formatter = (report) => {
  const lines = [...report.notices.map(noticeLine), ...report.findings.filter((f) => !f.suppressed).map(findingLine)];
  return lines.length ? lines.join('\n') + '\n' : '';
};
