// The types a file declares, as engine/types data: struct, union and class definitions, enums, typedef and
// `using` chains (in the file or in the headers it includes), and the declared type of each variable (local,
// parameter, global, member). Built lazily: a name is looked up when an expression needs it, and the names a
// type refers to are `ref`s resolved when measured. Every lookup is recorded (see `used`) so that the results
// that depend on a declaration know it.

import type { SdkLookup } from '../evaluate/env.js';
import type { SyntaxNode } from '../parse/parse.js';
import { packAt } from '../preprocess/pack.js';
import type { CType } from '../types/ctype.js';
import { layoutRules, measure } from '../types/layout.js';
import type { Provenance } from './facts.js';
import type { FileIndex } from './file-index.js';
import { containsOffset, enclosingBlock, isAncestor } from './syntax.js';
import { liftDeclarator, TypeBuilder, unknownType, type TypeSource } from './type-builder.js';

const VARIABLE_PARENTS = new Set(['declaration', 'field_declaration', 'parameter_declaration', 'optional_parameter_declaration']);

/** A found definition: the type, and what was used to build it (the evaluations of array sizes, bitfield widths). */
interface Built {
  type: CType | undefined;
  from: Provenance[];
}

/** Where types are looked up besides the file: its headers, and the SDK's table. */
export interface TypeSources {
  /** A header the file includes, parsed (cached per run by the caller); undefined when it cannot be read. */
  header?(file: string): TypeSource | undefined;
  /** The Windows SDK's types, asked after the sources and their headers (which win over them). */
  sdk?: SdkLookup;
}

export class DeclaredTypes {
  /** What the lookups of the evaluation under way used; NameResolver gathers it into the evaluation's provenance. */
  used: Provenance[] = [];
  private readonly named = new Map<string, Built>();
  private readonly main: TypeBuilder;
  private readonly headers = new Map<string, TypeBuilder | undefined>();

  constructor(
    private readonly index: FileIndex,
    /** The value of a constant expression: written at an offset of the file, or (undefined) in a header. */
    private readonly constant: (text: string, at: number | undefined) => { value: bigint | undefined; from: Provenance },
    private readonly sources: TypeSources = {},
  ) {
    const source: TypeSource = {
      file: index.file,
      text: index.text,
      parsedText: index.parsedText,
      tree: index.tree,
      language: index.language,
      occurrencesOf: (name) => index.occurrencesOf(name),
    };
    this.main = this.builder(source, (offset) => packAt(index.pre.packs, offset), true);
  }

  private builder(source: TypeSource, pack: (offset: number) => number | undefined, inFile: boolean): TypeBuilder {
    const builder: TypeBuilder = new TypeBuilder(source, {
      model: this.index.model,
      constant: (node) => this.constant(builder.textOf(node)!, inFile ? node.startIndex : undefined),
      packAt: pack,
      ref: (words) => this.ref(words),
      use: (from) => this.used.push(from),
    });
    return builder;
  }

  /** The builder of an included header, made when first asked for. */
  private headerBuilder(file: string): TypeBuilder | undefined {
    if (this.headers.has(file)) return this.headers.get(file);
    const source = this.sources.header?.(file);
    const packs = this.index.pre.headerPacks?.get(file);
    const built = source && this.builder(source, (offset) => packAt(packs, offset), false);
    this.headers.set(file, built);
    return built;
  }

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
    let declared = this.findIn(this.main, name, m?.[1]);
    if (declared?.kind === 'record' && !declared.record.fields) declared = undefined;
    // the headers the file includes, in the order the preprocessor met them
    for (const header of declared ? [] : this.index.pre.dependencies) {
      const builder = this.headerBuilder(header);
      const found = builder && this.findIn(builder, name, m?.[1]);
      if (found && (found.kind !== 'record' || found.record.fields)) return found;
    }
    // SDK TABLE: the Windows SDK's types (AnalysisOptions.sdk) come after the sources and their headers, which win
    return declared ?? this.sources.sdk?.type(key) ?? this.findIn(this.main, name, m?.[1]);
  }

  /** The definition of `name` (a tag when `keyword` is given) in one source; a declaration when it has none. */
  private findIn(builder: TypeBuilder, name: string, keyword: string | undefined): CType | undefined {
    const { source } = builder;
    // the raw text first: a header is parsed only when it mentions the name
    if (!source.text.includes(name)) return undefined;
    let declared: CType | undefined;
    let defined: { type: CType; tags: Map<string, CType>; aliases: Map<string, CType> } | undefined;
    for (const at of source.occurrencesOf(name)) {
      const node = source.tree.rootNode.descendantForIndex(at, at + name.length);
      if (node.type !== 'type_identifier' || node.startIndex !== at) continue;
      const found = keyword
        ? builder.tagAt(node, keyword)
        : (builder.typedefAt(node) ?? (source.language === 'cpp' ? builder.tagAt(node, undefined) : undefined));
      // a definition wins over a declaration (`struct S;` before `struct S { ... }`)
      if (!found || (found.kind === 'record' && !found.record.fields)) declared ??= found;
      else {
        defined ??= { type: found, tags: new Map(), aliases: new Map() };
        const { text, alias } = definitionOf(node, builder);
        (alias ? defined.aliases : defined.tags).set(text, found);
      }
    }
    // definitions under #if branches granule cannot decide (`#ifdef __i386__` ... `#elif defined(__x86_64__)`)
    // that differ leave the type unknown rather than picking one
    const differing = defined && [defined.tags, defined.aliases].find((d) => d.size > 1);
    // `typedef unsigned int UInt32;` and `typedef unsigned long UInt32;` differ in text, not in layout
    if (differing && !this.sameLayout([...differing.values()])) {
      const definitions = differing.size;
      const type = keyword ? `${keyword} ${name}` : name;
      return { kind: 'unknown', name: type, reason: { kind: 'type-defined-differently', type, definitions } };
    }
    return defined?.type ?? declared;
  }

  /** True when every type has one size and alignment on the target (so which definition holds does not matter). */
  private sameLayout(types: CType[]): boolean {
    const rules = layoutRules(this.index.model.name, this.index.options.compiler ?? 'msvc', this.index.language === 'cpp' ? 'c++' : 'c');
    const layouts = types.map((t) => measure(t, rules));
    const first = layouts[0]!;
    return !('unknown' in first) && layouts.every((l) => !('unknown' in l) && l.size === first.size && l.align === first.align);
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
    return this.main.applyDeclarator(this.main.specifierType(typeNode), best.top);
  }
}

/** The text of the definition a type name is written in (its specifier, typedef or alias), spaces folded. */
function definitionOf(node: SyntaxNode, builder: TypeBuilder): { text: string; alias: boolean } {
  let d: SyntaxNode | null = node;
  while (d && !DEFINITIONS.has(d.type)) d = d.parent;
  const definition = d ?? node;
  return { text: builder.textOf(definition)!.replace(/\s+/g, ' '), alias: definition.type === 'type_definition' || definition.type === 'alias_declaration' };
}

const DEFINITIONS = new Set(['struct_specifier', 'union_specifier', 'class_specifier', 'enum_specifier', 'type_definition', 'alias_declaration']);
