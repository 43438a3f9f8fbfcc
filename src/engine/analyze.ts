// Per-file analysis: preprocess, parse, find every call that reaches a known API (directly, through
// macros, function pointers or wrappers) and evaluate its interesting arguments.

import { apiModel, type ApiFamily, type ApiModel } from './apis.js';
import { evaluateTokens, type EvalEnv, type Evaluation, type Typed } from './evaluate.js';
import { expand, type ExpansionContext, type MacroLookup } from './macros.js';
import { neutralize } from './neutralize.js';
import { languageFor, parse, type Language, type SyntaxNode, type Tree } from './parse.js';
import { blankRanges, preprocess, type PreprocessOptions, type PreprocessResult } from './preprocess.js';
import { LineMap } from './source.js';
import { INT, LLONG, ULONG, WINDOWS_CONSTANTS, type IntType, type TargetModel } from './target.js';
import { splitArguments, tokenize, tokensToText, type Token } from './tokens.js';
import type { EvidenceStep, Range, Value } from './types.js';

export interface ArgValue {
  value: Value;
  /** The argument as written (after macro expansion when the call came from a macro). */
  text: string;
  /** Where the argument is written in this file, when it is written at the call itself. */
  sourceRange?: [number, number];
  /** Macros expanded to get the value, outermost first. */
  macros: string[];
}

/** A call that reaches a known API: what rules visit. */
export interface AllocationCall {
  type: 'AllocationCall';
  api: string;
  family: ApiFamily;
  /** The name as written at the call: API, macro, pointer or wrapper name. */
  callee: string;
  file: string;
  range: Range;
  /** ESLint-style location: 1-based lines, 0-based columns. */
  loc: { start: { line: number; column: number }; end: { line: number; column: number } };
  size: ArgValue;
  flags?: ArgValue;
  address?: ArgValue;
  /** File offset of a mapped view. */
  offset?: ArgValue;
  /** True when the call reserves address space, false when it only commits/resets, undefined when unknown. */
  reserves: boolean | undefined;
  evidence: EvidenceStep[];
  callText: string;
  enclosingFunction: string;
}

/** A function that passes one of its parameters (maybe transformed) to an API's size: calls of it are checked too. */
export interface WrapperModel {
  name: string;
  params: string[];
  file: string;
  /** Evaluates the inner call with the caller's argument values. */
  instantiate(args: (Typed | undefined)[], depth: number): AllocationCall[];
  range: Range;
}

export interface ProjectFacts {
  /** Wrappers found so far across the run (and declared in config). */
  wrappers: ReadonlyMap<string, WrapperModel>;
}

export interface AnalysisOptions extends Omit<PreprocessOptions, 'cplusplus'> {
  language?: Language;
  /**
   * Incremental re-parse (language server): given the text about to be parsed, returns the previous tree already
   * adjusted with `tree.edit`, so tree-sitter reuses its unchanged parts.
   */
  previousTree?: (parsedText: string, language: Language) => Tree | undefined;
}

export interface FileAnalysis {
  file: string;
  text: string;
  language: Language;
  tree: Tree;
  lines: LineMap;
  pre: PreprocessResult;
  calls: AllocationCall[];
  /** Functions of this file that wrap an API (or another wrapper). */
  wrappers: WrapperModel[];
  errorCount: number;
}

const MAX_WRAPPER_DEPTH = 8;

export function analyzeFile(file: string, text: string, options: AnalysisOptions, project: ProjectFacts): FileAnalysis {
  const language = options.language ?? languageFor(file, text);
  const pre = preprocess(file, text, { ...options, cplusplus: language === 'cpp' ? true : file.endsWith('.c') ? false : undefined });
  const definedHere = new Set(pre.macros.names());
  const parsedText = neutralize(blankRanges(text, pre.blank), definedHere);
  const tree = parse(parsedText, language, options.previousTree?.(parsedText, language));
  const lines = new LineMap(text);
  const analyzer = new FileAnalyzer(file, text, parsedText, tree, lines, pre, options.model, project, language);
  const calls = analyzer.findCalls();
  const wrappers = analyzer.findWrappers(calls);
  return { file, text, language, tree, lines, pre, calls, wrappers, errorCount: countErrors(tree) };
}

