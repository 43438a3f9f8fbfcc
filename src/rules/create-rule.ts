// The one place rules are defined. A rule is ESLint-shaped — `{ meta, create(context) }` with messages,
// schema and default options — so the same object runs in granule's engine and inside ESLint.
//
// What comes from where:
// - The convention is typescript-eslint's `RuleCreator` (@typescript-eslint/utils/eslint-utils):
//   `createRule({ name, meta, create })`, `meta.docs.url` derived from the name, and
//   `create(context, optionsWithDefault)` with `meta.defaultOptions` merged in. The command line, the language
//   server and the library run granule's own copy of it (./rule-creator.ts): the package would bring
//   TypeScript and ESLint, about 30 MB, into every install through its peers. The ESLint plugin builds its rules
//   from the same specs with typescript-eslint's own `RuleCreator` (src/eslint/rules.ts).
// - Its TypeScript types describe TS-ESTree nodes and the JavaScript SourceCode, which granule rules never see (they
//   visit `AllocationCall` objects), so the types below are granule's own: a subset of @eslint/core's `RuleContext`.
//   `src/eslint/rules.ts` checks at compile time that every rule is a valid @eslint/plugin-kit `CustomRuleDefinitionType`
//   for granule's language, the way @eslint/json and @eslint/css type their rules.

import type { AllocationCall } from '../engine/analysis/facts.js';
import type { RelatedLocation } from '../engine/model/types.js';
import { RuleCreator } from './rule-creator.js';

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
  /**
   * Short stable code beside the id (GR1, GR2, ...): what `--format msvc` prints where MSBuild and Visual Studio
   * expect a code, and what `granule rule` also accepts. Public API like the id: never reuse or renumber one.
   */
  code: string;
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
  /**
   * At most this level, whatever the rule's: a finding a rule's option ranks lower (a transient reservation).
   * granule's engine honours it; ESLint, which has one level per rule, reports at the rule's level.
   */
  severity?: 'warn';
  data?: Record<string, string>;
  /** Other places the finding is about (the callers of a wrapper whose arithmetic is reported); granule's engine only. */
  related?: RelatedLocation[];
  fix?: ((fixer: RuleFixer) => Fix | Fix[] | null) | null;
  suggest?: { messageId: MessageIds; data?: Record<string, string>; fix: (fixer: RuleFixer) => Fix | Fix[] | null }[];
}

/** The part of ESLint's rule context granule rules use; granule's engine and ESLint both provide it. */
export interface RuleContext<MessageIds extends string, Options extends unknown[]> {
  id: string;
  options: Options;
  /** Settings shared by all rules (target, ...). */
  settings: { granule?: { target?: string } };
  report(descriptor: ReportDescriptor<MessageIds>): void;
}

// a type alias, not an interface, so it fits ESLint's `Record<string, listener>` visitor type
export type RuleVisitor = {
  AllocationCall?(call: AllocationCall): void;
};

export interface GranuleRule<MessageIds extends string = string, Options extends unknown[] = unknown[]> {
  name: string;
  meta: RuleMeta<MessageIds, Options>;
  create(context: RuleContext<MessageIds, Options>): RuleVisitor;
}

type RuleSpec<M extends string, O extends unknown[]> = {
  name: string;
  meta: Omit<RuleMeta<M, O>, 'docs' | 'languages'> & { docs: Omit<RuleDocs, 'url'> };
  /** `options` is `context.options` with `meta.defaultOptions` merged in (RuleCreator's convention). */
  create(context: RuleContext<M, O>, options: O): RuleVisitor;
};

export const ruleDocsUrl = (name: string): string => `${DOCS_BASE}${name}.md`;

/** What `createRule` was given, with the languages added: what a `RuleCreator` takes. */
export type NamedRuleSpec<M extends string = string, O extends unknown[] = unknown[]> = RuleSpec<M, O> & {
  meta: RuleSpec<M, O>['meta'] & { languages: string[] };
};

/** A `RuleCreator(urlCreator)` result: granule's own (./rule-creator.ts) or typescript-eslint's. */
export type CreateNamedRule = <M extends string, O extends unknown[]>(spec: NamedRuleSpec<M, O>) => GranuleRule<M, O>;

// eslint-disable-next-line no-restricted-syntax -- a registry: each rule's spec, keyed weakly by the rule, written once by createRule as the rule module loads
const specs = new WeakMap<object, NamedRuleSpec<string, unknown[]>>();

/** The spec a rule was created from, for building the same rule with another `RuleCreator`. */
export function ruleSpec<M extends string, O extends unknown[]>(rule: GranuleRule<M, O>): NamedRuleSpec<M, O> {
  const spec = specs.get(rule);
  if (!spec) throw new Error(`${rule.name} was not made by createRule`);
  return spec as NamedRuleSpec<M, O>;
}

// (its declared types are loose: the specs are checked by createRule's parameter type)
const createNamedRule = RuleCreator(ruleDocsUrl) as unknown as CreateNamedRule;

/** typescript-eslint's `RuleCreator(name => url)` convention; also declares the languages the rule runs on in ESLint. */
export function createRule<M extends string, O extends unknown[]>(spec: RuleSpec<M, O>): GranuleRule<M, O> {
  const named: NamedRuleSpec<M, O> = { ...spec, meta: { ...spec.meta, languages: ['granule/c', 'granule/cpp'] } };
  const rule = createNamedRule(named);
  specs.set(rule, named);
  return rule;
}
