// A look at the characters around a name, before asking the tree about it. Identifier resolution only acts on
// occurrences that can give a name its value: a declarator, an enumerator, the target of an assignment, `++`/`--`
// or `&`. Flags such as MEM_RESERVE occur at every call and never decide anything; ruling those out from the text
// saves a tree lookup (a descent from the root through the native binding) per occurrence.

const WORD = /[\w$]/;

/** False only when the characters around the name at [start, end) rule out every role that decides its value. */
export function mayDecideValue(text: string, start: number, end: number): boolean {
  const next = skipSpaceForward(text, end);
  const n0 = text[next] ?? '';
  const n1 = text[next + 1] ?? '';
  // `name = ...`, `name += ...`, `name <<= ...`, `name++`
  if (n0 === '=' && n1 !== '=') return true;
  if ('+-*/%&|^'.includes(n0) && n1 === '=') return true;
  if ((n0 === '+' || n0 === '-') && n1 === n0) return true;
  if ((n0 === '<' || n0 === '>') && n1 === n0 && text[next + 2] === '=') return true;
  const prev = skipSpaceBackward(text, start - 1);
  const p0 = text[prev] ?? '';
  const p1 = text[prev - 1] ?? '';
  // `&name`, `*name` (a pointer declarator), `++name`
  if (p0 === '&' || p0 === '*') return true;
  if ((p0 === '+' || p0 === '-') && p1 === p0) return true;
  // a comment next to the name hides what is around it
  if (n0 === '/' && (n1 === '*' || n1 === '/')) return true;
  if (p0 === '/' && p1 === '*') return true;
  // the end of a line comment above the name (`// ... is initialized.` then `NAME,`)
  if (lineCommentAt(text, prev)) return true;
  // operators that never follow a declarator or an enumerator's name
  if ('|+-*/%^?.!&]'.includes(n0) && n0 !== '') return false;
  // operators that never come before one (`x = name`, `a ? b : name`, `p->name`, `!name`)
  if ('|+-/%^!?=.~:>'.includes(p0) && p0 !== '') return p0 === '>' && p1 !== '-';
  // an argument: `f(name, ...)`, `f(..., name)`, `f(..., name, ...)`
  if ((p0 === ',' || p0 === '(') && (n0 === ',' || n0 === ')') && !(p0 === '(' && n0 === ')')) return !insideCallParentheses(text, prev);
  return true;
}

/** Whether the line holding `i` has `//` at or before it: `i` may be in a line comment (a string's `//` too: that only costs a lookup). */
function lineCommentAt(text: string, i: number): boolean {
  if (i < 0) return false;
  const lineStart = text.lastIndexOf('\n', i) + 1;
  // (only the line before `i` is searched)
  return text.slice(lineStart, i).includes('//');
}

function skipSpaceForward(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function skipSpaceBackward(text: string, i: number): number {
  while (i >= 0 && isSpace(text.charCodeAt(i))) i--;
  return i;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

/** How far back to look for the parenthesis that opens an argument list. */
const MAX_LOOK_BACK = 2000;

/**
 * Whether the comma or parenthesis at `at` belongs to the parentheses of a call or a parameter list (not `for (`,
 * which may declare names, and not braces or brackets), judged only when no string, comment or statement end is
 * in the way.
 */
function insideCallParentheses(text: string, at: number): boolean {
  let depth = 0;
  const stop = Math.max(0, at - MAX_LOOK_BACK);
  for (let i = at; i >= stop; i--) {
    const c = text[i]!;
    if (c === ')' || c === ']' || c === '}') depth++;
    else if (c === '[' || c === '{') {
      if (depth === 0) return false;
      depth--;
    } else if (c === '(') {
      if (depth > 0) {
        depth--;
        continue;
      }
      const before = skipSpaceBackward(text, i - 1);
      let wordStart = before;
      while (wordStart >= 0 && WORD.test(text[wordStart]!)) wordStart--;
      const word = text.slice(wordStart + 1, before + 1);
      return word !== '' && word !== 'for' && word !== 'while' && word !== 'if' && word !== 'switch' && !/^\d/.test(word);
    } else if (c === ';' || c === '"' || c === "'" || c === '#') return false;
    else if (c === '/' && (text[i - 1] === '*' || text[i + 1] === '/' || text[i + 1] === '*')) return false;
    else if (c === '\n' && lineHasComment(text, i)) return false;
  }
  return false;
}

/** Whether the line that ends at the newline `nl` has a `//` in it (its text may hide brackets). */
function lineHasComment(text: string, nl: number): boolean {
  const start = text.lastIndexOf('\n', nl - 1) + 1;
  const slash = text.indexOf('//', start);
  return slash >= 0 && slash < nl;
}
