// Types built from one parsed source (the file, or a header it includes): a record, enum or typedef defined at a
// node, the type a specifier names, and what declarators make of it. Names it refers to are `ref`s that the
// owner (DeclaredTypes) resolves across every source when they are measured.

import { stringLiteralBytes } from '../evaluate/literals.js';
import { INT, type IntType, type TargetModel } from '../model/target.js';
import type { Language, SyntaxNode, Tree } from '../parse/parse.js';
import type { CType, Field, LayoutAttributes, RecordType } from '../types/ctype.js';
import { typeText } from '../types/type-text.js';
import type { Provenance } from './facts.js';

/** A parsed text types are read from: the file being analysed, or a header it includes. */
export interface TypeSource {
  file: string;
  /** The text as written (attributes such as `__declspec(align(n))` are blanked in the parsed text). */
  text: string;
  parsedText: string;
  tree: Tree;
  language: Language;
  /** The whole-word offsets of a name in the parsed text. */
  occurrencesOf(name: string): readonly number[];
}

/** What a builder asks its owner: constants, the pack in effect, the type a name stands for, provenance. */
export interface BuilderContext {
  model: TargetModel;
  /** The value of a constant expression written at a node of this source (an array bound, a bitfield width). */
  constant(node: SyntaxNode): { value: bigint | undefined; from: Provenance };
  /** `#pragma pack` in effect at an offset of this source. */
  packAt(offset: number): number | undefined;
  /** A ref to the type `words` names, resolved across every source when measured. */
  ref(words: string): CType;
  /** Records what a type was built from, for the evaluation's provenance. */
  use(from: Provenance): void;
}

const RECORD_SPECIFIERS: Record<string, RecordType['keyword']> = { struct_specifier: 'struct', union_specifier: 'union', class_specifier: 'class' };
/** Declarator nodes that wrap the declared name, outermost first (what they make of the type is in applyDeclarator). */
export const DECLARATORS = new Set([
  'pointer_declarator',
  'reference_declarator',
  'array_declarator',
  'function_declarator',
  'parenthesized_declarator',
  'init_declarator',
  'attributed_declarator',
]);

/** How far after a record's body its trailing `__attribute__((...))` is looked for. */
const MAX_ATTRIBUTES = 200;

export class TypeBuilder {
  private readonly records = new Map<number, CType>();
  private readonly model: TargetModel;

  constructor(
    readonly source: TypeSource,
    private readonly context: BuilderContext,
  ) {
    this.model = context.model;
  }

  /**
   * A node's text, from this source's own text: `node.text` may read the input of the parser's latest parse,
   * which is another file's once a header's tree outlives it.
   */
  textOf(node: SyntaxNode | null | undefined): string | undefined {
    return node ? this.source.parsedText.slice(node.startIndex, node.endIndex) : undefined;
  }

  private constant(node: SyntaxNode): { value: bigint | undefined; from: Provenance } {
    return this.context.constant(node);
  }

  private packAt(offset: number): number | undefined {
    return this.context.packAt(offset);
  }

  private ref(words: string): CType {
    return this.context.ref(words);
  }

  private use(from: Provenance): void {
    this.context.use(from);
  }

  /** `struct S { ... }` (or `struct S;`) where the tag `node` is written. */
  tagAt(node: SyntaxNode, keyword: string | undefined): CType | undefined {
    const spec = node.parent;
    if (!spec || spec.childForFieldName('name')?.startIndex !== node.startIndex) return undefined;
    if (keyword && !spec.type.startsWith(keyword === 'class' ? 'class' : keyword) && !(keyword !== 'enum' && spec.type in RECORD_SPECIFIERS)) return undefined;
    if (spec.type === 'enum_specifier') return this.enumOf(spec);
    if (!(spec.type in RECORD_SPECIFIERS)) return undefined;
    if (spec.childForFieldName('body')) return this.recordOf(spec);
    // `sizeof(struct S)` or a cast names the tag without declaring anything worth reporting as declared
    if (spec.parent?.type === 'type_descriptor') return undefined;
    // `struct S;` or `struct S *p`: only a declaration (a definition elsewhere in the file is preferred)
    return { kind: 'record', record: { keyword: RECORD_SPECIFIERS[spec.type]!, tag: this.textOf(node) } };
  }

