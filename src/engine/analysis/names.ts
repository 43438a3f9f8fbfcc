// Resolving names: what an identifier means at an offset (a local, a parameter, a const global, an enumerator, a
// constant of an included header), what a typedef stands for, and the values of expressions that use them. Each
// answer comes with its provenance (the names and declarations it was resolved from), as data.

import { checkTimeLimit } from '../model/limits.js';
import { evaluateTokens, type EvalEnv, type Evaluation, type Typed } from '../evaluate/evaluate.js';
import type { Reason } from '../model/reasons.js';
import { INT, ULONG, WINDOWS_CONSTANTS, type IntType, type TargetModel } from '../model/target.js';
import { parseIntegerLiteral } from '../evaluate/literals.js';
import { sdkConstantText } from '../types/sdk.js';
import type { SyntaxNode } from '../parse/parse.js';
import { mayDecideValue } from '../text/name-roles.js';
import { tokenize, type Token } from '../text/tokens.js';
import { ConstexprFunctions, type HeaderFunctionLookup } from './constexpr-functions.js';
import { DeclaredTypes, type TypeSources } from './declared-types.js';
import type { ArgBinding, Provenance } from './facts.js';
import type { FileIndex } from './file-index.js';
import type { HeaderConstant } from './header-facts.js';
import {
  classOfTemplateParameter,
  containsOffset,
  declaresName,
  enclosingBlock,
  functionName,
  isAncestor,
  isCallArgument,
  isConstDeclaration,
  isTemplateParameterOf,
} from './syntax.js';

/** The parameter values of the wrapper being instantiated, seen by every evaluation under it; undefined outside one. */
export type Scope = ReadonlyMap<string, ArgBinding> | undefined;

type Known = Typed | { unknown: Reason };
export type Resolved = Known | { parameter: string; unknown: Reason };

/** An evaluation with what it was resolved from. */
export type ResolvedEvaluation = Evaluation & { from: Provenance };

export const NO_PROVENANCE: Provenance = { names: [], scoped: [], spots: [], via: [] };

/** A provenance that only gathers others (none when all are empty). */
export function provenanceOf(via: readonly Provenance[], names: readonly string[] = []): Provenance {
  const used = via.filter((p) => p !== NO_PROVENANCE);
  return used.length === 0 && names.length === 0 ? NO_PROVENANCE : { names, scoped: [], spots: [], via: used };
}

/** Names resolved through other names (const a = b; const b = c; ...) are followed this deep. */
const MAX_RESOLVE_DEPTH = 64;
/** Parent types of a name occurrence that decideName's switch acts on (keep the two in step). */
const DECIDING_PARENTS = new Set([
  'enumerator',
  'init_declarator',
  'field_declaration',
  'declaration',
  'parameter_declaration',
  'optional_parameter_declaration',
  'assignment_expression',
  'update_expression',
  'pointer_expression',
]);

type Declaration = { decl: SyntaxNode; value?: SyntaxNode; typeNode?: SyntaxNode };
type Write = { node: SyntaxNode; kind: 'assign' | 'modify' | 'address' };

/** What the deciding occurrences of a name say for a use at one offset. */
interface Declarations {
  local?: Declaration;
  global?: Declaration;
  enumerator?: SyntaxNode;
  parameterOf?: SyntaxNode;
  /** A use in a class template's body outside its functions (`static constexpr size_t kSize = N;`): the class. */
  classParameterOf?: string;
  writes: Write[];
  /** The occurrences that can decide for this use: in its own function, outside functions, enumerators. */
  spots: number[];
}

export class NameResolver {
  private readonly resolving = new Set<string>();
  /** Deciding occurrences of each name, and those of them outside every function (see decidingIn). */
  private readonly decidingAll = new Map<string, number[]>();
  private readonly decidingOutside = new Map<string, number[]>();
  /**
   * Enumerator values by start offset. Without it `enum { A = 1, B = A << 1, C = B << 1, ... }` costs
   * time exponential in its length: each value re-evaluates every enumerator before it.
   */
  private readonly enumerators = new Map<number, { value: Known; from: Provenance }>();
  /** Typedefs by name; `pending` while one is being resolved (a typedef defined through itself). */
  private readonly typedefs = new Map<string, { found: { type?: IntType; size?: number } | undefined; from: Provenance } | 'pending'>();

