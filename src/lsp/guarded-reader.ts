// The connection's message reader: bytes from the client are framed (framing.ts), parsed, and admitted by the
// guard (message-guard.ts) before the connection and its handlers see them.

import { AbstractMessageReader, Disposable, type DataCallback, type Message, type MessageReader } from 'vscode-languageserver/node';
import { MAX_MESSAGE_BYTES, MessageFramer } from './framing.js';
import type { MessageGuard } from './message-guard.js';

export class GuardedReader extends AbstractMessageReader implements MessageReader {
  constructor(
    private readonly input: NodeJS.ReadableStream,
    private readonly guard: MessageGuard,
    /** The framing is lost: the reason, for one line on stderr. Nothing more is read. */
    private readonly onBroken: (reason: string) => void,
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    const framer = new MessageFramer({
      body: (text) => {
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          this.guard.unparsable();
          return;
        }
        const admitted = this.guard.admit(value);
        if (admitted) callback(admitted as Message);
      },
      skipped: (bytes) => this.guard.skipped(bytes, MAX_MESSAGE_BYTES),
      broken: (reason) => {
        this.input.removeListener('data', onData);
        this.onBroken(reason);
      },
    });
    const onData = (chunk: Buffer | string) => framer.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    const onError = (error: Error) => this.fireError(error);
    const onEnd = () => this.fireClose();
    this.input.on('data', onData);
    this.input.on('error', onError);
    this.input.on('end', onEnd);
    this.input.on('close', onEnd);
    return Disposable.create(() => {
      this.input.removeListener('data', onData);
      this.input.removeListener('error', onError);
      this.input.removeListener('end', onEnd);
      this.input.removeListener('close', onEnd);
    });
  }
}
