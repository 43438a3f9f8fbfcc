// Which function of another file a call can reach, as the linker would decide it. A wrapper defined in another
// file is the callee of a call here only when:
// - it has external linkage: not `static` in a source file, not in an anonymous namespace;
// - a function a header defines (inline or static) is reached only by the files whose include graph holds that
//   header (or that `#include` a header of its name the include path did not find: the one the build would);
// - a function of a source file is reached when this file and the wrapper's file include the same header that
//   declares it (a shared declaration: how an exported function is called across modules; an include not found
//   counts as that header when the names agree), or else when both
//   are in the same program and the name is declared here (a prototype or `extern` in this file, or a header it
//   includes), or nowhere (neither file's includes declare it). When the run knows builds (a compilation
//   database's entries, a Visual Studio project's ClCompile items), a source file a build lists is linked with the
//   files that build lists and no others: two projects side by side in one folder are two links, and a source
//   file no build of the run lists is in none of them. When neither file is listed (or the caller is a header,
//   which belongs to whoever includes it), the same program is the same project (files/project-root.ts: the
//   nearest directory with a build file, a solution or a .git; or one such project inside the other's subtree;
//   or a project whose headers this file includes);
// - this file does not declare the name itself as something else: a definition of its own, or a variable or
//   parameter (a function pointer of the same name) in scope at the call.
// A call that binds to no wrapper is what it would be with no wrapper of its name.

import * as path from 'node:path';
import { isInside } from '../files/project-root.js';
import type { SyntaxNode } from '../parse/parse.js';
import type { FileIndex } from './file-index.js';
import { DECLARATIONS, declaresName, inAnonymousNamespace } from './syntax.js';

/** Where a wrapper lives, as linkage needs it (a part of WrapperModel). */
export interface WrapperLinkage {
  file: string;
  /** A `static` function of a source file, or one in an anonymous namespace. */
  fileLocal?: boolean;
  /** Defined in a header: reached by the files that include it. */
  header?: boolean;
  /** The root of the defining file's project; undefined when the run does not say (every file one project). */
  project?: string;
  /** The builds that list the defining file (databases, projects); undefined or empty when the run knows none. */
  builds?: readonly string[];
  /** The headers the defining file includes that declare the wrapper's name. */
  declaredIn?: readonly string[];
}

/** What a header's name ends with: its functions are reached by including it, and it is compiled by no build itself. */
export const HEADER_FILE = /\.(?:h|hh|hpp|hxx|h\+\+|inl|ipp|tpp)$/i;

export class Linkage {
  private readonly headersOf = new Map<string, string[]>();
  private dependencySet?: ReadonlySet<string>;
  /** The `#include`s of this file and its headers that were not found, as `/name.h` suffixes (see includesByName). */
  private unfound?: readonly string[];

  constructor(private readonly index: FileIndex) {}

  /** The root of this file's project. */
  get project(): string | undefined {
    return this.index.options.projectOf?.(this.index.file);
  }

  /** The builds that list this file (empty: the run knows none). */
  get builds(): readonly string[] {
    return this.index.options.builds ?? [];
  }

  /** The headers this file includes (directly or not) that declare `name`. */
  declaringHeaders(name: string): readonly string[] {
    let found = this.headersOf.get(name);
    if (!found) {
      const declares = this.index.options.headerDeclares;
      found = declares ? this.index.pre.dependencies.filter((h) => declares(h, name)) : [];
      this.headersOf.set(name, found);
    }
    return found;
  }

  /** Whether a call of `name` here can reach the wrapper `w` of another file. `read`: names whose occurrences decided. */
  reaches(name: string, w: WrapperLinkage, read: string[]): boolean {
    if (w.fileLocal) return false;
    if (w.header) return this.includes(w.file) || this.includesByName(w.file);
    const mine = this.declaringHeaders(name);
    if (w.declaredIn?.some((h) => mine.includes(h) || this.includesByName(h))) return true;
    if (!this.linkedTo(w)) return false;
    if (mine.length > 0 || !w.declaredIn?.length) return true;
    read.push(name);
    return this.declaresFunction(name);
  }

