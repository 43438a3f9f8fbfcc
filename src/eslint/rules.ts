// granule's rules as ESLint rules: the specs the CLI runs (src/rules), made with typescript-eslint's RuleCreator
// (./rule-creator.ts) and checked here against ESLint's rule type for this language. No second implementation.

import type { CustomRuleDefinitionType } from '@eslint/plugin-kit';
import type { AllocationCall } from '../engine/analysis/analyze.js';
import { ruleSpec, type GranuleRule, type RuleDocs } from '../rules/create-rule.js';
import { rules } from '../rules/index.js';
import type { GranuleLanguageOptions } from './language-options.js';
import { typescriptEslintRuleCreator } from './rule-creator.js';
import { isAllocationCall, type GranuleNode, type GranuleSourceCode } from './source-code.js';
import type { CNode } from './syntax-tree.js';

/** Listeners a rule for granule's languages may return: AllocationCall, or any tree node type or selector. */
export interface GranuleRuleVisitor {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as ESLint's RuleVisitor: each listener names the node type its selector gives it
  [selector: string]: ((node: any, parent?: CNode) => void) | undefined;
  AllocationCall?(call: AllocationCall): void;
  'AllocationCall:exit'?(call: AllocationCall): void;
}

/** An ESLint rule for granule's languages, typed the way @eslint/json and @eslint/css type theirs. */
export type GranuleRuleDefinition<MessageIds extends string = string, Options extends unknown[] = unknown[]> = CustomRuleDefinitionType<
  { LangOptions: GranuleLanguageOptions; Code: GranuleSourceCode; Visitor: GranuleRuleVisitor; Node: GranuleNode },
  { RuleOptions: Options; MessageIds: MessageIds; ExtRuleDocs: Omit<RuleDocs, 'url' | 'description'> }
>;

/** The compile-time proof that a granule rule is a valid ESLint rule for granule's languages (no cast). */
export function asEslintRule<M extends string, O extends unknown[]>(rule: GranuleRule<M, O>): GranuleRuleDefinition<M, O> {
  return rule;
}

/**
 * The rule as ESLint runs it: the same object, with `context.report` passing over calls that a granule comment
 * (`// granule-disable-next-line ...`) disables, as granule's CLI does.
 */
export function forEslint<M extends string, O extends unknown[]>(rule: GranuleRule<M, O>): GranuleRuleDefinition<M, O> {
  const definition = asEslintRule(rule);
  return {
    ...definition,
    create(context) {
      const sourceCode = context.sourceCode;
      const configurations = sourceCode.configurations;
      const report: typeof context.report = (given) => {
        // (ESLint has no related locations: a finding's other places are the engine's formats')
        const { related, ...descriptor } = given as typeof given & { related?: unknown };
        void related;
        const node = 'node' in descriptor ? descriptor.node : undefined;
        if (node && isAllocationCall(node) && sourceCode.disabledByGranuleComment(rule.name, node)) return;
        // several configurations: the message the CLI gives the call site (with the targets it holds in)
        const merged = node && isAllocationCall(node) ? configurations?.at(rule.name, node.range.start.offset, node.range.end.offset) : undefined;
        if (merged && merged.message !== merged.own) {
          const { messageId, data, ...rest } = descriptor as typeof descriptor & { messageId?: string; data?: unknown };
          void [messageId, data];
          context.report({ ...rest, message: merged.message } as Parameters<typeof context.report>[0]);
          return;
        }
        context.report(descriptor as typeof given);
      };
      // ESLint builds rule contexts the same way: an object over the file's context
      const visitor = definition.create(Object.create(context, { report: { value: report } }) as typeof context);
      const elsewhere = configurations?.onlyElsewhere(rule.name) ?? [];
      if (elsewhere.length === 0) return visitor;
      // findings of code the first configuration does not compile (`#ifndef _WIN64`): it has no node for them
      const exit = visitor['translation_unit:exit'];
      return {
        ...visitor,
        'translation_unit:exit'(node: CNode) {
          exit?.(node);
          for (const f of elsewhere) {
            const edits = f.edits;
            context.report({ loc: f.loc, message: f.message, ...(edits ? { fix: (fixer) => edits.map((e) => fixer.replaceTextRange(e.range, e.text)) } : {}) });
          }
        },
      };
    },
  };
}

const createNamedRule = typescriptEslintRuleCreator();

export const eslintRules: Record<string, GranuleRuleDefinition<string, unknown[]>> = Object.fromEntries(
  rules.map((rule) => [rule.name, forEslint(createNamedRule(ruleSpec(rule)))]),
);
