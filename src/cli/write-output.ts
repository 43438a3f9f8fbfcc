// Writing a file the user named (-o, --write-baseline, merge -o) the way they expect of that path:
// - a new path, or a regular file: replaced atomically (a temporary file beside it, then a rename), so a reader
//   never sees half a report; a file that was there keeps its mode;
// - a symbolic link: its target is written the same way, and the link stays a link;
// - anything else (/dev/null, /dev/stdout, a FIFO a reader waits on, a terminal): written through, as a shell
//   redirection would; it is never replaced by a regular file.
// A failure is the user's to fix (no permission, a full disk, a directory in the way) and says so in one line.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { replaceFileAtomically } from '../engine/files/atomic-write.js';

export class OutputError extends Error {}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EROFS: 'read-only file system',
  ENOENT: 'no such directory',
  ELOOP: 'too many levels of symbolic links',
  ENXIO: 'no such device or address',
};

/** Writes `text` to `file` (absolute), as the header says; throws OutputError with a message for the user. */
export function writeOutput(file: string, text: string | Buffer): void {
  try {
    const target = existing(file);
    if (target?.stat && !target.stat.isFile()) {
      if (target.stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      // a device, FIFO or socket: written through, never replaced
      fs.writeFileSync(file, text);
      return;
    }
    replaceAtomically(target?.path ?? file, text, target?.stat);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new OutputError(`cannot write ${file}: ${(code && REASONS[code]) ?? (e as Error).message}`);
  }
}

/** What is at `file`: the file itself, or a symbolic link's final target (when it exists). */
function existing(file: string): { path: string; stat: fs.Stats | undefined } | undefined {
  const link = fs.lstatSync(file, { throwIfNoEntry: false });
  if (!link) return undefined;
  if (!link.isSymbolicLink()) return { path: file, stat: link };
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  // a dangling link: the file it names is created
  if (!stat) return { path: danglingTarget(file), stat: undefined };
  // (a link to a device or FIFO is written through its own path: /dev/stdout names /proc/self/fd/1)
  return { path: stat.isFile() ? fs.realpathSync(file) : file, stat };
}

function danglingTarget(link: string): string {
  let current = link;
  for (let hops = 0; hops < 40; hops++) {
    const stat = fs.lstatSync(current, { throwIfNoEntry: false });
    if (!stat?.isSymbolicLink()) return current;
    current = path.resolve(path.dirname(current), fs.readlinkSync(current));
  }
  throw Object.assign(new Error('too many levels of symbolic links'), { code: 'ELOOP' });
}

function replaceAtomically(file: string, text: string | Buffer, before: fs.Stats | undefined): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // a file that was there keeps its mode; a new one gets the umask's
  replaceFileAtomically(file, text, before?.isFile() ? { mode: before.mode & 0o7777 } : {});
}
