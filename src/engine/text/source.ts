// Reading a source file into text: binary detection, BOMs, UTF-16, invalid UTF-8; and offset → line/column.

import { constants } from 'node:buffer';
import { formatBytes } from '../model/limits.js';
import type { Position } from '../model/types.js';

export type Decoded = { ok: true; text: string; note?: string } | { ok: false; code: string; message: string };

/** How a file's text is stored: UTF-8 (with or without a byte order mark) or UTF-16 (with or without one). */
export type TextEncoding = 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16be' | 'utf16le-nobom' | 'utf16be-nobom';

/** The first bytes decode() looks at to tell text from binary, and UTF-16 without a byte order mark. */
const SAMPLE = 8192;

/**
 * The encoding of a file of `length` bytes from its first bytes (SAMPLE of them, or all): a byte order mark says it; else
 * NUL bytes all in odd (or all in even) places, in at least two thirds of the pairs, are UTF-16 written without one
 * (Visual Studio and PowerShell write such files); NUL bytes anywhere else make the file binary (undefined).
 */
export function textEncoding(bytes: Uint8Array, length = bytes.length): TextEncoding | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf16be';
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf8-bom';
  const sample = bytes.subarray(0, SAMPLE);
  if (!sample.includes(0)) return 'utf8';
  // (a handful of bytes says nothing: such a file with a NUL is binary)
  if (length % 2 !== 0 || length < 8) return undefined;
  let odd = 0;
  let even = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2) odd++;
    else even++;
  }
  const pairs = sample.length / 2;
  // (source code is mostly ASCII: in UTF-16 most characters have a zero byte)
  if (even === 0 && odd * 3 >= pairs * 2) return 'utf16le-nobom';
  if (odd === 0 && even * 3 >= pairs * 2) return 'utf16be-nobom';
  return undefined;
}

/** Decodes a file's bytes. Binary content is refused; invalid UTF-8 is read with replacement characters. */
export function decode(bytes: Uint8Array): Decoded {
  // a JavaScript string holds at most MAX_STRING_LENGTH UTF-16 units: decoding more would throw
  const utf16 = bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
  if ((utf16 ? (bytes.length - 2) / 2 : bytes.length) > constants.MAX_STRING_LENGTH) {
    return { ok: false, code: 'limit', message: `skipped: the file is too large to read as text (${formatBytes(bytes.length)})` };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { ok: true, text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), note: 'read as UTF-16LE (byte order mark)' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { ok: true, text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), note: 'read as UTF-16BE (byte order mark)' };
  }
  const encoding = textEncoding(bytes);
  if (encoding === 'utf16le-nobom' || encoding === 'utf16be-nobom') {
    try {
      const text = new TextDecoder(encoding === 'utf16le-nobom' ? 'utf-16le' : 'utf-16be', { fatal: true, ignoreBOM: true }).decode(bytes);
      // (text holds no NUL: a binary file whose NUL bytes happen to sit in one parity is still binary)
      if (!text.includes('\u0000')) return { ok: true, text, note: `read as ${encoding === 'utf16le-nobom' ? 'UTF-16LE' : 'UTF-16BE'} (no byte order mark)` };
    } catch {
      // not UTF-16 after all
    }
  }
  if (encoding === undefined || encoding === 'utf16le-nobom' || encoding === 'utf16be-nobom') {
    return { ok: false, code: 'binary', message: 'binary file (contains NUL bytes); skipped' };
  }
  const start = encoding === 'utf8-bom' ? 3 : 0;
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start)) };
  } catch {
    return {
      ok: true,
      text: new TextDecoder('utf-8').decode(bytes.subarray(start)),
      note: 'invalid UTF-8; undecodable bytes were read as U+FFFD',
    };
  }
}

/** Maps offsets to 1-based lines and columns. CR, LF and CRLF all end a line. */
export class LineMap {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    if (!text.includes('\r')) {
      // the common case, found natively
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[Math.min(Math.max(line, 1), this.starts.length) - 1]!;
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1, offset };
  }
}