  /** `typedef T name;` or `using name = T;` where the typedef's name `node` is written. */
  typedefAt(node: SyntaxNode): CType | undefined {
    const parent = node.parent;
    if (parent?.type === 'alias_declaration' && parent.childForFieldName('name')?.startIndex === node.startIndex) {
      const descriptor = parent.childForFieldName('type');
      const typeNode = descriptor?.childForFieldName('type');
      return typeNode ? this.applyAbstract(this.specifierType(typeNode), descriptor?.childForFieldName('declarator') ?? null) : undefined;
    }
    const top = liftDeclarator(node);
    const definition = top.parent;
    if (definition?.type !== 'type_definition') return undefined;
    const typeNode = definition.childForFieldName('type');
    // `typedef E E2;` names E as the type, not as what it defines
    if (typeNode && typeNode.startIndex <= top.startIndex && top.endIndex <= typeNode.endIndex) return undefined;
    return typeNode ? this.applyDeclarator(this.specifierType(typeNode), top) : undefined;
  }

  /** The type a type specifier names: a builtin, a typedef, a tag, a definition written in place. */
  specifierType(node: SyntaxNode): CType {
    const text = this.source.parsedText.slice(node.startIndex, node.endIndex).trim().replace(/\s+/g, ' ');
    switch (node.type) {
      case 'primitive_type':
      case 'sized_type_specifier':
        return builtinType(text, this.model.types) ?? unknownType(text);
      case 'type_identifier':
        return builtinType(text, this.model.types) ?? this.ref(text);
      case 'qualified_identifier': {
        const name = node.childForFieldName('name');
        return name ? this.specifierType(name) : unknownType(text);
      }
      case 'template_type':
        return this.templateType(node, text);
      case 'enum_specifier':
        return node.childForFieldName('body') ? this.enumOf(node) : this.ref(`enum ${this.textOf(node.childForFieldName('name')) ?? ''}`);
      default:
        if (node.type in RECORD_SPECIFIERS) {
          if (node.childForFieldName('body')) return this.recordOf(node);
          return this.ref(`${RECORD_SPECIFIERS[node.type]} ${this.textOf(node.childForFieldName('name')) ?? ''}`);
        }
        return unknownType(text);
    }
  }

  /** `std::array<T, N>`: an array of N T's (its layout is that of the array it holds). */
  private templateType(node: SyntaxNode, text: string): CType {
    const name = this.textOf(node.childForFieldName('name'));
    const args = node.childForFieldName('arguments')?.namedChildren ?? [];
    if (name === 'array' && args.length === 2 && args[0]!.type === 'type_descriptor') {
      const element = args[0]!.childForFieldName('type');
      const count = this.constant(args[1]!);
      this.use(count.from);
      if (element && count.value !== undefined) return { kind: 'array', of: this.specifierType(element), count: count.value };
    }
    return unknownType(text);
  }

  private enumOf(spec: SyntaxNode): CType {
    const base = spec.childForFieldName('base');
    const underlying = base ? builtinType(this.textOf(base)!.replace(/\s+/g, ' '), this.model.types) : undefined;
    const tag = this.textOf(spec.childForFieldName('name'));
    return { kind: 'enum', tag, underlying: underlying?.kind === 'int' ? underlying.int : INT };
  }

  /** A record defined at `spec` (with a body), built once. */
  private recordOf(spec: SyntaxNode): CType {
    const known = this.records.get(spec.startIndex);
    if (known) return known;
    const record: RecordType = { keyword: RECORD_SPECIFIERS[spec.type]!, fields: [] };
    const type: CType = { kind: 'record', record };
    this.records.set(spec.startIndex, type);
    const tag = this.textOf(spec.childForFieldName('name'));
    if (tag) record.tag = tag;
    const pack = this.packAt(spec.startIndex);
    if (pack !== undefined) record.pack = pack;
    const body = spec.childForFieldName('body')!;
    const declaration = spec.parent && (spec.parent.type === 'declaration' || spec.parent.type === 'type_definition') ? spec.parent : undefined;
    // `struct S { ... } __attribute__((packed));`: the attributes after the body, up to the `;`, are the record's too
    const semicolon = this.source.parsedText.indexOf(';', spec.endIndex);
    const end = declaration?.endIndex ?? (semicolon >= 0 && semicolon - spec.endIndex < MAX_ATTRIBUTES ? semicolon : spec.endIndex);
    Object.assign(record, this.attributes(declaration?.startIndex ?? spec.startIndex, body.startIndex), this.attributes(body.endIndex, end));
    for (const child of spec.namedChildren) {
      if (child.type !== 'base_class_clause') continue;
      record.bases = child.namedChildren.filter((c) => c.type === 'type_identifier' || c.type === 'qualified_identifier').map((c) => this.specifierType(c));
      if (/\bvirtual\b/.test(this.source.parsedText.slice(child.startIndex, child.endIndex))) record.virtualBase = true;
    }
    for (const member of body.namedChildren) {
      if (/^\s*virtual\b/.test(this.source.parsedText.slice(member.startIndex, member.endIndex))) record.virtual = true;
      if (member.type === 'field_declaration') record.fields!.push(...this.fieldsOf(member));
    }
    return type;
  }

