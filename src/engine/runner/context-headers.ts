// The headers a run must read besides the files it was given. A file named on the command line (a pre-commit
// hook's staged file) may reach an API only through a header beside it or on its include path: a macro that
// calls VirtualAlloc, an inline wrapper. Scanning its directory finds such a header and makes the file a
// candidate; naming the file alone must not lose that. These headers join the run as context: they go through
// the same prefilter and analysis, so their macros and wrappers count, but nothing of theirs is reported.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileReader } from '../files/file-reader.js';
import { DEFAULT_MAX_FILE_SIZE } from '../model/limits.js';
import { decode } from '../text/source.js';

/** Headers taken as context at most, whatever the include graph (a bound on the walk). */
export const MAX_CONTEXT_HEADERS = 2048;

const INCLUDE = /^[ \t]*#[ \t]*include[ \t]*([<"])([^">\r\n]+)[">]/gm;

/**
 * The headers `files` include, directly or through other headers, that are not already among `known`:
 * `"name"` is looked for beside the including file, then on its include path; `<name>` on the include path.
 * Headers that do not exist (the SDK's, on a machine without it) are left out. In a stable order.
 */
export function contextHeaders(
  files: readonly string[],
  known: ReadonlySet<string>,
  includePathOf: (file: string) => readonly string[],
  reader: Pick<FileReader, 'read'>,
  maxSize = DEFAULT_MAX_FILE_SIZE,
): string[] {
  const found: string[] = [];
  const seen = new Set<string>(files);
  const queue = [...files];
  for (let i = 0; i < queue.length && found.length < MAX_CONTEXT_HEADERS; i++) {
    const file = queue[i]!;
    const text = readText(reader, file, maxSize);
    if (text === undefined) continue;
    const searchPath = includePathOf(file);
    for (const m of text.matchAll(INCLUDE)) {
      const header = resolveInclude(m[2]!.trim(), m[1] === '"' ? [path.dirname(file), ...searchPath] : searchPath);
      if (!header || seen.has(header)) continue;
      seen.add(header);
      queue.push(header);
      if (!known.has(header)) found.push(header);
      if (found.length >= MAX_CONTEXT_HEADERS) break;
    }
  }
  return found;
}

/** The first regular file `name` names in `directories`. */
function resolveInclude(name: string, directories: readonly string[]): string | undefined {
  for (const dir of directories) {
    const candidate = path.resolve(dir, name);
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not there: the next directory
    }
  }
  return undefined;
}

/** A file's text within the size limit; undefined for one that cannot be read or is not text. */
function readText(reader: Pick<FileReader, 'read'>, file: string, maxSize: number): string | undefined {
  try {
    const { bytes } = reader.read(file, maxSize);
    if (!bytes) return undefined;
    const decoded = decode(bytes);
    return decoded.ok ? decoded.text : undefined;
  } catch {
    return undefined;
  }
}
