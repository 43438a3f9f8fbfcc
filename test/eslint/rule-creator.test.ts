// granule's own RuleCreator (src/rules/rule-creator.ts, what the CLI and the language server run) against
// typescript-eslint's (what the ESLint plugin runs): the same rule objects from the same specs, and the same
// options handed to `create` for any default and user options. And the plugin's one line when the package is
// missing.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ruleSpec } from '../../src/rules/create-rule.js';
import { rules } from '../../src/rules/index.js';
import { RuleCreator } from '../../src/rules/rule-creator.js';
import { MISSING_RULE_HELPER, typescriptEslintRuleCreator } from '../../src/eslint/rule-creator.js';
import { eslintRules } from '../../src/eslint/rules.js';

const upstream = (createRequire(import.meta.url)('@typescript-eslint/utils/eslint-utils') as { RuleCreator: typeof RuleCreator }).RuleCreator;
const url = (name: string) => `https://example.test/${name}.md`;

/** The options `create` receives from a rule made by `creator` with these defaults, given these user options. */
function optionsSeen(creator: typeof RuleCreator, defaults: unknown[], user: unknown[] | undefined, inMeta: boolean): unknown[] {
  let seen: unknown[] = [];
  const rule = creator(url)({
    name: 'probe',
    meta: inMeta ? { docs: {}, defaultOptions: defaults } : { docs: {} },
    ...(inMeta ? {} : { defaultOptions: defaults }),
    create: (_context: unknown, options: unknown[]) => {
      seen = options;
      return {};
    },
  });
  rule.create({ options: user } as never);
  return seen;
}

describe('granule RuleCreator and typescript-eslint RuleCreator', () => {
  it('make the same rule from every spec: name, meta with the docs URL, defaultOptions', () => {
    const theirs = typescriptEslintRuleCreator();
    for (const rule of rules) {
      const made = theirs(ruleSpec(rule));
      expect(Object.keys(rule).sort(), rule.name).toEqual(Object.keys(made).sort());
      expect(rule.name).toBe(made.name);
      expect(rule.meta).toEqual(made.meta);
      expect(rule.meta.docs.url).toBe(`https://github.com/granule-lint/granule/blob/main/docs/rules/${rule.name}.md`);
      expect(eslintRules[rule.name]!.meta).toEqual(rule.meta);
    }
  });

  it('merge options the same way on examples that matter', () => {
    const cases: [unknown[], unknown[] | undefined][] = [
      [[{ largePageMinimum: 2097152 }], undefined],
      [[{ largePageMinimum: 2097152 }], []],
      [[{ largePageMinimum: 2097152 }], [{ largePageMinimum: 1048576 }]],
      [[{ a: { x: 1, y: 2 }, list: [1, 2] }], [{ a: { y: 3 }, list: [9] }]],
      [
        [{ a: 1 }, 'two'],
        [undefined, 'three', 'extra'],
      ],
      [[{ a: 1 }], ['not an object']],
      [['text'], [{ now: 'an object' }]],
    ];
    for (const [defaults, user] of cases) {
      for (const inMeta of [true, false]) {
        expect(optionsSeen(RuleCreator, defaults, user, inMeta)).toEqual(optionsSeen(upstream, defaults, user, inMeta));
      }
    }
    expect(optionsSeen(RuleCreator, [{ a: { x: 1, y: 2 } }], [{ a: { y: 3 }, b: true }], true)).toEqual([{ a: { x: 1, y: 3 }, b: true }]);
  });

  it('merge any JSON options the same way, and never hand out the defaults themselves', () => {
    const options = fc.array(fc.oneof(fc.constant(undefined), fc.jsonValue()), { maxLength: 4 });
    fc.assert(
      fc.property(options, fc.option(options, { nil: undefined }), (defaults, user) => {
        const frozen = JSON.stringify(defaults);
        const ours = optionsSeen(RuleCreator, defaults, user, true);
        expect(ours).toEqual(optionsSeen(upstream, defaults, user, true));
        expect(JSON.stringify(defaults)).toBe(frozen);
      }),
      { numRuns: 300 },
    );
  });

  it('the ESLint plugin without @typescript-eslint/utils: one line naming the install command', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-no-rule-helper-'));
    const from = pathToFileURL(path.join(dir, 'index.js')).href;
    expect(() => typescriptEslintRuleCreator(from)).toThrow(new Error(MISSING_RULE_HELPER));
    expect(MISSING_RULE_HELPER).toBe(
      'granule/eslint needs @typescript-eslint/utils (an optional peer dependency of granule): npm install --save-dev @typescript-eslint/utils',
    );
  });
});
