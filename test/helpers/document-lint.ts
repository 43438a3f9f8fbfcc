// A language server's findings as the editor shows them, one line each, for tests that compare them across edits.

import type { DocumentLint } from '../../src/lsp/lint-document.js';

/** Findings as the editor shows them: line, column, rule, message, and the configurations each holds in. */
export function said(lint: DocumentLint): string[] {
  return lint.findings.map((f) => `${f.range.start.line}:${f.range.start.column} ${f.ruleId} ${f.message} {${(f.configurations ?? []).join(',')}}`);
}
