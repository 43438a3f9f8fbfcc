// Opening a file that granule reads on its own initiative (a source, a header, a .gitignore, a config): only a
// regular file is ever read. Opening a FIFO blocks until a writer comes, a device such as /dev/zero never ends,
// and /dev/stdin is the language server's own input; a scanned repository can name any of them. The file is
// opened without blocking and checked on the open descriptor, so nothing can be swapped in between the check
// and the read.

import * as fs from 'node:fs';

export class NotRegularFileError extends Error {
  readonly code = 'ENOTREG';
  constructor(readonly file: string) {
    super('not a regular file');
  }
}

export interface OpenOptions {
  /** Refuse a symbolic link itself (git does not follow a symbolic .gitignore either). Default: follow. */
  noFollow?: boolean;
}

const { O_RDONLY, O_NONBLOCK = 0, O_NOFOLLOW = 0 } = fs.constants;

/** A descriptor open for reading on a regular file, and its stat; throws NotRegularFileError for anything else. */
export function openRegularFile(file: string, options: OpenOptions = {}): { fd: number; stat: fs.Stats } {
  let fd: number;
  try {
    fd = fs.openSync(file, O_RDONLY | O_NONBLOCK | (options.noFollow ? O_NOFOLLOW : 0));
  } catch (e) {
    // O_NOFOLLOW on a symbolic link
    if ((e as NodeJS.ErrnoException).code === 'ELOOP' && options.noFollow) throw new NotRegularFileError(file);
    throw e;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!stat.isFile()) throw new NotRegularFileError(file);
    return { fd, stat };
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
}

export class FileTooLargeError extends Error {
  readonly code = 'EFBIG';
  constructor(
    readonly file: string,
    readonly limit: number,
  ) {
    super(`larger than ${limit} bytes`);
  }
}

/** The bytes of a regular file of at most `maxBytes` bytes (one that grows past the limit while it is read is refused too). */
export function readRegularFile(file: string, maxBytes: number, options: OpenOptions = {}): Buffer {
  const { fd, stat } = openRegularFile(file, options);
  try {
    if (stat.size > maxBytes) throw new FileTooLargeError(file, maxBytes);
    // one byte of room past the size, so the end of the file is seen in the same read
    let buffer = Buffer.allocUnsafe(stat.size + 1);
    let n = 0;
    for (;;) {
      if (n === buffer.length) {
        if (n > maxBytes) throw new FileTooLargeError(file, maxBytes);
        const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(grown, 0, 0, n);
        buffer = grown;
      }
      const r = fs.readSync(fd, buffer, n, buffer.length - n, null);
      if (r === 0) break;
      n += r;
    }
    if (n > maxBytes) throw new FileTooLargeError(file, maxBytes);
    return buffer.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** The first `count` bytes of a regular file (fewer when it is shorter), and its whole size. */
export function readRegularHead(file: string, count: number, options: OpenOptions = {}): { bytes: Buffer; size: number } {
  const { fd, stat } = openRegularFile(file, options);
  try {
    const head = Buffer.alloc(Math.min(stat.size, count));
    return { bytes: head.subarray(0, fs.readSync(fd, head, 0, head.length, 0)), size: stat.size };
  } finally {
    fs.closeSync(fd);
  }
}

/** Limits for files granule reads on its own, by what they hold. */
export const READ_LIMITS = {
  /** granule.config.json, package.json, a .gitignore-sized file. */
  config: 16 << 20,
  /** A compilation database, a baseline, a SARIF log, a cache file: generated, and large on large projects. */
  generated: 1 << 30,
} as const;

/** The UTF-8 text of a regular file of at most `maxBytes` bytes (see readRegularFile). */
export function readRegularText(file: string, maxBytes: number): string {
  return readRegularFile(file, maxBytes).toString('utf8');
}

/** A short reason for a failed read, for messages: "no such file", "not a regular file", ... */
export function readFailure(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return err.message;
  }
}
