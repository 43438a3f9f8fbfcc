// The text of a reported file, for the formatters that show source lines (codeframe). The file is read again
// after the run, under the same rules as the run reads: regular files only, a size limit, and the same decoding,
// so that lines and columns mean what they meant to the analysis.

import * as fs from 'node:fs';
import { decode } from '../engine/source.js';

/** Larger files are not shown: the report still lists their findings, without source lines. */
export const SOURCE_TEXT_LIMIT = 16 * 1024 * 1024;

/** The decoded text of a regular file of at most `limit` bytes; undefined when it cannot be read as such. */
export function readSourceText(file: string, limit = SOURCE_TEXT_LIMIT): string | undefined {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO that replaced the file must not wait for a writer
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || stat.size > limit) return undefined;
    const bytes = Buffer.alloc(stat.size);
    let n = 0;
    while (n < bytes.length) {
      const r = fs.readSync(fd, bytes, n, bytes.length - n, null);
      if (r === 0) break;
      n += r;
    }
    const decoded = decode(bytes.subarray(0, n));
    return decoded.ok ? decoded.text : undefined;
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}
