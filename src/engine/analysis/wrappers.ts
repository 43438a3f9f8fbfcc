// Finding the wrappers a file defines: functions with a call whose size, flags or address depends on one of
// their parameters. A wrapper is the function, its parameters and the calls (recipes) that reach an API; calls
// of it elsewhere instantiate those recipes with the caller's argument values.

import { apiModel } from '../model/apis.js';
import { parametersIn } from '../model/reasons.js';
import type { EvidenceStep } from '../model/types.js';
import { LLONG } from '../model/target.js';
import { tokenize } from '../text/tokens.js';
import { ALLOCATION_GRANULARITY, unusableBytes, usesLargePages } from '../model/windows-memory.js';
import type { SyntaxNode } from '../parse/parse.js';
import type { AllocationCall, ArgBinding, CallRecipe, FoundCall, RootCause, WrapperModel, WrapperReach } from './facts.js';
import type { FileIndex } from './file-index.js';
import type { NameResolver, Scope } from './names.js';
import type { Linkage } from './linkage.js';
import { enclosingClassName, functionName, functionParams, inAnonymousNamespace, isInClass, isStatic, templateParams } from './syntax.js';

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
  const byFunction = new Map<number, { fn: SyntaxNode; name: string; recipes: Map<CallRecipe, Set<number>>; sizes: Map<CallRecipe, Set<number>> }>();
  for (const call of calls) {
    // the reasons first: most calls depend on no parameter, and need no look at their function
    const mentions = [call.size.value, call.flags?.value, call.address?.value].flatMap((v) => (v && !v.known ? parametersIn(v.cause) : []));
    if (mentions.length === 0) continue;
    const fn = index.enclosingFunction(call.recipe.site.start);
    if (!fn || fn.type !== 'function_definition') continue;
    const name = functionName(fn, index.parsedText);
    if (!name) continue;
    // a template's value parameters count as the function's, after its own (`template <size_t N> void *reserve()`)
    const params = [...functionParams(fn, index.parsedText), ...templateParams(fn, index.parsedText)].map((p) => p.name);
    const depends = mentions.filter((m) => m.fn === name && PLAIN_FUNCTION_NAME.test(name) && params.includes(m.parameter));
    if (depends.length === 0) continue;
    let entry = byFunction.get(fn.startIndex);
    if (!entry) byFunction.set(fn.startIndex, (entry = { fn, name, recipes: new Map(), sizes: new Map() }));
    let parameters = entry.recipes.get(call.recipe);
    if (!parameters) entry.recipes.set(call.recipe, (parameters = new Set()));
    for (const m of depends) parameters.add(params.indexOf(m.parameter));
    let sizes = entry.sizes.get(call.recipe);
    if (!sizes) entry.sizes.set(call.recipe, (sizes = sizeParameters(call.recipe, params)));
    if (!call.size.value.known)
      for (const m of parametersIn(call.size.value.cause)) if (m.fn === name && params.includes(m.parameter)) sizes.add(params.indexOf(m.parameter));
  }
  const wrappers: WrapperModel[] = [];
  for (const { fn, name, recipes, sizes } of byFunction.values()) {
    const shortName = name.split('::').pop()!;
    // the API's own implementation (Wine's kernelbase defines VirtualAlloc): its callers are API calls already
    if (apiModel(shortName)) continue;
    const reaches = [...recipes].map(([recipe, parameters]): WrapperReach => ({ ...reachOf(recipe), parameters: [...parameters].sort((a, b) => a - b) }));
    wrappers.push(wrapperOf(fn, name, shortName, [...recipes.keys()], sizes, reaches, index, names, instantiate, callerText, linkage));
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
  sizes: ReadonlyMap<CallRecipe, ReadonlySet<number>>,
  reaches: readonly WrapperReach[],
  index: FileIndex,
  names: NameResolver,
  instantiate: Instantiate,
  callerText: (recipe: CallRecipe, scope: Scope) => string,
  linkage: Linkage,
): WrapperModel {
  const text = index.parsedText;
  const params = functionParams(fn, text);
  const templated = templateParams(fn, text);
  const header = HEADER_EXTENSION.test(index.file);
  return {
    name: shortName,
    params: params.map((p) => p.name),
    ...(templated.length ? { templateParams: templated.map((p) => p.name) } : {}),
    file: index.file,
    range: index.range(fn.startIndex, fn.endIndex),
    fileLocal: !header && (isStatic(fn, text) || inAnonymousNamespace(fn)),
    header,
    project: linkage.project,
    declaredIn: header ? [] : linkage.declaringHeaders(shortName),
    member: name.includes('::') || isInClass(fn),
    className: name.includes('::') ? name.split('::').slice(-2, -1)[0] : enclosingClassName(fn, text),
    reaches,
    instantiate: (args, stack, templateArgs = []) => {
      const scope = new Map<string, ArgBinding>();
      params.forEach((p, i) => {
        if (!p.name) return;
        const a = args[i];
        scope.set(p.name, a ? convertArgument(a, p.type, names) : { value: { unknown: { kind: 'argument-not-given', position: i + 1, fn: shortName } } });
      });
      // a template argument not written at the call is the parameter's default (evaluated with the parameters
      // before it, names resolved as in the function's body), else not known (a deduced one)
      const body = fn.childForFieldName('body') ?? fn;
      templated.forEach((p, i) => {
        if (!p.name) return;
        const a = templateArgs[i] ?? (p.defaultValue ? defaultArgument(p.defaultValue, body, scope, index, names) : undefined);
        scope.set(
          p.name,
          a ? convertArgument(a, p.type, names) : { value: { unknown: { kind: 'template-argument-not-given', position: i + 1, fn: shortName } } },
        );
      });
      // the values in the order of the wrapper's parameters, the template's after the function's (see sizes)
      const values = [...params.map((_, i) => args[i]), ...templated.map((_, i) => templateArgs[i])];
      const out: AllocationCall[] = [];
      for (const recipe of recipes) {
        const aligned = granuleMultiples(values, sizes.get(recipe));
        for (const found of instantiate(recipe, scope, stack)) {
          // the caller passes multiples of 64 KB and the size still wastes: this call's arithmetic is the cause
          const call = !found.rootCause && aligned && wastes(found) ? { ...found, rootCause: rootCauseAt(found) } : found;
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

/** A template parameter's default value, given the parameters bound so far. */
function defaultArgument(value: SyntaxNode, body: SyntaxNode, scope: Scope, index: FileIndex, names: NameResolver): ArgBinding {
  const at = body.startIndex;
  const ev = names.evaluate(tokenize(index.parsedText.slice(value.startIndex, value.endIndex)), at, index.lines.position(at).line, scope);
  return { value: ev.value.known ? { value: ev.value.value, type: ev.type ?? LLONG } : { unknown: ev.value.cause } };
}

/** A caller's value converted to the parameter's declared type, as the call does. */
function convertArgument(arg: ArgBinding, typeText: string, names: NameResolver): ArgBinding {
  if ('unknown' in arg.value) return arg;
  const type = names.typeOf(typeText).type;
  if (!type || type.name === 'pointer') return arg;
  const value = type.unsigned ? BigInt.asUintN(type.bits, arg.value.value) : BigInt.asIntN(type.bits, arg.value.value);
  return { value: { value, type }, origin: value === arg.value.value ? arg.origin : undefined };
}

/**
 * The parameters a recipe's size can depend on, by the names its arguments mention: the API's size argument (or
 * the declared wrapper's), or every argument of a call of another wrapper. (More than the size needs is safe: a
 * parameter that is not a multiple of 64 KB at a caller keeps the finding at that caller.)
 */
function sizeParameters(recipe: CallRecipe, params: readonly (string | undefined)[]): Set<number> {
  const { target } = recipe;
  const position = target.kind === 'api' ? target.model.size : target.kind === 'declared' ? target.wrapper.sizeArg : undefined;
  const args = target.kind === 'wrapper' ? recipe.args : position !== undefined && recipe.args[position] ? [recipe.args[position]] : [];
  const out = new Set<number>();
  for (const a of args) for (const t of a.tokens) if (t.kind === 'ident' && params.includes(t.text)) out.add(params.indexOf(t.text));
  return out;
}

/** Whether the caller's values of `parameters` are all known multiples of 64 KB (and there is at least one). */
function granuleMultiples(args: readonly (ArgBinding | undefined)[], parameters: ReadonlySet<number> | undefined): boolean {
  if (!parameters || parameters.size === 0) return false;
  for (const i of parameters) {
    const a = args[i];
    if (!a || 'unknown' in a.value || a.value.value % ALLOCATION_GRANULARITY !== 0n) return false;
  }
  return true;
}

/** A reservation of a known size, not of large pages, that leaves part of its last 64 KB granule unusable. */
function wastes(call: AllocationCall): boolean {
  if (call.family !== 'reserve' || call.reserves !== true || !call.size.value.known || usesLargePages(call.flags?.value)) return false;
  return call.size.value.value > 0n && unusableBytes(call.size.value.value) !== 0n;
}

/** The call of a wrapper's body `call` was evaluated at, as the root cause of its waste. */
function rootCauseAt(call: AllocationCall): RootCause {
  const { file, range, loc, callText, enclosingFunction, callee, evidence } = call;
  return { file, range, loc, callText, enclosingFunction, callee, evidence };
}
