// Machine-readable report: every finding with its range, values, evidence and fixes.

import { relativePath, type Formatter } from './common.js';

export const json: Formatter = (report) =>
  JSON.stringify(
    {
      version: report.toolVersion,
      root: report.root,
      filesScanned: report.filesScanned,
      rules: report.rules,
      findings: report.findings.map((f) => ({ ...f, path: relativePath(report, f.file) })),
      notices: report.notices.map((n) => ({ ...n, path: n.file ? relativePath(report, n.file) : undefined })),
    },
    null,
    2,
  ) + '\n';
