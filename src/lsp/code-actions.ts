// Quick fixes for a finding: its autofix, its suggestions, and "disable for this line", which writes
// `// granule-disable-next-line <rule>` above the line (with the line's indentation).

import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Fix } from '../engine/model/types.js';
import { toDiagnostic } from './diagnostics.js';

export interface ActionContext {
  document: TextDocument;
  /** Send `documentChanges` with the document version (the client supports it), so a stale edit is refused. */
  versioned: boolean;
}

export function codeActionsFor(findings: readonly Finding[], ctx: ActionContext): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const finding of findings) {
    const diagnostic = toDiagnostic(finding);
    const seen = new Set<string>();
    const fixes: { title: string; fix: Fix; preferred: boolean }[] = [];
    if (finding.fix) fixes.push({ title: finding.suggestions[0]?.desc ?? `Fix ${finding.ruleId}`, fix: finding.fix, preferred: true });
    for (const s of finding.suggestions) fixes.push({ title: s.desc, fix: s.fix, preferred: false });
    for (const { title, fix, preferred } of fixes) {
      const edits = fix.edits.map((e) => ({
        range: { start: ctx.document.positionAt(e.range[0]), end: ctx.document.positionAt(e.range[1]) },
        newText: e.text,
      }));
      const key = JSON.stringify(edits);
      // the autofix and the first suggestion are often the same edit: offer it once
      if (seen.has(key)) continue;
      seen.add(key);
      actions.push(action(title, diagnostic, edits, ctx, preferred));
    }
    actions.push(action(`Disable ${finding.ruleId} for this line`, diagnostic, [disableEdit(finding, ctx.document)], ctx, false));
  }
  return actions;
}

function action(title: string, diagnostic: Diagnostic, edits: TextEdit[], ctx: ActionContext, isPreferred: boolean): CodeAction {
  const { uri, version } = ctx.document;
  const edit: WorkspaceEdit = ctx.versioned ? { documentChanges: [{ textDocument: { uri, version }, edits }] } : { changes: { [uri]: edits } };
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit, ...(isPreferred ? { isPreferred } : {}) };
}

function disableEdit(finding: Finding, document: TextDocument): TextEdit {
  const line = finding.range.start.line - 1;
  const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const indent = /^[ \t]*/.exec(text)![0];
  const eol = /\r\n$/.test(text) ? '\r\n' : /\r$/.test(text) ? '\r' : '\n';
  const at = { line, character: 0 };
  return { range: { start: at, end: at }, newText: `${indent}// granule-disable-next-line ${finding.ruleId}${eol}` };
}
