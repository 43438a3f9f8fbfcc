// granule's record layout against the compilers: thousands of random record types (record-generator.ts), one C
// file compiled by x86_64- and i686-w64-mingw32-gcc with -mms-bitfields (mingw's default, MSVC's bitfield rules),
// and every sizeof, _Alignof and offsetof (of members, and of member designators: `m3.m1`, `m4[2].m0`) read back
// from the object's .data section (nothing runs). Each must equal what measure() says for the target with compiler
// 'mingw' (a designator's offset: what the evaluator's offsetof says). A disagreement prints the seed, the expression,
// both values and the record's C text; GRANULE_LAYOUT_SEED=<n> reruns a seed, GRANULE_LAYOUT_SEED=random a new one.

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Target } from '../../../src/engine/model/types.js';
import { layoutRules, measure, type LayoutRules } from '../../../src/engine/types/layout.js';
import { describeReason } from '../../../src/engine/model/reasons.js';
import { unavailable } from '../../helpers/requirements.js';
import { coffSection, readU64s } from './coff.js';
import { RecordGenerator, type Probe, type Program } from './record-generator.js';
import type { EvalEnv } from '../../../src/engine/evaluate/env.js';
import { evaluateTokens } from '../../../src/engine/evaluate/evaluate.js';
import { memberOffset } from '../../../src/engine/evaluate/type-operators.js';
import { targetModel } from '../../../src/engine/model/target.js';
import type { CType } from '../../../src/engine/types/ctype.js';
import { tokenize, type Token } from '../../../src/engine/text/tokens.js';

const RECORDS = 3000;
const SEED = seed(process.env.GRANULE_LAYOUT_SEED);
const COMPILERS: { target: Target; cc: string }[] = [
  { target: 'x64', cc: 'x86_64-w64-mingw32-gcc' },
  { target: 'x86', cc: 'i686-w64-mingw32-gcc' },
];

function seed(env: string | undefined): number {
  if (env === 'random') return Math.floor(Math.random() * 2 ** 31);
  return env ? Number(env) : 19;
}

function granuleValue(probe: Probe, rules: LayoutRules, target: Target): bigint | string {
  if (typeof probe.what === 'object' && 'designator' in probe.what) return designatorOffset(probe.type, probe.what.designator, target);
  const layout = measure(probe.type, rules);
  if ('unknown' in layout) return describeReason(layout.unknown);
  if (probe.what === 'size') return layout.size;
  if (probe.what === 'align') return layout.align;
  return layout.members.get(probe.what.member)?.offset ?? `no member ${probe.what.member}`;
}

/** offsetof(T, designator) as the evaluator measures it (evaluate/type-operators.ts), with mingw's layout. */
function designatorOffset(type: CType, designator: string, target: Target): bigint | string {
  const env: EvalEnv = { model: targetModel(target), macros: () => ({ kind: 'undefined' }), compiler: 'mingw' };
  const subscript = (tokens: readonly Token[]) => evaluateTokens(tokens, env);
  const measured = memberOffset('offsetof', type, 'T', tokenize(designator), env, (tokens) => {
    const ev = subscript(tokens);
    return ev.value.known ? { value: ev.value.value, type: ev.type! } : { unknown: ev.value.cause };
  });
  return 'unknown' in measured ? describeReason(measured.unknown) : measured.value;
}

describe.skipIf(unavailable('mingw-x64', 'mingw-x86'))('record layout agrees with mingw gcc -mms-bitfields', () => {
  let dir: string;
  let program: Program;
  const answers = new Map<Target, bigint[]>();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-layout-'));
    program = new RecordGenerator(SEED).program(RECORDS);
    const source = path.join(dir, 'records.c');
    fs.writeFileSync(source, program.text);
    await Promise.all(
      COMPILERS.map(async ({ target, cc }) => {
        const object = path.join(dir, `${target}.o`);
        await promisify(execFile)(cc, ['-mms-bitfields', '-std=gnu11', '-w', '-c', '-o', object, source]);
        const data = coffSection(fs.readFileSync(object), '.data');
        if (!data) throw new Error(`${cc} wrote no .data section`);
        answers.set(target, readU64s(data, program.probes.length));
      }),
    );
  });

  // GRANULE_LAYOUT_KEEP=1 keeps the C file and the objects, to compile a disagreement by hand
  afterAll(() => (process.env.GRANULE_LAYOUT_KEEP ? console.info(`kept ${dir}`) : fs.rmSync(dir, { recursive: true, force: true })));

  for (const { target } of COMPILERS) {
    it(`on ${target}: every sizeof, _Alignof and offsetof (seed ${SEED})`, () => {
      const expected = answers.get(target)!;
      const differences: string[] = [];
      const rules = layoutRules(target, 'mingw');
      program.probes.forEach((probe, i) => {
        const ours = granuleValue(probe, rules, target);
        if (ours !== expected[i]) {
          differences.push(`${probe.expression}: gcc ${expected[i]}, granule ${ours}\n${program.records[probe.record] ?? ''}`);
        }
      });
      console.info(`${target}: ${program.probes.length} values of ${RECORDS} records compared, ${differences.length} differ (seed ${SEED})`);
      expect(differences.slice(0, Number(process.env.GRANULE_LAYOUT_SHOW ?? 5)), `seed ${SEED}: ${differences.length} differences`).toEqual([]);
    });
  }
});
