// Evaluating a call found in the file: its size, flags, address and offset arguments for an API, the
// configuration's declared wrappers, and the calls a wrapper makes with the caller's argument values. The values
// of a wrapper's parameters (the scope) are passed in; nothing here changes between calls.

import { apiModel, type ApiModel } from '../model/apis.js';
import type { Evaluation } from '../evaluate/evaluate.js';
import { LLONG } from '../model/target.js';
import { unknownValue, type EvidenceStep, type Value } from '../model/types.js';
import { MEM_LARGE_PAGES, reserves } from '../model/windows-memory.js';
import { tokensToText, type Token } from '../text/tokens.js';
import type { ArgBinding, ArgValue, CallRecipe, DeclaredWrapper, FoundCall, Lifetime, LifetimeKind, ProjectFacts, Provenance, WrapperModel } from './facts.js';
import type { FileIndex } from './file-index.js';
import { NO_PROVENANCE, provenanceOf, type NameResolver, type Scope } from './names.js';
import { PathValueFinder, type PathValue } from './path-values.js';
import { isClassTemplateConstructor, type WrapperLookup } from './wrapper-lookup.js';
import type { Lifetimes } from './lifetime.js';

const MAX_WRAPPER_DEPTH = 8;
/** Calls one wrapper call may expand to (a wrapper calling wrappers calling wrappers...). */
const MAX_EXPANSIONS = 64;

/** The calls a recipe gives and what evaluating it read (even when it gives none). */
export interface Realized {
  calls: FoundCall[];
  from: Provenance;
}

export class CallEvaluator {
  constructor(
    private readonly index: FileIndex,
    private readonly names: NameResolver,
    private readonly wrappers: WrapperLookup,
    private readonly lifetimes: Lifetimes,
  ) {}

  /** Evaluates a recipe: in `scope`, the parameters of its function take the given values (a wrapper's instantiation). */
  realize(recipe: CallRecipe, scope: Scope, stack: readonly WrapperModel[], project: ProjectFacts): Realized {
    switch (recipe.target.kind) {
      case 'api': {
        const call = this.buildCall(recipe, recipe.target.model, scope);
        return { calls: [call], from: call.resolvedFrom };
      }
      case 'declared': {
        const call = this.buildDeclared(recipe, recipe.target.wrapper, scope);
        return { calls: [call], from: call.resolvedFrom };
      }
      case 'wrapper':
        return this.realizeWrapperCall(recipe, recipe.target.name, recipe.target.member, scope, stack, project);
    }
  }

  private realizeWrapperCall(recipe: CallRecipe, name: string, member: boolean, scope: Scope, stack: readonly WrapperModel[], project: ProjectFacts): Realized {
    const { wrapper, read } = this.wrappers.wrapperFor(name, member, recipe.site, project);
    if (!wrapper || stack.includes(wrapper) || stack.length >= MAX_WRAPPER_DEPTH) return { calls: [], from: provenanceOf([], read) };
    if (wrapper.pointer) return this.pointerCall(recipe, wrapper.pointer, scope, read);
    const bound = recipe.args.map((a) => this.bindArgument(a, recipe, scope));
    // a member of a class template takes the class's arguments, written where the call names the class, else
    // where its object is declared (WrapperLookup.classArgumentsOf)
    const classRead: string[] = [];
    const fromObject = () => this.wrappers.classArgumentsOf(wrapper, recipe.site, classRead)?.map((tokens) => ({ tokens }));
    const written = wrapper.classTemplateParams
      ? (recipe.classArgs ?? (isClassTemplateConstructor(wrapper) ? recipe.templateArgs : undefined) ?? fromObject())
      : recipe.templateArgs;
    const boundTemplate = (written ?? []).map((a) => this.bindArgument(a, recipe, scope));
    const args = bound.map((b) => b.binding);
    // (none known: each is not given, and no default stands in for it)
    const templateArgs =
      wrapper.classTemplateParams && !written
        ? (wrapper.templateParams ?? []).map((_, i) => notGiven(i, wrapper.className ?? wrapper.name))
        : boundTemplate.map((b) => b.binding);
    const from = provenanceOf(
      [...bound, ...boundTemplate].map((b) => b.from),
      [...read, ...classRead],
    );
    const inner = wrapper.instantiate(args, [...stack, wrapper], templateArgs);
    const listed = (values: readonly ArgBinding[]) => values.map((a) => ('unknown' in a.value ? '?' : a.value.value.toString())).join(', ');
    const step: EvidenceStep = {
      file: this.index.file,
      range: recipe.base.range,
      kind: 'wrapper',
      message: `${callerText(recipe, scope)} calls ${calledName(wrapper, written ? listed(templateArgs) : undefined)}(${listed(args)})`,
    };
    const out: FoundCall[] = [];
    const seen = new Map<string, number>();
    for (const call of inner) {
      // a wrapper with several calls of the same kind (a fallback path, a retry) gives the caller one finding
      // (an unproven size only ever gives the same unresolved-size report, whatever the flags)
      const large = call.flags?.value.known ? String(call.flags.value.value & MEM_LARGE_PAGES) : '?';
      const key =
        call.family === 'free'
          ? `${call.api}|${valueKey(call.size.value)}|${valueKey(call.flags?.value)}`
          : call.size.value.known
            ? `${call.api}|${call.size.value.value}|${large}|${call.reserves}|${valueKey(call.offset?.value)}`
            : `${call.api}|${valueKey(call.size.value)}|${call.reserves !== false}|${valueKey(call.offset?.value)}`;
      // a wrapper that returns the address: what the caller does with the result decides
      const lifetime = call.lifetime?.reason === 'returned' ? this.lifetimes.ofReturned(recipe.site) : call.lifetime;
      const before = seen.get(key);
      if (before !== undefined) {
        // one finding per kind of call: it lives as long as the longest-lived of them
        out[before] = { ...out[before]!, lifetime: longerLived(out[before]!.lifetime, lifetime) };
        continue;
      }
      seen.set(key, out.length);
      out.push({
        ...call,
        lifetime,
        ...recipe.base,
        loc: this.index.loc(recipe.base.range),
        callee: recipe.callee,
        evidence: [...recipe.evidence, step, ...call.evidence],
        recipe,
        resolvedFrom: from,
      });
      if (out.length >= MAX_EXPANSIONS) break;
    }
    return { calls: out, from };
  }

