// C++ `constexpr` and `consteval` functions of the file whose body is one `return` (after any `static_assert`s),
// evaluated in a constant expression with their arguments' values: with `constexpr size_t pages(size_t n) { return
// n * 4096; }`, `pages(3)` is 12288. The compiler folds exactly these in a constant expression, and their value is
// the same at run time; an ordinary (even inline) function is never evaluated: its body may read state or have
// effects, and a compiler does not fold it in a constant expression either.

import type { ConstantFunction, Result, Typed } from '../evaluate/env.js';
import type { Evaluation } from '../evaluate/evaluate.js';
import type { Reason } from '../model/reasons.js';
import type { IntType } from '../model/target.js';
import type { SyntaxNode } from '../parse/parse.js';
import { tokenize, type Token } from '../text/tokens.js';
import type { ArgBinding, Provenance } from './facts.js';
import type { FileIndex } from './file-index.js';
import { functionName, functionParams } from './syntax.js';

/** Calls of constant functions nested this deep (a recursion) are refused with a reason. */
const MAX_DEPTH = 32;
/** Calls one outermost call may evaluate in all (a recursion that calls itself twice with new arguments doubles with each level). */
const MAX_CALLS = 256;

const KEYWORDS = ['constexpr', 'consteval'];

/** A constexpr function of the file, as evaluating a call needs it. */
interface Definition {
  name: string;
  node: SyntaxNode;
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
type TypeOf = (text: string) => { type: IntType | undefined; from: Provenance };

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

  constructor(
    private readonly index: FileIndex,
    private readonly evaluate: Evaluate,
    private readonly typeOf: TypeOf,
  ) {}

  /** The constant function `name` names in this file, or undefined; what a call reads goes into `used`. */
  lookup(name: string, used: Provenance[]): ConstantFunction | undefined {
    const definitions = this.definitions().get(name);
    if (!definitions) return undefined;
    const spots = definitions.map((d) => d.node.startIndex);
    used.push({ names: [name], scoped: [], spots, via: [] });
    return (args) => {
      const fitting = definitions.filter((d) => d.params.length === args.length);
      if (fitting.length > 1) return refused({ kind: 'constexpr-overloaded', fn: name, definitions: fitting.length });
      const definition = fitting[0];
      if (!definition) return refused({ kind: 'constexpr-arguments', fn: name, expected: definitions[0]!.params.length, given: args.length });
      return this.call(definition, args, used);
    };
  }

  private call(definition: Definition, args: readonly Result[], used: Provenance[]): { result: Result; notes: readonly string[] } {
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
    const key = `${definition.node.startIndex}(${values.map((a) => `${a.value}:${a.type.name}`).join(',')})`;
    const memo = this.known.get(key);
    if (memo) {
      used.push(...memo.from);
      return { result: memo.result, notes: recursive ? [] : memo.notes };
    }
    if (this.active.length >= MAX_DEPTH) return refused({ kind: 'constexpr-too-deep', fn: name, limit: MAX_DEPTH });
    if (++this.calls > MAX_CALLS) return refused({ kind: 'constexpr-too-many-calls', fn: name, limit: MAX_CALLS });
    const read: Provenance[] = [];
    const answer = this.evaluated(definition, values, read);
    used.push(...read);
    if (!('unknown' in answer.result)) this.known.set(key, { result: answer.result, notes: answer.notes, from: read });
    return { result: answer.result, notes: recursive ? [] : answer.notes };
  }

  /** The value of a call whose arguments are known, evaluated from the function's body. */
  private evaluated(definition: Definition, args: readonly Typed[], used: Provenance[]): { result: Result; notes: readonly string[] } {
    const { name } = definition;
    const recursive = this.active.includes(name);
    const scope = new Map<string, ArgBinding>();
    definition.params.forEach((p, i) => scope.set(p.name, { value: this.converted(args[i]!, p.type, used) }));
    const { tokens, offset, line } = definition.returned!;
    this.active.push(name);
    let ev: ResolvedEvaluation;
    try {
      ev = this.evaluate(tokens, offset, line, scope);
    } finally {
      this.active.pop();
    }
    used.push(ev.from);
    if (!ev.value.known)
      return refused(recursive || isLimit(ev.value.cause) ? ev.value.cause : { kind: 'in-constexpr-function', fn: name, inner: ev.value.cause });
    const returned = this.converted({ value: ev.value.value, type: ev.type! }, definition.returnType, used);
    const written = args.map((a) => a.value.toString()).join(', ');
    return { result: returned, notes: [`${name}(${written}) = ${returned.value} (constexpr function ${name})`, ...(ev.sizes ?? [])] };
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
        if (!list.some((d) => d.node.startIndex === fn.startIndex)) list.push(definition);
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
    const declarator = fn.childForFieldName('declarator');
    const typeNode = fn.childForFieldName('type');
    return {
      name: qualified.split('::').pop()!,
      node: fn,
      params: functionParams(fn, text),
      returnType: declarator?.type === 'function_declarator' && typeNode ? text.slice(typeNode.startIndex, typeNode.endIndex) : undefined,
      returned: this.returnedExpression(fn),
    };
  }

  /** The expression of a body that is `static_assert`s and one `return`. */
  private returnedExpression(fn: SyntaxNode): Definition['returned'] {
    const body = fn.childForFieldName('body');
    if (body?.type !== 'compound_statement') return undefined;
    const statements = body.namedChildren.filter((c) => c.type !== 'comment');
    const last = statements.pop();
    if (last?.type !== 'return_statement' || statements.some((s) => s.type !== 'static_assert_declaration')) return undefined;
    const expression = last.namedChildren.find((c) => c.type !== 'comment');
    if (!expression) return undefined;
    const source = this.index.parsedText.slice(expression.startIndex, expression.endIndex);
    return { tokens: tokenize(source), offset: expression.startIndex, line: this.index.lines.position(expression.startIndex).line };
  }
}

/** A limit of the evaluation, said once however deep the calls it stopped. */
function isLimit(reason: Reason): boolean {
  return reason.kind === 'constexpr-too-deep' || reason.kind === 'constexpr-too-many-calls';
}

function refused(reason: Reason): { result: Result; notes: readonly string[] } {
  return { result: { unknown: reason }, notes: [] };
}
