// The ESLint plugin builds its rules with typescript-eslint's own `RuleCreator`, the convention granule's rules
// follow. @typescript-eslint/utils is an optional peer dependency: the command line and the language server do
// not need it (they run src/rules/rule-creator.ts), so only an ESLint user installs it, and a missing one is
// one clear line naming the command that installs it.

import { createRequire } from 'node:module';
import type { RuleCreator as RuleCreatorType } from '@typescript-eslint/utils/eslint-utils';
import { ruleDocsUrl, type CreateNamedRule } from '../rules/create-rule.js';

export const RULE_HELPER = '@typescript-eslint/utils';

export const MISSING_RULE_HELPER = `granule/eslint needs ${RULE_HELPER} (an optional peer dependency of granule): npm install --save-dev ${RULE_HELPER}`;

/** typescript-eslint's `RuleCreator(ruleDocsUrl)`; `from` is where to resolve the package from (a test changes it). */
export function typescriptEslintRuleCreator(from: string = import.meta.url): CreateNamedRule {
  let loaded: { RuleCreator: typeof RuleCreatorType };
  try {
    // Required, not imported: the package is CommonJS, and an ESM import of it has Node parse every module its
    // index re-exports for their export names
    loaded = createRequire(from)(`${RULE_HELPER}/eslint-utils`) as typeof loaded;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes(RULE_HELPER)) {
      throw new Error(MISSING_RULE_HELPER, { cause: error });
    }
    throw error;
  }
  // its declared parameter type is the TS-ESTree rule; its runtime is language-neutral (src/rules/create-rule.ts)
  return loaded.RuleCreator(ruleDocsUrl) as unknown as CreateNamedRule;
}
