// Paths in Visual Studio projects are written for Windows, whose file names are case-insensitive: a project that
// lists `..\src\HDE\hde32.c` builds `src/hde/hde32.c`. On a case-sensitive system a path that does not exist as
// written is looked up again, one component at a time, ignoring case (a unique match only).

import * as fs from 'node:fs';
import * as path from 'node:path';

/** `file` as it exists on disk when it exists with other case only; otherwise as written. */
export function onDisk(file: string): string {
  if (fs.existsSync(file)) return file;
  const { root } = path.parse(file);
  let at = root;
  for (const part of file.slice(root.length).split(path.sep)) {
    if (part === '') continue;
    const exact = path.join(at, part);
    if (fs.existsSync(exact)) {
      at = exact;
      continue;
    }
    const match = entriesOf(at).filter((e) => e.toLowerCase() === part.toLowerCase());
    if (match.length !== 1) return file;
    at = path.join(at, match[0]!);
  }
  return at;
}

function entriesOf(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
