// Bundles the command line into dist/bundle/, after tsc: dist/cli/main.js as one CommonJS file (main.cjs),
// what bin/granule.js runs before it (compile-cache.cjs), and the worker-thread entry as ES modules
// (worker.js and its chunks).
//
// Node loads one ES module at a time, resolving, reading and linking each: the 60 modules of a run on one
// file (the pre-commit case) cost about 25 ms more than the same code bundled. The command line is one
// CommonJS file that bin/granule.js, itself CommonJS, `require`s. Its `import.meta.url` is the bundle's own
// URL. The library, the ESLint plugin and the language server bin keep using dist/ module by module.
//
// The packages the bundle loads with `import()` (ES-only ones, such as globby) stay dynamic imports, and
// test/cli/start-up.test.ts runs each one through the built command line.
//
// Left out of the bundle: the native tree-sitter binding and node-gyp-build, which loads it and the grammars
// (dist/grammars/, scripts/copy-grammars.mjs), and the packages granule loads only on demand.
// granule's own files (package.json, configs/, docs/rules/, shim/) are found by looking upwards from
// import.meta.url (src/engine/model/package-files.ts), and ./worker.js sits beside the bundle.

import * as fs from 'node:fs';
import { build } from 'esbuild';

const common = {
  outdir: 'dist/bundle',
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // (no comments, no indentation: Node reads the bundle on every run; the source map has the lines)
  minifyWhitespace: true,
  external: ['granule-tree-sitter', 'node-gyp-build', 'globby', 'ignore', 'vscode-languageserver', 'vscode-languageserver-textdocument', 'ajv'],
  logLevel: 'warning',
  // (jsonc-parser's main file is a UMD module whose requires esbuild cannot follow; its ES build bundles)
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
};

// (chunk names change with their content: old ones must not pile up)
fs.rmSync('dist/bundle', { recursive: true, force: true });
await build({
  ...common,
  // (the compile cache's switch too, which must run before the bundle is loaded)
  entryPoints: { main: 'dist/cli/main.js', 'compile-cache': 'dist/cli/compile-cache.js' },
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
});
await build({ ...common, entryPoints: ['dist/engine/runner/worker.js'], entryNames: '[name]', splitting: true, format: 'esm' });
