// Per-file analysis: preprocess, parse, find every call that reaches a known API (directly, through
// macros, function pointers or wrappers) and evaluate its interesting arguments.

import { apiModel, type ApiModel } from '../model/apis.js';
import { closestAncestor, enclosingFunctionAt, hasErrorAncestor } from '../parse/ancestry.js';
import { reusableCalls } from './call-reuse.js';
import { checkTimeLimit } from '../model/limits.js';
import { evaluateTokens, type EvalEnv, type Evaluation, type Typed } from '../evaluate/evaluate.js';
import type { HeaderConstant } from './header-facts.js';
import { expand, FILE_EXPANSION_BUDGET, type ExpansionContext, type MacroLookup } from '../macros/macros.js';
import { neutralize } from '../parse/neutralize.js';
import { languageFor, parse, type Language, type SyntaxNode, type Tree } from '../parse/parse.js';
import { declaresLocal, findPointerBindings, type PointerBinding } from './pointers.js';
import { preprocess, type PreprocessOptions, type PreprocessResult } from '../preprocess/preprocess.js';
import { mayDecideValue } from '../text/name-roles.js';
import { MANY_NAMES, wordIndex, wordOccurrences } from '../text/occurrences.js';
import { LineMap } from '../text/source.js';
import { INT, LLONG, ULONG, WINDOWS_CONSTANTS, type IntType, type TargetModel } from '../model/target.js';
import { splitArguments, tokenize, tokensToText, type Token } from '../text/tokens.js';
import { parametersIn, type Reason } from '../model/reasons.js';
import { unknownValue, type EvidenceStep, type Range, type Value } from '../model/types.js';
import type {
  AllocationCall,
  ArgBinding,
  ArgValue,
  CallBase,
  CallReads,
  CallRecipe,
  CallSite,
  DeclaredWrapper,
  FileAnalysis,
  FoundCall,
  PreparedFile,
  PreviousCalls,
  ProjectFacts,
  ReusableCalls,
  WrapperModel,
} from './facts.js';

// the analyzer's callers have always taken the shapes of its results from here
export type { AllocationCall, ArgBinding, ArgValue, CallBase, CallRecipe, CallSite, DeclaredWrapper, FileAnalysis, FoundCall, PreparedFile, ProjectFacts, WrapperModel } from './facts.js';

export interface AnalysisOptions extends Omit<PreprocessOptions, 'cplusplus'> {
  language?: Language;
  /**
   * Incremental re-parse (language server): given the text about to be parsed, returns the previous tree already
   * adjusted with `tree.edit`, so tree-sitter reuses its unchanged parts.
   */
  previousTree?: (parsedText: string, language: Language) => Tree | undefined;
  /**
   * The calls of the previous version of the buffer and the edit since (language server): calls the edit cannot
   * have changed are taken over. Asked with the new tree once it is parsed.
   */
  previousCalls?: (tree: Tree) => PreviousCalls | undefined;
  /** The preprocessor facts of the text when the caller knows an edit cannot have changed them (language server). */
  previousPreprocess?: (text: string, language: Language) => PreprocessResult | undefined;
  /**
   * Spans of the text a window hides (in text order, never a preprocessor line): they are blanked like the
   * inactive `#if` branches, and tree-sitter skips them.
   */
  blank?: readonly (readonly [number, number])[];
  /**
   * Where a name occurs as a whole word in the text about to be parsed, when the caller already knows it (the
   * language server carries the offsets over from the previous version of the buffer); undefined to search.
   */
  knownOccurrences?: (name: string) => number[] | undefined;
  /** A constant an included header declares (enumerator, const, constexpr); cached per run by the caller. */
  headerConstant?: (header: string, name: string) => HeaderConstant | undefined;
}
/** Names resolved through other names (const a = b; const b = c; ...) are followed this deep. */
const MAX_RESOLVE_DEPTH = 64;
/** Parent types of a name occurrence that resolveIdentifierUncached's switch acts on (keep the two in step). */
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

const MAX_WRAPPER_DEPTH = 8;
/** Calls one wrapper call may expand to (a wrapper calling wrappers calling wrappers...). */
const MAX_EXPANSIONS = 64;
const LOCAL_ROUNDS = 8;

export function analyzeFile(file: string, text: string, options: AnalysisOptions, project: ProjectFacts): FileAnalysis {
  return prepareFile(file, text, options).analyze(project);
}

export function prepareFile(file: string, text: string, options: AnalysisOptions): PreparedFile {
  const language = options.language ?? languageFor(file, text);
  const pre =
    options.previousPreprocess?.(text, language) ?? preprocess(file, text, { ...options, cplusplus: language === 'cpp' ? true : file.endsWith('.c') ? false : undefined });
  const definedHere = new Set(pre.macros.names());
  const hidden = options.blank?.length ? [...options.blank, ...pre.blank] : pre.blank;
  const parsedText = neutralize(text, definedHere, hidden);
  const tree = parse(parsedText, language, options.previousTree?.(parsedText, language), options.blank);
  const lines = new LineMap(text);
  const analyzer = new FileAnalyzer(file, text, parsedText, tree, lines, pre, options, language);
  return {
    file,
    language,
    analyze(project) {
      const { calls, wrappers } = analyzer.run(project);
      const reusable: ReusableCalls | undefined = options.previousCalls && {
        calls,
        occurrences: analyzer.occurrences,
        project,
        callees: analyzer.callees,
        reusable: wrappers.length === 0 && analyzer.pointers.length === 0,
        kept: analyzer.keptCalls,
      };
      const analysis = { file, text, language, tree, lines, pre, calls, wrappers, pointers: analyzer.pointers, callees: analyzer.callees, occurrences: analyzer.occurrences, lookups: analyzer.lookups, typeLookups: analyzer.typeLookups, reusable };
      // a run keeps every file's analysis: what only the next version of a buffer can use is not kept with it
      if (!options.previousCalls) {
        pre.macros.releaseIndexes();
        return { ...analysis, errorCount: countErrors(tree) };
      }
      return withErrorCount(analysis);
    },
  };
}

/**
 * The analysis with its parse errors counted when first asked: a walk of every erroneous subtree, which the
 * language server never needs. (Only for the language server: a run counts at once, since a getter keeps what
 * it reads alive as long as the analysis, and a run keeps every file's analysis.)
 */
function withErrorCount(analysis: Omit<FileAnalysis, 'errorCount'>): FileAnalysis {
  let count: number | undefined;
  return {
    ...analysis,
    get errorCount() {
      return (count ??= countErrors(analysis.tree));
    },
  };
}