  /** The types the file declares, built as sizeof, alignof and offsetof ask for them. */
  private readonly types: DeclaredTypes;
  /** The file's constexpr functions, called by the constant expressions that use them. */
  private readonly functions: ConstexprFunctions;

  constructor(
    private readonly index: FileIndex,
    private readonly headerConstantOf?: (header: string, name: string) => HeaderConstant | undefined,
    typeSources?: TypeSources,
    headerFunctionOf?: HeaderFunctionLookup,
  ) {
    this.types = new DeclaredTypes(index, (text, at) => this.constantAt(text, at), typeSources);
    this.functions = new ConstexprFunctions(
      index,
      (tokens, offset, line, scope) => this.evaluate(tokens, offset, line, scope),
      (text) => this.typeOf(text),
      (tokens, scope) => this.evaluateInHeader(tokens, scope),
      headerFunctionOf,
    );
  }

  /** Where the evaluation under way is written: a header's array bounds are evaluated with the macros in force there. */
  private evaluating = { offset: 0, line: 0 };

  /** An array bound or a bitfield width: a constant expression written at `offset` of the file (undefined: in a header). */
  private constantAt(text: string, offset: number | undefined): { value: bigint | undefined; from: Provenance } {
    const at = offset !== undefined ? { offset, line: this.index.lines.position(offset).line } : this.evaluating;
    const ev = this.evaluate(tokenize(text), at.offset, at.line, undefined);
    return { value: ev.value.known ? ev.value.value : undefined, from: ev.from };
  }

  /** Evaluates tokens written at `offset`; `callNode` is the call they are arguments of, if any. */
  evaluate(tokens: readonly Token[], offset: number, line: number, scope: Scope, callNode?: SyntaxNode): ResolvedEvaluation {
    const used: Provenance[] = [];
    const env: EvalEnv = {
      model: this.index.model,
      compiler: this.index.options.compiler,
      cplusplus: this.index.language === 'cpp',
      macros: (name) => this.index.macroAt(name, line),
      expansionBudget: this.index.expansionBudget,
      identifier: (name) => {
        const { resolved, from } = this.resolveIdentifier(name, offset, scope, callNode);
        used.push(from);
        if (resolved && 'parameter' in resolved) return scope?.get(resolved.parameter)?.value ?? { unknown: resolved.unknown };
        if (resolved) return resolved;
        const header = this.headerConstant(name, line, new Set());
        used.push(header.from);
        return header.value ?? windowsConstant(name) ?? sdkValue(name, this.index.model);
      },
      typedef: (name) => this.withProvenance(this.resolveTypedef(name), used),
      typeOfName: (name) => this.types.typeOfName(name, offset),
      typeNamed: (words) => this.types.typeNamed(words),
      constantFunction: this.index.language === 'cpp' ? (name, through) => this.functions.lookup(name, used, through) : undefined,
    };
    // what the type lookups use (declarations, array bounds) is this evaluation's provenance too
    const saved = this.types.used;
    const savedAt = this.evaluating;
    this.types.used = used;
    this.evaluating = { offset, line };
    try {
      const ev = evaluateTokens(tokens, env);
      return { ...ev, from: provenanceOf(used) };
    } finally {
      this.types.used = saved;
      this.evaluating = savedAt;
    }
  }

  /**
   * The `return` of a constexpr function an included header defines, with its parameters bound in `scope`: a name
   * is a parameter, else a constant of the file's headers, as in headerConstant (the file's own declarations come
   * after the `#include`); macros are those in force where the evaluation under way is written.
   */
  private evaluateInHeader(tokens: readonly Token[], scope: ReadonlyMap<string, ArgBinding>): ResolvedEvaluation {
    const used: Provenance[] = [];
    const { line } = this.evaluating;
    const env: EvalEnv = {
      model: this.index.model,
      compiler: this.index.options.compiler,
      cplusplus: true,
      macros: (name) => this.index.macroAt(name, line),
      expansionBudget: this.index.expansionBudget,
      identifier: (name) => {
        const bound = scope.get(name);
        if (bound) return bound.value;
        const header = this.headerConstant(name, line, new Set());
        used.push(header.from);
        return header.value ?? windowsConstant(name) ?? sdkValue(name, this.index.model);
      },
      typedef: (name) => this.withProvenance(this.resolveTypedef(name), used),
      typeNamed: (words) => this.types.typeNamed(words),
      constantFunction: (name, through) => this.functions.lookup(name, used, through),
    };
    const saved = this.types.used;
    this.types.used = used;
    try {
      return { ...evaluateTokens(tokens, env), from: provenanceOf(used) };
    } finally {
      this.types.used = saved;
    }
  }

