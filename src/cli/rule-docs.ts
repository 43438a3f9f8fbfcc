// `granule rule ID|CODE` prints a rule's documentation page in the terminal, as `ruff rule` does; `granule rule`
// (or `--all`) lists the rules with their codes, default levels and descriptions. The pages are docs/rules/*.md,
// shipped in the package.

import * as path from 'node:path';
import { packagePath } from '../engine/model/package-files.js';
import { parseArgs } from 'node:util';
import { readFailure, readRegularFile } from '../engine/files/regular-file.js';
import { printable, printableSource } from '../formats/printable.js';
import { findRule, rules } from '../rules/index.js';

/** Where the rule pages are when granule runs from its package (dist/cli, dist/bundle or src/cli). */
export const RULE_DOCS_DIR = packagePath('docs', 'rules') + path.sep;
/** The pages are a few kilobytes: anything far larger is not one of them. */
const PAGE_LIMIT = 1024 * 1024;

const USAGE = `Usage: granule rule ID|CODE    print a rule's documentation (e.g. granule rule GR1)
       granule rule [--all]     list the rules with their codes, default levels and descriptions

Options: --color, --no-color (also NO_COLOR): headings in bold, or plain text (default: bold on a terminal)
`;

export interface RuleCommandIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** Runs `granule rule ...` (argv without "rule"); returns the exit code. */
export function runRuleCommand(argv: string[], io: RuleCommandIo, docsDir = RULE_DOCS_DIR): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { all: { type: 'boolean' }, color: { type: 'boolean' }, 'no-color': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    // parseArgs' own text is long and quotes oddly: one line in granule's words instead
    const error = e as NodeJS.ErrnoException;
    const option = /'([^']*)'/.exec(error.message)?.[1] ?? '';
    const what =
      error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
        ? `unknown option ${option}`
        : error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
          ? `${option} takes no value`
          : error.message.split('\n')[0]!;
    io.stderr.write(`granule: rule: ${printable(what)} (granule rule --help for usage)\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length > 1 || (values.all && positionals.length > 0)) {
    io.stderr.write('granule: rule: give one rule id or code, or --all (granule rule --help for usage)\n');
    return 2;
  }
  if (positionals.length === 0) {
    io.stdout.write(ruleList());
    return 0;
  }
  const rule = findRule(positionals[0]!);
  if (!rule) {
    const known = rules.map((r) => `${r.meta.code} ${r.name}`).join(', ');
    io.stderr.write(`granule: unknown rule "${printable(positionals[0]!)}" (known: ${known})\n`);
    return 2;
  }
  const file = path.join(docsDir, `${rule.name}.md`);
  const page = readPage(file);
  if (!page.ok) {
    io.stderr.write(`granule: cannot read the documentation of ${rule.name} (${printable(file)}): ${page.reason}\n`);
    return 2;
  }
  // NO_COLOR (https://no-color.org) turns off automatic colour; an explicit --color still wins
  const color = !values['no-color'] && (values.color ?? (!io.env.NO_COLOR && !!io.stdout.isTTY));
  io.stdout.write(render(page.text, color));
  return 0;
}

/** One line per rule: code, id, default level, description; columns aligned. */
export function ruleList(): string {
  const rows = rules.map((r) => [r.meta.code, r.name, r.meta.defaultLevel, r.meta.docs.description]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ')).join('\n') + '\n';
}

function readPage(file: string): { ok: true; text: string } | { ok: false; reason: string } {
  try {
    return {
      ok: true,
      text: readRegularFile(file, PAGE_LIMIT)
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
    };
  } catch (e) {
    return { ok: false, reason: readFailure(e) };
  }
}

/** The page as it is (markdown reads well as text); on a colour terminal, headings outside code blocks in bold. */
function render(markdown: string, color: boolean): string {
  let fenced = false;
  const lines = markdown.split(/\r?\n/).map((line) => {
    const shown = printableSource(line);
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    else if (color && !fenced && /^#{1,6} /.test(line)) return `\u001b[1m${shown}\u001b[22m`;
    return shown;
  });
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n') + '\n';
}
