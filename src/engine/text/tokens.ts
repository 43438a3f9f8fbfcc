// A small C/C++ tokenizer for macro bodies, #if expressions and call arguments.
// It never throws: anything it does not understand becomes a one-character punctuator. Literals, numbers and
// comments end where the shared lexer (lexer.ts) says.

import { blockCommentEnd, isDigit, isIdentPart, isIdentStart, lineCommentEnd, numberEnd, quotedEnd, rawStringEnd } from './lexer.js';

export type TokenKind = 'ident' | 'number' | 'char' | 'string' | 'punct';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offset of the token in the text it was read from. */
  offset: number;
  /** Whitespace came before this token (matters for `#` stringising and function-like macro definitions). */
  spaceBefore: boolean;
  /** Macro names this token must not be expanded by again (C's "blue paint"). */
  hide?: ReadonlySet<string>;
}

const PUNCTUATORS = [
  '%:%:',
  '...',
  '<<=',
  '>>=',
  '->*',
  '<=>',
  '##',
  '->',
  '++',
  '--',
  '<<',
  '>>',
  '<=',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
  '*=',
  '/=',
  '%=',
  '+=',
  '-=',
  '&=',
  '^=',
  '|=',
  '::',
  '.*',
  '<:',
  ':>',
  '<%',
  '%>',
  '%:',
];

/** Removes backslash-newline line splices, as translation phase 2 does. */
export function spliceLines(text: string): string {
  return text.includes('\\') ? text.replace(/\\\r?\n/g, '') : text;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  let space = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    // whitespace and line splices
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12) {
      i++;
      space = true;
      continue;
    }
    if (c === 92 /* \ */ && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\n' ? 2 : 3;
      continue;
    }
    // comments
    if (c === 47 /* / */ && text[i + 1] === '/') {
      i = lineCommentEnd(text, i);
      space = true;
      continue;
    }
    if (c === 47 && text[i + 1] === '*') {
      i = blockCommentEnd(text, i);
      space = true;
      continue;
    }
    const start = i;
    let kind: TokenKind;
    if (isIdentStart(c)) {
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      const word = text.slice(start, i);
      // encoding prefixes of character and string literals: L'x', u8"x", R"(...)"
      const q = text[i];
      if ((q === "'" || q === '"') && /^(L|u8|u|U)?R?$/.test(word)) {
        i = word.endsWith('R') && q === '"' ? rawStringEnd(text, i) : quotedEnd(text, i, q.charCodeAt(0));
        kind = q === "'" ? 'char' : 'string';
      } else {
        kind = 'ident';
      }
    } else if (isDigit(c) || (c === 46 /* . */ && isDigit(text.charCodeAt(i + 1)))) {
      // pp-number: digits, letters, underscores, dots, digit separators and exponent signs
      i = numberEnd(text, i);
      kind = 'number';
    } else if (c === 39 || c === 34) {
      i = quotedEnd(text, i, c);
      kind = c === 39 ? 'char' : 'string';
    } else {
      const p = PUNCTUATORS.find((op) => text.startsWith(op, i));
      i += p ? p.length : 1;
      kind = 'punct';
    }
    tokens.push({ kind, text: text.slice(start, i), offset: start, spaceBefore: space });
    space = false;
  }
  return tokens;
}

/** Joins tokens back into source text, keeping a space where the source had one. */
export function tokensToText(tokens: readonly Token[]): string {
  let out = '';
  for (const t of tokens) {
    if (out && t.spaceBefore) out += ' ';
    out += t.text;
  }
  return out;
}

/**
 * Splits a template argument list starting at `open` (the index of a `<` token): nested `<>`, `()` and `[]` stay
 * inside an argument. Returns the argument token lists ([] for `<>`) and the index of the closing `>`, or undefined
 * when none closes it before a `;`, `{` or `}` (a comparison then, not template arguments).
 */
export function splitTemplateArguments(tokens: readonly Token[], open: number): { args: Token[][]; close: number } | undefined {
  const args: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (let i = open + 1; i < tokens.length; i++) {
    const t = tokens[i]!.text;
    if (t === '<' || t === '(' || t === '[') depth++;
    else if ((t === '>' || t === ')' || t === ']') && depth > 0) depth--;
    else if (t === '>') {
      if (current.length > 0 || args.length > 0) args.push(current);
      return { args, close: i };
    } else if (t === ',' && depth === 0) {
      args.push(current);
      current = [];
      continue;
    } else if (t === ';' || t === '{' || t === '}') return undefined;
    current.push(tokens[i]!);
  }
  return undefined;
}

/**
 * Splits a parenthesised argument list starting at `open` (the index of a `(` token).
 * Returns the argument token lists and the index of the closing `)`, or undefined if it never closes.
 */
export function splitArguments(tokens: readonly Token[], open: number): { args: Token[][]; close: number } | undefined {
  const args: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (let i = open + 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct') {
      if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
      else if (t.text === ')' || t.text === ']' || t.text === '}') {
        if (depth === 0) {
          if (t.text !== ')') return undefined;
          if (current.length > 0 || args.length > 0) args.push(current);
          return { args, close: i };
        }
        depth--;
      } else if (t.text === ',' && depth === 0) {
        args.push(current);
        current = [];
        continue;
      }
    }
    current.push(t);
  }
  return undefined;
}