  private withProvenance<T>(r: { found: T; from: Provenance }, into: Provenance[]): T {
    into.push(r.from);
    return r.found;
  }

  /** A type written in a declaration, as an integer type when it is one. */
  typeOf(text: string): { type: IntType | undefined; from: Provenance } {
    const words = text
      .replace(/\b(const|constexpr|constinit|static|volatile|inline|extern|register|std::)\b/g, ' ')
      .trim()
      .replace(/\s+/g, ' ');
    const builtin = this.index.model.types.get(words);
    if (builtin) return { type: builtin, from: NO_PROVENANCE };
    const { found, from } = this.resolveTypedef(words);
    return { type: found?.type, from };
  }

  resolveTypedef(name: string): { found: { type?: IntType; size?: number } | undefined; from: Provenance } {
    const known = this.typedefs.get(name);
    if (known === 'pending') return { found: undefined, from: { names: [name], scoped: [], spots: [], via: [] } };
    if (known) return known;
    this.typedefs.set(name, 'pending');
    const result = this.findTypedef(name);
    this.typedefs.set(name, result);
    return result;
  }

  private findTypedef(name: string): { found: { type?: IntType; size?: number } | undefined; from: Provenance } {
    if (!/^\w+$/.test(name)) return { found: undefined, from: { names: [name], scoped: [], spots: [], via: [] } };
    for (const at of this.index.occurrencesOf(name, 'typedef')) {
      const node = this.index.tree.rootNode.descendantForIndex(at, at + name.length);
      // the type first: `.parent` costs a descent from the root
      if (node.type !== 'type_identifier') continue;
      const parent = node.parent;
      if (parent?.type !== 'type_definition') continue;
      if (parent.childForFieldName('declarator')?.startIndex !== at) continue;
      const typeNode = parent.childForFieldName('type');
      if (!typeNode) continue;
      const { type, from } = this.typeOf(this.index.parsedText.slice(typeNode.startIndex, typeNode.endIndex));
      return { found: type ? { type, size: type.bits / 8 } : undefined, from: { names: [name], scoped: [], spots: [at], via: [from] } };
    }
    return { found: undefined, from: { names: [name], scoped: [], spots: [], via: [] } };
  }

  /** A constant declared in an included header, evaluated with the macros in force at `line`. */
  private headerConstant(name: string, line: number, active: Set<string>): { value: Known | undefined; from: Provenance } {
    const lookup = this.headerConstantOf;
    if (!lookup || active.has(name)) return { value: active.has(name) ? { unknown: { kind: 'self-reference', name } } : undefined, from: NO_PROVENANCE };
    let found: HeaderConstant | undefined;
    for (const header of this.index.pre.dependencies) if ((found = lookup(header, name))) break;
    if (!found) return { value: undefined, from: NO_PROVENANCE };
    active.add(name);
    const used: Provenance[] = [];
    try {
      const env: EvalEnv = {
        model: this.index.model,
        compiler: this.index.options.compiler,
        cplusplus: this.index.language === 'cpp',
        macros: (n) => this.index.macroAt(n, line),
        expansionBudget: this.index.expansionBudget,
        identifier: (n) => {
          const inner = this.headerConstant(n, line, active);
          used.push(inner.from);
          return inner.value ?? windowsConstant(n);
        },
        typedef: (n) => this.withProvenance(this.resolveTypedef(n), used),
      };
      const base =
        found.expr === undefined ? { value: { known: true as const, value: 0n }, type: INT, expansions: [] } : evaluateTokens(tokenize(found.expr), env);
      if (!base.value.known) {
        const file = found.file.split(/[\\/]/).pop()!;
        return { value: { unknown: { kind: 'in-header', name, file, line: found.line, inner: base.value.cause } }, from: provenanceOf(used) };
      }
      const declared = found.typeText ? this.typeOf(found.typeText) : undefined;
      if (declared) used.push(declared.from);
      const type = declared?.type ?? base.type ?? INT;
      const value = base.value.value + BigInt(found.step);
      return { value: { value: type.unsigned ? BigInt.asUintN(type.bits, value) : BigInt.asIntN(type.bits, value), type }, from: provenanceOf(used) };
    } finally {
      active.delete(name);
    }
  }

