// --stdin: the text to lint, read from standard input with the same size limit as a file (--max-file-size).

import { formatBytes } from '../engine/model/limits.js';
import { decode } from '../engine/text/source.js';

/** `note`: how the bytes were read when that is worth saying (a byte order mark, invalid UTF-8). */
export type StdinText = { ok: true; text: string; note?: string } | { ok: false; message: string };

/**
 * Reads `input` to its end, or until it holds more than `limit` bytes (0: no limit), and decodes it as a file
 * is decoded (byte order marks, UTF-8). What cannot be linted is said in one line.
 */
export async function readStdinText(input: NodeJS.ReadableStream, limit: number): Promise<StdinText> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.length;
    // (the rest is not read: leaving the loop ends the stream)
    if (limit > 0 && size > limit) return { ok: false, message: `standard input is over the ${formatBytes(limit)} limit (--max-file-size)` };
    chunks.push(bytes);
  }
  const decoded = decode(Buffer.concat(chunks, size));
  if (!decoded.ok) return { ok: false, message: `standard input is not text: ${decoded.message.replace(/; skipped$/, '')}` };
  return { ok: true, text: decoded.text, ...(decoded.note ? { note: decoded.note } : {}) };
}
