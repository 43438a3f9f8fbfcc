// C/C++ literals as values: integer literals of any base with their suffixes, character constants, and the
// byte size of a string literal.

import { INT, LLONG, LONG, UINT, ULLONG, ULONG, type IntType, type TargetModel } from '../model/target.js';
import type { Result } from './env.js';
import { fits } from './arithmetic.js';

/** The bytes a string literal occupies, its terminating zero included (what `sizeof "..."` gives). */
export function stringLiteralBytes(text: string): number {
  const body = text.slice(text.indexOf('"') + 1, text.lastIndexOf('"'));
  const chars = body.replace(/\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)/g, 'x').length;
  const width = text.startsWith('L') || text.startsWith('u"') ? 2 : text.startsWith('U') ? 4 : 1;
  return (chars + 1) * width;
}

/** Parses an integer literal of any base, with digit separators and C/C++/MSVC suffixes. */
export function parseIntegerLiteral(text: string, model: TargetModel): Result {
  const clean = text.replace(/'/g, '');
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uUlLzZ]*|[uU]?i(?:8|16|32|64|128))$/.exec(clean);
  if (!m) {
    if (/^[0-9.]/.test(clean) && /[.eEpP]|[fF]$/.test(clean)) return { unknown: { kind: 'floating-literal', literal: text } };
    return { unknown: { kind: 'invalid-number', literal: text } };
  }
  const digits = m[1]!;
  const suffix = m[2]!.toLowerCase();
  const value = digits.length > 1 && digits[0] === '0' && /[0-7]/.test(digits[1]!) ? BigInt('0o' + digits.slice(1)) : BigInt(digits);
  const decimal = !/^0[xXbB]/.test(digits) && !(digits.length > 1 && digits[0] === '0');
  const unsigned = suffix.includes('u');
  let candidates: IntType[];
  if (/i(8|16|32)$/.test(suffix)) candidates = [unsigned ? UINT : INT];
  else if (/i64$/.test(suffix)) candidates = [unsigned ? ULLONG : LLONG];
  else if (suffix.includes('z')) candidates = [model.pointerBits === 64 ? ULLONG : UINT];
  else if (suffix.includes('ll')) candidates = unsigned ? [ULLONG] : decimal ? [LLONG] : [LLONG, ULLONG];
  else if (suffix.includes('l')) candidates = unsigned ? [ULONG, ULLONG] : decimal ? [LONG, LLONG] : [LONG, ULONG, LLONG, ULLONG];
  else if (unsigned) candidates = [UINT, ULONG, ULLONG];
  else candidates = decimal ? [INT, LONG, LLONG] : [INT, UINT, LONG, ULONG, LLONG, ULLONG];
  const type = candidates.find((t) => fits(value, t));
  if (!type) return { unknown: { kind: 'number-too-large', literal: text } };
  return { value, type };
}

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63, e: 27 };

export function parseCharLiteral(text: string): Result {
  const quote = text.indexOf("'");
  const prefix = text.slice(0, quote);
  const body = text.slice(quote + 1, text.endsWith("'") ? -1 : undefined);
  const codes: number[] = [];
  for (let i = 0; i < body.length;) {
    if (body[i] === '\\') {
      const rest = body.slice(i + 1);
      let m: RegExpExecArray | null;
      let code: number | undefined;
      let length = 0;
      if ((m = /^x([0-9a-fA-F]+)/.exec(rest))) [code, length] = [parseInt(m[1]!, 16), m[0].length];
      else if ((m = /^[0-7]{1,3}/.exec(rest))) [code, length] = [parseInt(m[0], 8), m[0].length];
      else if ((m = /^u([0-9a-fA-F]{4})|^U([0-9a-fA-F]{8})/.exec(rest))) [code, length] = [parseInt((m[1] ?? m[2])!, 16), m[0].length];
      else if (rest[0] !== undefined && rest[0] in SIMPLE_ESCAPES) [code, length] = [SIMPLE_ESCAPES[rest[0]]!, 1];
      if (code === undefined) return { unknown: { kind: 'unknown-escape', literal: text } };
      codes.push(code);
      i += 1 + length;
    } else {
      const cp = body.codePointAt(i)!;
      codes.push(cp);
      i += cp > 0xffff ? 2 : 1;
    }
  }
  if (codes.length === 0) return { unknown: { kind: 'empty-character' } };
  if (prefix) return { value: BigInt(codes[0]!), type: prefix === 'L' || prefix === 'u' ? UINT : ULONG };
  if (codes.length === 1) {
    const c = codes[0]!;
    return { value: BigInt(c > 127 && c < 256 ? c - 256 : c), type: INT };
  }
  // multi-character constant: implementation-defined; MSVC and GCC both pack bytes big-endian into an int
  let v = 0n;
  for (const c of codes) v = (v << 8n) | BigInt(c & 0xff);
  return { value: BigInt.asIntN(32, v), type: INT };
}
