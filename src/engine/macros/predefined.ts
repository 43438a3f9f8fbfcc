// The macros a compiler predefines for a target, as macro definitions, and the names certainly undefined there
// (other systems', other architectures', other compilers'): model/compilers.ts has the tables.

import { predefinedMacros, type Compiler } from '../model/compilers.js';
import { targetModel, type TargetModel } from '../model/target.js';
import { parseDefine, type MacroDef } from './macros.js';

export interface PredefinedTable {
  definitions: readonly MacroDef[];
  undefined: readonly string[];
  /** What another target's SDK headers define and this one's do not (_AMD64_ on x86, ...): certainly undefined here. */
  otherTargets: readonly string[];
  /** What the SDK headers derive from the target (TargetModel.predefined), parsed. */
  sdk: readonly MacroDef[];
}

// eslint-disable-next-line no-restricted-syntax -- a cache: one table per (target model, compiler, language), at most 27, built from constants
const cache = new Map<string, PredefinedTable>();

export function predefinedTable(model: TargetModel, compiler: Compiler, cplusplus: boolean | undefined): PredefinedTable {
  const key = `${model.name}/${compiler}/${String(cplusplus)}`;
  let table = cache.get(key);
  if (table) return table;
  const macros = predefinedMacros(model.name, compiler, cplusplus);
  const definitions = macros.definitions.flatMap((text) => parseDefine(text, '<built-in>', 0) ?? []);
  // what the Windows SDK headers define from the target (model.predefined) is not the compiler's to undefine
  const undefinedNames = macros.undefined.filter((name) => !(name in model.predefined));
  const otherTargets = (['x64', 'x86', 'arm64'] as const).flatMap((other) =>
    Object.keys(targetModel(other).predefined).filter((name) => !(name in model.predefined)),
  );
  const sdk = Object.entries(model.predefined).flatMap(([name, value]) => parseDefine(`${name} ${value}`, '<built-in>', 0) ?? []);
  cache.set(key, (table = { definitions, undefined: undefinedNames, otherTargets, sdk }));
  return table;
}
