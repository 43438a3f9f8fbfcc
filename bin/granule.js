#!/usr/bin/env node
// the bundled command line (scripts/bundle-cli.mjs), compiled with the code V8 kept from an earlier run
// (src/cli/compiled-load.ts): the same code as dist/cli/main.js, started faster
import { fileURLToPath } from 'node:url';
import { loadCompiled } from '../dist/cli/compiled-load.js';

const cli = loadCompiled(fileURLToPath(new URL('../dist/bundle/main.cjs', import.meta.url)));
process.exitCode = await cli.exports.main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});
cli.saveCache();
