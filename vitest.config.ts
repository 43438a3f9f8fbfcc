import { defineConfig } from 'vitest/config';

// Test files that need something beyond Node in every test (a compiler, wine, a browser, git and pre-commit, a
// downloaded corpus): their own project, so `--project node` runs what any machine with Node can, and
// `--project tools` what only a machine with the tools (CI) can. `npm test` runs both. Tests elsewhere that
// need a tool for one case are gated one by one (test/helpers/requirements.ts). test/README.md says where a
// new test goes.
const TOOLS = [
  'test/cli/runtime.test.ts',
  'test/e2e/agreement.test.ts',
  'test/e2e/wine.test.ts',
  'test/e2e/wine-call-sites.test.ts',
  'test/engine/types/sdk-generator.test.ts',
  'test/engine/types/layout-differential.test.ts',
  'test/engine/types/layout-differential-msvc.test.ts',
  'test/engine/preprocess/mingw-predefined.test.ts',
  'test/package/action.test.ts',
  'test/package/precommit.test.ts',
  'test/package/precommit-pin.test.ts',
  'test/shim/fourkbleak-32bit.test.ts',
  'test/shim/linux.test.ts',
  'test/shim/vmmap-browser.test.ts',
  'test/shim/vmmap-space-browser.test.ts',
  'test/shim/wine.test.ts',
  'test/shim/wine32.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // the native tree-sitter addon and child processes are happiest in forked workers
    pool: 'forks',
    // lists what this machine lacks, once, before any test; fails at once under GRANULE_TEST_REQUIRE_ALL=1
    globalSetup: ['test/helpers/report-requirements.ts'],
    projects: [
      { extends: true, test: { name: 'node', include: ['test/**/*.test.ts'], exclude: TOOLS } },
      { extends: true, test: { name: 'tools', include: TOOLS } },
    ],
  },
});