  /**
   * Whether a call through `name` here can reach the function pointer `w` of another file (a global the other file
   * stores an API in, WrapperModel.pointer): as for a function, but a pointer is only ever reached through an
   * `extern` declaration the caller sees (a header both include that declares it; else, within one program, one
   * this file or a header it includes writes). A `static` pointer reaches no other file.
   */
  reachesPointer(name: string, w: WrapperLinkage, read: string[]): boolean {
    if (w.fileLocal || w.header) return false;
    // (a file that stores into the pointer itself decides what it holds here: pointers.ts, for its own stores)
    read.push(name);
    if (this.storesInto(name)) return false;
    const mine = this.declaringHeaders(name);
    if (w.declaredIn?.some((h) => mine.includes(h) || this.includesByName(h))) return true;
    if (!this.linkedTo(w)) return false;
    if (mine.length > 0) return true;
    return this.index.occurrencesOf(name).some((at) => this.storageAt(at, name) === 'extern');
  }

  /** Whether this file assigns to `name` (`name = …`). */
  private storesInto(name: string): boolean {
    return this.index.occurrencesOf(name).some((at) => {
      const parent = this.index.occurrenceAt(at, name)?.parent;
      return parent?.type === 'assignment_expression' && parent.childForFieldName('left')?.startIndex === at;
    });
  }

  /**
   * Whether the global `name` this file stores in has internal linkage: a file-scope declaration of it here is
   * `static`, or in a namespace without a name, or (C++) `const` with no `extern` declaration of it here or in a
   * header this file includes.
   */
  hasInternalLinkage(name: string): boolean {
    const declarations = this.index.occurrencesOf(name).flatMap((at) => {
      const declaration = this.index.enclosingFunction(at) ? undefined : this.objectDeclarationAt(at, name);
      return declaration ? [{ declaration, storage: storageClass(declaration, this.index.parsedText) }] : [];
    });
    if (declarations.some((d) => d.storage === 'static' || inAnonymousNamespace(d.declaration))) return true;
    if (this.index.language !== 'cpp' || declarations.some((d) => d.storage === 'extern') || this.declaringHeaders(name).length > 0) return false;
    return declarations.some((d) => isConst(d.declaration, this.index.parsedText));
  }

  /** The storage class of the object declaration of `name` at `at` (`extern`, `static`), if it is one. */
  private storageAt(at: number, name: string): string | undefined {
    const declaration = this.objectDeclarationAt(at, name);
    return declaration && storageClass(declaration, this.index.parsedText);
  }

  /** The declaration that declares `name` at `at` as an object (a variable, a function pointer), if it is one. */
  private objectDeclarationAt(at: number, name: string): SyntaxNode | undefined {
    const occurrence = this.index.occurrenceAt(at, name);
    return occurrence ? objectDeclaration(occurrence.declared) : undefined;
  }

  /** Whether this file's include graph holds `header`. */
  private includes(header: string): boolean {
    return (this.dependencySet ??= new Set(this.index.pre.dependencies)).has(header);
  }

  /**
   * Whether an `#include` here that the include path did not resolve names `header` (its path ends with the
   * include's): `#include "zend_fibers.h"` in a file scanned without `-I` is the header the build would find.
   */
  private includesByName(header: string): boolean {
    this.unfound ??= this.index.pre.includes.filter((e) => e.resolved === undefined).map((e) => `/${e.spec.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '')}`);
    if (this.unfound.length === 0) return false;
    const normal = header.split(path.sep).join('/');
    return this.unfound.some((suffix) => normal.endsWith(suffix));
  }

  /**
   * When a build of the run lists either file: a build lists both (what one link puts together; the folders do not
   * matter), unless this file is a header no build lists. Otherwise: the same project, one project inside the
   * other's subtree (a library with a build file of its own in a subfolder, as CMake's add_subdirectory), or this
   * file includes a header of the wrapper's project.
   */
  private linkedTo(w: WrapperLinkage): boolean {
    const builds = this.builds;
    const theirs = w.builds ?? [];
    if (builds.length > 0 || (theirs.length > 0 && !HEADER_FILE.test(this.index.file))) return theirs.some((b) => builds.includes(b));
    const mine = this.project;
    if (w.project === undefined || mine === undefined || isInside(w.project, mine) || isInside(mine, w.project)) return true;
    return this.index.pre.dependencies.some((h) => isInside(h, w.project!));
  }

