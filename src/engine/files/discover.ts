// File discovery: explicit files are always taken; directories are searched for C/C++ sources,
// honouring .gitignore and skipping node_modules (walk.ts: a directory walk, or globby where a .gitignore has a say).
// A notice names its path in its `file`: its message does not repeat it (every format shows both).
// A path given on the command line that is missing, or cannot be read or listed, is not a notice but an
// error of the run: nothing asked for may go unchecked while the report looks clean (as ESLint stops on a
// pattern that matches nothing). Inside a scanned tree, an unreadable file or subdirectory stays a notice.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Notice } from '../model/types.js';
import { listSourceFiles } from './walk.js';

/** A path given on the command line that cannot be checked: the run stops (exit 2). */
export interface PathError {
  /** As given. */
  path: string;
  /** What is wrong, without the path: "no such file or directory". */
  message: string;
}

export interface Discovery {
  files: string[];
  notices: Notice[];
  /** Paths given that are missing, unreadable or cannot be listed. */
  errors: PathError[];
  /** The files among `files` named as files (not found in a directory given). */
  named: string[];
}

export async function discoverFiles(paths: string[], cwd: string, ignores: string[] = []): Promise<Discovery> {
  const files = new Set<string>();
  const notices: Notice[] = [];
  const errors: PathError[] = [];
  const named: string[] = [];
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const broken = code === 'ENOENT' && isSymlink(absolute);
      const loop = code === 'ELOOP';
      const message = loop
        ? 'symbolic link loop'
        : broken
          ? 'broken symbolic link'
          : code === 'ENOENT' || code === 'ENOTDIR'
            ? 'no such file or directory'
            : `cannot read: ${reason(e)}`;
      errors.push({ path: given, message });
      continue;
    }
    if (stat.isFile()) {
      const problem = unreadable(absolute);
      if (problem) errors.push({ path: given, message: `cannot read file: ${problem}` });
      else {
        files.add(absolute);
        named.push(absolute);
      }
      continue;
    }
    if (!stat.isDirectory()) {
      notices.push({ level: 'warning', file: absolute, code: 'not-a-file', message: 'not a regular file or directory; skipped' });
      continue;
    }
    let found: string[];
    try {
      found = await listSourceFiles(
        absolute,
        ignores,
        (relative, reason) => {
          const sub = path.join(absolute, relative);
          notices.push({ level: 'error', file: sub, code: 'unreadable', message: `cannot list directory (${reason}); its files are not linted` });
        },
        (shown) =>
          notices.push({
            level: 'warning',
            file: path.join(absolute, shown),
            code: 'file-name',
            message: 'the file name is not valid UTF-8 (shown with \\xNN for its bytes); not linted',
          }),
      );
    } catch (e) {
      errors.push({ path: given, message: `cannot list directory: ${reason(e)}` });
      continue;
    }
    const before = files.size;
    // (listSourceFiles returns them sorted and normalized)
    for (const f of found) files.add(f);
    if (files.size === before) {
      notices.push({ level: 'warning', file: absolute, code: 'no-files', message: 'no C or C++ source files found' });
    }
  }
  return { files: [...files], notices, errors, named };
}

/** Why a file given by name cannot be opened for reading, or undefined when it can. */
function unreadable(file: string): string | undefined {
  try {
    fs.closeSync(fs.openSync(file, 'r'));
    return undefined;
  } catch (e) {
    return reason(e);
  }
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'no such file or directory';
  return (e as Error).message;
}

function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}
