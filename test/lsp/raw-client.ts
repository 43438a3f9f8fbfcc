// A raw client for granule's built language server: writes bytes to its stdin exactly as given (so a test can send
// what no well-behaved client would: malformed headers, params of the wrong type, requests after shutdown) and
// parses what the server writes back.

import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers/cli.js';

export interface RpcMessage {
  jsonrpc: '2.0';
  id?: number | string | null;
  method?: string;
  params?: any;
  result?: any;
  error?: { code: number; message: string; data?: unknown };
}

export class RawLspClient {
  readonly process: ChildProcess;
  readonly received: RpcMessage[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;
  private pending = Buffer.alloc(0);
  private nextId = 1;
  /** The response to a request from the server (a test may replace it with a malformed one). */
  answer: (request: RpcMessage) => unknown = (m) => ({
    jsonrpc: '2.0',
    id: m.id,
    result: m.method === 'workspace/configuration' ? m.params.items.map(() => ({})) : null,
  });
  /** How many received messages have had the server's requests among them answered. */
  private answered = 0;
  private waiters: (() => void)[] = [];

  constructor(cwd = ROOT) {
    this.process = spawn(process.execPath, [path.join(ROOT, 'bin', 'granule-lsp.js'), '--stdio'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr!.on('data', (d) => (this.stderr += d));
    this.process.stdout!.on('data', (d: Buffer) => this.onData(d));
    // a server that exits while a test still writes must fail the test by its assertions, not by EPIPE
    this.process.stdin!.on('error', () => {});
    this.exited = new Promise((resolve) => this.process.on('exit', (code) => resolve(code)));
    this.exited.then(() => this.wake());
  }

  private onData(data: Buffer): void {
    this.pending = Buffer.concat([this.pending, data]);
    for (;;) {
      const end = this.pending.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.pending.subarray(0, end).toString('ascii'))?.[1]);
      if (this.pending.length < end + 4 + length) return;
      this.received.push(JSON.parse(this.pending.subarray(end + 4, end + 4 + length).toString('utf8')));
      this.pending = this.pending.subarray(end + 4 + length);
      this.wake();
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  /** Writes bytes as they are. */
  writeRaw(bytes: string | Buffer): void {
    this.process.stdin!.write(bytes);
  }

  /** Writes one message with a correct header; `body` is sent as given when it is a string. */
  send(body: unknown): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    this.writeRaw(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  }

  /** Sends a notification once the server has taken in everything written before, as a client honouring backpressure does. */
  async notifyDrained(method: string, params?: unknown): Promise<void> {
    const text = JSON.stringify({ jsonrpc: '2.0', method, params });
    if (!this.process.stdin!.write(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`)) {
      await new Promise<void>((resolve) => this.process.stdin!.once('drain', resolve));
    }
  }

  notify(method: string, params?: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** Sends a request; resolves with its response (result or error). */
  request(method: string, params?: unknown, timeoutMs = 20_000): Promise<RpcMessage> {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    return this.waitFor((m) => m.id === id && m.method === undefined, `the response to ${method} (id ${id})`, timeoutMs);
  }

  /** Resolves with the first message received that `accept` takes (answering the server's own requests meanwhile). */
  async waitFor(accept: (m: RpcMessage) => boolean, what: string, timeoutMs = 20_000, from = 0): Promise<RpcMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // the server asks for settings and registers watchers: answer as a plain client would
      for (const m of this.received.slice(this.answered)) {
        if (m.method && m.id !== undefined) this.send(this.answer(m));
      }
      this.answered = this.received.length;
      const found = this.received.slice(from).find(accept);
      if (found) return found;
      if (Date.now() > deadline || this.process.exitCode !== null) {
        throw new Error(
          `no ${what} in ${timeoutMs} ms (exit code ${this.process.exitCode}); received ${JSON.stringify(this.received).slice(0, 2000)}; stderr: ${this.stderr}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** window/logMessage texts received so far. */
  logs(): string[] {
    return this.received.filter((m) => m.method === 'window/logMessage').map((m) => m.params.message as string);
  }

  async initialize(rootDir: string, capabilities: Record<string, unknown> = {}): Promise<RpcMessage> {
    const rootUri = pathToFileURL(rootDir).href;
    const response = await this.request('initialize', { processId: null, rootUri, workspaceFolders: [{ uri: rootUri, name: 'root' }], capabilities });
    this.notify('initialized', {});
    return response;
  }

  kill(): void {
    if (this.process.exitCode === null) this.process.kill();
  }
}