function countErrors(tree: Tree): number {
  if (!tree.rootNode.hasError) return 0;
  let n = 0;
  const cursor = tree.walk();
  const visit = (): void => {
    do {
      const node = cursor.currentNode;
      if (node.type === 'ERROR' || node.isMissing) n++;
      else if (node.hasError && cursor.gotoFirstChild()) {
        visit();
        cursor.gotoParent();
      }
    } while (cursor.gotoNextSibling());
  };
  if (cursor.gotoFirstChild()) visit();
  return n;
}

interface FoundCall extends AllocationCall {
  /** The call sits in a wrapper's body and its size depends on a parameter: reported through callers instead. */
  fromWrapperBody?: boolean;
  node?: SyntaxNode;
  wrapperParams?: string[];
}

const IDENTIFIER_TYPES = new Set(['identifier', 'field_identifier', 'type_identifier', 'namespace_identifier']);
const SKIP_TYPES = new Set(['comment', 'string_literal', 'string_content', 'raw_string_literal', 'char_literal', 'system_lib_string', 'preproc_arg', 'concatenated_string']);
const FUNCTION_TYPES = new Set(['function_definition', 'lambda_expression']);

class FileAnalyzer {
  private readonly occurrences = new Map<string, number[]>();
  private readonly resolving = new Set<string>();

  constructor(
    readonly file: string,
    readonly text: string,
    readonly parsedText: string,
    readonly tree: Tree,
    readonly lines: LineMap,
    readonly pre: PreprocessResult,
    readonly model: TargetModel,
    readonly project: ProjectFacts,
    readonly language: Language,
  ) {}

  // ---- finding calls ----

  /** Names whose calls can reach an API: the APIs, macros that expand to one, wrappers, pointers. */
  private calleeNames(): Map<string, 'api' | 'macro' | 'wrapper'> {
    const names = new Map<string, 'api' | 'macro' | 'wrapper'>();
    for (const name of this.project.wrappers.keys()) names.set(name, 'wrapper');
    const leadsToApi = (body: Token[]) => body.some((t) => t.kind === 'ident' && (apiModel(t.text) || names.has(t.text)));
    for (const word of this.apiWordsInText()) names.set(word, 'api');
    // macros that expand (maybe through other macros) to a call of an API or wrapper
    let changed = true;
    const macroNames = [...this.pre.macros.names()];
    while (changed) {
      changed = false;
      for (const name of macroNames) {
        if (names.has(name)) continue;
        if (this.pre.macros.definitions(name).some((d) => leadsToApi(d.body))) {
          names.set(name, 'macro');
          changed = true;
        }
      }
    }
    return names;
  }

  private apiWordsInText(): Set<string> {
    const words = new Set<string>();
    const re = /\b(?:Virtual\w*Alloc\w*|[NZ][tw]AllocateVirtualMemory\w*|MapViewOfFile\w*)\b/g;
    for (const m of this.parsedText.matchAll(re)) if (apiModel(m[0])) words.add(m[0]);
    return words;
  }

  private occurrencesOf(name: string): number[] {
    let list = this.occurrences.get(name);
    if (list) return list;
    list = [];
    const t = this.parsedText;
    for (let i = t.indexOf(name); i >= 0; i = t.indexOf(name, i + name.length)) {
      const before = i > 0 ? t.charCodeAt(i - 1) : 32;
      const after = t.charCodeAt(i + name.length);
      if (!isWordChar(before) && !isWordChar(after)) list.push(i);
    }
    this.occurrences.set(name, list);
    return list;
  }

  findCalls(): FoundCall[] {
    const names = this.calleeNames();
    const calls: FoundCall[] = [];
    const seen = new Set<number>();
    for (const [name, kind] of names) {
      for (const offset of this.occurrencesOf(name)) {
        const site = this.callSiteAt(offset, name);
        if (!site || seen.has(site.start)) continue;
        seen.add(site.start);
        calls.push(...this.resolveSite(site, name, kind));
      }
    }
    return calls.sort((a, b) => a.range.start.offset - b.range.start.offset);
  }