  /** Whether the file declares a function `name` (a prototype or an `extern` declaration, at any scope). */
  private declaresFunction(name: string): boolean {
    return this.index.occurrencesOf(name).some((at) => this.declarationAt(at, name) === 'function');
  }

  /**
   * Whether `name` at the call at `offset` names a variable or a parameter of this file (a function pointer, say):
   * declared outside every function, or in the call's own function before it. Then no function of another file
   * is called. `externHides`: false when what is called is another file's pointer, which an `extern` declaration
   * of it names rather than hides.
   */
  declaresObject(name: string, offset: number, externHides = true): boolean {
    const fn = this.index.enclosingFunction(offset);
    return this.index.occurrencesOf(name).some((at) => {
      if (this.declarationAt(at, name) !== 'object') return false;
      if (!externHides && this.storageAt(at, name) === 'extern') return false;
      const inFunction = this.index.enclosingFunction(at);
      return !inFunction || (!!fn && inFunction.startIndex === fn.startIndex && at < offset);
    });
  }

  /** What the occurrence of `name` at `at` declares: a function, an object, or nothing (a use). */
  private declarationAt(at: number, name: string): 'function' | 'object' | undefined {
    const occurrence = this.index.occurrenceAt(at, name);
    if (!occurrence) return undefined;
    const { declared, parent } = occurrence;
    // `void *f(size_t);` declares a function (a definition is the file's own, found elsewhere)
    if (declared.type === 'identifier' && parent.type === 'function_declarator' && isDeclaratorOf(parent, declared)) {
      return parent.parent?.type === 'function_definition' ? undefined : 'function';
    }
    return declaresObject(declared) ? 'object' : undefined;
  }
}

const DECLARATOR_LEVELS = new Set(['pointer_declarator', 'reference_declarator', 'parenthesized_declarator', 'array_declarator', 'function_declarator']);

/**
 * Whether `node` (a declared name, with the declarator levels above it) is what a declaration or a parameter
 * declares as a variable: `void *(*p)(size_t) = malloc;`, `int n`, a parameter `void *(*alloc)(size_t)`.
 */
function declaresObject(node: SyntaxNode): boolean {
  return objectDeclaration(node) !== undefined;
}

/** The declaration (or parameter) that declares `node` as a variable (see declaresObject). */
function objectDeclaration(node: SyntaxNode): SyntaxNode | undefined {
  let child = node;
  let parent = node.parent;
  // (a parenthesized declarator holds its inner one as a plain child, not in a field)
  while (parent && DECLARATOR_LEVELS.has(parent.type) && (parent.type === 'parenthesized_declarator' || isDeclaratorOf(parent, child))) {
    child = parent;
    parent = parent.parent;
  }
  if (!parent) return undefined;
  if (parent.type === 'init_declarator') {
    if (!isDeclaratorOf(parent, child)) return undefined;
    child = parent;
    parent = parent.parent;
  }
  return parent && DECLARATIONS.has(parent.type) && parent.type !== 'field_declaration' && declaresName(parent, child) ? parent : undefined;
}

/** A declaration's storage class (`static`, `extern`), if it writes one. */
function storageClass(declaration: SyntaxNode, text: string): string | undefined {
  const specifier = declaration.children.find((c) => c.type === 'storage_class_specifier');
  return specifier && text.slice(specifier.startIndex, specifier.endIndex);
}

/** Whether a declaration's type is `const` (a C++ namespace-scope const object has internal linkage). */
function isConst(declaration: SyntaxNode, text: string): boolean {
  // (`PFN const p`, `const PFN p`: a qualifier of the declaration; `void *(*const p)(size_t)`: of its declarator)
  if (declaration.children.some((c) => c.type === 'type_qualifier' && text.slice(c.startIndex, c.endIndex) === 'const')) return true;
  return declaration.childrenForFieldName('declarator').some((d) => /\*\s*const/.test(text.slice(d.startIndex, d.endIndex).split('=')[0]!));
}

function isDeclaratorOf(parent: SyntaxNode, child: SyntaxNode): boolean {
  const d = parent.childForFieldName('declarator');
  return !!d && d.startIndex === child.startIndex && d.endIndex === child.endIndex;
}