  /** The fields one member declaration declares (none for a method, a static member, a nested type alone). */
  private fieldsOf(member: SyntaxNode): Field[] {
    const typeNode = member.childForFieldName('type');
    if (!typeNode || member.children.some((c) => c.type === 'storage_class_specifier' && /static|typedef/.test(this.textOf(c)!))) return [];
    const base = this.specifierType(typeNode);
    const nested = typeNode.type in RECORD_SPECIFIERS && typeNode.childForFieldName('body');
    const attributes = this.attributes(member.startIndex, nested ? typeNode.startIndex : typeNode.endIndex);
    const fields: Field[] = [];
    let last: Field | undefined;
    // (by position: the binding makes new node objects when it likes, so a node from one `children` list may not
    // be found by identity in the next; a field then lost its declarators once a collection had run)
    for (const [index, child] of member.children.entries()) {
      if (member.fieldNameForChild(index) === 'declarator') {
        if (child.type === 'function_declarator') continue;
        last = { name: declaredName(child, (n) => this.textOf(n)!), type: this.applyDeclarator(base, child), ...attributes };
        fields.push(last);
      } else if (child.type === 'bitfield_clause') {
        const width = child.namedChildren[0] ? this.constant(child.namedChildren[0]) : undefined;
        if (width) this.use(width.from);
        const bits = width?.value === undefined ? undefined : Number(width.value);
        if (last) last.bits = bits;
        // `int : 0` and `int : 3` without a name still take their bits
        else fields.push((last = { type: base, bits }));
      }
    }
    // `struct { int x; };` in a record: an anonymous member whose fields are the record's own
    if (fields.length === 0 && nested && !member.childForFieldName('declarator')) fields.push({ type: base, ...attributes });
    return fields;
  }

