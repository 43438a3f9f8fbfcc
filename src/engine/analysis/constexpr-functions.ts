// C++ `constexpr` and `consteval` functions of the file, or of a header it includes (header-functions.ts), whose
// body is one `return` (after any `static_assert`s), evaluated in a constant expression with their arguments'
// values: with `constexpr size_t pages(size_t n) { return n * 4096; }`, `pages(3)` is 12288. The compiler folds
// exactly these in a constant expression, and their value is the same at run time; an ordinary (even inline)
// function is never evaluated: its body may read state or have effects, and a compiler does not fold it in a
// constant expression either.

import type { ClassTemplateArguments, ConstantFunction, Result, Typed } from '../evaluate/env.js';
import type { Evaluation } from '../evaluate/evaluate.js';
import type { Reason } from '../model/reasons.js';
import type { IntType } from '../model/target.js';
import type { SyntaxNode } from '../parse/parse.js';
import { tokenize, type Token } from '../text/tokens.js';
import type { ArgBinding, Provenance } from './facts.js';
import type { FileIndex } from './file-index.js';
import type { HeaderFunction } from './header-functions.js';
import { functionName, functionParams, memberOwner, returnTypeText, singleReturn, type MemberOwner } from './syntax.js';

/** Calls of constant functions nested this deep (a recursion) are refused with a reason. */
const MAX_DEPTH = 32;
/** Calls one outermost call may evaluate in all (a recursion that calls itself twice with new arguments doubles with each level). */
const MAX_CALLS = 256;

const KEYWORDS = ['constexpr', 'consteval'];

/** A constexpr function of the file or of a header it includes, as evaluating a call needs it. */
interface Definition {
  name: string;
  /** Tells definitions apart: the offset of the file's, the header and offset of a header's. */
  key: string;
  /** Where the file defines it (none for a header's). */
  spot?: number;
  /** The header that defines it, when the file does not. */
  header?: string;
  /** The class it is a member of, when a call through a class template (`Traits<3>::size()`) chooses by it. */
  owner?: MemberOwner;
  params: { name: string; type: string }[];
  /** The return type as written, when it is not a pointer or a reference. */
  returnType: string | undefined;
  /** The `return`'s expression, or undefined when the body is more than that. */
  returned: { tokens: Token[]; offset: number; line: number } | undefined;
}

/** An evaluation with what it read (NameResolver's). */
type ResolvedEvaluation = Evaluation & { from: Provenance };
/** NameResolver.evaluate: tokens written at `offset`, with the function's parameters bound in `scope`. */
type Evaluate = (tokens: readonly Token[], offset: number, line: number, scope: ReadonlyMap<string, ArgBinding>) => ResolvedEvaluation;
/** NameResolver.evaluateInHeader: tokens of a header's function, with its parameters bound in `scope`. */
type EvaluateInHeader = (tokens: readonly Token[], scope: ReadonlyMap<string, ArgBinding>) => ResolvedEvaluation;
type TypeOf = (text: string) => { type: IntType | undefined; from: Provenance };
/** The constexpr functions of a name that an included header defines (HeaderFunctions.lookup). */
export type HeaderFunctionLookup = (header: string, name: string) => readonly HeaderFunction[] | undefined;

export class ConstexprFunctions {
  /** The file's constexpr definitions by name, listed on first use. */
  private byName: Map<string, Definition[]> | undefined;
  /** The functions of the calls under way, outermost first, and the calls made since it began (see MAX_DEPTH and MAX_CALLS). */
  private readonly active: string[] = [];
  private calls = 0;
  /**
   * The known values of the calls made since the outermost call began, by definition and arguments, with what
   * they read: `fib(n - 1) + fib(n - 2)` evaluates each fib(k) once. Emptied when the outermost call begins, so a
   * value never depends on another expression's calls; unknown values are not kept (a limit depends on the depth).
   */
  private readonly known = new Map<string, { result: Typed; notes: readonly string[]; from: Provenance[] }>();
  /** The headers' definitions by name, found on first use (none: an empty list). */
  private readonly fromHeaders = new Map<string, Definition[]>();

  constructor(
    private readonly index: FileIndex,
    private readonly evaluate: Evaluate,
    private readonly typeOf: TypeOf,
    private readonly evaluateInHeader: EvaluateInHeader,
    private readonly headerFunctionOf?: HeaderFunctionLookup,
  ) {}

