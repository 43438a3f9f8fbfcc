// The CLI, the language server and the ESLint plugin go through one per-file pipeline and one wrapper fixpoint
// (src/engine/runner/): on the same tree they must say the same thing, call by call. For a folder this collects,
// for every finding, what each of them says: the CLI's finding (lintPaths), the language server's diagnostic
// and its hover on the same call (size and chain), and ESLint's message (the plugin, with the folder as its
// project).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import granule from '../../../src/eslint/index.js';
import { lintPaths, type LintOptions } from '../../../src/engine/runner/lint.js';
import type { Finding } from '../../../src/engine/model/types.js';
import { byteCount } from '../../../src/rules/sizes.js';
import { diagnosticsOf } from '../../../src/lsp/diagnostics.js';
import { hoverAt } from '../../../src/lsp/hover.js';
import { IncrementalStates } from '../../../src/lsp/incremental-states.js';
import { lintDocument } from '../../../src/lsp/lint-document.js';
import { DEFAULT_SETTINGS, type GranuleSettings } from '../../../src/lsp/settings.js';
import { Workspace } from '../../../src/lsp/workspace.js';
import { eslintOverrides, type FixtureSettings } from '../../eslint/helpers.js';

/** One call's report, as a line: where, which rule, what it says, and the size and chain behind it. */
export type Said = string;

function said(file: string, line: number, column: number, ruleId: string, message: string, size: string, chain: string[]): Said {
  return `${file}:${line}:${column} ${ruleId}: ${message} | size ${size} | chain ${chain.join(' → ')}`;
}

function chainOf(f: Finding): string[] {
  return f.evidence.map((step) => step.message.replace(/\n/g, ' '));
}

/** The CLI's findings (those not disabled by a comment). */
export async function cliSays(dir: string, options: LintOptions): Promise<{ lines: Said[]; files: string[] }> {
  const report = await lintPaths([dir], options);
  const found = report.findings.filter((f) => !f.suppressed);
  const lines = found.map((f) =>
    said(path.relative(dir, f.file), f.range.start.line, f.range.start.column, f.ruleId, f.message, `${f.properties.size ?? '?'}`, chainOf(f)),
  );
  return { lines: lines.sort(), files: [...new Set(found.map((f) => f.file))] };
}

/**
 * The language server's diagnostics for each file, each with the size and chain its hover on that call shows
 * (read back from the hover's markdown: the section of the diagnostic's own message).
 */
export function lspSays(dir: string, files: readonly string[], settings: GranuleSettings = DEFAULT_SETTINGS): Said[] {
  const workspace = new Workspace();
  workspace.setRoots([dir]);
  const out: Said[] = [];
  for (const file of files) {
    const { configurations, wrappersFor, ignored } = workspace.optionsFor(file, settings);
    if (ignored) continue;
    const lint = lintDocument(file, fs.readFileSync(file, 'utf8'), configurations, workspace.headers, new IncrementalStates(), wrappersFor);
    const diagnostics = diagnosticsOf(lint.findings);
    for (const f of lint.findings.filter((x) => !x.suppressed)) {
      const d = diagnostics.find(
        (x) => x.message === f.message && x.range.start.line === f.range.start.line - 1 && x.range.start.character === f.range.start.column - 1,
      )!;
      const hover = hoverAt(f.range.start.offset, lint.analysis.calls, lint.findings);
      const section = (hover?.contents as { value: string } | undefined)?.value.split('\n---\n').find((s) => s.includes(d.message)) ?? '';
      const size = /\| size \| (\d+) bytes?/.exec(section)?.[1] ?? '?';
      const chain = [...section.matchAll(/^\d+\. (.*) — [^—]*:\d+$/gm)].map((m) => m[1]!);
      out.push(said(path.relative(dir, file), d.range.start.line + 1, d.range.start.character + 1, `${d.code}`, d.message, size, chain));
    }
  }
  return out.sort();
}

/** What each hover must show for a CLI finding: its size as the hover writes it. */
export function hoverSize(f: Finding): string {
  return f.properties.size === undefined ? '?' : byteCount(BigInt(f.properties.size));
}

/** ESLint's messages with the plugin (the folder as its project), in the same shape (no size or chain: ESLint has none). */
export async function eslintSays(dir: string, files: readonly string[], settings: FixtureSettings): Promise<string[]> {
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [...granule.configs.recommended, eslintOverrides(dir, settings)] as ESLint.Options['overrideConfig'],
  });
  const results = await eslint.lintFiles([...files]);
  const out: string[] = [];
  for (const r of results) {
    for (const m of r.messages) out.push(`${path.relative(dir, r.filePath)}:${m.line}:${m.column} ${m.ruleId?.replace(/^granule\//, '')}: ${m.message}`);
  }
  return out.sort();
}

/** A line without its size and chain (what ESLint can be compared on). */
export function withoutFacts(line: Said): string {
  return line.replace(/ \| size .*$/, '');
}
