// A language server's findings as the editor shows them, one line each, for tests that compare them across edits.

import type { DocumentLint } from '../../src/lsp/lint-document.js';

/**
 * `count` functions that each reserve a multiple of PAGE through a `static const` size (a call per function, its
 * size found through a name): the bulk of the documents the configuration tests edit.
 */
export function poolFunctions(count: number): string[] {
  return Array.from({ length: count }, (_, i) => [
    `static const SIZE_T kPool${i} = ${i + 1} * PAGE;`,
    `void *reserve_${i}(void) {`,
    `    SIZE_T size = kPool${i};`,
    `    return VirtualAlloc(NULL, size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);`,
    `}`,
  ]).flat();
}

/** Findings as the editor shows them: line, column, rule, message, and the configurations each holds in. */
export function said(lint: DocumentLint): string[] {
  return lint.findings.map((f) => `${f.range.start.line}:${f.range.start.column} ${f.ruleId} ${f.message} {${(f.configurations ?? []).join(',')}}`);
}
