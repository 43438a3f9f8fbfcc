// Which wrapper a call of a wrapper's name reaches: this file's own, else the one of another file that linkage
// lets the call reach (linkage.ts); for a member call, only when the object's declared type (or the class named
// nearby) fits the wrapper's class.

import { wordOccurrences } from '../text/occurrences.js';
import type { CallSite, ProjectFacts, WrapperModel } from './facts.js';
import type { FileIndex } from './file-index.js';
import type { Linkage } from './linkage.js';
import { splitTemplateArguments, tokenize, type Token } from '../text/tokens.js';
import { classTemplateOf, declaresName, DECLARATIONS, enclosingClassName, functionName } from './syntax.js';

/** A wrapper a call reaches (or none) and the names whose occurrences decided it. */
export interface WrapperChoice {
  wrapper: WrapperModel | undefined;
  read: string[];
}

export class WrapperLookup {
  constructor(
    private readonly index: FileIndex,
    private readonly linkage: Linkage,
  ) {}

  hasWrapperName(name: string, project: ProjectFacts): boolean {
    return project.wrappers.has(name) || !!project.overloads?.has(name);
  }

  /** The wrapper a call of `name` in this file reaches: this file's own, else the one of another file it links to. */
  wrapperFor(name: string, member: boolean, site: CallSite | undefined, project: ProjectFacts): WrapperChoice {
    const read: string[] = [];
    const all = project.overloads?.get(name) ?? [project.wrappers.get(name)].filter((w): w is WrapperModel => !!w);
    // a call that names a class template (`Pool<4096>::create()`, `Arena<4096> a;`) reaches that class's members,
    // and a temporary (`Arena<4096>()`) its constructor
    const named = site?.classTemplate?.name;
    const fits = all.filter((w) =>
      named !== undefined
        ? w.member && w.className === named
        : member
          ? w.member && this.mayBeObjectOf(w, site, read)
          : !w.member || w.file === this.index.file || (!!site?.templateArgs && isClassTemplateConstructor(w)),
    );
    const own = fits.find((w) => w.file === this.index.file);
    if (own) return { wrapper: own, read };
    // a function of that name defined here, but not a wrapper, is the one called
    if (this.index.definedFunctions().has(name)) return { wrapper: undefined, read };
    if (fits.length === 0) return { wrapper: undefined, read };
    // a variable or a parameter of that name (a function pointer) in scope at the call hides every function; an
    // `extern` declaration of it names another file's pointer
    if (!member && site) {
      read.push(name);
      if (this.linkage.declaresObject(name, site.start, !fits.some((w) => w.pointer))) return { wrapper: undefined, read };
    }
    const shared = fits.filter((w) => (w.pointer ? this.linkage.reachesPointer(name, w, read) : this.linkage.reaches(name, w, read)));
    return { wrapper: shared.length === 1 ? shared[0] : undefined, read };
  }

  /**
   * The class template arguments of a call of a member of a class template that does not write them: those of
   * its object's declared type (`Ring<8192> r; ... r.grow()`), or, in a function of that class template, the
   * class's own parameters, which the caller binds in turn. Undefined when neither says: then no argument is
   * known (a default would be a guess: `Ring<8192>` reached through a pointer of unknown type is not `Ring<>`).
   */
  classArgumentsOf(w: WrapperModel, site: CallSite, read: string[]): Token[][] | undefined {
    if (!w.classTemplateParams || !w.className) return undefined;
    if (site.member) {
      const receiver = this.receiverOf(site);
      const declared = receiver && this.declaredTypeOf(receiver.name, receiver.offset, read);
      return declared === undefined ? undefined : templateArgumentsIn(tokenize(declared), w.className);
    }
    const fn = this.index.enclosingFunction(site.start);
    if (fn?.type !== 'function_definition' || classTemplateOf(fn, this.index.parsedText)?.name !== w.className) return undefined;
    return (w.templateParams ?? []).map((name) => (name ? tokenize(name) : []));
  }

