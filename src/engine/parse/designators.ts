// tree-sitter's C and C++ grammars read `offsetof(T, m)` with a single member name; GCC, Clang and MSVC accept a
// member designator (`offsetof(T, s.inner)`, `offsetof(T, a[2])`), and the grammars turn the call around one
// into errors (a call of VirtualAlloc read as a declaration, or cut short). The rest of such a designator is
// hidden from the grammar only: blanked in the text tree-sitter reads, at the same offsets, so the tree is that
// of `offsetof(T, s)`; the analysis reads the file's own text, designator included.

import { blankSpans } from '../text/blanking.js';

const OFFSETOF = /\boffsetof\s*\(/g;
/** An argument list is looked for this far: a designator is short, and a scan per `offsetof` must be bounded. */
const MAX_SCAN = 2000;
const LEADING_NAME = /^\s*[A-Za-z_$][\w$]*/;

/** `text` with the part of each offsetof member designator after its first name blanked (`text` itself when none has one). */
export function hideMemberDesignators(text: string): string {
  if (!text.includes('offsetof')) return text;
  const spans: [number, number][] = [];
  OFFSETOF.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = OFFSETOF.exec(text))) {
    const open = m.index + m[0].length - 1;
    const args = argumentSpans(text, open);
    // (the scan ends after what it read: an offsetof inside the arguments is never scanned again)
    OFFSETOF.lastIndex = Math.max(OFFSETOF.lastIndex, args?.end ?? open + 1);
    if (!args || args.commas.length !== 1) continue;
    const designator = text.slice(args.commas[0]! + 1, args.end - 1);
    const name = LEADING_NAME.exec(designator);
    if (!name || designator.slice(name[0].length).trim() === '') continue;
    spans.push([args.commas[0]! + 1 + name[0].length, args.end - 1]);
  }
  return blankSpans(text, spans);
}

/** The top-level commas of the argument list opening at `open`, and the offset after its `)`; undefined when it does not close nearby. */
function argumentSpans(text: string, open: number): { commas: number[]; end: number } | undefined {
  const commas: number[] = [];
  let depth = 0;
  const limit = Math.min(text.length, open + MAX_SCAN);
  for (let i = open; i < limit; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') {
      if (--depth === 0) return c === ')' ? { commas, end: i + 1 } : undefined;
    } else if (c === ',' && depth === 1) commas.push(i);
    // a statement or a block never lies inside an offsetof; a comment or a literal is not looked into
    else if (c === ';' || c === '{' || c === '}' || c === '"' || c === "'" || (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*'))) return undefined;
  }
  return undefined;
}
