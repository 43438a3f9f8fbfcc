#!/usr/bin/env node
// The command line: the bundle (scripts/bundle-cli.mjs), compiled with the code V8 kept from an earlier run
// (src/cli/compiled-load.ts); the same code as dist/cli/main.js, started faster. This file is CommonJS
// (bin/package.json): Node starts a CommonJS file a few milliseconds sooner than an ES module.
'use strict';

const path = require('node:path');
const { loadCompiled } = require('../dist/bundle/compiled-load.cjs');

const cli = loadCompiled(path.join(__dirname, '..', 'dist', 'bundle', 'main.cjs'));
const io = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
cli.exports.main(process.argv.slice(2), io).then((code) => {
  process.exitCode = code;
  cli.saveCache();
});
