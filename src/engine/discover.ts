// File discovery: explicit files are always taken; directories are searched for C/C++ sources,
// honouring .gitignore and skipping node_modules (walk.ts: git ls-files in a work tree, else a walk).
// A notice names its path in its `file`: its message does not repeat it (every format shows both).

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Notice } from './types.js';
import { listSourceFiles } from './walk.js';

export interface Discovery {
  files: string[];
  notices: Notice[];
  /** A path given on the command line does not exist: a usage error. */
  usageError: boolean;
}

export async function discoverFiles(paths: string[], cwd: string, ignores: string[] = []): Promise<Discovery> {
  const files = new Set<string>();
  const notices: Notice[] = [];
  let usageError = false;
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const broken = code === 'ENOENT' && isSymlink(absolute);
      const loop = code === 'ELOOP';
      notices.push({
        level: 'error',
        file: absolute,
        code: 'missing-path',
        message: loop ? 'symbolic link loop' : broken ? 'broken symbolic link' : 'no such file or directory',
      });
      usageError = true;
      continue;
    }
    if (stat.isFile()) {
      files.add(absolute);
      continue;
    }
    if (!stat.isDirectory()) {
      notices.push({ level: 'warning', file: absolute, code: 'not-a-file', message: 'not a regular file or directory; skipped' });
      continue;
    }
    let found: string[];
    try {
      found = await listSourceFiles(absolute, ignores, (relative, reason) => {
        const sub = path.join(absolute, relative);
        notices.push({ level: 'error', file: sub, code: 'unreadable', message: `cannot list directory (${reason}); its files are not linted` });
      });
    } catch (e) {
      notices.push({ level: 'error', file: absolute, code: 'unreadable', message: `cannot list directory (${(e as Error).message})` });
      continue;
    }
    const before = files.size;
    // (listSourceFiles returns them sorted and normalized)
    for (const f of found) files.add(f);
    if (files.size === before) {
      notices.push({ level: 'warning', file: absolute, code: 'no-files', message: 'no C or C++ source files found' });
    }
  }
  return { files: [...files], notices, usageError };
}

function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}
