// Findings as LSP diagnostics. granule positions are 1-based lines and columns in UTF-16 units, LSP's are
// 0-based in the same units (the protocol's default encoding), and both end lines at CR, LF and CRLF.

import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type Range as LspRange } from 'vscode-languageserver/node';
import type { Finding, Range } from '../engine/model/types.js';
import { rulesById } from '../rules/index.js';

export function toLspRange(range: Range): LspRange {
  return {
    start: { line: range.start.line - 1, character: range.start.column - 1 },
    end: { line: range.end.line - 1, character: range.end.column - 1 },
  };
}

export function toDiagnostic(finding: Finding): Diagnostic {
  const url = rulesById.get(finding.ruleId)?.meta.docs.url;
  return {
    range: toLspRange(finding.range),
    severity: finding.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: finding.ruleId,
    ...(url ? { codeDescription: { href: url } } : {}),
    source: 'granule',
    message: finding.message,
    // the callers of a wrapper whose arithmetic is reported (or, at a caller, that wrapper's call)
    ...(finding.related?.length
      ? { relatedInformation: finding.related.map((r) => ({ location: { uri: pathToFileURL(r.file).href, range: toLspRange(r.range) }, message: r.message })) }
      : {}),
  };
}

/** The diagnostics to publish: findings not disabled by a comment. */
export function diagnosticsOf(findings: readonly Finding[]): Diagnostic[] {
  return findings.filter((f) => !f.suppressed).map(toDiagnostic);
}

/** Whether a diagnostic the client sent back is this finding's. */
export function sameDiagnostic(d: Diagnostic, f: Finding): boolean {
  const r = toLspRange(f.range);
  return (
    d.code === f.ruleId &&
    d.range.start.line === r.start.line &&
    d.range.start.character === r.start.character &&
    d.range.end.line === r.end.line &&
    d.range.end.character === r.end.character
  );
}
