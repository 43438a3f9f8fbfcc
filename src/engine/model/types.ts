// Shared data shapes. Data flows one way:
// files → parse → facts → evaluate → rules → results → formatters.

import { describeReason, type Reason } from './reasons.js';

/** A point in a source file. `line` and `column` are 1-based; `offset` is a 0-based UTF-16 index. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/**
 * The outcome of evaluating an expression: an exact integer, or why it is not known: `cause` as data, `reason`
 * its message (made by `unknownValue`, so the two always agree).
 */
export type Value = { known: true; value: bigint } | { known: false; reason: string; cause: Reason };

/** An unknown value with its cause and the message made from it. */
export function unknownValue(cause: Reason): Value & { known: false } {
  return { known: false, reason: describeReason(cause), cause };
}

export type Level = 'off' | 'warn' | 'error';
export type Target = 'x64' | 'x86' | 'arm64';
/** The targets a run checks: one, or a list (each is one configuration, src/engine/runner/configurations.ts). */
export type TargetSetting = Target | readonly Target[];

/** One step of the evidence that leads from a reported call to the API it reaches. */
export interface EvidenceStep {
  file: string;
  range: Range;
  /** Human text: "ALLOC(100) expands to VirtualAlloc(NULL, 100, ...)", "make_arena(n) calls VirtualAlloc". */
  message: string;
  kind: 'macro' | 'wrapper' | 'pointer' | 'call' | 'value' | 'path';
}

/**
 * A place a finding points to besides its own: the callers of a wrapper whose arithmetic makes them all waste
 * (reported once, at the wrapper's call), or that call for a caller in another file. SARIF `relatedLocations`,
 * LSP `relatedInformation`.
 */
export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

export interface TextEdit {
  /** 0-based UTF-16 offsets into the file text. */
  range: [number, number];
  text: string;
}

export interface Fix {
  file: string;
  edits: TextEdit[];
}

export interface Suggestion {
  desc: string;
  fix: Fix;
}

export interface Suppression {
  kind: 'inSource';
  justification?: string;
  /** The range of the disable comment. */
  range: Range;
}

export type RuntimeStatus = 'confirmed' | 'refuted' | 'not reached' | 'runtime-only';

export interface RuntimeEvidence {
  status: RuntimeStatus;
  calls: number;
  sizes: string[];
  unusable: string;
}

/** One reported problem, as every formatter, the language server and the ESLint adapter see it. */
export interface Finding {
  ruleId: string;
  severity: 'error' | 'warn';
  /** Absolute path of the file the finding is in. */
  file: string;
  range: Range;
  messageId: string;
  message: string;
  /** The API finally reached (VirtualAlloc, MapViewOfFile, ...). */
  api?: string;
  /** Evaluated numbers, as decimal strings (JSON cannot hold a BigInt). */
  properties: Record<string, string | number | boolean>;
  /** Macro expansions, pointer origins and wrapper chains, outermost first. */
  evidence: EvidenceStep[];
  /** Other places the finding is about (see RelatedLocation), in the order of their files. */
  related?: RelatedLocation[];
  /** The text of the call, whitespace-normalised; used for stable fingerprints. */
  callText: string;
  /** The function that contains the call, or "" at file scope. */
  enclosingFunction: string;
  fix?: Fix;
  suggestions: Suggestion[];
  suppressed?: Suppression;
  runtime?: RuntimeEvidence;
  /**
   * The configurations (`x64`, `x86`, ...) in which the call does what the finding says, in the run's order; the
   * message, properties and fix are those of the first. Set by the merge of configurations
   * (src/engine/runner/configurations.ts).
   */
  configurations?: string[];
  /** The evaluated size in each of `configurations` where it is known (decimal strings), when they differ. */
  configurationSizes?: Record<string, string>;
}

/** Something granule could not do for one file (or at all); never fatal to the run. */
export interface Notice {
  level: 'error' | 'warning' | 'note';
  /** Absolute path, when the notice is about one file. */
  file?: string;
  message: string;
  /** Stable machine-readable id: unreadable, binary, encoding, parse-error, no-files, limit, ... */
  code: string;
  line?: number;
}

export interface RuleSummary {
  id: string;
  level: Level;
}

/** Everything one run produced. Formatters are pure functions of this. */
export interface Report {
  /** Directory that repo-relative paths are relative to. */
  root: string;
  findings: Finding[];
  notices: Notice[];
  /** Files analysed (after discovery and filtering). */
  filesScanned: number;
  /** Rules in effect, with their levels. */
  rules: RuleSummary[];
  toolVersion: string;
}
