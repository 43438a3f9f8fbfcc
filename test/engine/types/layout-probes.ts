// What granule answers for a probe of the differential tests (record-generator.ts): measure() for sizeof,
// _Alignof and a member's offset, the evaluator's offsetof for a member designator, under the rules' target and
// compiler. An unknown answers with its reason's text, which never equals a compiler's number.

import type { EvalEnv } from '../../../src/engine/evaluate/env.js';
import { evaluateTokens } from '../../../src/engine/evaluate/evaluate.js';
import { memberOffset } from '../../../src/engine/evaluate/type-operators.js';
import { describeReason } from '../../../src/engine/model/reasons.js';
import { targetModel } from '../../../src/engine/model/target.js';
import { tokenize, type Token } from '../../../src/engine/text/tokens.js';
import type { CType } from '../../../src/engine/types/ctype.js';
import { measure, type LayoutRules } from '../../../src/engine/types/layout.js';
import type { Probe, Program } from './record-generator.js';

export function granuleValue(probe: Probe, rules: LayoutRules): bigint | string {
  if (typeof probe.what === 'object' && 'designator' in probe.what) return designatorOffset(probe.type, probe.what.designator, rules);
  const layout = measure(probe.type, rules);
  if ('unknown' in layout) return describeReason(layout.unknown);
  if (probe.what === 'size') return layout.size;
  if (probe.what === 'align') return layout.align;
  return layout.members.get(probe.what.member)?.offset ?? `no member ${probe.what.member}`;
}

/** offsetof(T, designator) as the evaluator measures it (evaluate/type-operators.ts). */
function designatorOffset(type: CType, designator: string, rules: LayoutRules): bigint | string {
  const env: EvalEnv = { model: targetModel(rules.target), macros: () => ({ kind: 'undefined' }), compiler: rules.compiler };
  const subscript = (tokens: readonly Token[]) => evaluateTokens(tokens, env);
  const measured = memberOffset('offsetof', type, 'T', tokenize(designator), env, (tokens) => {
    const ev = subscript(tokens);
    return ev.value.known ? { value: ev.value.value, type: ev.type! } : { unknown: ev.value.cause };
  });
  return 'unknown' in measured ? describeReason(measured.unknown) : measured.value;
}

/** Each probe whose value granule and the compiler (`expected`, in probe order) disagree on, with the record's C text. */
export function disagreements(program: Program, expected: readonly bigint[], rules: LayoutRules, compiler: string): string[] {
  const differences: string[] = [];
  program.probes.forEach((probe, i) => {
    const ours = granuleValue(probe, rules);
    if (ours !== expected[i]) differences.push(`${probe.expression}: ${compiler} ${expected[i]}, granule ${ours}\n${program.records[probe.record] ?? ''}`);
  });
  return differences;
}

/** GRANULE_LAYOUT_SEED: a number reruns that seed, `random` draws a new one; `fallback` otherwise. */
export function layoutSeed(fallback: number): number {
  const env = process.env.GRANULE_LAYOUT_SEED;
  if (env === 'random') return Math.floor(Math.random() * 2 ** 31);
  return env ? Number(env) : fallback;
}
