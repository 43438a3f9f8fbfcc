// The machinery that skips tests on a Node-only machine and forbids skipping in CI. The npm-registry
// requirement is the one a test can take away (GRANULE_TEST_OFFLINE=1). Ids are passed through variables so
// that the start-of-run listing does not take this file for one that needs them.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ROOT } from './cli.js';
import { requirementsOfTests, requirementsReport } from './report-requirements.js';
import { REQUIREMENTS, unavailable, type RequirementId } from './requirements.js';

const REGISTRY: RequirementId = 'npm-registry';
const MODES: RequirementId = 'file-modes';
const REGISTRY_LINE = 'the npm registry (GRANULE_TEST_OFFLINE=1 is set) (unset GRANULE_TEST_OFFLINE)';

const saved = { offline: process.env.GRANULE_TEST_OFFLINE, all: process.env.GRANULE_TEST_REQUIRE_ALL };
afterEach(() => {
  for (const [name, value] of [
    ['GRANULE_TEST_OFFLINE', saved.offline],
    ['GRANULE_TEST_REQUIRE_ALL', saved.all],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  vi.restoreAllMocks();
});

describe('unavailable()', () => {
  it('is false, and silent, when everything named is there', () => {
    delete process.env.GRANULE_TEST_OFFLINE;
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(unavailable(REGISTRY)).toBe(false);
    expect(write).not.toHaveBeenCalled();
  });

  it('is true with one line naming the file, what is missing and how to get it', () => {
    process.env.GRANULE_TEST_OFFLINE = '1';
    delete process.env.GRANULE_TEST_REQUIRE_ALL;
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(unavailable(REGISTRY)).toBe(true);
    expect(write.mock.calls).toEqual([[`skipped (test/helpers/requirements.test.ts): missing ${REGISTRY_LINE}\n`]]);
  });

  it('throws under GRANULE_TEST_REQUIRE_ALL=1 instead of skipping', () => {
    process.env.GRANULE_TEST_OFFLINE = '1';
    process.env.GRANULE_TEST_REQUIRE_ALL = '1';
    expect(() => unavailable(REGISTRY)).toThrow(new Error(`GRANULE_TEST_REQUIRE_ALL=1 and missing ${REGISTRY_LINE}`));
  });
});

describe('the listing before the tests', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-requirements-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  };
  // spelt so that the listing of this repository's own tests does not read these calls as this file's
  const call = 'unavailable';
  write('test/a/a.test.ts', `describe.skipIf(${call}('npm-registry', 'file-modes'))('a', () => {});\n`);
  write('test/b.test.ts', `const x = ${call}( 'npm-registry' );\nit.skipIf(${call}('file-modes'))('b', () => {});\n`);
  write('test/helper.ts', `${call}('gcc');\n`);
  write('test/c.test.ts', `${call}(...ids);\n`);

  it('reads the ids of each test file from its unavailable() calls', () => {
    expect([...requirementsOfTests(root)]).toEqual([
      ['file-modes', ['test/a/a.test.ts', 'test/b.test.ts']],
      ['npm-registry', ['test/a/a.test.ts', 'test/b.test.ts']],
    ]);
  });

  it('says when nothing is missing', () => {
    delete process.env.GRANULE_TEST_OFFLINE;
    expect(requirementsReport(requirementsOfTests(root), true)).toEqual({
      text: 'granule tests: every requirement is present (file-modes, npm-registry)\n',
      failed: false,
    });
  });

  it('lists what is missing and the files it skips; under GRANULE_TEST_REQUIRE_ALL=1 that fails the run', () => {
    process.env.GRANULE_TEST_OFFLINE = '1';
    const uses = requirementsOfTests(root);
    expect(REQUIREMENTS[MODES].available()).toBe(process.platform !== 'win32');
    const modes = process.platform === 'win32' ? 2 : 1;
    const modesLines = (verb: string) =>
      process.platform === 'win32'
        ? `  missing POSIX file modes (chmod 0 makes a file unreadable) (run on Linux or macOS)\n    ${verb} test/a/a.test.ts, test/b.test.ts\n`
        : '';
    expect(requirementsReport(uses, false)).toEqual({
      text:
        `granule tests: ${modes} requirement(s) missing on this machine; these tests will be skipped (CI runs them, with GRANULE_TEST_REQUIRE_ALL=1):\n` +
        modesLines('skips') +
        `  missing ${REGISTRY_LINE}\n    skips test/a/a.test.ts, test/b.test.ts\n`,
      failed: false,
    });
    expect(requirementsReport(uses, true)).toEqual({
      text:
        `GRANULE_TEST_REQUIRE_ALL=1 and ${modes} requirement(s) are missing; nothing may be skipped:\n` +
        modesLines('needed by') +
        `  missing ${REGISTRY_LINE}\n    needed by test/a/a.test.ts, test/b.test.ts\n`,
      failed: true,
    });
  });

  it('fails on an id that test/helpers/requirements.ts does not know', () => {
    expect(requirementsReport(new Map([['gcc-13', ['test/x.test.ts']]]), false)).toEqual({
      text: "unknown requirement 'gcc-13' in test/x.test.ts (test/helpers/requirements.ts lists the known ones)\n",
      failed: true,
    });
  });

  it('every id the test files name is known', () => {
    expect([...requirementsOfTests().keys()].filter((id) => !(id in REQUIREMENTS))).toEqual([]);
  });
});

describe('vitest under GRANULE_TEST_REQUIRE_ALL=1', () => {
  it('stops before any test when a requirement is missing, with the block saying what and for which files', () => {
    const vitest = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
    const r = spawnSync(process.execPath, [vitest, 'run', 'test/engine/files/file-reader.test.ts'], {
      cwd: ROOT,
      env: { ...process.env, GRANULE_TEST_REQUIRE_ALL: '1', GRANULE_TEST_OFFLINE: '1', NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^GRANULE_TEST_REQUIRE_ALL=1 and \d+ requirement\(s\) are missing; nothing may be skipped:$/m);
    expect(r.stderr).toMatch(new RegExp(`^  missing ${REGISTRY_LINE.replace(/[()=]/g, '\\$&')}\\n    needed by .*test/package/precommit\\.test\\.ts`, 'm'));
    // (had it gone on, file-reader's tests would have run and passed)
    expect(r.stdout).not.toMatch(/Test Files/);
  });
});
