#!/usr/bin/env node
// granule's language server on stdio (the same as `granule lsp --stdio`).
import { runLanguageServer } from '../dist/lsp/main.js';

const result = runLanguageServer(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
if (result !== 'running') process.exitCode = result;