  /**
   * A call through another file's global pointer (WrapperModel.pointer): the API's call with the caller's
   * arguments, and where that file stores the API in the pointer as its evidence, as for a pointer of this file.
   */
  private pointerCall(recipe: CallRecipe, pointer: NonNullable<WrapperModel['pointer']>, scope: Scope, read: string[]): Realized {
    const model = apiModel(pointer.api);
    if (!model) return { calls: [], from: provenanceOf([], read) };
    const call = this.buildCall({ ...recipe, target: { kind: 'api', model }, evidence: [...recipe.evidence, pointer.origin] }, model, scope);
    const from = provenanceOf([call.resolvedFrom], read);
    return { calls: [{ ...call, resolvedFrom: from }], from };
  }

  private bindArgument(arg: CallRecipe['args'][number], recipe: CallRecipe, scope: Scope): { binding: ArgBinding; from: Provenance } {
    const ev = this.names.evaluate(arg.tokens, recipe.site.start, recipe.line, scope, recipe.site.node);
    const value: ArgBinding['value'] = ev.value.known ? { value: ev.value.value, type: ev.type ?? LLONG } : { unknown: ev.value.cause };
    if (!scope) {
      return {
        binding: { value, origin: arg.range ? { range: arg.range, text: tokensToText(arg.tokens), macros: ev.expansions.map((e) => e.name) } : undefined },
        from: ev.from,
      };
    }
    return { binding: { value, origin: passedThrough(arg.tokens, ev, scope) }, from: ev.from };
  }

