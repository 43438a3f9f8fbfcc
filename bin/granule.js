#!/usr/bin/env node
// The command line: the bundle (scripts/bundle-cli.mjs), the same code as dist/cli/main.js loaded as one file,
// with Node's compile cache where Node has one (src/cli/compile-cache.ts). This file is CommonJS
// (bin/package.json): Node starts a CommonJS file a few milliseconds sooner than an ES module.
'use strict';

const argv = process.argv.slice(2);
// (the language server owns its streams: a client that goes away is its connection's business)
if (argv[0] !== 'lsp') for (const stream of [process.stdout, process.stderr]) stream.on('error', (e) => outputFailed(stream, e));

require('../dist/bundle/compile-cache.cjs').enableCompileCache();
const cli = require('../dist/bundle/main.cjs');

const io = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
cli.main(argv, io).then((code) => {
  if (process.exitCode === undefined) process.exitCode = code;
});

/**
 * A reader that goes away (`granule -f json . | head`) ends the output, not the verdict: nothing more is
 * written to that stream, nothing is said about it, and the run exits with the status it decides, so that a
 * pipeline under `set -o pipefail` still fails on findings. Any other failure to write (a full disk behind
 * `> report.json`) means the report was not delivered: one line, and exit 2.
 */
function outputFailed(stream, e) {
  // (ECONNRESET: the same when the stream is a socket; ERR_STREAM_DESTROYED: a later write to the closed stream)
  if (e && (e.code === 'EPIPE' || e.code === 'ECONNRESET' || e.code === 'ERR_STREAM_DESTROYED')) return;
  process.exitCode = 2;
  if (stream !== process.stderr && !process.stderr.destroyed) {
    process.stderr.write(`granule: cannot write to standard output (${e instanceof Error ? e.message : e})\n`);
  }
}
