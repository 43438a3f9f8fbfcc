// Finding the wrappers a file defines: functions with a call whose size, flags or address depends on one of
// their parameters. A wrapper is the function, its parameters and the calls (recipes) that reach an API; calls
// of it elsewhere instantiate those recipes with the caller's argument values.

import { apiModel } from '../model/apis.js';
import { parametersIn } from '../model/reasons.js';
import type { EvidenceStep } from '../model/types.js';
import type { SyntaxNode } from '../parse/parse.js';
import type { AllocationCall, ArgBinding, CallRecipe, FoundCall, WrapperModel, WrapperReach } from './facts.js';
import type { FileIndex } from './file-index.js';
import type { NameResolver, Scope } from './names.js';
import type { Linkage } from './linkage.js';
import { enclosingClassName, functionName, functionParams, inAnonymousNamespace, isInClass, isStatic } from './syntax.js';

/** Only functions named by a plain (maybe qualified) identifier become wrappers: not operators or specialisations. */
const PLAIN_FUNCTION_NAME = /^[\w$:~]+$/;
const HEADER_EXTENSION = /\.(?:h|hh|hpp|hxx|h\+\+|inl|ipp|tpp)$/i;

/** Evaluates one of the wrapper's recipes with its parameters bound (CallEvaluator.realize, with the file's project). */
export type Instantiate = (recipe: CallRecipe, scope: Scope, stack: readonly WrapperModel[]) => FoundCall[];

/** The functions of `calls` whose calls depend on a parameter, as wrappers. */
export function findWrappers(
  calls: readonly FoundCall[],
  index: FileIndex,
  names: NameResolver,
  instantiate: Instantiate,
  callerText: (recipe: CallRecipe, scope: Scope) => string,
  linkage: Linkage,
): WrapperModel[] {
  const byFunction = new Map<number, { fn: SyntaxNode; name: string; recipes: Map<CallRecipe, Set<number>> }>();
  for (const call of calls) {
    // the reasons first: most calls depend on no parameter, and need no look at their function
    const mentions = [call.size.value, call.flags?.value, call.address?.value].flatMap((v) => (v && !v.known ? parametersIn(v.cause) : []));
    if (mentions.length === 0) continue;
    const fn = index.enclosingFunction(call.recipe.site.start);
    if (!fn || fn.type !== 'function_definition') continue;
    const name = functionName(fn, index.parsedText);
    if (!name) continue;
    const params = functionParams(fn, index.parsedText).map((p) => p.name);
    const depends = mentions.filter((m) => m.fn === name && PLAIN_FUNCTION_NAME.test(name) && params.includes(m.parameter));
    if (depends.length === 0) continue;
    let entry = byFunction.get(fn.startIndex);
    if (!entry) byFunction.set(fn.startIndex, (entry = { fn, name, recipes: new Map() }));
    let parameters = entry.recipes.get(call.recipe);
    if (!parameters) entry.recipes.set(call.recipe, (parameters = new Set()));
    for (const m of depends) parameters.add(params.indexOf(m.parameter));
  }
  const wrappers: WrapperModel[] = [];
  for (const { fn, name, recipes } of byFunction.values()) {
    const shortName = name.split('::').pop()!;
    // the API's own implementation (Wine's kernelbase defines VirtualAlloc): its callers are API calls already
    if (apiModel(shortName)) continue;
    const reaches = [...recipes].map(([recipe, parameters]): WrapperReach => ({ ...reachOf(recipe), parameters: [...parameters].sort((a, b) => a - b) }));
    wrappers.push(wrapperOf(fn, name, shortName, [...recipes.keys()], reaches, index, names, instantiate, callerText, linkage));
  }
  return wrappers;
}

/** What a recipe calls. */
function reachOf(recipe: CallRecipe): Omit<WrapperReach, 'parameters'> {
  const { target } = recipe;
  if (target.kind === 'api') return { kind: 'api', callee: target.model.name };
  if (target.kind === 'wrapper') return { kind: 'wrapper', callee: target.name };
  return { kind: 'declared', callee: target.wrapper.name };
}

function wrapperOf(
  fn: SyntaxNode,
  name: string,
  shortName: string,
  recipes: readonly CallRecipe[],
  reaches: readonly WrapperReach[],
  index: FileIndex,
  names: NameResolver,
  instantiate: Instantiate,
  callerText: (recipe: CallRecipe, scope: Scope) => string,
  linkage: Linkage,
): WrapperModel {
  const text = index.parsedText;
  const params = functionParams(fn, text);
  const header = HEADER_EXTENSION.test(index.file);
  return {
    name: shortName,
    params: params.map((p) => p.name),
    file: index.file,
    range: index.range(fn.startIndex, fn.endIndex),
    fileLocal: !header && (isStatic(fn, text) || inAnonymousNamespace(fn)),
    header,
    project: linkage.project,
    declaredIn: header ? [] : linkage.declaringHeaders(shortName),
    member: name.includes('::') || isInClass(fn),
    className: name.includes('::') ? name.split('::').slice(-2, -1)[0] : enclosingClassName(fn, text),
    reaches,
    instantiate: (args, stack) => {
      const scope = new Map<string, ArgBinding>();
      params.forEach((p, i) => {
        if (!p.name) return;
        const a = args[i];
        scope.set(p.name, a ? convertArgument(a, p.type, names) : { value: { unknown: { kind: 'argument-not-given', position: i + 1, fn: shortName } } });
      });
      const out: AllocationCall[] = [];
      for (const recipe of recipes) {
        for (const call of instantiate(recipe, scope, stack)) {
          if (recipe.target.kind === 'wrapper') out.push(call);
          else {
            const step: EvidenceStep = { file: index.file, range: recipe.base.range, kind: 'call', message: `${callerText(recipe, scope)} calls ${call.api}` };
            out.push({ ...call, evidence: [step, ...call.evidence] });
          }
        }
      }
      return out;
    },
  };
}

/** A caller's value converted to the parameter's declared type, as the call does. */
function convertArgument(arg: ArgBinding, typeText: string, names: NameResolver): ArgBinding {
  if ('unknown' in arg.value) return arg;
  const type = names.typeOf(typeText).type;
  if (!type || type.name === 'pointer') return arg;
  const value = type.unsigned ? BigInt.asUintN(type.bits, arg.value.value) : BigInt.asIntN(type.bits, arg.value.value);
  return { value: { value, type }, origin: value === arg.value.value ? arg.origin : undefined };
}
