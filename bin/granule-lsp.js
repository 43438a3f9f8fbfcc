#!/usr/bin/env node
// granule's language server on stdio (the same as `granule lsp --stdio`). CommonJS, like bin/granule.js
// (bin/package.json); the server itself is an ES module.
'use strict';

import('../dist/lsp/main.js').then(({ runLanguageServer }) => {
  const result = runLanguageServer(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
  if (result !== 'running') process.exitCode = result;
});
