// Starts the language server on stdio (`granule lsp --stdio`, `granule-lsp --stdio`). Stdout carries the
// protocol, so nothing else may write to it.

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server.js';

export const LSP_HELP = `Usage: granule lsp [--stdio]

Runs granule's language server over standard input and output (the only transport).
Editors start it themselves; see docs/editors.md.
`;

/** Runs the server until the client exits it; returns a process exit code for bad arguments. */
export function runLanguageServer(argv: string[], io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): number | 'running' {
  const unknown = argv.filter((a) => a !== '--stdio');
  if (unknown.includes('--help') || unknown.includes('-h')) {
    io.stderr.write(LSP_HELP);
    return 0;
  }
  if (unknown.length) {
    io.stderr.write(`granule lsp: unknown argument "${unknown[0]}" (only --stdio is supported)\n${LSP_HELP}`);
    return 2;
  }
  startServer(createConnection(ProposedFeatures.all, io.stdin, io.stdout));
  return 'running';
}
