// The functions a header declares, as far as linkage needs to know: the names written as `name(` outside comments
// (prototypes, `extern` declarations, inline definitions, and the declarations macros such as WINBASEAPI wrap).
// A header that merely calls a function in an inline body counts too: whoever includes it sees the name.

import { blankRanges } from '../text/blanking.js';
import { comments } from '../text/lexer.js';

/** The names a text writes as `name(` (comments left out). */
export function functionNamesIn(text: string): ReadonlySet<string> {
  const spans: [number, number][] = [];
  for (const c of comments(text)) spans.push([c.start, c.end]);
  const code = spans.length ? blankRanges(text, spans) : text;
  const names = new Set<string>();
  for (const m of code.matchAll(/([A-Za-z_$][\w$]*)\s*\(/g)) names.add(m[1]!);
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