function countErrors(tree: Tree): number {
  if (!tree.rootNode.hasError) return 0;
  let n = 0;
  const cursor = tree.walk();
  if (!cursor.gotoFirstChild()) return 0;
  // a loop, not recursion: code nested thousands of levels deep would overflow the stack
  for (;;) {
    const node = cursor.currentNode;
    if (node.type === 'ERROR' || node.isMissing) n++;
    else if (node.hasError && cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return n;
  }
}

type CalleeKind = 'api' | 'macro' | 'wrapper' | 'pointer' | 'declared';
type Resolved = Typed | { unknown: Reason } | { parameter: string; unknown: Reason };

const IDENTIFIER_TYPES = new Set(['identifier', 'field_identifier', 'type_identifier', 'namespace_identifier']);
const SKIP_TYPES = new Set(['comment', 'string_literal', 'string_content', 'raw_string_literal', 'char_literal', 'system_lib_string', 'preproc_arg', 'concatenated_string']);
const FUNCTION_TYPES = new Set(['function_definition', 'lambda_expression']);
const DECLARATOR_WRAPPERS = new Set(['pointer_declarator', 'reference_declarator', 'array_declarator', 'parenthesized_declarator']);
/** Only functions named by a plain (maybe qualified) identifier become wrappers: not operators or specialisations. */
const PLAIN_FUNCTION_NAME = /^[\w$:~]+$/;
const HEADER_EXTENSION = /\.(?:h|hh|hpp|hxx|h\+\+|inl|ipp|tpp)$/i;

class FileAnalyzer {
  readonly occurrences = new Map<string, number[]>();
  /** What the macro expansions of this file may still produce (macros.ts FILE_EXPANSION_BUDGET). */
  private readonly expansionBudget = { left: FILE_EXPANSION_BUDGET };
  /** The text's words and their offsets, once many names have been searched for (see occurrencesOf). */
  private words?: Map<string, number[]>;
  private searches = 0;
  /** See FileAnalysis.lookups and typeLookups. */
  readonly lookups = new Set<string>();
  readonly typeLookups = new Set<string>();
  private readonly resolving = new Set<string>();
  private project: ProjectFacts = { wrappers: new Map() };
  readonly pointers: PointerBinding[];
  private functionNames?: Set<string>;
  /** The callee names of the last search for calls. */
  callees: string[] = [];

  constructor(
    readonly file: string,
    readonly text: string,
    readonly parsedText: string,
    readonly tree: Tree,
    readonly lines: LineMap,
    readonly pre: PreprocessResult,
    readonly options: AnalysisOptions,
    readonly language: Language,
  ) {
    this.pointers = findPointerBindings(tree, parsedText, this.procAddressMacroInvocations());
  }

  get model(): TargetModel {
    return this.options.model;
  }

  /** Finds the calls and the wrappers of this file; wrappers it defines are followed within the file too. */
  run(project: ProjectFacts): { calls: FoundCall[]; wrappers: WrapperModel[] } {
    let local: WrapperModel[] = [];
    let result = { calls: [] as FoundCall[], wrappers: [] as WrapperModel[] };
    for (let round = 0; round < LOCAL_ROUNDS; round++) {
      this.project = withLocalWrappers(project, local);
      // calls are taken over from the previous version only in a file without wrappers of its own
      const calls = this.findCalls(round === 0 ? project : undefined);
      const wrappers = this.findWrappers(calls);
      result = { calls, wrappers };
      const same = wrappers.length === local.length && wrappers.every((w, i) => w.name === local[i]!.name);
      if (same) break;
      local = wrappers;
    }
    return result;
  }

  // ---- finding calls ----

  /** Names whose calls can reach an API: the APIs, macros that expand to one, wrappers, pointers. */
  private calleeNames(): Map<string, CalleeKind> {
    const names = new Map<string, CalleeKind>();
    const { wrappers, overloads } = this.project;
    // a run that found thousands of wrappers: only those whose names occur in this file (or in a macro it can
    // expand) are taken, so the work per file grows with the file, not with the run
    const many = sizeAbove(wrappers, MANY_NAMES) || (!!overloads && sizeAbove(overloads, MANY_NAMES));
    const present = many ? this.fileWords() : undefined;
    const isRunWrapper = (name: string) => wrappers.has(name) || !!overloads?.has(name);
    for (const name of wrappers.keys()) if (!present || present.has(name)) names.set(name, 'wrapper');
    for (const name of overloads?.keys() ?? []) if (!present || present.has(name)) names.set(name, 'wrapper');
    for (const d of this.project.declared ?? []) names.set(d.name, 'declared');
    for (const p of this.pointers) if (!names.has(p.name) && !(present && isRunWrapper(p.name))) names.set(p.name, 'pointer');
    const leadsToApi = (body: Token[]) => body.some((t) => t.kind === 'ident' && (apiModel(t.text) || names.has(t.text) || (many && isRunWrapper(t.text))));
    for (const word of this.apiWordsInText()) names.set(word, 'api');
    // macros that expand (maybe through other macros) to a call of an API, wrapper or pointer: found backwards
    // from those names first, so that only macros that can lead to one are looked at (in the table's order)
    const table = this.pre.macros;
    const mentioningApis = table.macrosMentioningAny(apiModel);
    // (the macros that mention a wrapper whose name this file does not: found from the macros' side)
    const mentioningWrappers = many ? table.macrosMentioningAny(isRunWrapper) : [];
    const reachable = new Set<string>([...mentioningApis, ...mentioningWrappers]);
    const queue = [...names.keys(), ...mentioningApis, ...mentioningWrappers];
    while (queue.length > 0) {
      for (const m of table.macrosMentioning(queue.pop()!)) {
        if (reachable.has(m)) continue;
        reachable.add(m);
        queue.push(m);
      }
    }
    let changed = reachable.size > 0;
    const macroNames = changed ? [...table.names()].filter((n) => reachable.has(n)) : [];
    while (changed) {
      changed = false;
      for (const name of macroNames) {
        if (names.has(name) || (many && isRunWrapper(name))) continue;
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

  /**
   * The whole-word offsets of a name. `use` says which of its declarations can matter: any (`lookup`), a
   * `typedef`, or only those a scoped lookup decides with (`scoped`: resolveIdentifierUncached records them).
   */
  private occurrencesOf(name: string, use: 'lookup' | 'typedef' | 'scoped' = 'lookup'): number[] {
    if (use !== 'scoped') this.reads?.names.add(name);
    if (use === 'lookup') this.lookups.add(name);
    else if (use === 'typedef') this.typeLookups.add(name);
    let list = this.occurrences.get(name) ?? this.options.knownOccurrences?.(name);
    if (list) {
      this.occurrences.set(name, list);
      return list;
    }
    // a run with thousands of wrappers asks every file for each name: past a few searches the file's words are
    // indexed once, with their offsets (the same as a search for each: whole words, in text order)
    const words = ++this.searches > MANY_NAMES ? this.fileWords() : undefined;
    list = words ? (words.get(name) ?? []) : wordOccurrences(this.parsedText, name);
    this.occurrences.set(name, list);
    return list;
  }

  /** The words of the parsed text, listed once (see occurrencesOf and calleeNames). */
  private fileWords(): Map<string, number[]> {
    return (this.words ??= wordIndex(this.parsedText));
  }

  /** `project`: the facts from outside the file, when calls of the previous version may be taken over. */
  findCalls(project?: ProjectFacts): FoundCall[] {
    const names = this.calleeNames();
    this.callees = [...names.keys()];
    this.keptCalls = 0;
    const previous = project && this.options.previousCalls?.(this.tree);
    const kept = previous && reusableCalls(previous, this.tree, this.parsedText, this.file, project, this.callees);
    const calls: FoundCall[] = [];
    const seen = new Set<number>();
    for (const [name, kind] of names) {
      for (const offset of this.occurrencesOf(name)) {
        checkTimeLimit();
        const same = kept?.get(offset);
        if (same) {
          if (!seen.has(same.start)) {
            calls.push(...same.calls);
            this.keptCalls += same.calls.length;
          }
          seen.add(same.start);
          continue;
        }
        const site = this.callSiteAt(offset, name);
        if (!site || seen.has(site.start)) continue;
        const reads = this.collect ? (this.reads = { names: new Set([name]), scoped: new Set<string>(), spots: [] }) : undefined;
        try {
          const recipes = this.recipesAt(site, name, kind);
          if (recipes.length === 0) continue;
          seen.add(site.start);
          for (const recipe of recipes) for (const call of this.realize(recipe, undefined, [])) calls.push(reads ? { ...call, reads } : call);
        } finally {
          this.reads = undefined;
        }
      }
    }
    return calls.sort((a, b) => a.range.start.offset - b.range.start.offset);
  }

  /** What the call site being analysed reads, when the language server wants to know. */
  private reads: CallReads | undefined;
  /** Calls the last search took over from the previous version of the buffer. */
  keptCalls = 0;

  /** Finds the call whose callee is the name at `offset`, from the tree or, inside ERROR regions, from tokens. */
  private callSiteAt(offset: number, name: string): CallSite | undefined {
    const node = this.tree.rootNode.descendantForIndex(offset, offset + name.length);
    if (SKIP_TYPES.has(node.type)) return undefined;
    if (!IDENTIFIER_TYPES.has(node.type) || node.startIndex !== offset) {
      // the name may be split oddly inside an ERROR region; fall through to the token reading
      if (!hasErrorAncestor(node)) return undefined;
      return this.tokenCallSite(offset, name);
    }
    let callee: SyntaxNode = node;
    let member = false;
    for (;;) {
      const parent = callee.parent;
      if (!parent) break;
      if (parent.type === 'qualified_identifier' && parent.childForFieldName('name')?.startIndex === callee.startIndex) callee = parent;
      else if (parent.type === 'field_expression' && parent.childForFieldName('field')?.startIndex === callee.startIndex) {
        callee = parent;
        member = true;
      } else if (parent.type === 'parenthesized_expression' || parent.type === 'pointer_expression') callee = parent;
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
      return { start: parent.startIndex, end: parent.endIndex, calleeStart: offset, args, node: parent, member };
    }
    // declarations and definitions of the name are not calls
    if (parent && (parent.type === 'function_declarator' || parent.type === 'init_declarator' || parent.type === 'parameter_declaration')) return undefined;
    if (hasErrorAncestor(node) || parent?.type === 'macro_type_specifier' || parent?.type === 'expression_statement') return this.tokenCallSite(offset, name);
    return undefined;
  }

  /** Reads `name ( args )` from the text, for calls tree-sitter could not place in a call_expression. */
  private tokenCallSite(offset: number, name: string): CallSite | undefined {
    const before = this.parsedText.slice(Math.max(0, offset - 40), offset).trimEnd();
    if (before && !/(?:[=(,;{}?:!&|^+\-*/%<>[~.]|\breturn)$/.test(before) && !this.followsDirective(offset)) return undefined;
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
    const member = /(?:\.|->)$/.test(before);
    return { start: offset, end, calleeStart: offset, args, node: undefined, member };
  }

  /** True when only whitespace separates `offset` from a preprocessor directive line before it. */
  private followsDirective(offset: number): boolean {
    const head = this.parsedText.slice(Math.max(0, offset - 4000), offset);
    if (!/\n[ \t]*$/.test(head)) return false;
    const lines = head.replace(/\s+$/, '').split(/\r?\n/);
    // a directive continued over several lines with backslashes starts further up
    let k = lines.length - 1;
    while (k > 0 && lines[k - 1]!.endsWith('\\')) k--;
    return /^\s*#/.test(lines[k] ?? '');
  }

  /** What the call at a site reaches: one recipe per API, wrapper or pointer call it makes (several through a macro). */
  private recipesAt(site: CallSite, name: string, kind: CalleeKind): CallRecipe[] {
    const line = this.lines.position(site.start).line;
    const callText = this.parsedText.slice(site.start, site.end);
    const base: CallBase = {
      file: this.file,
      range: this.range(site.calleeStart, site.end),
      callText: callText.replace(/\s+/g, ' ').trim(),
      enclosingFunction: this.enclosingFunctionName(site.start),
    };
    const written = () => site.args.map((a) => ({ tokens: tokenize(a.text), range: a.range }));
    const recipe = (target: CallRecipe['target'], args: CallRecipe['args'], evidence: EvidenceStep[]): CallRecipe => ({ target, callee: name, args, line, site, base, evidence });
    switch (kind) {
      case 'api':
        return [recipe({ kind: 'api', model: apiModel(name)! }, written(), [])];
      case 'wrapper':
        return [recipe({ kind: 'wrapper', name, member: site.member }, written(), [])];
      case 'declared': {
        const declared = this.project.declared?.find((d) => d.name === name);
        return declared ? [recipe({ kind: 'declared', wrapper: declared }, written(), [])] : [];
      }
      case 'pointer': {
        const binding = this.pointerAt(name, site.start, site.member);
        if (!binding) return [];
        return [recipe({ kind: 'api', model: apiModel(binding.api)! }, written(), [this.pointerStep(binding)])];
      }
      case 'macro':
        break;
    }
    // a macro: expand the whole call and look for API, wrapper and pointer calls in the result
    const ctx: ExpansionContext = { lookup: (n) => this.macroAt(n, line), expansions: [], fileBudget: this.expansionBudget };
    const expanded = expand(tokenize(callText), ctx);
    const macroStep: EvidenceStep = {
      file: this.file,
      range: base.range,
      kind: 'macro',
      message: `${name}(...) expands to ${truncate(tokensToText(expanded), 160)}`,
    };
    const found: CallRecipe[] = [];
    for (let i = 0; i < expanded.length; i++) {
      const t = expanded[i]!;
      if (t.kind !== 'ident' || expanded[i + 1]?.text !== '(') continue;
      const memberCall = expanded[i - 1]?.text === '.' || expanded[i - 1]?.text === '->';
      let target: CallRecipe['target'] | undefined;
      const evidence = [macroStep];
      const model = memberCall ? undefined : apiModel(t.text);
      if (model) target = { kind: 'api', model };
      else if (this.hasWrapperName(t.text)) target = { kind: 'wrapper', name: t.text, member: memberCall };
      else {
        const declared = this.project.declared?.find((d) => d.name === t.text);
        const binding = declared ? undefined : this.pointerAt(t.text, site.start, memberCall);
        if (declared) target = { kind: 'declared', wrapper: declared };
        else if (binding) {
          target = { kind: 'api', model: apiModel(binding.api)! };
          evidence.push(this.pointerStep(binding));
        }
      }
      if (!target) continue;
      const split = splitArguments(expanded, i + 1);
      if (!split) continue;
      found.push(recipe(target, split.args.map((tokens) => ({ tokens })), evidence));
      i = split.close;
    }
    return found;
  }

  private pointerStep(binding: PointerBinding): EvidenceStep {
    const what = binding.kind === 'field' ? `field ${binding.name}` : binding.name;
    return {
      file: this.file,
      range: this.range(binding.origin.start, binding.origin.end),
      kind: 'pointer',
      message: `${what} points to ${binding.api}: ${truncate(binding.origin.text, 140)}`,
    };
  }

  /** The pointer binding a call through `name` at `offset` uses: a local of the function, else a global or a field. */
  private pointerAt(name: string, offset: number, member: boolean): PointerBinding | undefined {
    const candidates = this.pointers.filter((p) => p.name === name && p.kind === (member ? 'field' : 'variable'));
    if (member) return candidates[0];
    const local = candidates.find((p) => p.scope && p.scope.start <= offset && offset < p.scope.end);
    if (local) return local;
    const global = candidates.find((p) => !p.scope);
    if (!global) return undefined;
    const fn = this.enclosingFunction(offset);
    if (fn && declaresLocal(fn, name, this.parsedText)) return undefined;
    return global;
  }

  // ---- evaluating a call ----

  /** Evaluates a recipe: with `bindings`, the parameters of its function take the given values (a wrapper's instantiation). */
  private realize(recipe: CallRecipe, bindings: Map<string, ArgBinding> | undefined, stack: readonly WrapperModel[]): FoundCall[] {
    const saved = this.bindings;
    this.bindings = bindings;
    try {
      switch (recipe.target.kind) {
        case 'api':
          return [this.buildCall(recipe, recipe.target.model, bindings)];
        case 'declared':
          return [this.buildDeclared(recipe, recipe.target.wrapper, bindings)];
        case 'wrapper':
          return this.realizeWrapperCall(recipe, recipe.target.name, recipe.target.member, bindings, stack);
      }
    } finally {
      this.bindings = saved;
    }
  }

  private realizeWrapperCall(recipe: CallRecipe, name: string, member: boolean, bindings: Map<string, ArgBinding> | undefined, stack: readonly WrapperModel[]): FoundCall[] {
    const wrapper = this.wrapperFor(name, member, recipe.site);
    if (!wrapper || stack.includes(wrapper) || stack.length >= MAX_WRAPPER_DEPTH) return [];
    const args = recipe.args.map((a) => this.bindArgument(a, recipe, bindings));
    const inner = wrapper.instantiate(args, [...stack, wrapper]);
    const argText = args.map((a) => ('unknown' in a.value ? '?' : a.value.value.toString())).join(', ');
    const step: EvidenceStep = {
      file: this.file,
      range: recipe.base.range,
      kind: 'wrapper',
      message: `${this.caller(recipe, bindings)} calls ${wrapper.name}(${argText})`,
    };
    const out: FoundCall[] = [];
    const seen = new Set<string>();
    for (const call of inner) {
      // a wrapper with several calls of the same kind (a fallback path, a retry) gives the caller one finding
      // (an unproven size only ever gives the same unresolved-size report, whatever the flags)
      const large = call.flags?.value.known ? String(call.flags.value.value & MEM_LARGE_PAGES) : '?';
      const key = call.size.value.known
        ? `${call.api}|${call.size.value.value}|${large}|${call.reserves}|${valueKey(call.offset?.value)}`
        : `${call.api}|${valueKey(call.size.value)}|${call.reserves !== false}|${valueKey(call.offset?.value)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        ...call,
        ...recipe.base,
        loc: this.loc(recipe.base.range),
        callee: recipe.callee,
        evidence: [...recipe.evidence, step, ...call.evidence],
        recipe,
      });
      if (out.length >= MAX_EXPANSIONS) break;
    }
    return out;
  }

  /** "main", "file scope", or inside an instantiated wrapper "make_arena(n = 3)". */
  private caller(recipe: CallRecipe, bindings: Map<string, ArgBinding> | undefined): string {
    const fn = recipe.base.enclosingFunction;
    if (!bindings) return fn || 'file scope';
    return `${fn}(${[...bindings].map(([k, v]) => `${k} = ${'unknown' in v.value ? '?' : v.value.value}`).join(', ')})`;
  }

  private bindArgument(arg: CallRecipe['args'][number], recipe: CallRecipe, bindings: Map<string, ArgBinding> | undefined): ArgBinding {
    const ev = this.evaluateAt(arg.tokens, recipe.site.start, recipe.line, bindings, recipe.site.node);
    const value: ArgBinding['value'] = ev.value.known ? { value: ev.value.value, type: ev.type ?? LLONG } : { unknown: ev.value.cause };
    if (!bindings) {
      return { value, origin: arg.range ? { range: arg.range, text: tokensToText(arg.tokens), macros: ev.expansions.map((e) => e.name) } : undefined };
    }
    return { value, origin: passedThrough(arg.tokens, ev, bindings) };
  }

  private buildCall(recipe: CallRecipe, model: ApiModel, bindings: Map<string, ArgBinding> | undefined): FoundCall {
    const { args, site, line, base } = recipe;
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
      const ev = this.evaluateAt(tokens, site.start, line, bindings, site.node);
      if (bindings) {
        // inside a wrapper: a parameter passed straight through is written at the outermost caller
        const origin = pointee ? undefined : passedThrough(tokens, ev, bindings);
        return origin
          ? { value: ev.value, text: origin.text, sourceRange: origin.range, macros: origin.macros }
          : { value: ev.value, text: tokensToText(a.tokens), macros: ev.expansions.map((e) => e.name) };
      }
      return { value: ev.value, text: tokensToText(a.tokens), sourceRange: pointee ? undefined : a.range, macros: ev.expansions.map((e) => e.name) };
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
      callee: recipe.callee,
      ...base,
      loc: this.loc(base.range),
      size,
      flags,
      address,
      offset,
      reserves: model.family === 'reserve' ? reserves(flags?.value, address?.value) : undefined,
      evidence: [...recipe.evidence, ...macroSteps],
      recipe,
    };
  }

  /** A call of a wrapper the configuration declares: it reserves its `sizeArg` argument's bytes. */
  private buildDeclared(recipe: CallRecipe, declared: DeclaredWrapper, bindings: Map<string, ArgBinding> | undefined): FoundCall {
    const a = recipe.args[declared.sizeArg];
    let size: ArgValue;
    if (!a) size = { value: unknownValue({ kind: 'missing-argument', position: declared.sizeArg + 1 }), text: '', macros: [] };
    else {
      const ev = this.evaluateAt(a.tokens, recipe.site.start, recipe.line, bindings, recipe.site.node);
      const origin = bindings ? passedThrough(a.tokens, ev, bindings) : a.range ? { range: a.range, text: tokensToText(a.tokens), macros: ev.expansions.map((e) => e.name) } : undefined;
      size = { value: ev.value, text: origin?.text ?? tokensToText(a.tokens), sourceRange: origin?.range, macros: origin?.macros ?? ev.expansions.map((e) => e.name) };
    }
    const step: EvidenceStep = {
      file: this.file,
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
      loc: this.loc(recipe.base.range),
      size,
      reserves: true,
      evidence: [...recipe.evidence, step],
      recipe,
    };
  }

  // ---- wrappers ----

  private hasWrapperName(name: string): boolean {
    return this.project.wrappers.has(name) || !!this.project.overloads?.has(name);
  }

  /** The wrapper a call of `name` in this file reaches: this file's own, else the one other files share. */
  private wrapperFor(name: string, member: boolean, site?: CallSite): WrapperModel | undefined {
    const all = this.project.overloads?.get(name) ?? [this.project.wrappers.get(name)].filter((w): w is WrapperModel => !!w);
    const fits = all.filter((w) => (member ? w.member && this.mayBeObjectOf(w, site) : !w.member || w.file === this.file));
    const own = fits.find((w) => w.file === this.file);
    if (own) return own;
    // a function of that name defined here, but not a wrapper, is the one called
    if (this.definedFunctions().has(name)) return undefined;
    const shared = fits.filter((w) => !w.fileLocal);
    return shared.length === 1 ? shared[0] : undefined;
  }

  /**
   * Whether `obj.name(...)` / `p->name(...)` at `site` can call the member wrapper `w`. When the file declares
   * the object (a local, a parameter, a global or a class member) the declared type decides: `bytes.Alloc(4)`
   * with `ByteBuffer bytes;` is not `MidBuf::Alloc`. Otherwise the wrapper's class must be named nearby: in a
   * file that does not define the wrapper, anywhere in the file (`v.reserve(n)` in a file that never names
   * Arena is std::vector's reserve); in the file that defines it, in the calling function or as its class
   * (7-Zip's HashCalc.cpp defines a buffer class with an `Alloc` that reserves, and calls `Hash.Alloc(4)` on a
   * member of another class declared in a header).
   */
  private mayBeObjectOf(w: WrapperModel, site: CallSite | undefined): boolean {
    const name = w.className;
    if (!name) return true;
    const receiver = site && this.receiverOf(site);
    const declared = receiver && this.declaredTypeOf(receiver.name, receiver.offset);
    if (declared !== undefined) return wordOccurrences(declared, name).length > 0;
    if (w.file !== this.file) return this.mentions(name);
    const fn = site && this.enclosingFunction(site.start);
    if (!fn) return true;
    const own = functionName(fn, this.parsedText);
    if (own?.split('::').slice(-2, -1)[0] === name || enclosingClassName(fn, this.parsedText) === name) return true;
    // (named in code: a comment that mentions the class does not count)
    return this.occurrencesOf(name).some((at) => at > fn.startIndex && at < fn.endIndex && this.occurrenceAt(at, name) !== null);
  }

  /** The object a member call is made on, when it is a plain name (`buf.Alloc(...)`, `p->Alloc(...)`). */
  private receiverOf(site: CallSite): { name: string; offset: number } | undefined {
    const callee = site.node?.childForFieldName('function');
    if (callee?.type !== 'field_expression') return undefined;
    const object = callee.childForFieldName('argument');
    if (object?.type !== 'identifier') return undefined;
    return { name: this.parsedText.slice(object.startIndex, object.endIndex), offset: object.startIndex };
  }

  /**
   * The type written where the file declares `name` for a use at `offset`: the latest declaration before it in
   * the same function (a local or a parameter), else one outside every function (a global or a class member).
   * Undefined when the file declares no such name.
   */
  private declaredTypeOf(name: string, offset: number): string | undefined {
    const fn = this.enclosingFunction(offset);
    let local: string | undefined;
    let outside: string | undefined;
    for (const at of this.occurrencesOf(name)) {
      const occurrence = this.occurrenceAt(at, name);
      if (!occurrence) continue;
      const { declared, parent } = occurrence;
      const decl = parent.type === 'init_declarator' ? parent.parent : parent;
      if (!decl || !DECLARATIONS.has(decl.type) || !declaresName(parent, declared)) continue;
      const type = decl.childForFieldName('type');
      if (!type) continue;
      const text = this.parsedText.slice(type.startIndex, type.endIndex);
      const inFunction = this.enclosingFunction(at);
      if (fn && inFunction?.startIndex === fn.startIndex) {
        if (at < offset) local = text;
      } else if (!inFunction) outside ??= text;
    }
    const written = local ?? outside;
    // `auto`, `decltype(...)` and a type alias say nothing by their name: as if undeclared
    if (written === undefined || /^(?:auto|decltype)\b/.test(written.replace(/\b(?:const|volatile|static)\b/g, '').trim())) return undefined;
    const typeName = /[A-Za-z_$][\w$]*(?=\s*(?:<|$))/.exec(written.trim())?.[0];
    return typeName && this.isTypeAlias(typeName) ? undefined : written;
  }

  /** Whether the file declares `name` as a type alias (`typedef ... name;`, `using name = ...;`). */
  private isTypeAlias(name: string): boolean {
    return this.occurrencesOf(name, 'typedef').some((at) => {
      const node = this.tree.rootNode.descendantForIndex(at, at + name.length);
      if (node.type !== 'type_identifier' || node.startIndex !== at) return false;
      const parent = node.parent;
      if (parent?.type === 'type_definition') return parent.childrenForFieldName('declarator').some((d) => d.startIndex === at);
      return parent?.type === 'alias_declaration' && parent.childForFieldName('name')?.startIndex === at;
    });
  }

  private mentions(word: string): boolean {
    return this.occurrencesOf(word).length > 0;
  }

  private definedFunctions(): Set<string> {
    if (this.functionNames) return this.functionNames;
    const names = new Set<string>();
    const visit = (node: SyntaxNode) => {
      for (const child of node.namedChildren) {
        if (child.type === 'function_definition') {
          const name = functionName(child, this.parsedText);
          if (name) names.add(name.split('::').pop()!);
        } else if (['declaration_list', 'namespace_definition', 'linkage_specification', 'preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'class_specifier', 'struct_specifier', 'field_declaration_list', 'template_declaration'].includes(child.type)) {
          visit(child);
        }
      }
    };
    visit(this.tree.rootNode);
    return (this.functionNames = names);
  }

  /** Functions with a call whose size, flags or address depends on one of their parameters become wrappers. */
  findWrappers(calls: FoundCall[]): WrapperModel[] {
    const byFunction = new Map<number, { fn: SyntaxNode; name: string; recipes: Set<CallRecipe> }>();
    for (const call of calls) {
      // the reasons first: most calls depend on no parameter, and need no look at their function
      const mentions = [call.size.value, call.flags?.value, call.address?.value].flatMap((v) => (v && !v.known ? parametersIn(v.cause) : []));
      if (mentions.length === 0) continue;
      const fn = this.enclosingFunction(call.recipe.site.start);
      if (!fn || fn.type !== 'function_definition') continue;
      const name = functionName(fn, this.parsedText);
      if (!name) continue;
      const params = functionParams(fn, this.parsedText).map((p) => p.name);
      const depends = mentions.some((m) => m.fn === name && PLAIN_FUNCTION_NAME.test(name) && params.includes(m.parameter));
      if (!depends) continue;
      let entry = byFunction.get(fn.startIndex);
      if (!entry) byFunction.set(fn.startIndex, (entry = { fn, name, recipes: new Set() }));
      entry.recipes.add(call.recipe);
    }
    const wrappers: WrapperModel[] = [];
    for (const { fn, name, recipes } of byFunction.values()) {
      const params = functionParams(fn, this.parsedText);
      const shortName = name.split('::').pop()!;
      // the API's own implementation (Wine's kernelbase defines VirtualAlloc): its callers are API calls already
      if (apiModel(shortName)) continue;
      const wrapper: WrapperModel = {
        name: shortName,
        params: params.map((p) => p.name),
        file: this.file,
        range: this.range(fn.startIndex, fn.endIndex),
        fileLocal: !HEADER_EXTENSION.test(this.file) && isStatic(fn, this.parsedText),
        member: name.includes('::') || isInClass(fn),
        className: name.includes('::') ? name.split('::').slice(-2, -1)[0] : enclosingClassName(fn, this.parsedText),
        instantiate: (args, stack) => {
          const bindings = new Map<string, ArgBinding>();
          params.forEach((p, i) => {
            if (!p.name) return;
            const a = args[i];
            bindings.set(p.name, a ? this.convertArgument(a, p.type) : { value: { unknown: { kind: 'argument-not-given', position: i + 1, fn: shortName } } });
          });
          const out: AllocationCall[] = [];
          for (const recipe of recipes) {
            for (const call of this.realize(recipe, bindings, stack)) {
              if (recipe.target.kind === 'wrapper') out.push(call);
              else {
                const step: EvidenceStep = { file: this.file, range: recipe.base.range, kind: 'call', message: `${this.caller(recipe, bindings)} calls ${call.api}` };
                out.push({ ...call, evidence: [step, ...call.evidence] });
              }
            }
          }
          return out;
        },
      };
      wrappers.push(wrapper);
    }
    return wrappers;
  }

  /** A caller's value converted to the parameter's declared type, as the call does. */
  private convertArgument(arg: ArgBinding, typeText: string): ArgBinding {
    if ('unknown' in arg.value) return arg;
    const type = this.typeOf(typeText);
    if (!type || type.name === 'pointer') return arg;
    const value = type.unsigned ? BigInt.asUintN(type.bits, arg.value.value) : BigInt.asIntN(type.bits, arg.value.value);
    return { value: { value, type }, origin: value === arg.value.value ? arg.origin : undefined };
  }

  // ---- evaluation environment ----

  macroAt(name: string, line: number): MacroLookup {
    return this.pre.macros.lookup(name, line);
  }

  /** Parameter values of the wrapper being instantiated, seen by every evaluation under it. */
  private bindings: Map<string, ArgBinding> | undefined;

  evaluateAt(tokens: readonly Token[], offset: number, line: number, bindings = this.bindings, callNode?: SyntaxNode): Evaluation {
    const env: EvalEnv = {
      model: this.model,
      cplusplus: this.language === 'cpp',
      macros: (name) => this.macroAt(name, line),
      expansionBudget: this.expansionBudget,
      identifier: (name) => {
        const resolved = this.resolveIdentifier(name, offset, callNode);
        if (resolved && 'parameter' in resolved) return bindings?.get(resolved.parameter)?.value ?? { unknown: resolved.unknown };
        if (resolved) return resolved;
        return this.headerConstant(name, line, new Set()) ?? windowsConstant(name);
      },
      typedef: (name) => this.resolveTypedef(name),
    };
    return evaluateTokens(tokens, env);
  }

  /** A constant declared in an included header, evaluated with the macros in force at `line`. */
  private headerConstant(name: string, line: number, active: Set<string>): Typed | { unknown: Reason } | undefined {
    const lookup = this.options.headerConstant;
    if (!lookup || active.has(name)) return active.has(name) ? { unknown: { kind: 'self-reference', name } } : undefined;
    let found: HeaderConstant | undefined;
    for (const header of this.pre.dependencies) if ((found = lookup(header, name))) break;
    if (!found) return undefined;
    active.add(name);
    try {
      const env: EvalEnv = {
        model: this.model,
        cplusplus: this.language === 'cpp',
        macros: (n) => this.macroAt(n, line),
        expansionBudget: this.expansionBudget,
        identifier: (n) => this.headerConstant(n, line, active) ?? windowsConstant(n),
        typedef: (n) => this.resolveTypedef(n),
      };
      const base = found.expr === undefined ? { value: { known: true as const, value: 0n }, type: INT, expansions: [] } : evaluateTokens(tokenize(found.expr), env);
      if (!base.value.known) return { unknown: { kind: 'in-header', name, file: found.file.split(/[\\/]/).pop()!, line: found.line, inner: base.value.cause } };
      const declared = found.typeText ? this.typeOf(found.typeText) : undefined;
      const type = declared ?? base.type ?? INT;
      const value = base.value.value + BigInt(found.step);
      return { value: type.unsigned ? BigInt.asUintN(type.bits, value) : BigInt.asIntN(type.bits, value), type };
    } finally {
      active.delete(name);
    }
  }

  /** Finds what a name means at `offset`: a local, a parameter, a const global, an enumerator. */
  private resolveIdentifier(name: string, offset: number, callNode?: SyntaxNode): Resolved | undefined {
    const key = `${name}@${offset}`;
    if (this.resolving.has(key)) return { unknown: { kind: 'self-reference', name } };
    // a long chain of names each defined by the next would otherwise exhaust the stack
    if (this.resolving.size >= MAX_RESOLVE_DEPTH) return { unknown: { kind: 'too-deep', name } };
    this.resolving.add(key);
    try {
      return this.resolveIdentifierUncached(name, offset, callNode);
    } finally {
      this.resolving.delete(key);
    }
  }

  /** Each occurrence's identifier node, and the declarator level and parent above it; asked once per call that resolves the name. */
  private readonly occurrences_ = new Map<number, { declared: SyntaxNode; parent: SyntaxNode } | null>();

  private occurrenceAt(at: number, name: string): { declared: SyntaxNode; parent: SyntaxNode } | null {
    let found = this.occurrences_.get(at);
    if (found !== undefined) return found;
    found = null;
    const node = this.tree.rootNode.descendantForIndex(at, at + name.length);
    if (IDENTIFIER_TYPES.has(node.type) && node.startIndex === at) {
      // `void *base`, `char (*p)[4]`: the name sits in a pointer or array declarator of the declaration
      let declared: SyntaxNode = node;
      while (declared.parent && DECLARATOR_WRAPPERS.has(declared.parent.type) && declared.parent.childForFieldName('declarator')?.startIndex === declared.startIndex) declared = declared.parent;
      if (declared.parent) found = { declared, parent: declared.parent };
    }
    this.occurrences_.set(at, found);
    return found;
  }

  private readonly deciding_ = new Map<string, number[]>();

  /**
   * The occurrences of a name that can decide its value (the parent types the switch below handles), found once
   * per file: names like NULL or MEM_RESERVE occur at every call and decide nothing.
   */
  private deciding(name: string): number[] {
    this.reads?.scoped.add(name);
    let list = this.deciding_.get(name);
    if (!list) {
      list = this.occurrencesOf(name, 'scoped').filter((at) => {
        if (!mayDecideValue(this.parsedText, at, at + name.length)) return false;
        const occurrence = this.occurrenceAt(at, name);
        return !!occurrence && DECIDING_PARENTS.has(occurrence.parent.type);
      });
      this.deciding_.set(name, list);
    }
    return list;
  }

  /**
   * The deciding occurrences that can matter inside `fn` (or at file level when there is none), in text order:
   * those inside it, those outside every function, and enumerators. An occurrence inside another function never
   * decides (see resolveIdentifierUncached): a file with 4,000 wrappers that all name their parameter `n`
   * resolved `n` 4,000 times against 8,000 occurrences, past any time limit.
   */
  private decidingIn(name: string, fn: SyntaxNode | undefined): number[] {
    const all = this.deciding(name);
    if (all.length <= 64) return all;
    let outside = this.decidingOutside_.get(name);
    if (!outside) {
      outside = all.filter((at) => !this.enclosingFunction(at) || this.occurrenceAt(at, name)?.parent.type === 'enumerator');
      this.decidingOutside_.set(name, outside);
    }
    if (!fn) return outside;
    const inside = all.slice(firstAtOrAfter(all, fn.startIndex), firstAtOrAfter(all, fn.endIndex + 1));
    return mergeSorted(outside, inside);
  }

  private readonly decidingOutside_ = new Map<string, number[]>();

  private resolveIdentifierUncached(name: string, offset: number, callNode?: SyntaxNode): Resolved | undefined {
    const fn = this.enclosingFunction(offset);
    let local: { decl: SyntaxNode; value?: SyntaxNode; typeNode?: SyntaxNode } | undefined;
    let global: { decl: SyntaxNode; value?: SyntaxNode; typeNode?: SyntaxNode } | undefined;
    let enumerator: SyntaxNode | undefined;
    let parameterOf: SyntaxNode | undefined;
    const writes: { node: SyntaxNode; kind: 'assign' | 'modify' | 'address' }[] = [];
    for (const at of this.decidingIn(name, fn)) {
      checkTimeLimit();
      const occurrence = this.occurrenceAt(at, name);
      if (!occurrence) continue;
      const { declared, parent } = occurrence;
      const inFunction = this.enclosingFunction(at);
      const sameFunction = fn && inFunction && inFunction.startIndex === fn.startIndex;
      // what other functions hold never decides, except enumerators
      if (this.reads && (sameFunction || !inFunction || parent.type === 'enumerator')) this.reads.spots.push(at);
      switch (parent.type) {
        case 'enumerator':
          if (parent.childForFieldName('name')?.startIndex === at) enumerator = parent;
          break;
        case 'init_declarator':
        case 'field_declaration':
        case 'declaration': {
          if (!declaresName(parent, declared)) break;
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
          // the parameter's own name, not a type named like it
          if (parent.childForFieldName('declarator')?.startIndex !== declared.startIndex) break;
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
      // an address kept in a variable can write the local at any time
      const stored = before.find((w) => w.kind === 'address' && !isCallArgument(w.node));
      if (stored) return { unknown: { kind: 'address-taken', name } };
      const last = before[before.length - 1];
      if (last) {
        // the last write decides: an assignment made unconditionally before the call (`size = 0x1000;` before
        // each NtAllocateVirtualMemory(..., &size, ...)); a call that got its address, or `+=`, leaves it unknown
        if (last.kind === 'address') return { unknown: { kind: 'address-passed', name } };
        if (last.kind === 'modify') return { unknown: { kind: 'modified', name } };
        const stmt = last.node.parent;
        if (!stmt || stmt.type !== 'expression_statement' || !containsOffset(stmt.parent, offset)) return { unknown: { kind: 'assigned-conditionally', name } };
        return this.valueOf(last.node.childForFieldName('right') ?? undefined, local.typeNode, name);
      }
      if (!local.value) return { unknown: { kind: 'no-initial-value', name } };
      return this.valueOf(local.value, local.typeNode, name);
    }
    if (parameterOf) {
      // a parameter changed before the call no longer holds the caller's value
      const changed = writes.find((w) => w.node.startIndex < offset);
      if (changed) return { unknown: { kind: changed.kind === 'address' ? 'parameter-address-taken' : 'parameter-changed', parameter: name } };
      return { parameter: name, unknown: { kind: 'parameter', parameter: name, fn: functionName(parameterOf, this.parsedText) } };
    }
    // neither a local nor a parameter: what the file declares at its level can decide
    this.lookups.add(name);
    if (enumerator) return this.enumeratorValue(enumerator);
    if (global) {
      if (!isConstDeclaration(global.decl, this.parsedText)) return { unknown: { kind: 'variable', name } };
      if (!global.value) return { unknown: { kind: 'no-initial-value', name } };
      return this.valueOf(global.value, global.typeNode, name);
    }
    return undefined;
  }

  private valueOf(node: SyntaxNode | undefined, typeNode: SyntaxNode | undefined, name: string): Typed | { unknown: Reason } {
    if (!node) return { unknown: { kind: 'no-value', name } };
    const inner = node.type === 'initializer_list' && node.namedChildCount === 1 ? node.namedChildren[0]! : node;
    const line = this.lines.position(inner.startIndex).line;
    const ev = this.evaluateAt(tokenize(this.parsedText.slice(inner.startIndex, inner.endIndex)), inner.startIndex, line);
    // a parameter stays itself, so that the call's function is found to pass it on
    if (!ev.value.known) return { unknown: ev.value.cause.kind === 'parameter' ? ev.value.cause : { kind: 'through-name', name, inner: ev.value.cause } };
    const declared = typeNode ? this.typeOf(this.parsedText.slice(typeNode.startIndex, typeNode.endIndex)) : undefined;
    const type = declared ?? ev.type ?? INT;
    return { value: type.unsigned ? BigInt.asUintN(type.bits, ev.value.value) : BigInt.asIntN(type.bits, ev.value.value), type };
  }

  private typeOf(text: string): IntType | undefined {
    const words = text.replace(/\b(const|constexpr|constinit|static|volatile|inline|extern|register|std::)\b/g, ' ').trim().replace(/\s+/g, ' ');
    return this.model.types.get(words) ?? this.resolveTypedef(words)?.type;
  }

  /**
   * Enumerator values by start offset. Without it `enum { A = 1, B = A << 1, C = B << 1, ... }` costs
   * time exponential in its length: each value re-evaluates every enumerator before it.
   */
  private readonly enumeratorValues = new Map<number, Typed | { unknown: Reason }>();
  /** What the values of memoised enumerators read (those before them in their enum included), replayed on reuse. */
  private readonly enumeratorReads = new Map<number, CallReads>();

  private enumeratorValue(node: SyntaxNode): Typed | { unknown: Reason } {
    // wrapper parameter bindings are in scope of every evaluation: memoise only outside them
    const memo = this.bindings ? undefined : this.enumeratorValues;
    const known = memo?.get(node.startIndex);
    if (known) {
      this.replayReads(this.enumeratorReads.get(node.startIndex));
      return known;
    }
    const list = node.parent;
    if (!list) return { unknown: { kind: 'enumerator-outside-enum' } };
    // one record for the whole enum so far: later enumerators may read more than earlier ones need, which only
    // makes the language server redo a call it could have kept
    const reads: CallReads | undefined = this.collect ? { names: new Set(), scoped: new Set(), spots: [] } : undefined;
    let previous: Typed | { unknown: Reason } | undefined;
    for (const e of list.namedChildren) {
      if (e.type !== 'enumerator') continue;
      const valueNode = e.childForFieldName('value');
      let current: Typed | { unknown: Reason } | undefined = memo?.get(e.startIndex);
      if (current) {
        if (reads) mergeReads(reads, this.enumeratorReads.get(e.startIndex));
      } else if (valueNode) current = this.readingInto(reads, () => this.valueOf(valueNode, undefined, e.childForFieldName('name')?.text ?? 'enumerator'));
      else if (!previous) current = { value: 0n, type: INT };
      else current = 'unknown' in previous ? previous : { value: previous.value + 1n, type: previous.type };
      memo?.set(e.startIndex, current);
      if (memo && reads) this.enumeratorReads.set(e.startIndex, reads);
      if (e.startIndex === node.startIndex) {
        this.replayReads(reads);
        return current;
      }
      previous = current;
    }
    return { unknown: { kind: 'enumerator-not-found' } };
  }

  /** Whether reads are collected at all (the language server asked for calls to take over next time). */
  private get collect(): boolean {
    return !!this.options.previousCalls;
  }

  /** Runs `f` with its reads going to `into` (when collecting). */
  private readingInto<T>(into: CallReads | undefined, f: () => T): T {
    if (!into) return f();
    const outer = this.reads;
    this.reads = into;
    try {
      return f();
    } finally {
      this.reads = outer;
    }
  }

  /** Adds what a memoised answer read to the reads of the call site being analysed. */
  private replayReads(reads: CallReads | undefined): void {
    if (this.reads && reads) mergeReads(this.reads, reads);
  }

  private readonly typedefs = new Map<string, { type?: IntType; size?: number } | undefined>();
  private readonly typedefReads = new Map<string, CallReads>();

  resolveTypedef(name: string): { type?: IntType; size?: number } | undefined {
    if (this.typedefs.has(name)) {
      this.replayReads(this.typedefReads.get(name));
      return this.typedefs.get(name);
    }
    this.typedefs.set(name, undefined); // guards recursion
    const reads: CallReads | undefined = this.collect ? { names: new Set([name]), scoped: new Set(), spots: [] } : undefined;
    if (reads) this.typedefReads.set(name, reads);
    const found = this.readingInto(reads, () => this.findTypedef(name));
    this.replayReads(reads);
    this.typedefs.set(name, found);
    return found;
  }

  private findTypedef(name: string): { type?: IntType; size?: number } | undefined {
    let found: { type?: IntType; size?: number } | undefined;
    if (/^\w+$/.test(name)) {
      for (const at of this.occurrencesOf(name, 'typedef')) {
        const node = this.tree.rootNode.descendantForIndex(at, at + name.length);
        // the type first: `.parent` costs a descent from the root
        if (node.type !== 'type_identifier') continue;
        const parent = node.parent;
        if (parent?.type !== 'type_definition') continue;
        if (parent.childForFieldName('declarator')?.startIndex !== at) continue;
        const typeNode = parent.childForFieldName('type');
        if (!typeNode) continue;
        const typeText = this.parsedText.slice(typeNode.startIndex, typeNode.endIndex);
        this.reads?.spots.push(at);
        const type = this.typeOf(typeText);
        found = type ? { type, size: type.bits / 8 } : undefined;
        break;
      }
    }
    return found;
  }

  // ---- macros that fill pointers (`#define X(f) p##f = (void *)GetProcAddress(mod, #f)`) ----

  private procAddressMacroInvocations(): { start: number; end: number; tokens: Token[] }[] {
    const out: { start: number; end: number; tokens: Token[] }[] = [];
    if (!this.parsedText.includes('GetProcAddress')) return out;
    for (const name of this.pre.macros.macrosMentioning('GetProcAddress')) {
      if (!this.pre.macros.definitions(name).some((d) => d.params && d.body.some((t) => t.text === 'GetProcAddress'))) continue;
      for (const offset of this.occurrencesOf(name)) {
        const site = this.tokenCallSite(offset, name);
        if (!site) continue;
        const line = this.lines.position(offset).line;
        const ctx: ExpansionContext = { lookup: (n) => this.macroAt(n, line), expansions: [], fileBudget: this.expansionBudget };
        out.push({ start: site.start, end: site.end, tokens: expand(tokenize(this.parsedText.slice(site.start, site.end)), ctx) });
      }
    }
    return out;
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

  /** Identifier resolution asks this for every occurrence of a name at every call: remember the answers. */
  private readonly functionAt = new Map<number, SyntaxNode | undefined>();

  enclosingFunction(offset: number): SyntaxNode | undefined {
    if (this.functionAt.has(offset)) return this.functionAt.get(offset);
    const fn = this.findEnclosingFunction(offset);
    this.functionAt.set(offset, fn);
    return fn;
  }

  private findEnclosingFunction(offset: number): SyntaxNode | undefined {
    // not `.parent` upwards: that is quadratic in the nesting depth (ancestry.ts); a lambda's name is its function's
    return enclosingFunctionAt(this.tree, offset, FUNCTION_TYPES, true);
  }

  enclosingFunctionName(offset: number): string {
    const fn = this.enclosingFunction(offset);
    return fn ? functionName(fn, this.parsedText) ?? '' : '';
  }
}

function mergeReads(into: CallReads, from: CallReads | undefined): void {
  if (!from || from === into) return;
  for (const name of from.names) into.names.add(name);
  for (const name of from.scoped) into.scoped.add(name);
  into.spots.push(...from.spots);
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

/** Whether a map has more than `n` keys, without counting them all (a layered map counts by iterating). */
function sizeAbove(map: ReadonlyMap<string, unknown>, n: number): boolean {
  if (map instanceof Map) return map.size > n;
  let count = 0;
  for (const _ of map.keys()) if (++count > n) return true;
  return false;
}

function withLocalWrappers(project: ProjectFacts, local: readonly WrapperModel[]): ProjectFacts {
  if (local.length === 0) return project;
  // layered over the run's facts, not copied: a run with thousands of wrappers copied them all once per file
  const own = new Map<string, WrapperModel>();
  const ownOverloads = new Map<string, readonly WrapperModel[]>();
  for (const w of local) {
    own.set(w.name, w);
    // this file's own definition replaces what an earlier round of the run found for it
    const others = (project.overloads?.get(w.name) ?? [project.wrappers.get(w.name)].filter((o): o is WrapperModel => !!o)).filter((o) => o.file !== w.file);
    ownOverloads.set(w.name, [w, ...others]);
  }
  const wrappers = new LayeredMap(own, project.wrappers);
  // every wrapper has an overload list: the run's, or the wrapper alone
  const overloads = new LayeredMap(ownOverloads, project.overloads ?? new Map<string, readonly WrapperModel[]>(), (name) => {
    const w = project.wrappers.get(name);
    return w && [w];
  }, project.wrappers);
  return { ...project, wrappers, overloads };
}

/**
 * A read-only map of `top` over `base`: `top` wins. `derive` gives values for the keys of `extra` that neither
 * has (the overload list of a wrapper found elsewhere is the wrapper alone).
 */
class LayeredMap<V> implements ReadonlyMap<string, V> {
  constructor(
    private readonly top: ReadonlyMap<string, V>,
    private readonly base: ReadonlyMap<string, V>,
    private readonly derive?: (key: string) => V | undefined,
    private readonly extra?: ReadonlyMap<string, unknown>,
  ) {}

  get(key: string): V | undefined {
    return this.top.get(key) ?? this.base.get(key) ?? (this.extra?.has(key) ? this.derive?.(key) : undefined);
  }

  has(key: string): boolean {
    return this.top.has(key) || this.base.has(key) || !!(this.derive && this.extra?.has(key));
  }

  *keys(): MapIterator<string> {
    for (const k of this.top.keys()) yield k;
    for (const k of this.base.keys()) if (!this.top.has(k)) yield k;
    if (this.derive && this.extra) for (const k of this.extra.keys()) if (!this.top.has(k) && !this.base.has(k)) yield k;
  }

  *entries(): MapIterator<[string, V]> {
    for (const k of this.keys()) yield [k, this.get(k)!];
  }

  *values(): MapIterator<V> {
    for (const k of this.keys()) yield this.get(k)!;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  get size(): number {
    let n = 0;
    for (const _ of this.keys()) n++;
    return n;
  }

  forEach(fn: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}

/** Where the caller wrote an argument, when `tokens` is a parameter passed straight through (its value unchanged). */
function passedThrough(tokens: readonly Token[], ev: Evaluation, bindings: Map<string, ArgBinding>): ArgBinding['origin'] {
  if (tokens.length !== 1 || tokens[0]!.kind !== 'ident' || !ev.value.known) return undefined;
  const bound = bindings.get(tokens[0]!.text);
  if (!bound?.origin || 'unknown' in bound.value || bound.value.value !== ev.value.value) return undefined;
  return bound.origin;
}

function valueKey(v: Value | undefined): string {
  return !v ? '-' : v.known ? v.value.toString() : `? ${v.reason}`;
}

function windowsConstant(name: string): Typed | undefined {
  const constant = WINDOWS_CONSTANTS[name];
  return constant === undefined ? undefined : { value: constant, type: ULONG };
}

const MEM_COMMIT = 0x1000n;
const MEM_RESERVE = 0x2000n;
const MEM_RESET = 0x80000n;
const MEM_RESET_UNDO = 0x1000000n;
const MEM_LARGE_PAGES = 0x20000000n;

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


function isAncestor(ancestor: SyntaxNode, node: SyntaxNode): boolean {
  return node.startIndex >= ancestor.startIndex && node.endIndex <= ancestor.endIndex;
}

function containsOffset(node: SyntaxNode | null | undefined, offset: number): boolean {
  return !!node && node.startIndex <= offset && offset <= node.endIndex;
}

const DECLARATIONS = new Set(['declaration', 'field_declaration', 'parameter_declaration', 'optional_parameter_declaration']);

/** Whether `declared` is one of the names `parent` declares (`SIZE_T len, size;` declares several), not its type or value. */
function declaresName(parent: SyntaxNode, declared: SyntaxNode): boolean {
  return parent.childrenForFieldName('declarator').some((d) => d.startIndex === declared.startIndex && d.endIndex === declared.endIndex);
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

/** `f(&x)`: the address goes to a call (which is done with it when it returns), not into a variable. */
function isCallArgument(node: SyntaxNode): boolean {
  let n = node;
  while (n.parent?.type === 'parenthesized_expression' || n.parent?.type === 'cast_expression') n = n.parent;
  return n.parent?.type === 'argument_list';
}

function isStatic(fn: SyntaxNode, text: string): boolean {
  return fn.children.some((c) => c.type === 'storage_class_specifier' && text.slice(c.startIndex, c.endIndex) === 'static');
}

// the innermost of these above a function decides (found without climbing `.parent`: see ancestry.ts)
const CLASS_SCOPES = new Set(['class_specifier', 'struct_specifier', 'translation_unit', 'namespace_definition']);
const MEMBER_SCOPES = new Set(['field_declaration_list', 'translation_unit', 'namespace_definition']);

function enclosingClassName(fn: SyntaxNode, text: string): string | undefined {
  const n = closestAncestor(fn, CLASS_SCOPES);
  if (n?.type !== 'class_specifier' && n?.type !== 'struct_specifier') return undefined;
  const name = n.childForFieldName('name');
  return name ? text.slice(name.startIndex, name.endIndex) : undefined;
}

function isInClass(fn: SyntaxNode): boolean {
  return closestAncestor(fn, MEMBER_SCOPES)?.type === 'field_declaration_list';
}

export function functionName(fn: SyntaxNode, text: string): string | undefined {
  let d: SyntaxNode | null = fn.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
  const name = d?.childForFieldName('declarator');
  return name ? text.slice(name.startIndex, name.endIndex) : undefined;
}

/** Parameter names and declared types (`''` for an unnamed parameter). */
function functionParams(fn: SyntaxNode, text: string): { name: string; type: string }[] {
  let d: SyntaxNode | null = fn.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
  const list = d?.childForFieldName('parameters');
  if (!list) return [];
  return list.namedChildren
    .filter((p) => p.type.endsWith('parameter_declaration'))
    .map((p) => {
      let n: SyntaxNode | null = p.childForFieldName('declarator');
      const pointer = !!n && n.type !== 'identifier' && /\*|&/.test(text.slice(n.startIndex, n.endIndex));
      while (n && n.type !== 'identifier') n = n.childForFieldName('declarator') ?? n.namedChildren.find((c) => c.type === 'identifier') ?? null;
      const typeNode = p.childForFieldName('type');
      const type = pointer ? 'void *' : typeNode ? text.slice(typeNode.startIndex, typeNode.endIndex) : '';
      return { name: n ? text.slice(n.startIndex, n.endIndex) : '', type };
    });
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}