  /** Finds the call whose callee is the name at `offset`, from the tree or, inside ERROR regions, from tokens. */
  private callSiteAt(offset: number, name: string): CallSite | undefined {
    const node = this.tree.rootNode.descendantForIndex(offset, offset + name.length);
    if (SKIP_TYPES.has(node.type)) return undefined;
    if (!IDENTIFIER_TYPES.has(node.type) || node.startIndex !== offset) {
      // the name may be split oddly inside an ERROR region; fall through to the token reading
      if (!hasErrorAncestor(node)) return undefined;
      return this.tokenCallSite(offset, name, node);
    }
    let callee: SyntaxNode = node;
    for (;;) {
      const parent = callee.parent;
      if (!parent) break;
      if (parent.type === 'qualified_identifier' && parent.childForFieldName('name')?.startIndex === callee.startIndex) callee = parent;
      else if (parent.type === 'field_expression' && parent.childForFieldName('field')?.startIndex === callee.startIndex) callee = parent;
      else if (parent.type === 'parenthesized_expression' || parent.type === 'pointer_expression') callee = parent;
      else if (parent.type === 'template_function') callee = parent;
      else break;
    }
    const parent = callee.parent;
    if (parent?.type === 'call_expression' && parent.childForFieldName('function')?.startIndex === callee.startIndex) {
      const argsNode = parent.childForFieldName('arguments');
      if (!argsNode) return undefined;
      const args = argsNode.namedChildren
        .filter((c) => c.type !== 'comment')
        .map((c) => ({ text: this.parsedText.slice(c.startIndex, c.endIndex), range: [c.startIndex, c.endIndex] as [number, number] }));
      return { start: parent.startIndex, end: parent.endIndex, calleeStart: offset, args, node: parent };
    }
    // declarations and definitions of the name are not calls
    if (parent && (parent.type === 'function_declarator' || parent.type === 'init_declarator' || parent.type === 'parameter_declaration')) return undefined;
    if (hasErrorAncestor(node) || parent?.type === 'macro_type_specifier' || parent?.type === 'expression_statement') return this.tokenCallSite(offset, name, node);
    return undefined;
  }

