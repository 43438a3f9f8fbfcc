// granule's library entry point.
export { lintPaths, defaultLintOptions, analyzeText, runRules, activeRules, HeaderCache, type LintOptions } from './engine/runner/lint.js';
export { analyzeFile, type AllocationCall, type FileAnalysis } from './engine/analysis/analyze.js';
export { evaluateText } from './engine/evaluate/evaluate.js';
export { rules, rulesById } from './rules/index.js';
export { formatters } from './formats/index.js';
export { toSarif } from './formats/sarif.js';
export type * from './engine/model/types.js';
