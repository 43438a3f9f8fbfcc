// Property: a config from a stranger's repository, whatever its text or its data, is either read or refused with
// a ConfigError that names the key at fault. It never throws anything else (a TypeError would be an internal
// error), never takes exponential time, and never reaches a prototype. GRANULE_FUZZ_RUNS raises the count.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { parseJsonText } from '../../src/config/json.js';
import { CONFIG_KEYS, DataError, validateConfigData } from '../../src/config/schema.js';

const RUNS = Number(process.env.GRANULE_FUZZ_RUNS ?? 60) * 20;
const SEED = process.env.GRANULE_FUZZ_SEED !== undefined ? Number(process.env.GRANULE_FUZZ_SEED) : 20261207;

const RULES = ['virtualalloc-granularity', 'large-page-size', 'mapview-granularity', 'unresolved-allocation-size', 'no-such-rule', '__proto__'];
const LEVELS = ['off', 'warn', 'error', 0, 1, 2, 3, 'loud', null];
const HOSTILE_NUMBERS = [Infinity, -Infinity, 2 ** 53 + 2, -0, 4096, 0, -1, 1.5, Number.MAX_SAFE_INTEGER];

/** Config data shaped like a real one, with every value free to be wrong. */
const configData = fc.dictionary(
  fc.oneof(fc.constantFrom(...CONFIG_KEYS), fc.constantFrom('__proto__', 'constructor', 'prototype', '$schema'), fc.string()),
  fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.dictionary(
      fc.constantFrom(...RULES),
      fc.oneof(
        fc.constantFrom(...LEVELS),
        fc.tuple(fc.constantFrom(...LEVELS), fc.dictionary(fc.constantFrom('largePageMinimum', 'x'), fc.constantFrom(...HOSTILE_NUMBERS))),
      ),
    ),
    fc.array(fc.oneof(fc.string(), fc.record({ name: fc.string(), sizeArg: fc.constantFrom(...HOSTILE_NUMBERS) }))),
  ),
);

function readOrRefuse(data: unknown): void {
  try {
    validateConfigData(data);
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    expect(e.message.length).toBeGreaterThan(0);
  }
}

describe('configs from a hostile repository', () => {
  it('as data: read, or refused with a DataError', () => {
    fc.assert(
      fc.property(configData, (data) => readOrRefuse(data)),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('as text: JSON with comments, mutated, is parsed or refused with a ConfigError, and nothing reaches a prototype', () => {
    const text = fc
      .tuple(
        configData,
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('/*', '*/', '//', '"', '\\', '\n', '{', '}', '[', ']', ',', ':', '\u0000', '\ufeff', '__proto__')), {
          maxLength: 6,
        }),
      )
      .map(([data, edits]) => {
        let s = JSON.stringify(data);
        for (const [at, piece] of edits) {
          const i = at % (s.length + 1);
          s = s.slice(0, i) + piece + s.slice(i);
        }
        return s;
      });
    fc.assert(
      fc.property(text, (s) => {
        let data: unknown;
        try {
          data = parseJsonText('granule.config.json', s, { comments: true });
        } catch (e) {
          if (!(e instanceof ConfigError)) throw e;
          return;
        }
        readOrRefuse(data);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
