// Finding calls: the names whose calls can reach an API (APIs, macros that expand to one, wrappers, function
// pointers), where they are called in the tree (or, in regions tree-sitter could not parse, in the tokens), and
// what each call reaches: one recipe per API, wrapper or pointer call (several through a macro).

import { apiModel } from '../model/apis.js';
import { hasErrorAncestor } from '../parse/ancestry.js';
import { expand, type ExpansionContext } from '../macros/macros.js';
import type { SyntaxNode } from '../parse/parse.js';
import { MANY_NAMES } from '../text/occurrences.js';
import { splitArguments, tokenize, tokensToText, type Token } from '../text/tokens.js';
import type { EvidenceStep } from '../model/types.js';
import type { CallBase, CallRecipe, CallSite, ProjectFacts } from './facts.js';
import type { FileIndex } from './file-index.js';
import { ApiIdentity } from './api-identity.js';
import { declaresLocal, findPointerBindings, type PointerBinding } from './pointers.js';
import { IDENTIFIER_TYPES, SKIP_TYPES, truncate } from './syntax.js';

export type CalleeKind = 'api' | 'macro' | 'wrapper' | 'pointer' | 'declared';

export class CallSites {
  /** Function pointers of this file that hold an API. */
  readonly pointers: PointerBinding[];
  private readonly identity: ApiIdentity;

  /**
   * `derived`: what configurations sharing this parse derive from it once (SharedParse.derived): the pointers
   * are, when no macro of this configuration fills one.
   */
  constructor(
    private readonly index: FileIndex,
    derived?: <T>(key: string, make: () => T) => T,
  ) {
    this.identity = new ApiIdentity(index);
    const expanded = this.procAddressMacroInvocations();
    this.pointers =
      expanded.length === 0 && derived
        ? derived('pointers', () => findPointerBindings(index.tree, index.parsedText))
        : findPointerBindings(index.tree, index.parsedText, expanded);
  }

  /** Names whose calls can reach an API: the APIs, macros that expand to one, wrappers, pointers. */
  calleeNames(project: ProjectFacts): Map<string, CalleeKind> {
    const names = new Map<string, CalleeKind>();
    const { wrappers, overloads } = project;
    // a run that found thousands of wrappers: only those whose names occur in this file (or in a macro it can
    // expand) are taken, so the work per file grows with the file, not with the run
    const many = sizeAbove(wrappers, MANY_NAMES) || (!!overloads && sizeAbove(overloads, MANY_NAMES));
    const present = many ? this.index.fileWords() : undefined;
    const isRunWrapper = (name: string) => wrappers.has(name) || !!overloads?.has(name);
    for (const name of wrappers.keys()) if (!present || present.has(name)) names.set(name, 'wrapper');
    for (const name of overloads?.keys() ?? []) if (!present || present.has(name)) names.set(name, 'wrapper');
    for (const d of project.declared ?? []) names.set(d.name, 'declared');
    for (const p of this.pointers) if (!names.has(p.name) && !(present && isRunWrapper(p.name))) names.set(p.name, 'pointer');
    for (const word of this.apiWordsInText()) names.set(word, 'api');
    this.addMacroCallees(names, many, isRunWrapper);
    return names;
  }

  /**
   * Macros that expand (maybe through other macros) to a call of an API, wrapper or pointer: found backwards
   * from those names first, so that only macros that can lead to one are looked at (in the table's order).
   */
  private addMacroCallees(names: Map<string, CalleeKind>, many: boolean, isRunWrapper: (name: string) => boolean): void {
    const leadsToApi = (body: Token[]) => body.some((t) => t.kind === 'ident' && (apiModel(t.text) || names.has(t.text) || (many && isRunWrapper(t.text))));
    const table = this.index.pre.macros;
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
    const macroNames = changed ? table.inOrder(reachable) : [];
    while (changed) {
      changed = false;
      for (const name of macroNames) {
        if (names.has(name) || (many && isRunWrapper(name))) continue;
        if (table.definitions(name).some((d) => leadsToApi(d.body))) {
          names.set(name, 'macro');
          changed = true;
        }
      }
    }
  }

  private apiWordsInText(): Set<string> {
    const words = new Set<string>();
    const re = /\b(?:Virtual\w*Alloc\w*|VirtualFree(?:Ex)?|[NZ][tw]AllocateVirtualMemory\w*|MapViewOfFile\w*)\b/g;
    for (const m of this.index.parsedText.matchAll(re)) if (apiModel(m[0])) words.add(m[0]);
    return words;
  }