  /** Finds what a name means at `offset`: a local, a parameter, a const global, an enumerator. */
  resolveIdentifier(name: string, offset: number, scope: Scope, callNode?: SyntaxNode): { resolved: Resolved | undefined; from: Provenance } {
    const key = `${name}@${offset}`;
    if (this.resolving.has(key)) return { resolved: { unknown: { kind: 'self-reference', name } }, from: NO_PROVENANCE };
    // a long chain of names each defined by the next would otherwise exhaust the stack
    if (this.resolving.size >= MAX_RESOLVE_DEPTH) return { resolved: { unknown: { kind: 'too-deep', name } }, from: NO_PROVENANCE };
    this.resolving.add(key);
    try {
      const fn = this.index.enclosingFunction(offset);
      const found = this.declarationsOf(name, offset, fn, callNode);
      const { resolved, from } = this.decide(name, offset, found, scope);
      return { resolved, from: { names: [], scoped: [name], spots: found.spots, via: from === NO_PROVENANCE ? [] : [from] } };
    } finally {
      this.resolving.delete(key);
    }
  }

  /**
   * The occurrences of a name that can decide its value (the parent types declarationsOf handles), found once
   * per file: names like NULL or MEM_RESERVE occur at every call and decide nothing.
   */
  private deciding(name: string): number[] {
    let list = this.decidingAll.get(name);
    if (!list) {
      list = this.index.occurrencesOf(name, 'scoped').filter((at) => {
        if (!mayDecideValue(this.index.parsedText, at, at + name.length)) return false;
        const occurrence = this.index.occurrenceAt(at, name);
        return !!occurrence && DECIDING_PARENTS.has(occurrence.parent.type);
      });
      this.decidingAll.set(name, list);
    }
    return list;
  }

  /**
   * The deciding occurrences that can matter inside `fn` (or at file level when there is none), in text order:
   * those inside it, those outside every function, and enumerators. An occurrence inside another function never
   * decides (see declarationsOf): a file with 4,000 wrappers that all name their parameter `n` resolved `n`
   * 4,000 times against 8,000 occurrences, past any time limit.
   */
  private decidingIn(name: string, fn: SyntaxNode | undefined): number[] {
    const all = this.deciding(name);
    if (all.length <= 64) return all;
    let outside = this.decidingOutside.get(name);
    if (!outside) {
      outside = all.filter((at) => !this.index.enclosingFunction(at) || this.index.occurrenceAt(at, name)?.parent.type === 'enumerator');
      this.decidingOutside.set(name, outside);
    }
    if (!fn) return outside;
    const inside = all.slice(firstAtOrAfter(all, fn.startIndex), firstAtOrAfter(all, fn.endIndex + 1));
    return mergeSorted(outside, inside);
  }