  /**
   * Whether `obj.name(...)` / `p->name(...)` at `site` can call the member wrapper `w`. When the file declares
   * the object (a local, a parameter, a global or a class member) the declared type decides: `bytes.Alloc(4)`
   * with `ByteBuffer bytes;` is not `MidBuf::Alloc`. Otherwise the wrapper's class must be named nearby: in a
   * file that does not define the wrapper, anywhere in the file (`v.reserve(n)` in a file that never names
   * Arena is std::vector's reserve); in the file that defines it, in the calling function or as its class
   * (7-Zip's HashCalc.cpp defines a buffer class with an `Alloc` that reserves, and calls `Hash.Alloc(4)` on a
   * member of another class declared in a header). The names whose occurrences it looks at go to `read`.
   */
  private mayBeObjectOf(w: WrapperModel, site: CallSite | undefined, read: string[]): boolean {
    const name = w.className;
    if (!name) return true;
    const receiver = site && this.receiverOf(site);
    const declared = receiver && this.declaredTypeOf(receiver.name, receiver.offset, read);
    if (declared !== undefined) return wordOccurrences(declared, name).length > 0;
    if (w.file !== this.index.file) {
      read.push(name);
      return this.index.mentions(name);
    }
    const fn = site && this.index.enclosingFunction(site.start);
    if (!fn) return true;
    const text = this.index.parsedText;
    const own = functionName(fn, text);
    if (own?.split('::').slice(-2, -1)[0] === name || enclosingClassName(fn, text) === name) return true;
    // (named in code: a comment that mentions the class does not count)
    read.push(name);
    return this.index.occurrencesOf(name).some((at) => at > fn.startIndex && at < fn.endIndex && this.index.occurrenceAt(at, name) !== null);
  }

  /** The object a member call is made on, when it is a plain name (`buf.Alloc(...)`, `p->Alloc(...)`). */
  private receiverOf(site: CallSite): { name: string; offset: number } | undefined {
    const callee = site.node?.childForFieldName('function');
    if (callee?.type !== 'field_expression') return undefined;
    const object = callee.childForFieldName('argument');
    if (object?.type !== 'identifier') return undefined;
    return { name: this.index.parsedText.slice(object.startIndex, object.endIndex), offset: object.startIndex };
  }

  /**
   * The type written where the file declares `name` for a use at `offset`: the latest declaration before it in
   * the same function (a local or a parameter), else one outside every function (a global or a class member).
   * Undefined when the file declares no such name.
   */
  private declaredTypeOf(name: string, offset: number, read: string[]): string | undefined {
    const index = this.index;
    const fn = index.enclosingFunction(offset);
    let local: string | undefined;
    let outside: string | undefined;
    read.push(name);
    for (const at of index.occurrencesOf(name)) {
      const occurrence = index.occurrenceAt(at, name);
      if (!occurrence) continue;
      const { declared, parent } = occurrence;
      const decl = parent.type === 'init_declarator' ? parent.parent : parent;
      if (!decl || !DECLARATIONS.has(decl.type) || !declaresName(parent, declared)) continue;
      const type = decl.childForFieldName('type');
      if (!type) continue;
      const text = index.parsedText.slice(type.startIndex, type.endIndex);
      const inFunction = index.enclosingFunction(at);
      if (fn && inFunction?.startIndex === fn.startIndex) {
        if (at < offset) local = text;
      } else if (!inFunction) outside ??= text;
    }
    const written = local ?? outside;
    // `auto`, `decltype(...)` and a type alias say nothing by their name: as if undeclared
    if (written === undefined || /^(?:auto|decltype)\b/.test(written.replace(/\b(?:const|volatile|static)\b/g, '').trim())) return undefined;
    const typeName = /[A-Za-z_$][\w$]*(?=\s*(?:<|$))/.exec(written.trim())?.[0];
    if (typeName) read.push(typeName);
    return typeName && this.isTypeAlias(typeName) ? undefined : written;
  }

  /** Whether the file declares `name` as a type alias (`typedef ... name;`, `using name = ...;`). */
  private isTypeAlias(name: string): boolean {
    const index = this.index;
    return index.occurrencesOf(name, 'typedef').some((at) => {
      const node = index.tree.rootNode.descendantForIndex(at, at + name.length);
      if (node.type !== 'type_identifier' || node.startIndex !== at) return false;
      const parent = node.parent;
      if (parent?.type === 'type_definition') return parent.childrenForFieldName('declarator').some((d) => d.startIndex === at);
      return parent?.type === 'alias_declaration' && parent.childForFieldName('name')?.startIndex === at;
    });
  }
}

/** The template arguments written after `className` in a type (`const Ring<8192, 2>` gives [8192], [2]), split at top-level commas. */
function templateArgumentsIn(tokens: readonly Token[], className: string): Token[][] | undefined {
  const at = tokens.findIndex((t, i) => t.text === className && tokens[i + 1]?.text === '<');
  return at < 0 ? undefined : splitTemplateArguments(tokens, at + 1)?.args;
}

/** The constructor of a class template, whose template arguments a temporary writes as a call's (`Arena<4096>()`). */
export function isClassTemplateConstructor(w: WrapperModel): boolean {
  return !!w.classTemplateParams && w.name === w.className;
}