  /** Finds the call whose callee is the name at `offset`, from the tree or, inside ERROR regions, from tokens. */
  callSiteAt(offset: number, name: string): CallSite | undefined {
    const text = this.index.parsedText;
    const node = this.index.tree.rootNode.descendantForIndex(offset, offset + name.length);
    if (SKIP_TYPES.has(node.type)) return undefined;
    if (!IDENTIFIER_TYPES.has(node.type) || node.startIndex !== offset) {
      // the name may be split oddly inside an ERROR region; fall through to the token reading
      if (!hasErrorAncestor(node)) return undefined;
      return this.tokenCallSite(offset, name);
    }
    let callee: SyntaxNode = node;
    let member = false;
    let template: SyntaxNode | undefined;
    let classTemplate: CallSite['classTemplate'];
    const written = (list: SyntaxNode) =>
      list.namedChildren
        .filter((c) => c.type !== 'comment')
        .map((c) => ({ text: text.slice(c.startIndex, c.endIndex), range: [c.startIndex, c.endIndex] as [number, number] }));
    if (node.type === 'type_identifier' && node.parent?.type === 'template_type') return this.objectSite(node.parent, offset, written);
    for (;;) {
      const parent = callee.parent;
      if (!parent) break;
      if (parent.type === 'qualified_identifier' && parent.childForFieldName('name')?.startIndex === callee.startIndex) {
        callee = parent;
        // `Pool<4096>::create()`: the class template's arguments are the call's too
        const scope = parent.childForFieldName('scope');
        if (!classTemplate && scope?.type === 'template_type') classTemplate = classTemplateNamed(scope, written);
      } else if (parent.type === 'field_expression' && parent.childForFieldName('field')?.startIndex === callee.startIndex) {
        callee = parent;
        member = true;
      } else if (parent.type === 'parenthesized_expression' || parent.type === 'pointer_expression') callee = parent;
      else if (parent.type === 'template_function') {
        callee = parent;
        template = parent.childForFieldName('arguments') ?? undefined;
      } else break;
    }
    const parent = callee.parent;
    if (parent?.type === 'call_expression' && parent.childForFieldName('function')?.startIndex === callee.startIndex) {
      const argsNode = parent.childForFieldName('arguments');
      if (!argsNode) return undefined;
      const args = written(argsNode);
      const templateArgs = template ? written(template) : undefined;
      return {
        start: parent.startIndex,
        end: parent.endIndex,
        calleeStart: offset,
        args,
        ...(templateArgs ? { templateArgs } : {}),
        ...(classTemplate ? { classTemplate } : {}),
        node: parent,
        member,
      };
    }
    // declarations and definitions of the name are not calls
    if (parent && (parent.type === 'function_declarator' || parent.type === 'init_declarator' || parent.type === 'parameter_declaration')) return undefined;
    if (hasErrorAncestor(node) || parent?.type === 'macro_type_specifier' || parent?.type === 'expression_statement') return this.tokenCallSite(offset, name);
    return undefined;
  }

  /**
   * An object of a class template made where its type is written: `Arena<4096> a;`, `static Arena<4096> a(3);`, a
   * member `Arena<4096> arena_;`, `new Arena<4096>()`. Its constructor `Arena` is called with the class template's
   * arguments, from the class's name to the end of the declarator or of the `new`. A pointer, a reference, an
   * `extern` or a function declaration makes no object, nor does a `static` member declared in its class (its
   * definition outside the class does).
   */
  private objectSite(type: SyntaxNode, offset: number, written: (list: SyntaxNode) => CallSite['args']): CallSite | undefined {
    const holder = type.parent;
    if (!holder || holder.childForFieldName('type')?.startIndex !== type.startIndex || type.childForFieldName('name')?.startIndex !== offset) return undefined;
    const classTemplate = classTemplateNamed(type, written);
    if (!classTemplate) return undefined;
    const site = (end: number, args: CallSite['args']): CallSite => ({
      start: offset,
      end,
      calleeStart: offset,
      args,
      classTemplate,
      node: holder,
      member: false,
    });
    if (holder.type === 'new_expression') {
      const args = holder.childForFieldName('arguments');
      return site(holder.endIndex, args ? written(args) : []);
    }
    if (holder.type !== 'declaration' && holder.type !== 'field_declaration') return undefined;
    const specifiers = holder.children.filter((c) => c.type === 'storage_class_specifier').map((c) => this.index.parsedText.slice(c.startIndex, c.endIndex));
    if (specifiers.includes('extern') || (holder.type === 'field_declaration' && specifiers.includes('static') && !specifiers.includes('inline')))
      return undefined;
    for (const declarator of holder.childrenForFieldName('declarator')) {
      const init = declarator.type === 'init_declarator' ? declarator : undefined;
      const named = init ? init.childForFieldName('declarator') : declarator;
      if (!named || !makesObject(named)) continue;
      const value = init?.childForFieldName('value');
      return site(declarator.endIndex, value && (value.type === 'argument_list' || value.type === 'initializer_list') ? written(value) : []);
    }
    return undefined;
  }

