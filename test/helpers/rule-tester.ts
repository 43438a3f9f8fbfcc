// ESLint's RuleTester wired to vitest, with granule's languages: what test/rules/<rule-id>.test.ts runs each rule's
// cases through (the rule module from src/rules itself, as @eslint/json's tests do), and test/eslint the plugin's.

import { RuleTester } from 'eslint';
import { afterAll, describe, it } from 'vitest';
import granule from '../../src/eslint/index.js';
import type { GranuleRule } from '../../src/rules/create-rule.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;
RuleTester.afterAll = afterAll;

/** Cases in C (`granule/c`, x64 unless a case's languageOptions say otherwise). */
export const c = new RuleTester({ plugins: { granule: granule as any }, language: 'granule/c' });

/** Cases in C++ (`granule/cpp`). */
export const cpp = new RuleTester({ plugins: { granule: granule as any }, language: 'granule/cpp' });

/** A rule spec from src/rules as RuleTester takes it (a granule rule is an ESLint rule for granule's languages). */
export const asTested = (rule: GranuleRule<string, any[]>) => rule as any;

/** Every case starts with the header the real code includes (granule knows its names without reading it). */
export const HEAD = '#include <windows.h>\n';
