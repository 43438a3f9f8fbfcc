// Whether a call named like a Windows API is that API. `obj.VirtualAlloc(...)`, `p->VirtualAlloc(...)`,
// `ns::VirtualAlloc(...)` and a plain call inside a class that declares its own member `VirtualAlloc` call
// something else; `::VirtualAlloc(...)` is the API, and so is `ns::VirtualAlloc(...)` when the namespace brings
// the API in (`namespace ns { using ::VirtualAlloc; }`).

import { closestAncestor } from '../parse/ancestry.js';
import type { SyntaxNode } from '../parse/parse.js';
import type { FileIndex } from './file-index.js';
import { enclosingClassName, functionName } from './syntax.js';

const CLASSES = new Set(['class_specifier', 'struct_specifier', 'translation_unit']);
const NAMESPACES = new Set(['namespace_definition', 'translation_unit']);

/** Per file: which classes declare a member of an API's name, which namespaces bring the API in (memoized by name). */
export class ApiIdentity {
  private readonly owners = new Map<string, { classes: Set<string>; namespaces: Set<string> }>();

  constructor(private readonly index: FileIndex) {}

  /** Whether the call whose callee is `callee` (the name's node, or the qualified or member expression around it) calls the API `name`. */
  isApi(name: string, callee: SyntaxNode, member: boolean): boolean {
    if (member) return false;
    const text = this.index.parsedText;
    if (callee.type === 'qualified_identifier') {
      const scope = callee.childForFieldName('scope');
      // `::VirtualAlloc`: the global one
      if (!scope) return true;
      const namespace = text.slice(scope.startIndex, scope.endIndex).split('::').pop()!.trim();
      return this.ownersOf(name).namespaces.has(namespace);
    }
    const fn = this.index.enclosingFunction(callee.startIndex);
    const owner = fn && classOf(fn, text);
    return !owner || !this.ownersOf(name).classes.has(owner);
  }

  /** Whether an expanded macro's `ns :: name (` (tokens before the name: `before2 before1`) calls the API. */
  isApiAfter(name: string, before1: string | undefined, before2: string | undefined): boolean {
    if (before1 === '.' || before1 === '->') return false;
    if (before1 !== '::' || !before2 || !/^\w+$/.test(before2)) return true;
    return this.ownersOf(name).namespaces.has(before2);
  }

  private ownersOf(name: string): { classes: Set<string>; namespaces: Set<string> } {
    let found = this.owners.get(name);
    if (found) return found;
    found = { classes: new Set(), namespaces: new Set() };
    const text = this.index.parsedText;
    const root = this.index.tree.rootNode;
    for (const at of this.index.occurrencesOf(name)) {
      const node = root.descendantForIndex(at, at + name.length);
      if (node.startIndex !== at) continue;
      const owner = declaringClass(node, text);
      if (owner) found.classes.add(owner);
      const using =
        node.parent?.type === 'using_declaration' ? node.parent : node.parent?.parent?.type === 'using_declaration' ? node.parent.parent : undefined;
      if (using) {
        const ns = closestAncestor(using, NAMESPACES);
        const nsName = ns?.type === 'namespace_definition' ? ns.childForFieldName('name') : undefined;
        if (nsName) found.namespaces.add(text.slice(nsName.startIndex, nsName.endIndex));
      }
    }
    this.owners.set(name, found);
    return found;
  }
}

/** The class a declaration of a member function declares it in: `void *VirtualAlloc(...);` in a class body, or `Cls::VirtualAlloc`. */
function declaringClass(node: SyntaxNode, text: string): string | undefined {
  let declarator = node;
  if (declarator.parent?.type === 'qualified_identifier' && declarator.parent.childForFieldName('name')?.startIndex === declarator.startIndex) {
    const scope = declarator.parent.childForFieldName('scope');
    if (declarator.parent.parent?.type !== 'function_declarator' || !scope) return undefined;
    return text.slice(scope.startIndex, scope.endIndex).split('::').pop()!.trim();
  }
  if (declarator.parent?.type !== 'function_declarator') return undefined;
  declarator = declarator.parent;
  const inClass = closestAncestor(declarator, new Set(['field_declaration_list', 'translation_unit', 'namespace_definition', 'compound_statement']));
  if (inClass?.type !== 'field_declaration_list') return undefined;
  const cls = closestAncestor(inClass, CLASSES);
  const clsName = cls && cls.type !== 'translation_unit' ? cls.childForFieldName('name') : undefined;
  return clsName ? text.slice(clsName.startIndex, clsName.endIndex) : undefined;
}

/** The class a function is a member of: defined in its body, or as `Cls::method`. */
function classOf(fn: SyntaxNode, text: string): string | undefined {
  const inside = enclosingClassName(fn, text);
  if (inside) return inside;
  const name = functionName(fn, text);
  const parts = name?.split('::');
  return parts && parts.length > 1 ? parts[parts.length - 2]!.trim() : undefined;
}