  /**
   * The constant function `name` names: the file's own, else the first header of the file's includes that defines
   * one (as a constant of a header is found); undefined when neither does. What a call reads goes into `used`.
   */
  lookup(name: string, used: Provenance[], through?: ClassTemplateArguments): ConstantFunction | undefined {
    const all = this.definitions().get(name) ?? this.headerDefinitions(name);
    const definitions = through ? ofClassTemplate(all ?? [], through) : all;
    if (!definitions?.length) return undefined;
    const spots = definitions.flatMap((d) => (d.spot === undefined ? [] : [d.spot]));
    used.push({ names: through ? [name, through.name] : [name], scoped: [], spots, via: [] });
    return (args) => {
      const fitting = definitions.filter((d) => d.params.length === args.length);
      if (fitting.length > 1) return refused({ kind: 'constexpr-overloaded', fn: name, definitions: fitting.length });
      const definition = fitting[0];
      if (!definition) return refused({ kind: 'constexpr-arguments', fn: name, expected: definitions[0]!.params.length, given: args.length });
      // (a member of the primary template takes the class's arguments; a specialization has none to bind)
      const classArgs = through && !definition.owner?.specialization ? through.args.map((a) => a.value) : [];
      const called = through ? `${through.name}<${through.args.map((a) => a.text).join(', ')}>::${name}` : name;
      return this.call(definition, called, args, classArgs, used);
    };
  }

  /** `called`: the function as the call names it, for the evidence (`Traits<3>::size`). */
  private call(
    definition: Definition,
    called: string,
    args: readonly Result[],
    classArgs: readonly Result[],
    used: Provenance[],
  ): { result: Result; notes: readonly string[] } {
    const { name } = definition;
    if (!definition.returned) return refused({ kind: 'constexpr-body', fn: name });
    for (const [i, a] of args.entries()) if ('unknown' in a) return refused({ kind: 'constexpr-argument', fn: name, position: i + 1, inner: a.unknown });
    const values = args as readonly Typed[];
    if (this.active.length === 0) {
      this.calls = 0;
      this.known.clear();
    }
    // a recursion's inner calls are not evidence: the outermost call says what was computed
    const recursive = this.active.includes(name);
    const listed = (list: readonly Result[]) => list.map((a) => ('unknown' in a ? '?' : `${a.value}:${a.type.name}`)).join(',');
    const key = `${definition.key}<${listed(classArgs)}>(${listed(values)})`;
    const memo = this.known.get(key);
    if (memo) {
      used.push(...memo.from);
      return { result: memo.result, notes: recursive ? [] : memo.notes };
    }
    if (this.active.length >= MAX_DEPTH) return refused({ kind: 'constexpr-too-deep', fn: name, limit: MAX_DEPTH });
    if (++this.calls > MAX_CALLS) return refused({ kind: 'constexpr-too-many-calls', fn: name, limit: MAX_CALLS });
    const read: Provenance[] = [];
    const answer = this.evaluated(definition, called, values, classArgs, read);
    used.push(...read);
    if (!('unknown' in answer.result)) this.known.set(key, { result: answer.result, notes: answer.notes, from: read });
    return { result: answer.result, notes: recursive ? [] : answer.notes };
  }

  /** The value of a call whose arguments are known, evaluated from the function's body. */
  private evaluated(
    definition: Definition,
    called: string,
    args: readonly Typed[],
    classArgs: readonly Result[],
    used: Provenance[],
  ): { result: Result; notes: readonly string[] } {
    const { name } = definition;
    const recursive = this.active.includes(name);
    const scope = new Map<string, ArgBinding>();
    // the class template's parameters first: the function's own hide them
    definition.owner?.params.forEach((p, i) => {
      if (!p.name || classArgs.length === 0) return;
      const a = classArgs[i];
      const owner = definition.owner!.className;
      scope.set(p.name, {
        value: !a ? { unknown: { kind: 'template-argument-not-given', position: i + 1, fn: owner } } : 'unknown' in a ? a : this.converted(a, p.type, used),
      });
    });
    definition.params.forEach((p, i) => scope.set(p.name, { value: this.converted(args[i]!, p.type, used) }));
    const { tokens, offset, line } = definition.returned!;
    this.active.push(name);
    let ev: ResolvedEvaluation;
    try {
      ev = definition.header ? this.evaluateInHeader(tokens, scope) : this.evaluate(tokens, offset, line, scope);
    } finally {
      this.active.pop();
    }
    used.push(ev.from);
    if (!ev.value.known)
      return refused(recursive || isLimit(ev.value.cause) ? ev.value.cause : { kind: 'in-constexpr-function', fn: name, inner: ev.value.cause });
    const returned = this.converted({ value: ev.value.value, type: ev.type! }, definition.returnType, used);
    const written = args.map((a) => a.value.toString()).join(', ');
    const where = definition.header ? ` of ${definition.header.split(/[\\/]/).pop()}` : '';
    return { result: returned, notes: [`${called}(${written}) = ${returned.value} (constexpr function ${name}${where})`, ...(ev.sizes ?? [])] };
  }

