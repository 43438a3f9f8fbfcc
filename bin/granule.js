#!/usr/bin/env node
// the bundled command line (scripts/bundle-cli.mjs): the same code as dist/cli/main.js, loaded faster
import { main } from '../dist/bundle/main.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});
