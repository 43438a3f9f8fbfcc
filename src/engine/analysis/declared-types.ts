// The types a file declares, as engine/types data: struct, union and class definitions, enums, typedef and
// `using` chains, and the declared type of each variable (local, parameter, global, member). Built lazily: a name
// is looked up when an expression needs it, and the names a type refers to are `ref`s resolved when measured.
// Every lookup is recorded (see `used`) so that the results that depend on a declaration know it.

import { stringLiteralBytes } from '../evaluate/literals.js';
import { INT, type IntType } from '../model/target.js';
import type { SyntaxNode } from '../parse/parse.js';
import { packAt } from '../preprocess/pack.js';
import type { CType, Field, LayoutAttributes, RecordType } from '../types/ctype.js';
import type { Provenance } from './facts.js';
import type { FileIndex } from './file-index.js';
import { containsOffset, enclosingBlock, isAncestor } from './syntax.js';

const RECORD_SPECIFIERS: Record<string, RecordType['keyword']> = { struct_specifier: 'struct', union_specifier: 'union', class_specifier: 'class' };
/** Declarator nodes that wrap the declared name, outermost first (what they make of the type is in applyDeclarator). */
const DECLARATORS = new Set([
  'pointer_declarator',
  'reference_declarator',
  'array_declarator',
  'function_declarator',
  'parenthesized_declarator',
  'init_declarator',
  'attributed_declarator',
]);
const VARIABLE_PARENTS = new Set(['declaration', 'field_declaration', 'parameter_declaration', 'optional_parameter_declaration']);

/** A found definition: the type, and what was used to build it (the evaluations of array sizes, bitfield widths). */
interface Built {
  type: CType | undefined;
  from: Provenance[];
}

export class DeclaredTypes {
  /** What the lookups of the evaluation under way used; NameResolver gathers it into the evaluation's provenance. */
  used: Provenance[] = [];
  private readonly named = new Map<string, Built>();
  private readonly records = new Map<number, CType>();

  constructor(
    private readonly index: FileIndex,
    /** The value of a constant expression written at a node (an array bound, a bitfield width). */
    private readonly constant: (node: SyntaxNode) => { value: bigint | undefined; from: Provenance },
    /** The type a name has in the Windows SDK, when neither the sources nor their headers declare it. */
    private readonly sdkType: (words: string) => CType | undefined = () => undefined,
  ) {}

  /** The type `words` names (`struct S`, `enum E`, `FOO`), or undefined when nothing here declares it. */
  typeNamed(words: string): CType | undefined {
    const key = words.trim().replace(/\s+/g, ' ');
    let built = this.named.get(key);
    if (!built) {
      this.named.set(key, { type: undefined, from: [] });
      const from: Provenance[] = [];
      const saved = this.used;
      this.used = from;
      try {
        built = { type: this.findType(key), from };
      } finally {
        this.used = saved;
      }
      this.named.set(key, built);
    }
    this.used.push(...built.from);
    return built.type;
  }

  /** A ref to the type `words` names, resolved when it is measured (so a record may point to itself). */
  private ref(words: string): CType {
    return { kind: 'ref', name: words, resolve: () => this.typeNamed(words) ?? unknownType(words) };
  }

  private findType(key: string): CType | undefined {
    const m = /^(struct|union|class|enum) (\w+)$/.exec(key);
    const name = m ? m[2]! : key.replace(/^(?:\w+::)+/, '');
    if (!/^\w+$/.test(name)) return undefined;
    this.used.push({ names: [name], scoped: [], spots: [], via: [] });
    let declared: CType | undefined;
    for (const at of this.index.occurrencesOf(name)) {
      const node = this.index.tree.rootNode.descendantForIndex(at, at + name.length);
      if (node.type !== 'type_identifier' || node.startIndex !== at) continue;
      const found = m ? this.tagAt(node, m[1]!) : (this.typedefAt(node) ?? (this.index.language === 'cpp' ? this.tagAt(node, undefined) : undefined));
      // a definition wins over a declaration (`struct S;` before `struct S { ... }`)
      if (found && (found.kind !== 'record' || found.record.fields)) return found;
      declared ??= found;
    }
    // SDK TABLE: the Windows SDK's typedefs and records (types/sdk.ts `sdkTypedef`/`sdkRecord`) are consulted
    // here, after the sources and their headers, which win over them.
    return declared ?? this.sdkType(key);
  }

  /** `struct S { ... }` (or `struct S;`) where the tag `node` is written. */
  private tagAt(node: SyntaxNode, keyword: string | undefined): CType | undefined {
    const spec = node.parent;
    if (!spec || spec.childForFieldName('name')?.startIndex !== node.startIndex) return undefined;
    if (keyword && !spec.type.startsWith(keyword === 'class' ? 'class' : keyword) && !(keyword !== 'enum' && spec.type in RECORD_SPECIFIERS)) return undefined;
    if (spec.type === 'enum_specifier') return this.enumOf(spec);
    if (!(spec.type in RECORD_SPECIFIERS)) return undefined;
    if (spec.childForFieldName('body')) return this.recordOf(spec);
    // `struct S;` or `struct S *p`: only a declaration (a definition elsewhere in the file is preferred)
    return { kind: 'record', record: { keyword: RECORD_SPECIFIERS[spec.type]!, tag: node.text } };
  }

