// The C++ `constexpr` and `consteval` functions that headers define (at file or namespace scope, or as members of a
// class), kept as data for the files that include them: with `constexpr size_t pages(size_t n) { return n * 4096; }`
// in sizes.h, `pages(3)` in a file that includes sizes.h is 12288. A header is parsed once per run, and only when a
// size calls a function the including file does not define; only the headers the file includes are asked.

import { neutralize } from '../parse/neutralize.js';
import { languageFor, parse, type SyntaxNode } from '../parse/parse.js';
import { functionName, functionParams, isConstexprFunction, memberOwner, returnTypeText, singleReturn, type MemberOwner } from './syntax.js';

/** A header's constexpr function, as a call's evaluation needs it. */
export interface HeaderFunction {
  name: string;
  file: string;
  /** 1-based line of the definition in the header. */
  line: number;
  /** Where the definition starts in the header (two definitions of one header are told apart by it). */
  start: number;
  params: { name: string; type: string }[];
  /** The return type as written, when it is not a pointer or a reference. */
  returnType?: string;
  /** The `return`'s expression (after any `static_assert`s), or undefined when the body is more than that. */
  returned?: string;
  /** The class it is a member of (syntax.ts memberOwner). */
  owner?: MemberOwner;
}

/** Per-run cache of the constexpr functions of every header a run reads; a header is parsed when first asked about. */
export class HeaderFunctions {
  private readonly cache = new Map<string, { text: string; functions: ReadonlyMap<string, readonly HeaderFunction[]> }>();

  constructor(private readonly readFile: (file: string) => string | undefined) {}

  /** The constexpr functions named `name` that a header defines, if any. */
  lookup = (file: string, name: string): readonly HeaderFunction[] | undefined => {
    const text = this.readFile(file);
    if (text === undefined || !text.includes(name)) return undefined;
    let entry = this.cache.get(file);
    // a header that changed on disk (an editor session) is read again
    if (!entry || entry.text !== text) {
      entry = { text, functions: /\bconste(?:xpr|val)\b/.test(text) ? extractFunctions(file, text) : new Map() };
      this.cache.set(file, entry);
    }
    return entry.functions.get(name);
  };
}

export function extractFunctions(file: string, text: string): Map<string, HeaderFunction[]> {
  const parsedText = neutralize(text);
  const tree = parse(parsedText, languageFor(file, parsedText));
  const found = new Map<string, HeaderFunction[]>();
  // depth first with a stack of its own: a header nested thousands of levels deep overflows the call stack
  const stack: SyntaxNode[] = [tree.rootNode];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const child of node.namedChildren) {
      if (child.type === 'function_definition') {
        const fn = definitionOf(child, file, parsedText);
        if (fn) found.set(fn.name, [...(found.get(fn.name) ?? []), fn]);
      } else if (child.type !== 'compound_statement') stack.push(child);
    }
  }
  return found;
}

function definitionOf(fn: SyntaxNode, file: string, text: string): HeaderFunction | undefined {
  if (!isConstexprFunction(fn, text)) return undefined;
  const qualified = functionName(fn, text);
  if (!qualified) return undefined;
  const returned = singleReturn(fn);
  const returnType = returnTypeText(fn, text);
  const owner = memberOwner(fn, text);
  return {
    name: qualified.split('::').pop()!,
    file,
    line: fn.startPosition.row + 1,
    start: fn.startIndex,
    params: functionParams(fn, text),
    ...(returnType ? { returnType } : {}),
    ...(returned ? { returned: text.slice(returned.startIndex, returned.endIndex) } : {}),
    ...(owner ? { owner } : {}),
  };
}
