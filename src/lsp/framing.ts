// Splits the client's byte stream into message bodies by their `Content-Length` headers (the base protocol's only
// framing). Nothing is buffered without a bound: a header is at most MAX_HEADER_BYTES, and a body longer than
// MAX_MESSAGE_BYTES is counted off and discarded as it arrives, which keeps the stream in step. A header that
// cannot be read loses the framing for good (where the next message starts is unknowable), so it is reported as
// broken and nothing more is read.

/** Longer than any header a client sends (two short fields). */
export const MAX_HEADER_BYTES = 64 * 1024;

/**
 * Room for the largest document the server analyses (DEFAULT_MAX_FILE_SIZE characters) as JSON in UTF-8, with
 * escapes and multi-byte characters; larger messages are skipped.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export interface FramingHandlers {
  /** A complete message body, decoded from UTF-8. */
  body(text: string): void;
  /** A message longer than the limit was skipped. */
  skipped(bytes: number): void;
  /** The stream can no longer be read; called once, and nothing follows. */
  broken(reason: string): void;
}

const TERMINATOR = Buffer.from('\r\n\r\n');

export class MessageFramer {
  private header: Buffer = Buffer.alloc(0);
  private bodyChunks: Buffer[] = [];
  /** Bytes of the current body still to come; -1 while reading a header. */
  private remaining = -1;
  /** The length the current body's header gave. */
  private length = 0;
  private skipping = false;
  private isBroken = false;
  private readonly decoder = new TextDecoder('utf-8');

  constructor(private readonly handlers: FramingHandlers) {}

  push(chunk: Buffer): void {
    let data = chunk;
    while (data.length > 0 && !this.isBroken) {
      if (this.remaining < 0) {
        data = this.readHeader(data);
        continue;
      }
      const take = Math.min(this.remaining, data.length);
      if (!this.skipping) this.bodyChunks.push(data.subarray(0, take));
      this.remaining -= take;
      data = data.subarray(take);
      if (this.remaining === 0) this.finishBody();
    }
  }

  /** Consumes header bytes from `data`; returns what follows the header (or nothing when it is incomplete). */
  private readHeader(data: Buffer): Buffer {
    // the terminator may straddle chunks: search from just before the new bytes
    const searchFrom = Math.max(0, this.header.length - (TERMINATOR.length - 1));
    this.header = Buffer.concat([this.header, data]);
    const end = this.header.indexOf(TERMINATOR, searchFrom);
    if (end < 0) {
      if (this.header.length > MAX_HEADER_BYTES) this.break(`the header is longer than ${MAX_HEADER_BYTES} bytes`);
      return Buffer.alloc(0);
    }
    if (end > MAX_HEADER_BYTES) {
      this.break(`the header is longer than ${MAX_HEADER_BYTES} bytes`);
      return Buffer.alloc(0);
    }
    const rest = this.header.subarray(end + TERMINATOR.length);
    const text = this.header.subarray(0, end).toString('latin1');
    this.header = Buffer.alloc(0);
    const length = contentLength(text);
    if (typeof length === 'string') {
      this.break(length);
      return Buffer.alloc(0);
    }
    this.length = length;
    this.remaining = length;
    this.skipping = length > MAX_MESSAGE_BYTES;
    if (length === 0) this.finishBody();
    return rest;
  }

  private finishBody(): void {
    const chunks = this.bodyChunks;
    this.bodyChunks = [];
    this.remaining = -1;
    if (this.skipping) {
      this.skipping = false;
      this.handlers.skipped(this.length);
      return;
    }
    this.handlers.body(this.decoder.decode(Buffer.concat(chunks, this.length)));
  }

  private break(reason: string): void {
    this.isBroken = true;
    this.header = Buffer.alloc(0);
    this.bodyChunks = [];
    this.handlers.broken(reason);
  }
}

/** The body length a header gives, or why it gives none. */
function contentLength(header: string): number | string {
  let length: number | undefined;
  for (const line of header.split('\r\n')) {
    // only a header with no fields at all has an empty line
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon < 0) return 'a header line has no ":"';
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') {
      if (!/^\d{1,15}$/.test(value)) return `Content-Length must be a decimal number of bytes, got ${quote(value)}`;
      length = Number(value);
    } else if (name === 'content-type') {
      const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(value)?.[1];
      if (charset !== undefined && !/^utf-?8$/i.test(charset)) return `only UTF-8 is supported, got charset ${quote(charset)}`;
    }
  }
  return length ?? 'the header has no Content-Length';
}

/** A header value as JSON (control characters escaped), shortened. */
function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
