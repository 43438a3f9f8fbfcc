// Constants that headers declare: enumerators and const/constexpr variables (file, namespace or static
// member scope). A header is parsed once per run, and only when a size names something the including
// file does not define itself. Values are kept as expression text and evaluated in the including file,
// with the macros in force there.

import { neutralize } from '../parse/neutralize.js';
import { languageFor, parse, type SyntaxNode } from '../parse/parse.js';

export interface HeaderConstant {
  name: string;
  file: string;
  /** 1-based line in the header. */
  line: number;
  /** Initialiser of a constant, or the last explicit value before an enumerator (undefined: the enum starts at 0). */
  expr?: string;
  /** For enumerators: how many places after `expr` (or after the start of the enum) this one is. */
  step: number;
  /** Declared type of a constant, as written (`const SIZE_T`); undefined for enumerators. */
  typeText?: string;
}

/** Header constants by name. A name declared twice with different values (under #if branches) is left out. */
export type HeaderConstants = ReadonlyMap<string, HeaderConstant>;

/** Per-run cache of the constants of every header a run reads; a header is parsed when first asked about. */
export class HeaderFacts {
  private readonly cache = new Map<string, { text: string; facts: HeaderConstants }>();

  constructor(private readonly readFile: (file: string) => string | undefined) {}

  /** The constant `name` of a header, if the header declares it. */
  lookup = (file: string, name: string): HeaderConstant | undefined => {
    const text = this.readFile(file);
    if (text === undefined || !text.includes(name)) return undefined;
    return this.constantsOf(file, text).get(name);
  };

  constantsOf(file: string, text: string): HeaderConstants {
    let entry = this.cache.get(file);
    // a header that changed on disk (an editor session) is read again
    if (!entry || entry.text !== text) {
      entry = { text, facts: /\b(?:enum|const|constexpr)\b/.test(text) ? extractConstants(file, text) : new Map() };
      this.cache.set(file, entry);
    }
    return entry.facts;
  }
}

export function extractConstants(file: string, text: string): HeaderConstants {
  const parsedText = neutralize(text);
  const tree = parse(parsedText, languageFor(file, parsedText));
  const found = new Map<string, HeaderConstant>();
  const conflicting = new Set<string>();
  const add = (c: HeaderConstant) => {
    const prior = found.get(c.name);
    if (prior && (prior.expr !== c.expr || prior.step !== c.step)) conflicting.add(c.name);
    else found.set(c.name, c);
  };
  const slice = (n: SyntaxNode) => parsedText.slice(n.startIndex, n.endIndex);
  const visit = (node: SyntaxNode): void => {
    // depth first with a stack of its own: a header nested thousands of levels deep overflows the call stack
    const stack: { children: SyntaxNode[]; next: number }[] = [{ children: node.namedChildren, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const child = top.children[top.next++];
      if (!child) {
        stack.pop();
        continue;
      }
      switch (child.type) {
        case 'enum_specifier': {
          const body = child.childForFieldName('body');
          if (body) enumerators(body);
          break;
        }
        case 'declaration':
        case 'field_declaration':
          declaration(child);
          stack.push({ children: child.namedChildren, next: 0 });
          break;
        case 'function_definition':
        case 'compound_statement':
          break;
        default:
          stack.push({ children: child.namedChildren, next: 0 });
      }
    }
  };
  const enumerators = (list: SyntaxNode) => {
    let base: string | undefined;
    let step = 0;
    for (const e of list.namedChildren) {
      if (e.type !== 'enumerator') continue;
      const name = e.childForFieldName('name');
      const value = e.childForFieldName('value');
      if (value) {
        base = slice(value);
        step = 0;
      }
      if (name) add({ name: slice(name), file, line: e.startPosition.row + 1, expr: base, step });
      step++;
    }
  };
  const declaration = (decl: SyntaxNode) => {
    const qualifiers = decl.children.filter((c) => c.type === 'type_qualifier' || c.type === 'storage_class_specifier').map(slice);
    const typeNode = decl.childForFieldName('type');
    if (!typeNode) return;
    const isConst = qualifiers.some((q) => q === 'const' || q === 'constexpr' || q === 'constinit');
    if (!isConst) return;
    const typeText = `${qualifiers.join(' ')} ${slice(typeNode)}`.trim();
    for (const d of decl.namedChildren) {
      let nameNode: SyntaxNode | null = null;
      let value: SyntaxNode | null = null;
      if (d.type === 'init_declarator') {
        nameNode = d.childForFieldName('declarator');
        value = d.childForFieldName('value');
      } else if (decl.type === 'field_declaration' && d.type === 'field_identifier') {
        nameNode = d;
        value = decl.childForFieldName('default_value');
      }
      if (!nameNode || !value || (nameNode.type !== 'identifier' && nameNode.type !== 'field_identifier')) continue;
      const inner = value.type === 'initializer_list' && value.namedChildCount === 1 ? value.namedChildren[0]! : value;
      if (inner.type === 'initializer_list') continue;
      add({ name: slice(nameNode), file, line: d.startPosition.row + 1, expr: slice(inner), step: 0, typeText });
    }
  };
  visit(tree.rootNode);
  for (const name of conflicting) found.delete(name);
  return found;
}