  private buildCall(recipe: CallRecipe, model: ApiModel, scope: Scope): FoundCall {
    const { args, site, line, base } = recipe;
    const used: Provenance[] = [];
    const sizeNotes: string[] = [];
    const arg = (index: number | undefined, pointee = false): ArgValue | undefined => {
      if (index === undefined) return undefined;
      const a = args[index];
      if (!a) return { value: unknownValue({ kind: 'missing-argument', position: index + 1 }), text: '', macros: [] };
      let tokens = a.tokens;
      if (pointee) {
        const inner = stripAddressOf(tokens);
        if (!inner) return { value: unknownValue({ kind: 'not-an-address', position: index + 1 }), text: tokensToText(tokens), macros: [] };
        tokens = inner;
      }
      const ev = this.names.evaluate(tokens, site.start, line, scope, site.node);
      used.push(ev.from);
      // a member assigned just before the call (`ctx->base = NULL;`) holds that value at the call
      const assigned =
        !ev.value.known && ev.value.cause.kind === 'member' && site.node
          ? this.finder(site, scope).memberAssignedBefore(tokensToText(tokens), site.node)
          : undefined;
      if (assigned?.known) return { value: assigned, text: tokensToText(a.tokens), macros: [] };
      if (index === model.size && ev.sizes) sizeNotes.push(...ev.sizes);
      if (index === model.size && !ev.value.known) {
        const onPaths = this.pathSizes(tokens, site, scope);
        if (onPaths) return { ...onPaths, text: tokensToText(a.tokens), macros: [] };
      }
      if (scope) {
        // inside a wrapper: a parameter passed straight through is written at the outermost caller
        const origin = pointee ? undefined : passedThrough(tokens, ev, scope);
        return origin
          ? { value: ev.value, text: origin.text, sourceRange: origin.range, macros: origin.macros }
          : { value: ev.value, text: tokensToText(a.tokens), macros: ev.expansions.map((e) => e.name) };
      }
      return { value: ev.value, text: tokensToText(a.tokens), sourceRange: pointee ? undefined : a.range, macros: ev.expansions.map((e) => e.name) };
    };
    const size = arg(model.size, model.byPointer)!;
    const flags = arg(model.flags);
    const address = arg(model.address, model.byPointer);
    const offset =
      model.offset !== undefined ? arg(model.offset) : model.offsetLow !== undefined ? splitOffset(arg(model.offsetHigh)!, arg(model.offsetLow)!) : undefined;
    const macroSteps: EvidenceStep[] = size.macros.length
      ? [{ file: this.index.file, range: base.range, kind: 'value', message: `size ${size.text} expands through ${size.macros.join(' → ')}` }]
      : [];
    // how each sizeof, alignof or offsetof in the size was measured
    for (const note of sizeNotes) macroSteps.push({ file: this.index.file, range: base.range, kind: 'value', message: note });
    // each path of a size that depends on it, at the condition that decides it
    for (const p of size.paths ?? [])
      macroSteps.push({ file: this.index.file, range: p.at ? this.index.range(p.at[0], p.at[1]) : base.range, kind: 'path', message: describePath(p) });
    return {
      type: 'AllocationCall',
      api: model.name,
      family: model.family,
      callee: recipe.callee,
      ...base,
      loc: this.index.loc(base.range),
      size,
      flags,
      address,
      offset,
      reserves: model.family === 'reserve' ? reserves(flags?.value, address?.value) : undefined,
      ...(model.family === 'free'
        ? { freed: recipe.callee === model.name ? this.lifetimes.freed(site, model.name === 'VirtualFreeEx' ? 1 : 0) : undefined }
        : { lifetime: model.byPointer && model.address !== undefined ? this.lifetimes.ofWritten(site, model.address) : this.lifetimes.ofReturned(site) }),
      evidence: [...recipe.evidence, ...macroSteps],
      recipe,
      resolvedFrom: provenanceOf(used),
    };
  }

  private finder(site: CallRecipe['site'], scope: Scope): PathValueFinder {
    return new PathValueFinder(
      this.index.parsedText,
      (t, offset) => this.names.evaluate(t, offset, this.index.lines.position(offset).line, scope, offset === site.start ? site.node : undefined).value,
    );
  }

  /**
   * A size whose value depends on the path to the call (`c ? 65536 : 4096`, a local set in `if`/`else` branches):
   * known when every path gives the same value, else unknown with each path's value; undefined when a path is unknown.
   */
  private pathSizes(tokens: readonly Token[], site: CallRecipe['site'], scope: Scope): Pick<ArgValue, 'value' | 'paths'> | undefined {
    const finder = new PathValueFinder(
      this.index.parsedText,
      (t, offset) => this.names.evaluate(t, offset, this.index.lines.position(offset).line, scope, offset === site.start ? site.node : undefined).value,
    );
    const found = finder.valuesOf(tokens, site.start, site.node);
    if ('unknown' in found) return found.unknown.kind === 'too-many-paths' ? { value: unknownValue(found.unknown) } : undefined;
    const distinct: PathValue[] = [];
    for (const p of found.paths) if (!distinct.some((d) => d.value === p.value)) distinct.push(p);
    if (distinct.length === 1) return { value: { known: true, value: distinct[0]!.value } };
    return { value: unknownValue({ kind: 'depends-on-path', values: distinct.map((d) => d.value) }), paths: distinct };
  }

