// Starts the language server on stdio (`granule lsp --stdio`, `granule-lsp --stdio`). Stdout carries the
// protocol, so nothing else may write to it.

import { createConnection, ProposedFeatures, StreamMessageWriter } from 'vscode-languageserver/node';
import { GuardedReader } from './guarded-reader.js';
import { MessageGuard } from './message-guard.js';
import { startServer } from './server.js';

export const LSP_HELP = `Usage: granule lsp [--stdio]

Runs granule's language server over standard input and output (the only transport).
Editors start it themselves; see docs/editors.md.
`;

/** Runs the server until the client exits it; returns a process exit code for bad arguments. */
export function runLanguageServer(
  argv: string[],
  io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): number | 'running' {
  const unknown = argv.filter((a) => a !== '--stdio');
  if (unknown.includes('--help') || unknown.includes('-h')) {
    io.stderr.write(LSP_HELP);
    return 0;
  }
  if (unknown.length) {
    io.stderr.write(`granule lsp: unknown argument "${unknown[0]}" (only --stdio is supported)\n${LSP_HELP}`);
    return 2;
  }
  const writer = new StreamMessageWriter(io.stdout);
  const guard = new MessageGuard({ send: (message) => void writer.write(message) });
  const reader = new GuardedReader(io.stdin, guard, (reason) => {
    io.stderr.write(`granule lsp: cannot read the client's messages: ${reason}\n`);
    process.exit(1);
  });
  // the protocol's exit codes: 0 when the client asked for shutdown before its input ended, 1 otherwise
  reader.onClose(() => process.exit(guard.shutDown ? 0 : 1));
  startServer(createConnection(ProposedFeatures.all, reader, writer));
  return 'running';
}
