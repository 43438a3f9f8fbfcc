// granule's own lint configuration (for the code of this repository; the configuration that users of granule's
// ESLint plugin write is in docs/eslint.md). `npm run lint` runs this, the layering check (.dependency-cruiser.cjs)
// and the formatter check (Prettier, .prettierrc.json); see scripts/lint.mjs.

import js from '@eslint/js';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Module-level mutable state: a top-level `let` or `var`, or a top-level collection that starts empty (an empty
 * `Map`, `Set`, `WeakMap`, `WeakSet` or array can only be there to be filled while the program runs). Constant
 * tables (`new Set(['a', 'b'])`) pass. A deliberate, documented cache is exempted with
 * `// eslint-disable-next-line no-restricted-syntax -- <why this cache is safe>`.
 */
const TOP = ':matches(Program, Program > ExportNamedDeclaration) > VariableDeclaration';
const MUTABLE_STATE = [
  {
    selector: `${TOP}[kind=/^(let|var)$/]`,
    message: 'No module-level mutable state: pass it in, or keep it in an object its owner creates (or exempt a documented cache, with the reason).',
  },
  {
    selector: `${TOP} > VariableDeclarator > :matches(NewExpression[callee.name=/^(Map|Set|WeakMap|WeakSet|Array)$/][arguments.length=0], ArrayExpression[elements.length=0]).init`,
    message:
      'An empty module-level collection is mutable state: pass it in, or keep it in an object its owner creates (or exempt a documented cache, with the reason).',
  },
];

const UNUSED = { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' };

const SIZE_LIMITS = {
  // "no source file over 600 lines and no function over 120 lines": counted as the file reads, comments included
  'max-lines': ['error', { max: 600, skipBlankLines: false, skipComments: false }],
  'max-lines-per-function': ['error', { max: 120, skipBlankLines: false, skipComments: false, IIFEs: true }],
  // code lines are Prettier's (160 columns); comment lines, which Prettier leaves as written, are checked here
  'max-len': ['error', { code: 1000, comments: 160, ignoreUrls: true }],
};

export default defineConfig(
  {
    ignores: [
      'dist/**',
      'coverage/**',
      '.cache/**',
      'build/**',
      'test/fixtures/**',
      'test/fix-fixtures/**',
      'examples/**',
      'editors/**',
      'shim/**',
      '**/.granule_cache/**',
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  comments.recommended,
  {
    rules: {
      // every exception says why, on its own line
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: [] }],
      '@eslint-community/eslint-comments/disable-enable-pair': ['error', { allowWholeFile: true }],
    },
  },
  // TypeScript everywhere; type-aware rules where a tsconfig covers the file (src/)
  { files: ['**/*.ts'], extends: [tseslint.configs.recommended] },
  { files: ['src/**/*.ts'], extends: [tseslint.configs.recommendedTypeCheckedOnly] },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { property: 'localeCompare', message: 'the order of a report must not follow the locale: use compareText (src/engine/model/order.ts)' },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      ...SIZE_LIMITS,
      'no-restricted-syntax': ['error', ...MUTABLE_STATE],
      'no-unused-vars': ['error', UNUSED],
      // strips and escapes control characters in untrusted text on purpose (formats, shim reports, tests of them)
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': ['error', UNUSED],
      // `m[1]!` marks an index that may be missing; the tsconfig has no noUncheckedIndexedAccess to say so
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  // Tests: one describe() holds many cases, and a file's fixtures are set up in top-level variables by beforeAll()
  {
    files: ['test/**'],
    rules: {
      'max-lines-per-function': 'off',
      'no-restricted-syntax': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  // Benchmarks and scripts are programs run once: top-level state is their main()
  {
    files: ['bench/**', 'scripts/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