  /** Reads `name ( args )` from the text, for calls tree-sitter could not place in a call_expression. */
  private tokenCallSite(offset: number, name: string, node: SyntaxNode): CallSite | undefined {
    const before = this.parsedText.slice(Math.max(0, offset - 40), offset).trimEnd();
    if (before && !/(?:[=(,;{}?:!&|^+\-*/%<>[~]|\breturn)$/.test(before)) return undefined;
    const slice = this.parsedText.slice(offset, offset + 4000);
    const tokens = tokenize(slice);
    if (tokens[0]?.text !== name || tokens[1]?.text !== '(') return undefined;
    const split = splitArguments(tokens, 1);
    if (!split) return undefined;
    const end = offset + tokens[split.close]!.offset + 1;
    const args = split.args.map((a) => {
      const s = offset + (a[0]?.offset ?? 0);
      const last = a[a.length - 1];
      const e = last ? offset + last.offset + last.text.length : s;
      return { text: this.parsedText.slice(s, e), range: [s, e] as [number, number] };
    });
    void node;
    return { start: offset, end, calleeStart: offset, args, node: undefined };
  }

  private resolveSite(site: CallSite, name: string, kind: 'api' | 'macro' | 'wrapper'): FoundCall[] {
    const line = this.lines.position(site.start).line;
    const callText = this.parsedText.slice(site.start, site.end);
    const base = {
      file: this.file,
      range: this.range(site.calleeStart, site.end),
      callText: callText.replace(/\s+/g, ' ').trim(),
      enclosingFunction: this.enclosingFunctionName(site.start),
    };
    if (kind === 'api') {
      const model = apiModel(name)!;
      const args = site.args.map((a) => ({ tokens: tokenize(a.text), range: a.range }));
      return [this.buildCall(model, name, args, line, site, base, [])];
    }
    if (kind === 'wrapper') {
      const wrapper = this.project.wrappers.get(name)!;
      return this.wrapperCall(wrapper, site, line, base, 0);
    }
    // a macro: expand the whole call and look for API calls in the result
    const ctx: ExpansionContext = { lookup: (n) => this.macroAt(n, line), expansions: [] };
    const expanded = expand(tokenize(callText), ctx);
    const evidence: EvidenceStep[] = [
      {
        file: this.file,
        range: base.range,
        kind: 'macro',
        message: `${name}(...) expands to ${truncate(tokensToText(expanded), 160)}`,
      },
    ];
    const found: FoundCall[] = [];
    for (let i = 0; i < expanded.length; i++) {
      const t = expanded[i]!;
      if (t.kind !== 'ident' || expanded[i + 1]?.text !== '(') continue;
      const model = apiModel(t.text);
      const wrapper = model ? undefined : this.project.wrappers.get(t.text);
      if (!model && !wrapper) continue;
      const split = splitArguments(expanded, i + 1);
      if (!split) continue;
      if (model) {
        found.push(this.buildCall(model, name, split.args.map((tokens) => ({ tokens })), line, site, base, evidence));
      } else {
        const values = split.args.map((tokens) => this.evaluateAt(tokens, site.start, line));
        found.push(...this.instantiateWrapper(wrapper!, values, base, evidence, 0));
      }
      i = split.close;
    }
    return found;
  }

  private wrapperCall(wrapper: WrapperModel, site: CallSite, line: number, base: CallBase, depth: number): FoundCall[] {
    const values = site.args.map((a) => this.evaluateAt(tokenize(a.text), site.start, line));
    return this.instantiateWrapper(wrapper, values, base, [], depth);
  }

  private instantiateWrapper(wrapper: WrapperModel, values: Evaluation[], base: CallBase, evidence: EvidenceStep[], depth: number): FoundCall[] {
    if (depth > MAX_WRAPPER_DEPTH) return [];
    const typed = values.map((v) => (v.value.known ? { value: v.value.value, type: v.type ?? LLONG } : undefined));
    const inner = wrapper.instantiate(typed, depth + 1);
    const argText = values.map((v) => (v.value.known ? v.value.value.toString() : '?')).join(', ');
    return inner.map((call) => ({
      ...call,
      ...base,
      callee: wrapper.name,
      evidence: [
        ...evidence,
        { file: this.file, range: base.range, kind: 'wrapper' as const, message: `${base.enclosingFunction || 'file scope'} calls ${wrapper.name}(${argText})` },
        ...call.evidence,
      ],
    }));
  }

  private buildCall(
    model: ApiModel,
    callee: string,
    args: { tokens: Token[]; range?: [number, number] }[],
    line: number,
    site: CallSite,
    base: CallBase,
    evidence: EvidenceStep[],
    bindings?: Map<string, Typed>,
  ): FoundCall {
    const arg = (index: number | undefined, pointee = false): ArgValue | undefined => {
      if (index === undefined) return undefined;
      const a = args[index];
      if (!a) return { value: { known: false, reason: `argument ${index + 1} is missing` }, text: '', macros: [] };
      let tokens = a.tokens;
      if (pointee) {
        const inner = stripAddressOf(tokens);
        if (!inner) return { value: { known: false, reason: `argument ${index + 1} is not the address of a variable` }, text: tokensToText(tokens), macros: [] };
        tokens = inner;
      }
      const ev = this.evaluateAt(tokens, site.start, line, bindings, site.node);
      return { value: ev.value, text: tokensToText(a.tokens), sourceRange: a.range, macros: ev.expansions.map((e) => e.name) };
    };
    const size = arg(model.size, model.byPointer)!;
    const flags = arg(model.flags);
    const address = arg(model.address, model.byPointer);
    let offset: ArgValue | undefined;
    if (model.offset !== undefined) offset = arg(model.offset);
    else if (model.offsetLow !== undefined) {
      const hi = arg(model.offsetHigh)!;
      const lo = arg(model.offsetLow)!;
      offset =
        hi.value.known && lo.value.known
          ? { value: { known: true, value: ((hi.value.value & 0xffffffffn) << 32n) | (lo.value.value & 0xffffffffn) }, text: `${hi.text}:${lo.text}`, macros: [...hi.macros, ...lo.macros] }
          : { value: hi.value.known ? lo.value : hi.value, text: `${hi.text}:${lo.text}`, macros: [] };
    }
    const macroSteps: EvidenceStep[] = size.macros.length
      ? [{ file: this.file, range: base.range, kind: 'value', message: `size ${size.text} expands through ${size.macros.join(' → ')}` }]
      : [];
    return {
      type: 'AllocationCall',
      api: model.name,
      family: model.family,
      callee,
      ...base,
      loc: this.loc(base.range),
      size,
      flags,
      address,
      offset,
      reserves: model.family === 'reserve' ? reserves(flags?.value, address?.value) : undefined,
      evidence: [...evidence, ...macroSteps],
      node: site.node,
    };
  }

  // ---- wrappers ----

  /** Functions whose API call's size depends on one of their parameters become wrappers. */
  findWrappers(calls: FoundCall[]): WrapperModel[] {
    const wrappers: WrapperModel[] = [];
    const byFunction = new Map<number, { fn: SyntaxNode; calls: FoundCall[] }>();
    for (const call of calls) {
      if (call.size.value.known) continue;
      const fn = this.enclosingFunction(call.range.start.offset);
      if (!fn || fn.type !== 'function_definition') continue;
      const params = functionParams(fn, this.parsedText);
      if (!params.some((p) => new RegExp(`\\b${escapeRegExp(p)}\\b`).test(call.size.text) || call.size.value.known === false && call.size.value.reason.includes(`'${p}'`))) continue;
      call.fromWrapperBody = true;
      call.wrapperParams = params;
      let entry = byFunction.get(fn.startIndex);
      if (!entry) byFunction.set(fn.startIndex, (entry = { fn, calls: [] }));
      entry.calls.push(call);
    }
    for (const { fn, calls: inner } of byFunction.values()) {
      const name = functionName(fn, this.parsedText);
      if (!name) continue;
      const params = functionParams(fn, this.parsedText);
      const range = this.range(fn.startIndex, fn.endIndex);
      wrappers.push({
        name: name.split('::').pop()!,
        params,
        file: this.file,
        range,
        instantiate: (values, depth) => {
          const bindings = new Map<string, Typed>();
          params.forEach((p, i) => {
            const v = values[i];
            if (v) bindings.set(p, v);
          });
          return inner.flatMap((call) => this.reinstantiate(call, bindings, depth));
        },
      });
    }
    return wrappers;
  }

  /** Re-evaluates a call inside a wrapper with its parameters bound to the caller's values. */
  private reinstantiate(call: FoundCall, bindings: Map<string, Typed>, depth: number): AllocationCall[] {
    if (depth > MAX_WRAPPER_DEPTH) return [];
    const line = call.range.start.line;
    const model = apiModel(call.api)!;
    const site: CallSite = { start: call.range.start.offset, end: call.range.end.offset, calleeStart: call.range.start.offset, args: [], node: call.node };
    const callText = this.parsedText.slice(site.start, site.end);
    // re-read the arguments of the call (after macro expansion, when it came from a macro)
    const ctx: ExpansionContext = { lookup: (n) => this.macroAt(n, line), expansions: [] };
    const tokens = expand(tokenize(callText), ctx);
    const at = tokens.findIndex((t, i) => t.kind === 'ident' && apiModel(t.text)?.name === model.name && tokens[i + 1]?.text === '(');
    if (at < 0) return [];
    const split = splitArguments(tokens, at + 1);
    if (!split) return [];
    const base: CallBase = { file: this.file, range: call.range, callText: call.callText, enclosingFunction: call.enclosingFunction };
    const step: EvidenceStep = {
      file: this.file,
      range: call.range,
      kind: 'call',
      message: `${call.enclosingFunction}(${[...bindings].map(([k, v]) => `${k} = ${v.value}`).join(', ')}) calls ${call.api}`,
    };
    const saved = this.bindings;
    this.bindings = bindings;
    try {
      return [this.buildCall(model, call.callee, split.args.map((t) => ({ tokens: t })), line, site, base, [step], bindings)];
    } finally {
      this.bindings = saved;
    }
  }

  // ---- evaluation environment ----

  macroAt(name: string, line: number): MacroLookup {
    return this.pre.macros.lookup(name, line);
  }

  /** Parameter values of the wrapper being instantiated, seen by every evaluation under it. */
  private bindings: Map<string, Typed> | undefined;

  evaluateAt(tokens: readonly Token[], offset: number, line: number, bindings = this.bindings, callNode?: SyntaxNode): Evaluation {
    const env: EvalEnv = {
      model: this.model,
      cplusplus: this.language === 'cpp',
      macros: (name) => this.macroAt(name, line),
      identifier: (name) => {
        const bound = bindings?.get(name);
        if (bound) return bound;
        const resolved = this.resolveIdentifier(name, offset, callNode);
        if (resolved) return resolved;
        const constant = WINDOWS_CONSTANTS[name];
        return constant === undefined ? undefined : { value: constant, type: ULONG };
      },
      typedef: (name) => this.resolveTypedef(name),
    };
    return evaluateTokens(tokens, env);
  }

  /** Finds what a name means at `offset`: a local, a parameter, a const global, an enumerator. */
  private resolveIdentifier(name: string, offset: number, callNode?: SyntaxNode): Typed | { unknown: string } | undefined {
    const key = `${name}@${offset}`;
    if (this.resolving.has(key)) return { unknown: `${name} is defined in terms of itself` };
    this.resolving.add(key);
    try {
      return this.resolveIdentifierUncached(name, offset, callNode);
    } finally {
      this.resolving.delete(key);
    }
  }

  private resolveIdentifierUncached(name: string, offset: number, callNode?: SyntaxNode): Typed | { unknown: string } | undefined {
    const fn = this.enclosingFunction(offset);
    let local: { decl: SyntaxNode; value?: SyntaxNode; typeNode?: SyntaxNode } | undefined;
    let global: { decl: SyntaxNode; value?: SyntaxNode; typeNode?: SyntaxNode } | undefined;
    let enumerator: SyntaxNode | undefined;
    let parameterOf: SyntaxNode | undefined;
    const writes: { node: SyntaxNode; kind: 'assign' | 'modify' | 'address' }[] = [];
    for (const at of this.occurrencesOf(name)) {
      const node = this.tree.rootNode.descendantForIndex(at, at + name.length);
      if (!IDENTIFIER_TYPES.has(node.type) || node.startIndex !== at) continue;
      const parent = node.parent;
      if (!parent) continue;
      const inFunction = this.enclosingFunction(at);
      const sameFunction = fn && inFunction && inFunction.startIndex === fn.startIndex;
      switch (parent.type) {
        case 'enumerator':
          if (parent.childForFieldName('name')?.startIndex === at) enumerator = parent;
          break;
        case 'init_declarator':
        case 'field_declaration':
        case 'declaration': {
          const isDeclarator =
            parent.type === 'init_declarator' ? parent.childForFieldName('declarator')?.startIndex === at : parent.childForFieldName('declarator')?.startIndex === at;
          if (!isDeclarator) break;
          const decl = parent.type === 'init_declarator' ? parent.parent! : parent;
          const value = parent.type === 'init_declarator' ? parent.childForFieldName('value') ?? undefined : parent.childForFieldName('default_value') ?? undefined;
          const entry = { decl, value: value ?? undefined, typeNode: decl.childForFieldName('type') ?? undefined };
          if (sameFunction && at < offset && containsOffset(enclosingBlock(parent), offset)) {
            if (!local || at > local.decl.startIndex) local = entry;
          } else if (!inFunction) global = entry;
          break;
        }
        case 'parameter_declaration':
        case 'optional_parameter_declaration':
          if (sameFunction || (fn && isAncestor(fn, parent))) parameterOf = fn;
          break;
        case 'assignment_expression':
          if (sameFunction && parent.childForFieldName('left')?.startIndex === at) {
            const op = parent.childForFieldName('operator')?.type ?? this.parsedText.slice(parent.childForFieldName('left')!.endIndex, parent.childForFieldName('right')?.startIndex).trim();
            writes.push({ node: parent, kind: op === '=' ? 'assign' : 'modify' });
          }
          break;
        case 'update_expression':
          if (sameFunction) writes.push({ node: parent, kind: 'modify' });
          break;
        case 'pointer_expression':
          if (sameFunction && this.parsedText[parent.startIndex] === '&' && !(callNode && isAncestor(callNode, parent))) writes.push({ node: parent, kind: 'address' });
          break;
      }
    }
    if (local) {
      const before = writes.filter((w) => w.node.startIndex > local!.decl.startIndex && w.node.startIndex < offset);
      const bad = before.find((w) => w.kind !== 'assign');
      if (bad) return { unknown: bad.kind === 'address' ? `the address of ${name} is taken before the call` : `${name} is modified before the call` };
      const last = before[before.length - 1];
      if (last) {
        const stmt = last.node.parent;
        if (!stmt || stmt.type !== 'expression_statement' || !containsOffset(stmt.parent, offset)) return { unknown: `${name} is assigned conditionally before the call` };
        return this.valueOf(last.node.childForFieldName('right') ?? undefined, local.typeNode, name);
      }
      if (!local.value) return { unknown: `${name} has no initial value` };
      return this.valueOf(local.value, local.typeNode, name);
    }
    if (parameterOf) return { unknown: `depends on parameter '${name}' of ${functionName(parameterOf, this.parsedText) ?? 'its function'}` };
    if (enumerator) return this.enumeratorValue(enumerator);
    if (global) {
      if (!isConstDeclaration(global.decl, this.parsedText)) return { unknown: `${name} is a variable that may change` };
      if (!global.value) return { unknown: `${name} has no initial value` };
      return this.valueOf(global.value, global.typeNode, name);
    }
    return undefined;
  }

  private valueOf(node: SyntaxNode | undefined, typeNode: SyntaxNode | undefined, name: string): Typed | { unknown: string } {
    if (!node) return { unknown: `${name} has no value` };
    const inner = node.type === 'initializer_list' && node.namedChildCount === 1 ? node.namedChildren[0]! : node;
    const line = this.lines.position(inner.startIndex).line;
    const ev = this.evaluateAt(tokenize(this.parsedText.slice(inner.startIndex, inner.endIndex)), inner.startIndex, line);
    if (!ev.value.known) return { unknown: `${name}: ${ev.value.reason}` };
    const declared = typeNode ? this.typeOf(this.parsedText.slice(typeNode.startIndex, typeNode.endIndex)) : undefined;
    const type = declared ?? ev.type ?? INT;
    return { value: type.unsigned ? BigInt.asUintN(type.bits, ev.value.value) : BigInt.asIntN(type.bits, ev.value.value), type };
  }

  private typeOf(text: string): IntType | undefined {
    const words = text.replace(/\b(const|constexpr|static|volatile|inline|extern|std::)\b/g, ' ').trim().replace(/\s+/g, ' ');
    return this.model.types.get(words) ?? this.resolveTypedef(words)?.type;
  }

  private enumeratorValue(node: SyntaxNode): Typed | { unknown: string } {
    const list = node.parent;
    if (!list) return { unknown: 'enumerator outside an enum' };
    let previous: Typed | { unknown: string } | undefined;
    for (const e of list.namedChildren) {
      if (e.type !== 'enumerator') continue;
      const valueNode = e.childForFieldName('value');
      let current: Typed | { unknown: string };
      if (valueNode) current = this.valueOf(valueNode, undefined, e.childForFieldName('name')?.text ?? 'enumerator');
      else if (!previous) current = { value: 0n, type: INT };
      else current = 'unknown' in previous ? previous : { value: previous.value + 1n, type: previous.type };
      if (e.startIndex === node.startIndex) return current;
      previous = current;
    }
    return { unknown: 'enumerator not found' };
  }

  private readonly typedefs = new Map<string, { type?: IntType; size?: number } | undefined>();

  resolveTypedef(name: string): { type?: IntType; size?: number } | undefined {
    if (this.typedefs.has(name)) return this.typedefs.get(name);
    this.typedefs.set(name, undefined); // guards recursion
    let found: { type?: IntType; size?: number } | undefined;
    if (/^\w+$/.test(name)) {
      for (const at of this.occurrencesOf(name)) {
        const node = this.tree.rootNode.descendantForIndex(at, at + name.length);
        const parent = node.parent;
        if (node.type !== 'type_identifier' || parent?.type !== 'type_definition') continue;
        if (parent.childForFieldName('declarator')?.startIndex !== at) continue;
        const typeNode = parent.childForFieldName('type');
        if (!typeNode) continue;
        const typeText = this.parsedText.slice(typeNode.startIndex, typeNode.endIndex);
        const type = this.typeOf(typeText);
        found = type ? { type, size: type.bits / 8 } : undefined;
        break;
      }
    }
    this.typedefs.set(name, found);
    return found;
  }

  // ---- positions and functions ----

  range(start: number, end: number): Range {
    return { start: this.lines.position(start), end: this.lines.position(end) };
  }

  loc(range: Range): AllocationCall['loc'] {
    return {
      start: { line: range.start.line, column: range.start.column - 1 },
      end: { line: range.end.line, column: range.end.column - 1 },
    };
  }

  enclosingFunction(offset: number): SyntaxNode | undefined {
    let node: SyntaxNode | null = this.tree.rootNode.descendantForIndex(offset, offset);
    while (node && !FUNCTION_TYPES.has(node.type)) node = node.parent;
    // a lambda's name is its enclosing function's
    while (node?.type === 'lambda_expression') {
      let up: SyntaxNode | null = node.parent;
      while (up && up.type !== 'function_definition') up = up.parent;
      if (!up) break;
      node = up;
    }
    return node ?? undefined;
  }

  enclosingFunctionName(offset: number): string {
    const fn = this.enclosingFunction(offset);
    return fn ? functionName(fn, this.parsedText) ?? '' : '';
  }
}

interface CallSite {
  start: number;
  end: number;
  calleeStart: number;
  args: { text: string; range: [number, number] }[];
  node: SyntaxNode | undefined;
}

type CallBase = Pick<AllocationCall, 'file' | 'range' | 'callText' | 'enclosingFunction'>;

const MEM_COMMIT = 0x1000n;
const MEM_RESERVE = 0x2000n;
const MEM_RESET = 0x80000n;
const MEM_RESET_UNDO = 0x1000000n;

/** Does the call reserve address space? DESIGN.md: MEM_RESERVE, or a NULL address (commit alone then reserves too). */
export function reserves(flags: Value | undefined, address: Value | undefined): boolean | undefined {
  if (flags?.known) {
    if (flags.value & MEM_RESERVE) return true;
    if (flags.value & (MEM_RESET | MEM_RESET_UNDO)) return false;
    if (flags.value & MEM_COMMIT) {
      if (address?.known) return address.value === 0n;
      return undefined;
    }
    return address?.known && address.value === 0n ? true : undefined;
  }
  if (address?.known && address.value === 0n) return true;
  return undefined;
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

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}

function hasErrorAncestor(node: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node; n; n = n.parent) if (n.type === 'ERROR') return true;
  return false;
}

function isAncestor(ancestor: SyntaxNode, node: SyntaxNode): boolean {
  return node.startIndex >= ancestor.startIndex && node.endIndex <= ancestor.endIndex;
}

function containsOffset(node: SyntaxNode | null | undefined, offset: number): boolean {
  return !!node && node.startIndex <= offset && offset <= node.endIndex;
}

function enclosingBlock(node: SyntaxNode): SyntaxNode | undefined {
  let n: SyntaxNode | null = node.parent;
  while (n && n.type !== 'compound_statement' && n.type !== 'for_statement' && n.type !== 'translation_unit') n = n.parent;
  return n ?? undefined;
}

function isConstDeclaration(decl: SyntaxNode, text: string): boolean {
  for (const c of decl.children) {
    if (c.type === 'type_qualifier' || c.type === 'storage_class_specifier') {
      const word = text.slice(c.startIndex, c.endIndex);
      if (word === 'const' || word === 'constexpr' || word === 'constinit') return true;
    }
  }
  const typeNode = decl.childForFieldName('type');
  return !!typeNode && /\bconst\b/.test(text.slice(decl.startIndex, typeNode.endIndex));
}

export function functionName(fn: SyntaxNode, text: string): string | undefined {
  let d: SyntaxNode | null = fn.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
  const name = d?.childForFieldName('declarator');
  return name ? text.slice(name.startIndex, name.endIndex) : undefined;
}

function functionParams(fn: SyntaxNode, text: string): string[] {
  let d: SyntaxNode | null = fn.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
  const list = d?.childForFieldName('parameters');
  if (!list) return [];
  return list.namedChildren
    .filter((p) => p.type.endsWith('parameter_declaration'))
    .map((p) => {
      let n: SyntaxNode | null = p.childForFieldName('declarator');
      while (n && n.type !== 'identifier') n = n.childForFieldName('declarator') ?? n.namedChildren.find((c) => c.type === 'identifier') ?? null;
      return n ? text.slice(n.startIndex, n.endIndex) : '';
    });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}
