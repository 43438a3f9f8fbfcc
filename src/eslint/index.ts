// `granule/eslint`: granule as an ESLint plugin. The languages `granule/c` and `granule/cpp` run granule's analysis;
// the rules are made from the same specs the granule CLI runs, with typescript-eslint's RuleCreator (./rule-creator.ts).
//
//   // eslint.config.mjs
//   import granule from 'granule/eslint';
//   export default [...granule.configs.recommended];

import type { ESLint, Linter } from 'eslint';
import { rules } from '../rules/index.js';
import { toolVersion } from '../engine/model/version.js';
import { GranuleLanguage } from './language.js';
import { eslintRules } from './rules.js';

export { GranuleLanguage } from './language.js';
export { GranuleSourceCode, type CommentNode, type GranuleNode } from './source-code.js';
export type { CNode, TranslationUnit } from './syntax-tree.js';
export type { GranuleLanguageOptions } from './language-options.js';
export { asEslintRule, type GranuleRuleDefinition, type GranuleRuleVisitor } from './rules.js';
export type { AllocationCall } from '../engine/analysis/analyze.js';

export const C_FILES = ['**/*.c', '**/*.h'];
export const CPP_FILES = ['**/*.cc', '**/*.cpp', '**/*.cxx', '**/*.c++', '**/*.hpp', '**/*.hh', '**/*.hxx', '**/*.inl', '**/*.ipp'];

type RuleLevels = Record<string, 'off' | 'warn' | 'error'>;

const plugin = {
  meta: { name: 'granule', version: toolVersion(), namespace: 'granule' },
  languages: { c: new GranuleLanguage('c'), cpp: new GranuleLanguage('cpp') },
  rules: eslintRules,
  configs: {} as { recommended: Linter.Config[]; strict: Linter.Config[] },
};

/** Each rule at its default level; `strict` also turns on the rules that are off by default. */
function levels(strict: boolean): RuleLevels {
  return Object.fromEntries(rules.map((r) => [`granule/${r.name}`, strict && r.meta.defaultLevel === 'off' ? 'warn' : r.meta.defaultLevel]));
}

/**
 * The shared configs read the whole working directory for wrappers (`project: ["."]`), so a call of a wrapper
 * defined in another file is reported as granule's CLI reports it.
 */
function flatConfig(name: string, ruleLevels: RuleLevels): Linter.Config[] {
  const languageOptions = { project: ['.'] };
  const plugins = { granule: plugin as ESLint.Plugin };
  return [
    { name: `granule/${name}/c`, files: C_FILES, plugins, language: 'granule/c', languageOptions, rules: ruleLevels },
    { name: `granule/${name}/cpp`, files: CPP_FILES, plugins, language: 'granule/cpp', languageOptions, rules: ruleLevels },
  ];
}

plugin.configs.recommended = flatConfig('recommended', levels(false));
plugin.configs.strict = flatConfig('strict', levels(true));

export default plugin;
