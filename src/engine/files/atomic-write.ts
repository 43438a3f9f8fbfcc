// Replacing a file atomically: the new bytes go to a temporary file beside it, which is then renamed over it,
// so a reader (or the next run) sees the old content or the new, never half of each. The one helper behind
// every such write: reports (-o, baselines), --fix, and the caches and memos.
//
// Hand-written rather than write-file-atomic: granule needs what that package does not do. A caller decides
// what may be replaced (-o writes through devices, FIFOs and symbolic links; --fix never replaces a file with
// other hard links), and --fix must know when the owner cannot be kept, to rewrite the file in place instead
// of replacing it (write-file-atomic's chown failure is an error, after it has written the temporary file).

import * as fs from 'node:fs';
import * as path from 'node:path';

export interface AtomicWriteOptions {
  /** Permission bits of the new file (default 0o666, less the umask). */
  mode?: number;
  /** Give the new file this owner and group; when that is not allowed, nothing is written and the result is false. */
  owner?: { uid: number; gid: number };
  /** Flush the new file to the disk before the rename. */
  fsync?: boolean;
}

/** Replaces `file` by a file holding `data`, as the header says. False only when `owner` could not be given. */
export function replaceFileAtomically(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): boolean {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.granule-${process.pid}.tmp`);
  // Ctrl-C kills the process at once, even inside a synchronous write, which would leave the temporary file
  // behind. While a listener is installed it cannot: the write and the rename complete, and the run ends.
  const hold = () => {};
  process.on('SIGINT', hold);
  process.on('SIGTERM', hold);
  try {
    if (!writeTemporary(temp, data, options)) return false;
    fs.renameSync(temp, file);
    return true;
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  } finally {
    process.off('SIGINT', hold);
    process.off('SIGTERM', hold);
  }
}

function writeTemporary(temp: string, data: string | Uint8Array, options: AtomicWriteOptions): boolean {
  // 'wx': never through a file or symbolic link someone put at the temporary name
  const fd = fs.openSync(temp, 'wx', options.mode ?? 0o666);
  let open = true;
  try {
    if (options.owner) {
      try {
        fs.fchownSync(fd, options.owner.uid, options.owner.gid);
      } catch {
        // not root, and the file is someone else's
        fs.closeSync(fd);
        open = false;
        fs.rmSync(temp, { force: true });
        return false;
      }
    }
    // (after the owner: changing the owner may clear the set-user-ID and set-group-ID bits; and the mode
    // given to open is narrowed by the umask)
    if (options.mode !== undefined) fs.fchmodSync(fd, options.mode);
    fs.writeFileSync(fd, data);
    if (options.fsync) fs.fsyncSync(fd);
    return true;
  } finally {
    if (open) fs.closeSync(fd);
  }
}