  /** What the deciding occurrences of `name` declare and write, for a use at `offset` inside `fn`. */
  private declarationsOf(name: string, offset: number, fn: SyntaxNode | undefined, callNode: SyntaxNode | undefined): Declarations {
    const found: Declarations = { writes: [], spots: [] };
    const text = this.index.parsedText;
    for (const at of this.decidingIn(name, fn)) {
      checkTimeLimit();
      const occurrence = this.index.occurrenceAt(at, name);
      if (!occurrence) continue;
      const { declared, parent } = occurrence;
      const inFunction = this.index.enclosingFunction(at);
      const sameFunction = fn && inFunction && inFunction.startIndex === fn.startIndex;
      // what other functions hold never decides, except enumerators
      if (sameFunction || !inFunction || parent.type === 'enumerator') found.spots.push(at);
      switch (parent.type) {
        case 'enumerator':
          if (parent.childForFieldName('name')?.startIndex === at) found.enumerator = parent;
          break;
        case 'init_declarator':
        case 'field_declaration':
        case 'declaration': {
          if (!declaresName(parent, declared)) break;
          const decl = parent.type === 'init_declarator' ? parent.parent! : parent;
          const value =
            parent.type === 'init_declarator' ? (parent.childForFieldName('value') ?? undefined) : (parent.childForFieldName('default_value') ?? undefined);
          const entry = { decl, value: value ?? undefined, typeNode: decl.childForFieldName('type') ?? undefined };
          if (sameFunction && at < offset && containsOffset(enclosingBlock(parent), offset)) {
            if (!found.local || at > found.local.decl.startIndex) found.local = entry;
          } else if (!inFunction) found.global = entry;
          break;
        }
        case 'parameter_declaration':
        case 'optional_parameter_declaration':
          // the parameter's own name, not a type named like it
          if (parent.childForFieldName('declarator')?.startIndex !== declared.startIndex) break;
          if (sameFunction || (fn && (isAncestor(fn, parent) || isTemplateParameterOf(parent, fn)))) found.parameterOf = fn;
          else if (!fn) found.classParameterOf = classOfTemplateParameter(parent, offset, text) ?? found.classParameterOf;
          break;
        case 'assignment_expression':
          if (sameFunction && parent.childForFieldName('left')?.startIndex === at) {
            const op =
              parent.childForFieldName('operator')?.type ??
              text.slice(parent.childForFieldName('left')!.endIndex, parent.childForFieldName('right')?.startIndex).trim();
            found.writes.push({ node: parent, kind: op === '=' ? 'assign' : 'modify' });
          }
          break;
        case 'update_expression':
          if (sameFunction) found.writes.push({ node: parent, kind: 'modify' });
          break;
        case 'pointer_expression':
          if (sameFunction && text[parent.startIndex] === '&' && !(callNode && isAncestor(callNode, parent)))
            found.writes.push({ node: parent, kind: 'address' });
          break;
      }
    }
    return found;
  }

  /** The value the declarations and writes give the name at `offset`: a local first, then a parameter, then the file's. */
  private decide(name: string, offset: number, found: Declarations, scope: Scope): { resolved: Resolved | undefined; from: Provenance } {
    const { local, parameterOf, classParameterOf, writes } = found;
    const none = (resolved: Resolved | undefined) => ({ resolved, from: NO_PROVENANCE });
    if (local) {
      const before = writes.filter((w) => w.node.startIndex > local.decl.startIndex && w.node.startIndex < offset);
      // an address kept in a variable can write the local at any time
      const stored = before.find((w) => w.kind === 'address' && !isCallArgument(w.node));
      if (stored) return none({ unknown: { kind: 'address-taken', name } });
      const last = before[before.length - 1];
      if (last) {
        // the last write decides: an assignment made unconditionally before the call (`size = 0x1000;` before
        // each NtAllocateVirtualMemory(..., &size, ...)); a call that got its address, or `+=`, leaves it unknown
        if (last.kind === 'address') return none({ unknown: { kind: 'address-passed', name } });
        if (last.kind === 'modify') return none({ unknown: { kind: 'modified', name } });
        const stmt = last.node.parent;
        if (!stmt || stmt.type !== 'expression_statement' || !containsOffset(stmt.parent, offset))
          return none({ unknown: { kind: 'assigned-conditionally', name } });
        return this.valueOf(last.node.childForFieldName('right') ?? undefined, local.typeNode, name, scope);
      }
      if (!local.value) return none({ unknown: { kind: 'no-initial-value', name } });
      return this.valueOf(local.value, local.typeNode, name, scope);
    }
    if (parameterOf) {
      // a parameter changed before the call no longer holds the caller's value
      const changed = writes.find((w) => w.node.startIndex < offset);
      if (changed) return none({ unknown: { kind: changed.kind === 'address' ? 'parameter-address-taken' : 'parameter-changed', parameter: name } });
      return none({ parameter: name, unknown: { kind: 'parameter', parameter: name, fn: functionName(parameterOf, this.index.parsedText) } });
    }
    // a class template's parameter, used in its body outside functions: its member functions bind it
    if (classParameterOf) return none({ parameter: name, unknown: { kind: 'parameter', parameter: name, fn: classParameterOf } });
    // neither a local nor a parameter: what the file declares at its level can decide
    this.index.lookups.add(name);
    if (found.enumerator) {
      const { value, from } = this.enumeratorValue(found.enumerator, scope);
      return { resolved: value, from };
    }
    const global = found.global;
    if (global) {
      if (!isConstDeclaration(global.decl, this.index.parsedText)) return none({ unknown: { kind: 'variable', name } });
      if (!global.value) return none({ unknown: { kind: 'no-initial-value', name } });
      return this.valueOf(global.value, global.typeNode, name, scope);
    }
    return none(undefined);
  }

