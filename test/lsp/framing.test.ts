// The language server's message framing, fed byte streams cut at every place a pipe may cut them.

import { describe, expect, it } from 'vitest';
import { MAX_HEADER_BYTES, MAX_MESSAGE_BYTES, MessageFramer } from '../../src/lsp/framing.js';

function frame(body: string, extra = ''): Buffer {
  return Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`);
}

function run(chunks: Buffer[]): { bodies: string[]; skipped: number[]; broken: string[] } {
  const out = { bodies: [] as string[], skipped: [] as number[], broken: [] as string[] };
  const framer = new MessageFramer({ body: (t) => out.bodies.push(t), skipped: (n) => out.skipped.push(n), broken: (r) => out.broken.push(r) });
  for (const c of chunks) framer.push(c);
  return out;
}

describe('MessageFramer', () => {
  const bodies = ['{"jsonrpc":"2.0","method":"a"}', '{"text":"naïve 𝄞 \\r\\n\\r\\n"}', '{}'];
  const stream = Buffer.concat([frame(bodies[0]!), frame(bodies[1]!, 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n'), frame(bodies[2]!)]);

  it('gives the same bodies whatever the chunking: whole, byte by byte, and split at every offset', () => {
    expect(run([stream])).toEqual({ bodies, skipped: [], broken: [] });
    expect(run([...stream].map((b) => Buffer.from([b])))).toEqual({ bodies, skipped: [], broken: [] });
    for (let i = 1; i < stream.length; i++) {
      expect(run([stream.subarray(0, i), stream.subarray(i)]).bodies).toEqual(bodies);
    }
  });

  it('accepts header names in any case, utf8 as a charset spelling, and extra header fields', () => {
    const body = '{"x":1}';
    expect(run([Buffer.from(`content-length: 7\r\nX-Other: y\r\nContent-Type: application/json; charset=UTF8\r\n\r\n${body}`)]).bodies).toEqual([body]);
  });

  it('skips a body over the limit without keeping it, then reads the next message', () => {
    const big = MAX_MESSAGE_BYTES + 1;
    const framer = { bodies: [] as string[], skipped: [] as number[], broken: [] as string[] };
    const f = new MessageFramer({ body: (t) => framer.bodies.push(t), skipped: (n) => framer.skipped.push(n), broken: (r) => framer.broken.push(r) });
    f.push(Buffer.from(`Content-Length: ${big}\r\n\r\n`));
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    let left = big;
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      f.push(chunk.subarray(0, n));
      left -= n;
    }
    f.push(frame('{"after":true}'));
    expect(framer).toEqual({ bodies: ['{"after":true}'], skipped: [big], broken: [] });
  });

  it('breaks once, with the reason, and reads nothing after a header it cannot read', () => {
    expect(run([Buffer.from('Content-Length: 1e3\r\n\r\n{}'), frame('{}')])).toEqual({
      bodies: [],
      skipped: [],
      broken: ['Content-Length must be a decimal number of bytes, got "1e3"'],
    });
    expect(run([Buffer.from('Content-Length: -2\r\n\r\n')]).broken).toEqual(['Content-Length must be a decimal number of bytes, got "-2"']);
    expect(run([Buffer.from('\r\n\r\n{}')]).broken).toEqual(['the header has no Content-Length']);
    expect(run([Buffer.from('Content-Length 2\r\n\r\n{}')]).broken).toEqual(['a header line has no ":"']);
    expect(run([Buffer.from(`X: ${'y'.repeat(MAX_HEADER_BYTES)}`)]).broken).toEqual([`the header is longer than ${MAX_HEADER_BYTES} bytes`]);
    expect(run([Buffer.from(`Content-Length: ${'9'.repeat(16)}\r\n\r\n`)]).broken).toEqual([
      `Content-Length must be a decimal number of bytes, got "${'9'.repeat(16)}"`,
    ]);
  });
});
