// Inline disable comments, ESLint-style:
//   // granule-disable-next-line virtualalloc-granularity -- the pool rounds this up
//   VirtualAlloc(NULL, 4096, ...);  // granule-disable-line
//   /* granule-disable large-page-size */ ... /* granule-enable large-page-size */
// A comment may name one or more rules (comma- or space-separated; `granule/` prefixes allowed) or
// none (all rules); text after ` -- ` is the justification. Disabled findings stay in the report,
// marked `suppressed`, so SARIF can show them as suppressed while the text formats hide them.

import { rulesById } from '../../rules/index.js';
import { comments } from '../text/lexer.js';
import { LineMap } from '../text/source.js';
import type { Finding, Level, Notice, Range } from '../model/types.js';

export type DirectiveKind = 'disable' | 'enable' | 'disable-line' | 'disable-next-line';

export interface DisableDirective {
  kind: DirectiveKind;
  /** Rule ids named; empty means every rule. */
  rules: string[];
  justification?: string;
  /** The whole comment. */
  range: Range;
  /** For line directives: the line whose findings are disabled. */
  line: number;
}

export interface DirectiveScan {
  directives: DisableDirective[];
  /** Malformed directives (unknown rule, a disable-line comment spanning lines). */
  problems: Notice[];
}

const MARKER = 'granule-';
const DIRECTIVE = /^granule-(disable-next-line|disable-line|disable|enable)(?=\s|$)([\s\S]*)$/;

/** Finds the directive comments of one file. */
export function scanDisableDirectives(file: string, text: string, lines?: LineMap): DirectiveScan {
  const out: DirectiveScan = { directives: [], problems: [] };
  if (!text.includes(MARKER)) return out;
  const map = lines ?? new LineMap(text);
  for (const comment of comments(text)) {
    const body = text.slice(comment.bodyStart, comment.bodyEnd);
    if (!body.includes(MARKER)) continue;
    const m = DIRECTIVE.exec(body.trim());
    if (!m) continue;
    const kind = m[1] as DirectiveKind;
    const [list, ...why] = m[2]!.split(/\s--(?:\s|$)/);
    const justification = why.join(' -- ').trim() || undefined;
    const range: Range = { start: map.position(comment.start), end: map.position(comment.end) };
    const rules: string[] = [];
    for (const word of list!.split(/[\s,]+/).filter(Boolean)) {
      const id = word.replace(/^granule\//, '');
      if (!rulesById.has(id)) {
        out.problems.push({
          level: 'warning',
          file,
          line: range.start.line,
          code: 'unknown-rule-in-directive',
          message: `granule-${kind} names an unknown rule "${word}"`,
        });
        continue;
      }
      if (!rules.includes(id)) rules.push(id);
    }
    // a comment that named only unknown rules must not turn into "every rule"
    if (rules.length === 0 && list!.trim()) continue;
    if (kind === 'disable-line' && range.start.line !== range.end.line) {
      out.problems.push({
        level: 'warning',
        file,
        line: range.start.line,
        code: 'invalid-directive',
        message: 'a granule-disable-line comment must not span lines; it was ignored',
      });
      continue;
    }
    const line = kind === 'disable-next-line' ? range.end.line + 1 : range.start.line;
    out.directives.push({ kind, rules, justification, range, line });
  }
  return out;
}

/**
 * Marks the findings of one file that a directive disables (sets `suppressed`), and returns the
 * directives that disabled nothing, as notices at `reportUnused` level ('off': none).
 */
export function applyDirectives(file: string, findings: Finding[], scan: DirectiveScan, reportUnused: Level): Notice[] {
  const used = new Map<DisableDirective, Set<string>>();
  const markUsed = (d: DisableDirective, rule: string) => {
    let set = used.get(d);
    if (!set) used.set(d, (set = new Set()));
    set.add(rule);
  };
  const applies = (d: DisableDirective, rule: string) => d.rules.length === 0 || d.rules.includes(rule);
  const suppress = (f: Finding, d: DisableDirective) => {
    f.suppressed = { kind: 'inSource', ...(d.justification ? { justification: d.justification } : {}), range: d.range };
    markUsed(d, f.ruleId);
  };

  const lineDirectives = scan.directives.filter((d) => d.kind === 'disable-line' || d.kind === 'disable-next-line');
  const blockDirectives = scan.directives
    .filter((d) => d.kind === 'disable' || d.kind === 'enable')
    .sort((a, b) => a.range.start.offset - b.range.start.offset);
  const unmatchedEnables = new Map<DisableDirective, Set<string>>();

  // block directives: a running state of what is disabled, walked in step with the findings
  let all: DisableDirective | undefined;
  const byRule = new Map<string, DisableDirective>();
  const reenabled = new Set<string>();
  let next = 0;
  const advance = (offset: number) => {
    while (next < blockDirectives.length && blockDirectives[next]!.range.start.offset < offset) {
      const d = blockDirectives[next++]!;
      if (d.kind === 'disable') {
        if (d.rules.length === 0) {
          all = d;
          reenabled.clear();
        } else {
          for (const r of d.rules) {
            byRule.set(r, d);
            reenabled.delete(r);
          }
        }
        continue;
      }
      if (d.rules.length === 0) {
        if (!all && byRule.size === 0) unmatchedEnables.set(d, new Set(['']));
        all = undefined;
        byRule.clear();
        reenabled.clear();
        continue;
      }
      for (const r of d.rules) {
        if (byRule.delete(r)) continue;
        if (all && !reenabled.has(r)) reenabled.add(r);
        else {
          let set = unmatchedEnables.get(d);
          if (!set) unmatchedEnables.set(d, (set = new Set()));
          set.add(r);
        }
      }
    }
  };

  const ordered = findings.filter((f) => f.file === file).sort((a, b) => a.range.start.offset - b.range.start.offset);
  for (const f of ordered) {
    advance(f.range.start.offset);
    const line = lineDirectives.find((d) => d.line === f.range.start.line && applies(d, f.ruleId));
    if (line) {
      suppress(f, line);
      continue;
    }
    const block = byRule.get(f.ruleId) ?? (all && !reenabled.has(f.ruleId) ? all : undefined);
    if (block) suppress(f, block);
  }
  advance(Infinity);

  const notices: Notice[] = [...scan.problems];
  if (reportUnused === 'off') return notices;
  const level = reportUnused === 'error' ? 'error' : 'warning';
  const unused = (d: DisableDirective, message: string): Notice => ({ level, file, line: d.range.start.line, code: 'unused-disable-directive', message });
  for (const d of scan.directives) {
    const name = `granule-${d.kind}`;
    if (d.kind === 'enable') {
      const missing = unmatchedEnables.get(d);
      if (!missing) continue;
      const named = [...missing].filter(Boolean);
      notices.push(
        unused(
          d,
          named.length
            ? `Unused ${name} directive (no matching granule-disable directives were found for ${quoteList(named)}).`
            : `Unused ${name} directive (no matching granule-disable directives were found).`,
        ),
      );
      continue;
    }
    const hit = used.get(d);
    if (d.rules.length === 0) {
      if (!hit) notices.push(unused(d, `Unused ${name} directive (no problems were reported).`));
      continue;
    }
    const idle = d.rules.filter((r) => !hit?.has(r));
    if (idle.length) notices.push(unused(d, `Unused ${name} directive (no problems were reported from ${quoteList(idle)}).`));
  }
  return notices.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function quoteList(rules: string[]): string {
  return rules.map((r) => `'${r}'`).join(' or ');
}