  private valueOf(node: SyntaxNode | undefined, typeNode: SyntaxNode | undefined, name: string, scope: Scope): { resolved: Known; from: Provenance } {
    if (!node) return { resolved: { unknown: { kind: 'no-value', name } }, from: NO_PROVENANCE };
    const inner = node.type === 'initializer_list' && node.namedChildCount === 1 ? node.namedChildren[0]! : node;
    const line = this.index.lines.position(inner.startIndex).line;
    const text = this.index.parsedText;
    const ev = this.evaluate(tokenize(text.slice(inner.startIndex, inner.endIndex)), inner.startIndex, line, scope);
    // a parameter stays itself, so that the call's function is found to pass it on
    if (!ev.value.known)
      return {
        resolved: { unknown: ev.value.cause.kind === 'parameter' ? ev.value.cause : { kind: 'through-name', name, inner: ev.value.cause } },
        from: ev.from,
      };
    const declared = typeNode ? this.typeOf(text.slice(typeNode.startIndex, typeNode.endIndex)) : undefined;
    const type = declared?.type ?? ev.type ?? INT;
    const value = type.unsigned ? BigInt.asUintN(type.bits, ev.value.value) : BigInt.asIntN(type.bits, ev.value.value);
    return { resolved: { value, type }, from: declared ? provenanceOf([ev.from, declared.from]) : ev.from };
  }

  /** An enumerator's value, from the enumerators before it; provenance covers them all. */
  private enumeratorValue(node: SyntaxNode, scope: Scope): { value: Known; from: Provenance } {
    // wrapper parameter values are in scope of every evaluation: memoise only outside them
    const memo = scope ? undefined : this.enumerators;
    const known = memo?.get(node.startIndex);
    if (known) return known;
    const list = node.parent;
    if (!list) return { value: { unknown: { kind: 'enumerator-outside-enum' } }, from: NO_PROVENANCE };
    let previous: { value: Known; from: Provenance } | undefined;
    for (const e of list.namedChildren) {
      if (e.type !== 'enumerator') continue;
      const valueNode = e.childForFieldName('value');
      let current = memo?.get(e.startIndex);
      if (!current) {
        const before = previous?.from ?? NO_PROVENANCE;
        if (valueNode) {
          const { resolved, from } = this.valueOf(valueNode, undefined, e.childForFieldName('name')?.text ?? 'enumerator', scope);
          current = { value: resolved, from: provenanceOf([before, from]) };
        } else if (!previous) current = { value: { value: 0n, type: INT }, from: NO_PROVENANCE };
        else current = { value: 'unknown' in previous.value ? previous.value : { value: previous.value.value + 1n, type: previous.value.type }, from: before };
        memo?.set(e.startIndex, current);
      }
      if (e.startIndex === node.startIndex) return current;
      previous = current;
    }
    return { value: { unknown: { kind: 'enumerator-not-found' } }, from: NO_PROVENANCE };
  }
}

/**
 * A constant of the Windows SDK table (types/sdk.ts: MAX_PATH, FILE_MAP_*, SEC_*, ...), with the type its literal's
 * suffix gives it; asked last, after the sources and their headers, which win.
 */
function sdkValue(name: string, model: TargetModel): Typed | undefined {
  const text = sdkConstantText(name, model.name);
  if (text === undefined) return undefined;
  const negative = text.startsWith('-');
  const parsed = parseIntegerLiteral(negative ? text.slice(1) : text, model);
  if ('unknown' in parsed) return undefined;
  return negative ? { value: -parsed.value, type: parsed.type } : parsed;
}

function windowsConstant(name: string): Typed | undefined {
  const constant = WINDOWS_CONSTANTS[name];
  return constant === undefined ? undefined : { value: constant, type: ULONG };
}

/** The index of the first offset in a sorted list that is at least `offset`. */
function firstAtOrAfter(sorted: readonly number[], offset: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Two sorted lists of offsets as one, each offset once. */
function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
    if (out[out.length - 1] !== next) out.push(next);
  }
  return out;
}