  /** `typedef T name;` or `using name = T;` where the typedef's name `node` is written. */
  private typedefAt(node: SyntaxNode): CType | undefined {
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
    return typeNode ? this.applyDeclarator(this.specifierType(typeNode), top) : undefined;
  }

  /** The type a type specifier names: a builtin, a typedef, a tag, a definition written in place. */
  specifierType(node: SyntaxNode): CType {
    const text = this.index.parsedText.slice(node.startIndex, node.endIndex).trim().replace(/\s+/g, ' ');
    switch (node.type) {
      case 'primitive_type':
      case 'sized_type_specifier':
        return builtinType(text, this.index.model.types) ?? unknownType(text);
      case 'type_identifier':
        return builtinType(text, this.index.model.types) ?? this.ref(text);
      case 'qualified_identifier': {
        const name = node.childForFieldName('name');
        return name ? this.specifierType(name) : unknownType(text);
      }
      case 'template_type':
        return this.templateType(node, text);
      case 'enum_specifier':
        return node.childForFieldName('body') ? this.enumOf(node) : this.ref(`enum ${node.childForFieldName('name')?.text ?? ''}`);
      default:
        if (node.type in RECORD_SPECIFIERS) {
          if (node.childForFieldName('body')) return this.recordOf(node);
          return this.ref(`${RECORD_SPECIFIERS[node.type]} ${node.childForFieldName('name')?.text ?? ''}`);
        }
        return unknownType(text);
    }
  }

  /** `std::array<T, N>`: an array of N T's (its layout is that of the array it holds). */
  private templateType(node: SyntaxNode, text: string): CType {
    const name = node.childForFieldName('name')?.text;
    const args = node.childForFieldName('arguments')?.namedChildren ?? [];
    if (name === 'array' && args.length === 2 && args[0]!.type === 'type_descriptor') {
      const element = args[0]!.childForFieldName('type');
      const count = this.constant(args[1]!);
      this.used.push(count.from);
      if (element && count.value !== undefined) return { kind: 'array', of: this.specifierType(element), count: count.value };
    }
    return unknownType(text);
  }

  private enumOf(spec: SyntaxNode): CType {
    const base = spec.childForFieldName('base');
    const underlying = base ? builtinType(base.text.replace(/\s+/g, ' '), this.index.model.types) : undefined;
    const tag = spec.childForFieldName('name')?.text;
    return { kind: 'enum', tag, underlying: underlying?.kind === 'int' ? underlying.int : INT };
  }

  /** A record defined at `spec` (with a body), built once. */
  private recordOf(spec: SyntaxNode): CType {
    const known = this.records.get(spec.startIndex);
    if (known) return known;
    const record: RecordType = { keyword: RECORD_SPECIFIERS[spec.type]!, fields: [] };
    const type: CType = { kind: 'record', record };
    this.records.set(spec.startIndex, type);
    const tag = spec.childForFieldName('name')?.text;
    if (tag) record.tag = tag;
    const pack = packAt(this.index.pre.packs, spec.startIndex);
    if (pack !== undefined) record.pack = pack;
    const body = spec.childForFieldName('body')!;
    const outside = spec.parent && (spec.parent.type === 'declaration' || spec.parent.type === 'type_definition') ? spec.parent.startIndex : spec.startIndex;
    Object.assign(record, this.attributes(outside, body.startIndex), this.attributes(body.endIndex, spec.endIndex));
    for (const child of spec.namedChildren) {
      if (child.type !== 'base_class_clause') continue;
      record.bases = child.namedChildren.filter((c) => c.type === 'type_identifier' || c.type === 'qualified_identifier').map((c) => this.specifierType(c));
    }
    for (const member of body.namedChildren) {
      if (/^\s*virtual\b/.test(this.index.parsedText.slice(member.startIndex, member.endIndex))) record.virtual = true;
      if (member.type === 'field_declaration') record.fields!.push(...this.fieldsOf(member));
    }
    return type;
  }

