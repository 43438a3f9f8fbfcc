// The ESLint plugin's view of several configurations (x64 and x86 by default): ESLint walks the tree of the first
// configuration, and its rules report what the CLI reports for that configuration; this gives each call site the
// CLI's merged message (with the targets it holds in), and the findings of code the first configuration does
// not compile (`#ifndef _WIN64`), which have no node in its tree.

import type { Finding, TextEdit } from '../engine/model/types.js';

interface SourceLocation {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

/** A finding of code the first configuration does not compile: where, what, and its fix (edits of the file). */
interface Elsewhere {
  loc: SourceLocation;
  message: string;
  edits?: readonly TextEdit[];
}

export class ConfigurationMessages {
  private readonly bySite = new Map<string, { message: string; own: string }>();
  private readonly elsewhere = new Map<string, Elsewhere[]>();

  /** `merged`: the run's findings merged per call site; `own`: the first configuration's, as its rules report them. */
  constructor(merged: readonly Finding[], own: readonly Finding[], first: string) {
    const ownAt = new Map<string, string>();
    for (const f of own) if (!ownAt.has(siteOf(f.ruleId, f))) ownAt.set(siteOf(f.ruleId, f), f.message);
    for (const f of merged) {
      const site = siteOf(f.ruleId, f);
      const message = ownAt.get(site);
      if (f.configurations?.includes(first) && message !== undefined) {
        if (!this.bySite.has(site)) this.bySite.set(site, { message: f.message, own: message });
      } else if (!f.suppressed) {
        const list = this.elsewhere.get(f.ruleId) ?? [];
        // (ESLint counts columns from 0, granule from 1)
        const { start, end } = f.range;
        const loc = { start: { line: start.line, column: start.column - 1 }, end: { line: end.line, column: end.column - 1 } };
        list.push({ loc, message: f.message, ...(f.fix ? { edits: f.fix.edits } : {}) });
        this.elsewhere.set(f.ruleId, list);
      }
    }
  }

  /** The merged message of a rule's finding at a call (and the first configuration's own message of it). */
  at(ruleId: string, start: number, end: number): { message: string; own: string } | undefined {
    return this.bySite.get(`${ruleId}\u0000${start}\u0000${end}`);
  }

  /** A rule's findings in the other configurations alone. */
  onlyElsewhere(ruleId: string): readonly Elsewhere[] {
    return this.elsewhere.get(ruleId) ?? [];
  }
}

function siteOf(ruleId: string, f: Finding): string {
  return `${ruleId}\u0000${f.range.start.offset}\u0000${f.range.end.offset}`;
}
