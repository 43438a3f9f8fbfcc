// Reading whole files into one buffer that is kept and reused. A fresh buffer per file lives outside V8's heap,
// where V8 notices it late: a thread analysing candidate files and reading headers held tens of megabytes of
// dead buffers at times, waiting for a collection. The text decoded from the bytes is a copy, so the buffer
// can serve the next file as soon as the text is made.

import * as fs from 'node:fs';
import { openRegularFile } from './regular-file.js';
import { decode } from '../text/source.js';

const INITIAL_BUFFER = 1 << 20;
/** A file bigger than this is read into a buffer of its own, which the caller keeps: the shared one stays small. */
const MAX_SHARED_BUFFER = 8 << 20;

export interface FileRead {
  /** The file's bytes: a view of the shared buffer, valid until the next read (see `kept`). Undefined when over `maxSize`. */
  bytes: Buffer | undefined;
  stat: fs.Stats;
}

export class FileReader {
  /** Bytes read so far, for measurements. */
  bytesRead = 0;
  private buffer = Buffer.allocUnsafe(INITIAL_BUFFER);

  /**
   * Reads a whole regular file (errors are thrown: a FIFO, a device or a directory is refused unopened, see
   * regular-file.ts); a file over `maxSize` bytes (when positive) is only stat-ed.
   */
  read(file: string, maxSize?: number): FileRead {
    const { fd, stat } = openRegularFile(file);
    try {
      const size = stat.size;
      if (maxSize && maxSize > 0 && size > maxSize) return { bytes: undefined, stat };
      // one byte of room past the size, so the end of the file is seen in the same read
      let buffer = this.buffer;
      if (size + 1 > MAX_SHARED_BUFFER) buffer = Buffer.allocUnsafe(size + 1);
      else if (size + 1 > buffer.length) buffer = this.buffer = Buffer.allocUnsafe(Math.max(size + 1, buffer.length * 2));
      let n = 0;
      for (;;) {
        if (n === buffer.length) {
          // the file grew while being read
          const grown = Buffer.allocUnsafe(buffer.length * 2);
          buffer.copy(grown, 0, 0, n);
          if (buffer === this.buffer) this.buffer = grown;
          buffer = grown;
        }
        const r = fs.readSync(fd, buffer, n, buffer.length - n, null);
        if (r === 0) break;
        n += r;
        if (n >= size) break;
      }
      this.bytesRead += n;
      return { bytes: buffer.subarray(0, n), stat };
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Bytes of the last read that stay valid after the next one. */
  kept(bytes: Buffer): Buffer {
    return bytes.buffer === this.buffer.buffer ? Buffer.from(bytes) : bytes;
  }

  /** A file's text (see `decode`); undefined when it cannot be read or is not text. */
  readText(file: string): string | undefined {
    try {
      const decoded = decode(this.read(file).bytes!);
      return decoded.ok ? decoded.text : undefined;
    } catch {
      return undefined;
    }
  }
}