  /** The fields one member declaration declares (none for a method, a static member, a nested type alone). */
  private fieldsOf(member: SyntaxNode): Field[] {
    const typeNode = member.childForFieldName('type');
    if (!typeNode || member.children.some((c) => c.type === 'storage_class_specifier' && /static|typedef/.test(c.text))) return [];
    const base = this.specifierType(typeNode);
    const nested = typeNode.type in RECORD_SPECIFIERS && typeNode.childForFieldName('body');
    const attributes = this.attributes(member.startIndex, nested ? typeNode.startIndex : typeNode.endIndex);
    const fields: Field[] = [];
    let last: Field | undefined;
    for (const child of member.children) {
      if (member.fieldNameForChild(member.children.indexOf(child)) === 'declarator') {
        if (child.type === 'function_declarator') continue;
        last = { name: declaredName(child), type: this.applyDeclarator(base, child), ...attributes };
        fields.push(last);
      } else if (child.type === 'bitfield_clause') {
        const width = child.namedChildren[0] ? this.constant(child.namedChildren[0]) : undefined;
        if (width) this.used.push(width.from);
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
    const text = this.index.text.slice(start, end);
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
          type = { kind: 'array', of: type, count: this.arrayCount(d.childForFieldName('size'), value, type) };
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
      else if (d.type === 'abstract_array_declarator') type = { kind: 'array', of: type, count: this.arrayCount(d.childForFieldName('size'), undefined, type) };
      else if (d.type === 'abstract_function_declarator') type = { kind: 'function' };
    }
    return type;
  }

  /** An array's bound: written, or the count of its initializer (`{1, 2, 3}`, `"abc"`); undefined when unknown. */
  private arrayCount(size: SyntaxNode | null, init: SyntaxNode | undefined, element: CType): bigint | undefined {
    if (size) {
      const { value, from } = this.constant(size);
      this.used.push(from);
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
      const texts = parts.map((p) => this.index.parsedText.slice(p.startIndex, p.endIndex));
      const units = texts.reduce((sum, t) => sum + stringLiteralBytes(t) / charWidth(t) - 1, 1);
      return width >= 1 ? BigInt(units) : undefined;
    }
    return undefined;
  }

  /** The declared type of `name` where it is used at `offset`: a local before it, a parameter, a member, a global. */
  typeOfName(name: string, offset: number): CType | undefined {
    this.used.push({ names: [], scoped: [name], spots: [], via: [] });
    const fn = this.index.enclosingFunction(offset);
    const cpp = this.index.language === 'cpp';
    let best: { top: SyntaxNode; decl: SyntaxNode; rank: number } | undefined;
    for (const at of this.index.occurrencesOf(name, 'scoped')) {
      const occurrence = this.index.occurrenceAt(at, name);
      if (!occurrence) continue;
      const top = liftDeclarator(occurrence.declared);
      const decl = top.parent?.type === 'init_declarator' ? top.parent.parent : top.parent;
      if (!decl || !VARIABLE_PARENTS.has(decl.type) || !decl.childForFieldName('type')) continue;
      // 3: a local in scope, 2: a parameter of this function, 1: a member (C++), 0: a global
      let rank: number;
      if (decl.type.includes('parameter_declaration')) rank = fn && isAncestor(fn, decl) ? 2 : -1;
      else if (decl.type === 'field_declaration') rank = cpp ? 1 : -1;
      else if (this.index.enclosingFunction(at)) {
        const inFunction = this.index.enclosingFunction(at)!;
        rank = fn && inFunction.startIndex === fn.startIndex && at < offset && containsOffset(enclosingBlock(decl), offset) ? 3 : -1;
      } else rank = 0;
      // the innermost local (the last one before the use) hides those before it
      if (rank >= 0 && (!best || rank > best.rank || (rank === best.rank && rank === 3)))
        best = { top: top.parent?.type === 'init_declarator' ? top.parent : top, decl, rank };
    }
    if (!best) return undefined;
    const typeNode = best.decl.childForFieldName('type')!;
    return this.applyDeclarator(this.specifierType(typeNode), best.top);
  }
}

function builtinType(words: string, types: ReadonlyMap<string, IntType>): CType | undefined {
  const int = types.get(words) ?? types.get(words.replace(/\bint$/, '').trim());
  if (int) return int.name === 'pointer' ? { kind: 'pointer', to: { kind: 'void' } } : { kind: 'int', int };
  if (words === 'void') return { kind: 'void' };
  if (words === 'float' || words === 'FLOAT') return { kind: 'float', name: 'float' };
  if (words === 'double' || words === 'DOUBLE') return { kind: 'float', name: 'double' };
  if (words === 'long double') return { kind: 'float', name: 'long double' };
  return undefined;
}

function unknownType(name: string): CType {
  return { kind: 'unknown', name, reason: { kind: 'type-not-declared', type: name } };
}

function charWidth(literal: string): number {
  return literal.startsWith('L') || literal.startsWith('u"') ? 2 : literal.startsWith('U') ? 4 : 1;
}

/** The outermost declarator around a declared name (`*p`, `(*fn)(int)`, `a[4]`), not its initializer. */
function liftDeclarator(node: SyntaxNode): SyntaxNode {
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
function declaredName(declarator: SyntaxNode): string | undefined {
  for (let d: SyntaxNode | null = declarator; d;) {
    if (d.type.endsWith('identifier')) return d.text;
    d = d.childForFieldName('declarator') ?? d.namedChildren.find((c) => DECLARATORS.has(c.type) || c.type.endsWith('identifier')) ?? null;
  }
  return undefined;
}
