// The text of a reported file, for the formatters that show source lines (codeframe). The file is read again
// after the run, under the same rules as the run reads: regular files only, a size limit, and the same decoding,
// so that lines and columns mean what they meant to the analysis.

import { readRegularFile } from '../engine/files/regular-file.js';
import { decode } from '../engine/text/source.js';

/** Larger files are not shown: the report still lists their findings, without source lines. */
export const SOURCE_TEXT_LIMIT = 16 * 1024 * 1024;

/** The decoded text of a regular file of at most `limit` bytes; undefined when it cannot be read as such. */
export function readSourceText(file: string, limit = SOURCE_TEXT_LIMIT): string | undefined {
  try {
    const decoded = decode(readRegularFile(file, limit));
    return decoded.ok ? decoded.text : undefined;
  } catch {
    return undefined;
  }
}
