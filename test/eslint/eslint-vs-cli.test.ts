// The real ESLint (its CLI and its ESLint class) with granule's plugin reports, on every fixture folder, exactly
// what granule's own CLI reports: same lines, columns, ends, severities, rule ids, messages and autofixes.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import granule from '../../src/eslint/index.js';
import { ROOT } from '../helpers/cli.js';
import { fixtureFolders } from '../helpers/fixtures.js';
import { cliLines, copyFixture, ESLINT_BIN, eslintLines, eslintOverrides, fixtureSettings, writeEslintConfig, type EslintMessage } from './helpers.js';

beforeAll(() => {
  expect(fs.existsSync(path.join(ROOT, 'dist', 'eslint', 'index.js')), 'run `npm run build` first (npm test does)').toBe(true);
});

describe.each(fixtureFolders().map((d) => [path.basename(d), d]))('fixtures/%s', (_name, dir) => {
  const settings = fixtureSettings(dir);
  let copy: string;
  let expected: string[];

  beforeAll(() => {
    copy = copyFixture(dir);
    expected = cliLines(copy);
  });

  it('eslint CLI findings equal granule CLI findings', () => {
    expect(expected.length).toBeGreaterThan(0);
    writeEslintConfig(copy, eslintOverrides(copy, settings));
    const r = spawnSync(process.execPath, [ESLINT_BIN, '--format', 'json', '.'], { cwd: copy, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(r.stderr).toBe('');
    expect([0, 1]).toContain(r.status);
    const results = JSON.parse(r.stdout) as { filePath: string; messages: EslintMessage[] }[];
    expect(eslintLines(copy, results)).toEqual(expected);
  });

  it('ESLint class findings equal granule CLI findings', async () => {
    const eslint = new ESLint({
      cwd: copy,
      overrideConfigFile: true,
      overrideConfig: [...granule.configs.recommended, eslintOverrides(copy, settings)] as ESLint.Options['overrideConfig'],
    });
    const results = await eslint.lintFiles(['.']);
    expect(eslintLines(copy, results as unknown as { filePath: string; messages: EslintMessage[] }[])).toEqual(expected);
  });
});
