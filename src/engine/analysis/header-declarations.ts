// The functions a header declares, as far as linkage needs to know: the names written as `name(` outside comments
// (prototypes, `extern` declarations, inline definitions, and the declarations macros such as WINBASEAPI wrap).
// A header that merely calls a function in an inline body counts too: whoever includes it sees the name. And the
// objects its `extern` declarations declare (`extern PFN_VA pVirtualAlloc;`, `extern LPVOID (WINAPI *p)(...);`):
// the function pointers of another file a caller reaches through the header.

import { blankRanges } from '../text/blanking.js';
import { comments } from '../text/lexer.js';

/** The names a text writes as `name(` (comments left out). */
export function functionNamesIn(text: string): ReadonlySet<string> {
  const spans: [number, number][] = [];
  for (const c of comments(text)) spans.push([c.start, c.end]);
  const code = spans.length ? blankRanges(text, spans) : text;
  const names = new Set<string>();
  for (const m of code.matchAll(/([A-Za-z_$][\w$]*)\s*\(/g)) names.add(m[1]!);
  for (const name of externObjectNames(code)) names.add(name);
  return names;
}

/**
 * The names `extern` declarations declare as objects: a name after a `*` or before `;`, `=`, `,` or `[` (a type's
 * or a parameter's name may come along; linkage only asks about the names of the run's wrappers and pointers).
 * Not `extern "C"`, which declares nothing itself. Each declaration is read up to its `;` (at most 512 characters).
 */
function externObjectNames(code: string): string[] {
  const names: string[] = [];
  for (const m of code.matchAll(/\bextern\b(?!\s*")([^;{}]{0,512});/g)) {
    for (const d of m[1]!.matchAll(/(?:\*\s*(?:const\s+)?([A-Za-z_$][\w$]*))|([A-Za-z_$][\w$]*)\s*(?=[;=,[]|$)/g)) names.push((d[1] ?? d[2])!);
  }
  return names;
}

/**
 * The function names of every header a run reads, each header scanned when first asked about. Kept per run (or
 * editor session) beside the header texts it reads; a header whose text changed is scanned again.
 */
export class HeaderDeclarations {
  private readonly cache = new Map<string, { text: string; names: ReadonlySet<string> }>();

  constructor(private readonly readFile: (file: string) => string | undefined) {}

  /** Whether `header` declares (or otherwise writes as a call) a function called `name`. */
  declares = (header: string, name: string): boolean => {
    const text = this.readFile(header);
    if (text === undefined || !text.includes(name)) return false;
    let entry = this.cache.get(header);
    if (!entry || entry.text !== text) this.cache.set(header, (entry = { text, names: functionNamesIn(text) }));
    return entry.names.has(name);
  };
}