  /** Reads `name ( args )` from the text, for calls tree-sitter could not place in a call_expression. */
  private tokenCallSite(offset: number, name: string): CallSite | undefined {
    const text = this.index.parsedText;
    const before = text.slice(Math.max(0, offset - 40), offset).trimEnd();
    if (before && !/(?:[=(,;{}?:!&|^+\-*/%<>[~.]|\breturn)$/.test(before) && !this.followsDirective(offset)) return undefined;
    const slice = text.slice(offset, offset + 4000);
    const tokens = tokenize(slice);
    if (tokens[0]?.text !== name || tokens[1]?.text !== '(') return undefined;
    const split = splitArguments(tokens, 1);
    if (!split) return undefined;
    const end = offset + tokens[split.close]!.offset + 1;
    const args = split.args.map((a) => {
      const s = offset + (a[0]?.offset ?? 0);
      const last = a[a.length - 1];
      const e = last ? offset + last.offset + last.text.length : s;
      return { text: text.slice(s, e), range: [s, e] as [number, number] };
    });
    const member = /(?:\.|->)$/.test(before);
    return { start: offset, end, calleeStart: offset, args, node: undefined, member };
  }

  /** True when only whitespace separates `offset` from a preprocessor directive line before it. */
  private followsDirective(offset: number): boolean {
    const head = this.index.parsedText.slice(Math.max(0, offset - 4000), offset);
    if (!/\n[ \t]*$/.test(head)) return false;
    const lines = head.replace(/\s+$/, '').split(/\r?\n/);
    // a directive continued over several lines with backslashes starts further up
    let k = lines.length - 1;
    while (k > 0 && lines[k - 1]!.endsWith('\\')) k--;
    return /^\s*#/.test(lines[k] ?? '');
  }

  /** What the call at a site reaches: one recipe per API, wrapper or pointer call it makes (several through a macro). */
  recipesAt(site: CallSite, name: string, kind: CalleeKind, project: ProjectFacts): CallRecipe[] {
    const index = this.index;
    const line = index.lines.position(site.start).line;
    const callText = index.parsedText.slice(site.start, site.end);
    const base: CallBase = {
      file: index.file,
      range: index.range(site.calleeStart, site.end),
      callText: callText.replace(/\s+/g, ' ').trim(),
      enclosingFunction: index.enclosingFunctionName(site.start),
    };
    const written = () => site.args.map((a) => ({ tokens: tokenize(a.text), range: a.range }));
    const templateArgs = site.templateArgs?.map((a) => ({ tokens: tokenize(a.text), range: a.range }));
    const classArgs = site.classTemplate?.args.map((a) => ({ tokens: tokenize(a.text), range: a.range }));
    const recipe = (target: CallRecipe['target'], args: CallRecipe['args'], evidence: EvidenceStep[]): CallRecipe => ({
      target,
      callee: name,
      args,
      ...(templateArgs && target.kind === 'wrapper' ? { templateArgs } : {}),
      ...(classArgs && target.kind === 'wrapper' ? { classArgs } : {}),
      line,
      site,
      base,
      evidence,
    });
    switch (kind) {
      case 'api':
        return this.callsApi(site, name) ? [recipe({ kind: 'api', model: apiModel(name)! }, written(), [])] : [];
      case 'wrapper': {
        // a function pointer of this file named like a wrapper of another is what the call goes through
        const binding = site.member ? undefined : this.pointerAt(name, site.start, false);
        if (binding) return [recipe({ kind: 'api', model: apiModel(binding.api)! }, written(), [this.pointerStep(binding)])];
        return [recipe({ kind: 'wrapper', name, member: site.member }, written(), [])];
      }
      case 'declared': {
        const declared = project.declared?.find((d) => d.name === name);
        return declared ? [recipe({ kind: 'declared', wrapper: declared }, written(), [])] : [];
      }
      case 'pointer': {
        const binding = this.pointerAt(name, site.start, site.member);
        if (!binding) return [];
        return [recipe({ kind: 'api', model: apiModel(binding.api)! }, written(), [this.pointerStep(binding)])];
      }
      case 'macro':
        return this.macroRecipes(site, name, callText, base, line, project, recipe);
    }
  }

  /** Whether a call of an API's name calls the API, not a method or another namespace's function of that name. */
  private callsApi(site: CallSite, name: string): boolean {
    let callee = site.node?.childForFieldName('function');
    while (callee && (callee.type === 'parenthesized_expression' || callee.type === 'template_function') && callee.namedChildCount > 0)
      callee = callee.namedChild(0)!;
    if (callee) return this.identity.isApi(name, callee, site.member);
    // read from tokens: `ns :: name (` in the text before the name
    const before = /(\w+)?\s*(::|\.|->)?\s*$/.exec(this.index.parsedText.slice(Math.max(0, site.calleeStart - 80), site.calleeStart));
    return !site.member && this.identity.isApiAfter(name, before?.[2], before?.[1]);
  }

  /** A macro: the whole call expanded, and the API, wrapper and pointer calls in the result. */
  private macroRecipes(
    site: CallSite,
    name: string,
    callText: string,
    base: CallBase,
    line: number,
    project: ProjectFacts,
    recipe: (target: CallRecipe['target'], args: CallRecipe['args'], evidence: EvidenceStep[]) => CallRecipe,
  ): CallRecipe[] {
    const ctx: ExpansionContext = { lookup: (n) => this.index.macroAt(n, line), expansions: [], fileBudget: this.index.expansionBudget };
    const expanded = expand(tokenize(callText), ctx);
    const macroStep: EvidenceStep = {
      file: this.index.file,
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
      const model = this.identity.isApiAfter(t.text, expanded[i - 1]?.text, expanded[i - 2]?.text) ? apiModel(t.text) : undefined;
      if (model) target = { kind: 'api', model };
      else if (project.wrappers.has(t.text) || !!project.overloads?.has(t.text)) target = { kind: 'wrapper', name: t.text, member: memberCall };
      else {
        const declared = project.declared?.find((d) => d.name === t.text);
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
      found.push(
        recipe(
          target,
          split.args.map((tokens) => ({ tokens })),
          evidence,
        ),
      );
      i = split.close;
    }
    return found;
  }

  /** Where a pointer gets its API, as a step of a call's evidence. */
  pointerStep(binding: PointerBinding): EvidenceStep {
    const what = binding.kind === 'field' ? `field ${binding.name}` : binding.name;
    return {
      file: this.index.file,
      range: this.index.range(binding.origin.start, binding.origin.end),
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
    const fn = this.index.enclosingFunction(offset);
    if (fn && declaresLocal(fn, name, this.index.parsedText)) return undefined;
    return global;
  }

  /** Macros that fill pointers (`#define X(f) p##f = (void *)GetProcAddress(mod, #f)`), expanded where they are used. */
  private procAddressMacroInvocations(): { start: number; end: number; tokens: Token[] }[] {
    const out: { start: number; end: number; tokens: Token[] }[] = [];
    const { parsedText, pre } = this.index;
    if (!parsedText.includes('GetProcAddress')) return out;
    for (const name of pre.macros.macrosMentioning('GetProcAddress')) {
      if (!pre.macros.definitions(name).some((d) => d.params && d.body.some((t) => t.text === 'GetProcAddress'))) continue;
      for (const offset of this.index.occurrencesOf(name)) {
        const site = this.tokenCallSite(offset, name);
        if (!site) continue;
        const line = this.index.lines.position(offset).line;
        const ctx: ExpansionContext = { lookup: (n) => this.index.macroAt(n, line), expansions: [], fileBudget: this.index.expansionBudget };
        out.push({ start: site.start, end: site.end, tokens: expand(tokenize(parsedText.slice(site.start, site.end)), ctx) });
      }
    }
    return out;
  }
}

/** Whether a declarator makes an object of its type (an array makes several): not a pointer, a reference or a function. */
function makesObject(declarator: SyntaxNode): boolean {
  let d: SyntaxNode | null = declarator;
  while (d?.type === 'array_declarator') d = d.childForFieldName('declarator');
  return !!d && (d.type === 'identifier' || d.type === 'field_identifier' || d.type === 'qualified_identifier');
}

/** A `template_type` (`Arena<4096>`, `Ring<>`) as the class template a call names. */
function classTemplateNamed(type: SyntaxNode, written: (list: SyntaxNode) => CallSite['args']): CallSite['classTemplate'] {
  const name = type.childForFieldName('name');
  const args = type.childForFieldName('arguments');
  return name && args ? { name: written(type).find((w) => w.range[0] === name.startIndex)!.text, args: written(args) } : undefined;
}

/** Whether a map has more than `n` keys, without counting them all (a layered map counts by iterating). */
function sizeAbove(map: ReadonlyMap<string, unknown>, n: number): boolean {
  if (map instanceof Map) return map.size > n;
  let count = 0;
  for (const _ of map.keys()) if (++count > n) return true;
  return false;
}