  /** A value converted to a parameter's or the return's declared type, as the call does (kept when the type is not an integer known here). */
  private converted(value: { value: bigint; type: IntType }, typeText: string | undefined, used: Provenance[]): { value: bigint; type: IntType } {
    if (!typeText) return value;
    const { type, from } = this.typeOf(typeText);
    used.push(from);
    if (!type || type.name === 'pointer') return value;
    return { value: type.unsigned ? BigInt.asUintN(type.bits, value.value) : BigInt.asIntN(type.bits, value.value), type };
  }

  private definitions(): Map<string, Definition[]> {
    if (this.byName) return this.byName;
    const byName = new Map<string, Definition[]>();
    for (const keyword of KEYWORDS)
      for (const at of this.index.occurrencesOf(keyword)) {
        const fn = this.functionOfSpecifier(at);
        if (!fn) continue;
        const definition = this.definitionOf(fn);
        if (!definition) continue;
        const list = byName.get(definition.name) ?? [];
        if (!list.some((d) => d.spot === fn.startIndex)) list.push(definition);
        byName.set(definition.name, list);
      }
    return (this.byName = byName);
  }

  /** The function definition whose specifier is the keyword at `at` (not a constexpr variable inside one). */
  private functionOfSpecifier(at: number): SyntaxNode | undefined {
    let node: SyntaxNode | null = this.index.tree.rootNode.descendantForIndex(at, at + 1);
    // the keyword, then the specifier node that holds it, then the definition
    for (let i = 0; node && i < 3; i++, node = node.parent) if (node.type === 'function_definition') return node;
    return undefined;
  }

  private definitionOf(fn: SyntaxNode): Definition | undefined {
    const text = this.index.parsedText;
    const qualified = functionName(fn, text);
    if (!qualified) return undefined;
    const expression = singleReturn(fn);
    const source = expression && text.slice(expression.startIndex, expression.endIndex);
    const owner = memberOwner(fn, text);
    return {
      name: qualified.split('::').pop()!,
      key: String(fn.startIndex),
      spot: fn.startIndex,
      ...(owner ? { owner } : {}),
      params: functionParams(fn, text),
      returnType: returnTypeText(fn, text),
      returned: expression && { tokens: tokenize(source!), offset: expression.startIndex, line: this.index.lines.position(expression.startIndex).line },
    };
  }

  /** The definitions of `name` in the first header of the file's includes (in include order) that has any. */
  private headerDefinitions(name: string): Definition[] {
    let found = this.fromHeaders.get(name);
    if (found) return found;
    found = [];
    for (const header of this.headerFunctionOf ? this.index.pre.dependencies : []) {
      const functions = this.headerFunctionOf!(header, name);
      if (!functions?.length) continue;
      found = functions.map((f) => ({
        name,
        key: `${f.file}:${f.start}`,
        header: f.file,
        ...(f.owner ? { owner: f.owner } : {}),
        params: f.params,
        returnType: f.returnType,
        returned: f.returned === undefined ? undefined : { tokens: tokenize(f.returned), offset: 0, line: f.line },
      }));
      break;
    }
    this.fromHeaders.set(name, found);
    return found;
  }
}

/**
 * The definitions a call through a class template (`Traits<Small>::size()`) can mean: the members of an explicit
 * specialization whose arguments are the call's, as written, else those of the primary template (which binds them).
 */
function ofClassTemplate(definitions: readonly Definition[], through: ClassTemplateArguments): Definition[] {
  const ofClass = definitions.filter((d) => d.owner?.className === through.name);
  const written = through.args.map((a) => a.text);
  const specialized = ofClass.filter((d) => d.owner!.specialization?.join('\n') === written.join('\n'));
  return specialized.length > 0 ? specialized : ofClass.filter((d) => !d.owner!.specialization);
}

/** A limit of the evaluation, said once however deep the calls it stopped. */
function isLimit(reason: Reason): boolean {
  return reason.kind === 'constexpr-too-deep' || reason.kind === 'constexpr-too-many-calls';
}

function refused(reason: Reason): { result: Result; notes: readonly string[] } {
  return { result: { unknown: reason }, notes: [] };
}