  /** The layout attributes written in the raw text between two offsets (the parsed text blanks `__declspec`). */
  private attributes(start: number, end: number): LayoutAttributes {
    const text = this.source.text.slice(start, end);
    const found: LayoutAttributes = {};
    const align =
      /__declspec\s*\(\s*align\s*\(\s*(\d+)\s*\)/.exec(text) ??
      /\b(?:alignas|_Alignas|DECLSPEC_ALIGN)\s*\(\s*(\d+)\s*\)/.exec(text) ??
      /\b__aligned__\s*\(\s*(\d+)\s*\)|\baligned\s*\(\s*(\d+)\s*\)/.exec(text);
    if (align) found.align = Number(align[1] ?? align[2]);
    if (/__attribute__\s*\(\s*\([^;{]*\b(?:packed|__packed__)\b/.test(text)) found.packed = true;
    return found;
  }

  /** What the declarators around a declared name make of its base type: `*p`, `a[4]`, `(*fn)(int)`, `a[] = {...}`. */
  applyDeclarator(base: CType, declarator: SyntaxNode | null, init?: SyntaxNode): CType {
    let type = base;
    let value = init;
    for (let d = declarator; d;) {
      switch (d.type) {
        case 'pointer_declarator':
          type = { kind: 'pointer', to: type };
          break;
        case 'array_declarator':
          type = this.arrayOf(type, d.childForFieldName('size'), value);
          value = undefined;
          break;
        case 'function_declarator':
          type = { kind: 'function' };
          break;
        case 'init_declarator':
          value = d.childForFieldName('value') ?? undefined;
          break;
        case 'parenthesized_declarator':
        case 'reference_declarator':
        case 'attributed_declarator':
          d = d.namedChildren.find((c) => DECLARATORS.has(c.type) || c.type.endsWith('identifier')) ?? null;
          continue;
        default:
          return type;
      }
      d = d.childForFieldName('declarator');
    }
    return type;
  }

  /** `abstract_pointer_declarator` and its kin in a `using` or a cast: the same as applyDeclarator, without a name. */
  private applyAbstract(base: CType, declarator: SyntaxNode | null): CType {
    let type = base;
    for (let d = declarator; d; d = d.namedChildren.find((c) => c.type.startsWith('abstract_')) ?? null) {
      if (d.type === 'abstract_pointer_declarator') type = { kind: 'pointer', to: type };
      else if (d.type === 'abstract_array_declarator') type = this.arrayOf(type, d.childForFieldName('size'), undefined);
      else if (d.type === 'abstract_function_declarator') type = { kind: 'function' };
    }
    return type;
  }

  /** An array's bound: written, or the count of its initializer (`{1, 2, 3}`, `"abc"`); undefined when unknown. */
  /** An array of `element`: a bound written but not known makes the type unknown, never a flexible array. */
  private arrayOf(element: CType, size: SyntaxNode | null, init: SyntaxNode | undefined): CType {
    const count = this.arrayCount(size, init, element);
    if (count !== undefined || !size) return { kind: 'array', of: element, count };
    const type = typeText(element);
    const bound = this.textOf(size)!;
    return { kind: 'unknown', name: `${type}[${bound}]`, reason: { kind: 'array-bound-unknown', type, bound } };
  }

  private arrayCount(size: SyntaxNode | null, init: SyntaxNode | undefined, element: CType): bigint | undefined {
    if (size) {
      const { value, from } = this.constant(size);
      this.use(from);
      return value;
    }
    if (init?.type === 'initializer_list') {
      const items = init.namedChildren.filter((c) => c.type !== 'comment');
      // `[5] = x` sets the bound by its index: not counted here
      if (items.some((c) => c.type === 'initializer_pair' && c.namedChildren.some((d) => d.type === 'subscript_designator'))) return undefined;
      return BigInt(items.length);
    }
    if (init?.type === 'string_literal' || init?.type === 'concatenated_string') {
      const parts = init.type === 'string_literal' ? [init] : init.namedChildren.filter((c) => c.type === 'string_literal');
      const width = element.kind === 'int' ? element.int.bits / 8 : 1;
      const texts = parts.map((p) => this.source.parsedText.slice(p.startIndex, p.endIndex));
      const units = texts.reduce((sum, t) => sum + stringLiteralBytes(t) / charWidth(t) - 1, 1);
      return width >= 1 ? BigInt(units) : undefined;
    }
    return undefined;
  }
}

export function builtinType(words: string, types: ReadonlyMap<string, IntType>): CType | undefined {
  const int = types.get(words) ?? types.get(words.replace(/\bint$/, '').trim());
  if (int) return int.name === 'pointer' ? { kind: 'pointer', to: { kind: 'void' } } : { kind: 'int', int };
  if (words === 'void') return { kind: 'void' };
  if (words === 'float' || words === 'FLOAT') return { kind: 'float', name: 'float' };
  if (words === 'double' || words === 'DOUBLE') return { kind: 'float', name: 'double' };
  if (words === 'long double') return { kind: 'float', name: 'long double' };
  return undefined;
}

export function unknownType(name: string): CType {
  return { kind: 'unknown', name, reason: { kind: 'type-not-declared', type: name } };
}

function charWidth(literal: string): number {
  return literal.startsWith('L') || literal.startsWith('u"') ? 2 : literal.startsWith('U') ? 4 : 1;
}

/** The outermost declarator around a declared name (`*p`, `(*fn)(int)`, `a[4]`), not its initializer. */
export function liftDeclarator(node: SyntaxNode): SyntaxNode {
  let top = node;
  for (let parent = top.parent; parent && DECLARATORS.has(parent.type) && parent.type !== 'init_declarator'; parent = top.parent) {
    const field = parent.childForFieldName('declarator');
    // the declarator itself, never an array's bound or a parameter of a function declarator
    if (field ? field.startIndex !== top.startIndex || field.endIndex !== top.endIndex : !WRAPPING.has(parent.type)) break;
    top = parent;
  }
  return top;
}

/** Declarators with no `declarator` field: the declarator is their only named child. */
const WRAPPING = new Set(['parenthesized_declarator', 'reference_declarator', 'attributed_declarator']);

/** The name a field declarator declares (`*p`, `a[4]`, `(*fn)(int)`), if any. */
function declaredName(declarator: SyntaxNode, textOf: (node: SyntaxNode) => string): string | undefined {
  for (let d: SyntaxNode | null = declarator; d;) {
    if (d.type.endsWith('identifier')) return textOf(d);
    d = d.childForFieldName('declarator') ?? d.namedChildren.find((c) => DECLARATORS.has(c.type) || c.type.endsWith('identifier')) ?? null;
  }
  return undefined;
}
