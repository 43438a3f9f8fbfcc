// Reading a source file into text: binary detection, BOMs, UTF-16, invalid UTF-8; and offset → line/column.

import { constants } from 'node:buffer';
import { formatBytes } from './limits.js';
import type { Position } from './types.js';

export type Decoded = { ok: true; text: string; note?: string } | { ok: false; code: string; message: string };

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
  const sample = bytes.subarray(0, 8192);
  if (sample.includes(0)) return { ok: false, code: 'binary', message: 'binary file (contains NUL bytes); skipped' };
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
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
