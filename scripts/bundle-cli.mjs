// Bundles the command line (dist/cli/main.js, with the worker-thread entry) into dist/bundle/, after tsc.
// Node loads one ES module at a time, resolving, reading and linking each: the 60 modules of a run on one
// file (the pre-commit case) cost about 25 ms more than the same code in a few bundled chunks. The library,
// the ESLint plugin and the language server bin keep using dist/ module by module.
//
// Left out of the bundle: the native tree-sitter packages and the packages granule loads only on demand.
// The bundle sits two levels under the package root like every dist/ module, so the paths modules build
// from import.meta.url (package.json, configs/, docs/rules/, shim/, ./worker.js) stay the same.

import * as fs from 'node:fs';
import { build } from 'esbuild';

// (chunk names change with their content: old ones must not pile up)
fs.rmSync('dist/bundle', { recursive: true, force: true });
await build({
  entryPoints: ['dist/cli/main.js', 'dist/engine/worker.js'],
  entryNames: '[name]',
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  external: ['tree-sitter', 'tree-sitter-c', 'tree-sitter-cpp', 'globby', 'picomatch', '@typescript-eslint/utils', 'vscode-languageserver', 'vscode-languageserver-textdocument', 'ajv'],
  logLevel: 'warning',
});