  /** A call of a wrapper the configuration declares: it reserves its `sizeArg` argument's bytes. */
  private buildDeclared(recipe: CallRecipe, declared: DeclaredWrapper, scope: Scope): FoundCall {
    const a = recipe.args[declared.sizeArg];
    let size: ArgValue;
    let from = NO_PROVENANCE;
    if (!a) size = { value: unknownValue({ kind: 'missing-argument', position: declared.sizeArg + 1 }), text: '', macros: [] };
    else {
      const ev = this.names.evaluate(a.tokens, recipe.site.start, recipe.line, scope, recipe.site.node);
      from = ev.from;
      const origin = scope
        ? passedThrough(a.tokens, ev, scope)
        : a.range
          ? { range: a.range, text: tokensToText(a.tokens), macros: ev.expansions.map((e) => e.name) }
          : undefined;
      size = {
        value: ev.value,
        text: origin?.text ?? tokensToText(a.tokens),
        sourceRange: origin?.range,
        macros: origin?.macros ?? ev.expansions.map((e) => e.name),
      };
    }
    const step: EvidenceStep = {
      file: this.index.file,
      range: recipe.base.range,
      kind: 'wrapper',
      message: `${declared.name} is declared a reserving wrapper in the configuration (size: argument ${declared.sizeArg + 1})`,
    };
    return {
      type: 'AllocationCall',
      api: declared.name,
      family: 'reserve',
      callee: recipe.callee,
      ...recipe.base,
      loc: this.index.loc(recipe.base.range),
      size,
      reserves: true,
      lifetime: this.lifetimes.ofReturned(recipe.site),
      evidence: [...recipe.evidence, step],
      recipe,
      resolvedFrom: from,
    };
  }
}

function notGiven(i: number, fn: string): ArgBinding {
  return { value: { unknown: { kind: 'template-argument-not-given', position: i + 1, fn } } };
}

/**
 * The wrapper as the call names it, with the template arguments it binds: `reserve<4096>`, a class template's
 * constructor `Arena<4096>`, its static member `Pool<4096>::create`.
 */
function calledName(wrapper: WrapperModel, templateArgs: string | undefined): string {
  if (templateArgs === undefined) return wrapper.name;
  if (!wrapper.classTemplateParams || !wrapper.className || wrapper.className === wrapper.name) return `${wrapper.name}<${templateArgs}>`;
  return `${wrapper.className}<${templateArgs}>::${wrapper.name}`;
}

/** "when c is false: 4096 bytes". */
export function describePath(p: PathValue): string {
  return `when ${p.when.join(' and ')}: ${p.value} byte${p.value === 1n ? '' : 's'}`;
}

/** "main", "file scope", or inside an instantiated wrapper "make_arena(n = 3)". */
export function callerText(recipe: CallRecipe, scope: Scope): string {
  const fn = recipe.base.enclosingFunction;
  if (!scope) return fn || 'file scope';
  return `${fn}(${[...scope].map(([k, v]) => `${k} = ${'unknown' in v.value ? '?' : v.value.value}`).join(', ')})`;
}

/** A 64-bit file offset passed as two 32-bit halves. */
function splitOffset(hi: ArgValue, lo: ArgValue): ArgValue {
  return hi.value.known && lo.value.known
    ? {
        value: { known: true, value: ((hi.value.value & 0xffffffffn) << 32n) | (lo.value.value & 0xffffffffn) },
        text: `${hi.text}:${lo.text}`,
        macros: [...hi.macros, ...lo.macros],
      }
    : { value: hi.value.known ? lo.value : hi.value, text: `${hi.text}:${lo.text}`, macros: [] };
}

/** Where the caller wrote an argument, when `tokens` is a parameter passed straight through (its value unchanged). */
function passedThrough(tokens: readonly Token[], ev: Evaluation, scope: NonNullable<Scope>): ArgBinding['origin'] {
  if (tokens.length !== 1 || tokens[0]!.kind !== 'ident' || !ev.value.known) return undefined;
  const bound = scope.get(tokens[0]!.text);
  if (!bound?.origin || 'unknown' in bound.value || bound.value.value !== ev.value.value) return undefined;
  return bound.origin;
}

const LIFETIME_ORDER: readonly LifetimeKind[] = ['transient', 'unknown', 'escapes'];

/** Of two lifetimes of calls folded into one finding, the one that holds the address space longer. */
function longerLived(a: Lifetime | undefined, b: Lifetime | undefined): Lifetime | undefined {
  if (!a || !b) return undefined;
  return LIFETIME_ORDER.indexOf(b.kind) > LIFETIME_ORDER.indexOf(a.kind) ? b : a;
}

function valueKey(v: Value | undefined): string {
  return !v ? '-' : v.known ? v.value.toString() : `? ${v.reason}`;
}

function stripAddressOf(tokens: Token[]): Token[] | undefined {
  let t = tokens;
  while (t.length >= 2 && t[0]!.text === '(' && t[t.length - 1]!.text === ')') t = t.slice(1, -1);
  if (t[0]?.text !== '&') {
    // NULL pointer for the address argument: its pointee is not a value
    return undefined;
  }
  return t.slice(1);
}
