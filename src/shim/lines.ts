// Lines of a file read as a stream with a limit per line: memory stays bounded by the limit, not by the
// file, and a line past the limit (a report cut or forged into one enormous line) is skipped whole
// instead of becoming a string Node cannot hold.

import * as fs from 'node:fs';
import { promisify } from 'node:util';

const read = promisify(fs.read);

const CHUNK = 1 << 20;

export type LineItem = { tooLong: false; text: string } | { tooLong: true; bytes: number };

/** The lines of an open descriptor, without their line ends; the descriptor is left open. */
export async function* readLines(fd: number, maxLineBytes: number): AsyncGenerator<LineItem> {
  let parts: Buffer[] = [];
  let pending = 0;
  // bytes of the current line when it is past the limit and being skipped
  let skipping = -1;
  for (;;) {
    const buffer = Buffer.allocUnsafe(CHUNK);
    const { bytesRead } = await read(fd, buffer, 0, CHUNK, null);
    if (bytesRead === 0) break;
    let start = 0;
    while (start < bytesRead) {
      const nl = buffer.indexOf(0x0a, start);
      const end = nl < 0 || nl >= bytesRead ? bytesRead : nl;
      const piece = buffer.subarray(start, end);
      if (skipping >= 0) skipping += piece.length;
      else if (pending + piece.length > maxLineBytes) {
        skipping = pending + piece.length;
        parts = [];
        pending = 0;
      } else {
        parts.push(piece);
        pending += piece.length;
      }
      if (end === bytesRead) break;
      if (skipping >= 0) yield { tooLong: true, bytes: skipping };
      else yield { tooLong: false, text: lineText(parts, pending) };
      parts = [];
      pending = 0;
      skipping = -1;
      start = end + 1;
    }
  }
  if (skipping >= 0) yield { tooLong: true, bytes: skipping };
  else if (pending > 0) yield { tooLong: false, text: lineText(parts, pending) };
}

function lineText(parts: Buffer[], length: number): string {
  const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
  const n = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
  return bytes.toString('utf8', 0, n);
}
