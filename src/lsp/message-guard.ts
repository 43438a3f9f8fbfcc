// Every message from the client passes here before any handler sees it. What the protocol does not allow never
// reaches a handler: a request gets the JSON-RPC error the protocol names (InvalidParams for params of the wrong
// shape, InvalidRequest after shutdown, ServerNotInitialized before initialize), a notification is dropped with
// one short log line, and the server goes on. Log lines and errors name the method and the field, never the
// client's values.

import { paramsProblem } from './protocol-shapes.js';

export const ErrorCodes = {
  ParseError: -32700,
  InvalidRequest: -32600,
  InvalidParams: -32602,
  InternalError: -32603,
  ServerNotInitialized: -32002,
} as const;

type Id = number | string | null;

export interface RpcMessage {
  jsonrpc: '2.0';
  id?: Id;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export interface GuardIo {
  /** Sends a message to the client (an error response, or a log line). */
  send(message: RpcMessage): void;
}

type Lifecycle = 'starting' | 'initializing' | 'running' | 'shut down';

export class MessageGuard {
  private lifecycle: Lifecycle = 'starting';

  constructor(private readonly io: GuardIo) {}

  /** Whether a shutdown request was received (the exit code of an exit that follows is then 0). */
  get shutDown(): boolean {
    return this.lifecycle === 'shut down';
  }

  /** A body that is not JSON: the protocol's Parse error, with no id to answer. */
  unparsable(): void {
    this.reply(null, ErrorCodes.ParseError, 'Parse error: the message body is not JSON');
  }

  /** A body longer than the framing accepts; it was skipped unread. */
  skipped(bytes: number, limit: number): void {
    this.log(`granule: ignored a message of ${bytes} bytes (the limit is ${limit})`);
  }

  /** The message the handlers may see, or undefined when it was answered or dropped here. */
  admit(message: unknown): RpcMessage | undefined {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      this.reply(null, ErrorCodes.InvalidRequest, 'Invalid Request: a message must be a JSON object');
      return undefined;
    }
    const m = message as Record<string, unknown>;
    const isCall = Object.hasOwn(m, 'method');
    const hasId = Object.hasOwn(m, 'id') && m.id !== undefined;
    // a request's id is an integer or a string; a response's may also be null (an error that had no id to answer)
    if (hasId && !(isCall ? isRequestId(m.id) : m.id === null || isRequestId(m.id))) {
      this.reply(null, ErrorCodes.InvalidRequest, 'Invalid Request: id must be an integer or a string');
      return undefined;
    }
    const id = hasId ? (m.id as Id) : undefined;
    if (m.jsonrpc !== '2.0') {
      if (hasId) this.reply(id!, ErrorCodes.InvalidRequest, 'Invalid Request: jsonrpc must be "2.0"');
      else this.log('granule: ignored a message whose jsonrpc is not "2.0"');
      return undefined;
    }
    if (!isCall) return this.response(m, id);
    if (typeof m.method !== 'string') {
      if (hasId) this.reply(id!, ErrorCodes.InvalidRequest, 'Invalid Request: method must be a string');
      else this.log('granule: ignored a message whose method is not a string');
      return undefined;
    }
    return hasId
      ? this.request(m as unknown as RpcMessage & { id: number | string; method: string })
      : this.notification(m as unknown as RpcMessage & { method: string });
  }

  private request(m: RpcMessage & { id: number | string; method: string }): RpcMessage | undefined {
    if (this.lifecycle === 'shut down') {
      this.reply(m.id, ErrorCodes.InvalidRequest, 'Invalid Request: the server is shut down (only exit is accepted)');
      return undefined;
    }
    if (this.lifecycle === 'starting' && m.method !== 'initialize') {
      this.reply(m.id, ErrorCodes.ServerNotInitialized, 'Server not initialized: the first request must be initialize');
      return undefined;
    }
    if (this.lifecycle !== 'starting' && m.method === 'initialize') {
      this.reply(m.id, ErrorCodes.InvalidRequest, 'Invalid Request: initialize was already received');
      return undefined;
    }
    const problem = paramsProblem(m.method, m.params);
    if (problem) {
      this.reply(m.id, ErrorCodes.InvalidParams, `Invalid params for ${m.method}: ${problem}`);
      return undefined;
    }
    if (m.method === 'initialize') this.lifecycle = 'initializing';
    else if (m.method === 'shutdown') this.lifecycle = 'shut down';
    return m;
  }

  private notification(m: RpcMessage & { method: string }): RpcMessage | undefined {
    if (m.method === 'exit') return m;
    // before initialize and after shutdown the protocol drops notifications
    if (this.lifecycle === 'starting' || this.lifecycle === 'shut down') return undefined;
    const problem = paramsProblem(m.method, m.params);
    if (problem) {
      this.log(`granule: ignored a ${m.method} notification: ${problem}`);
      return undefined;
    }
    if (m.method === 'initialized') this.lifecycle = 'running';
    return m;
  }

  /** A response to one of the server's requests: a malformed one becomes an error, so that the request does not wait forever. */
  private response(m: Record<string, unknown>, id: Id | undefined): RpcMessage | undefined {
    if (id === undefined || id === null) {
      this.log('granule: ignored a response without an id');
      return undefined;
    }
    const error = m.error;
    const hasResult = Object.hasOwn(m, 'result');
    const wellFormedError =
      typeof error === 'object' &&
      error !== null &&
      Number.isInteger((error as { code?: unknown }).code) &&
      typeof (error as { message?: unknown }).message === 'string';
    if (hasResult === (error !== undefined) || (error !== undefined && !wellFormedError)) {
      return { jsonrpc: '2.0', id, error: { code: ErrorCodes.InternalError, message: 'the client sent a malformed response' } };
    }
    return m as unknown as RpcMessage;
  }

  private reply(id: Id, code: number, message: string): void {
    this.io.send({ jsonrpc: '2.0', id, error: { code, message } });
  }

  private log(message: string): void {
    // MessageType.Warning
    this.io.send({ jsonrpc: '2.0', method: 'window/logMessage', params: { type: 2, message } });
  }
}

function isRequestId(value: unknown): boolean {
  return typeof value === 'string' || (Number.isInteger(value) && Math.abs(value as number) <= Number.MAX_SAFE_INTEGER);
}
