// The one place rules are defined. A rule is ESLint-shaped — `{ meta, create(context) }` with messages,
// schema and default options — so the same object runs in granule's engine and inside ESLint.

import type { AllocationCall } from '../engine/analyze.js';

export const DOCS_BASE = 'https://github.com/granule-lint/granule/blob/main/docs/rules/';

export interface RuleDocs {
  description: string;
  recommended: boolean;
  url: string;
}

export interface RuleMeta<MessageIds extends string, Options extends unknown[]> {
  type: 'problem' | 'suggestion';
  docs: RuleDocs;
  messages: Record<MessageIds, string>;
  schema: Record<string, unknown>[];
  defaultOptions: Options;
  fixable?: 'code';
  hasSuggestions?: boolean;
  /** ESLint ≥ 10 checks this against the configured language. */
  languages: string[];
  /** SARIF/code-scanning metadata. */
  precision: 'very-high' | 'high' | 'medium' | 'low';
  tags: string[];
  defaultLevel: 'off' | 'warn' | 'error';
}

export interface Fix {
  range: [number, number];
  text: string;
}

/** The subset of ESLint's RuleFixer the rules use. */
export interface RuleFixer {
  replaceTextRange(range: [number, number], text: string): Fix;
}

export interface ReportDescriptor<MessageIds extends string> {
  node: AllocationCall;
  messageId: MessageIds;
  data?: Record<string, string>;
  fix?: ((fixer: RuleFixer) => Fix | Fix[] | null) | null;
  suggest?: { messageId: MessageIds; data?: Record<string, string>; fix: (fixer: RuleFixer) => Fix | Fix[] | null }[];
}

export interface RuleContext<MessageIds extends string, Options extends unknown[]> {
  id: string;
  options: Options;
  /** Settings shared by all rules (target, ...). */
  settings: { granule?: { target?: string } };
  report(descriptor: ReportDescriptor<MessageIds>): void;
}

export interface RuleVisitor {
  AllocationCall?(call: AllocationCall): void;
}

export interface GranuleRule<MessageIds extends string = string, Options extends unknown[] = unknown[]> {
  name: string;
  meta: RuleMeta<MessageIds, Options>;
  create(context: RuleContext<MessageIds, Options>): RuleVisitor;
}

type RuleSpec<M extends string, O extends unknown[]> = {
  name: string;
  meta: Omit<RuleMeta<M, O>, 'docs' | 'languages'> & { docs: Omit<RuleDocs, 'url'> };
  create(context: RuleContext<M, O>): RuleVisitor;
};

/** Like typescript-eslint's `RuleCreator(name => url)`: fills in the docs URL and the languages. */
export function createRule<M extends string, O extends unknown[]>(spec: RuleSpec<M, O>): GranuleRule<M, O> {
  return {
    name: spec.name,
    meta: {
      ...spec.meta,
      docs: { ...spec.meta.docs, url: `${DOCS_BASE}${spec.name}.md` },
      languages: ['granule/c', 'granule/cpp'],
    },
    create: spec.create,
  };
}
