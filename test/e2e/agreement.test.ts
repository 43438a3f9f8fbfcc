// On a real tree (Debian's wine 8.0, dlls/kernel32), the CLI finding, the language server's diagnostic, its
// hover's size and chain, and the ESLint message agree call by call (test/engine/runner/agreement.ts), with the folder
// as the run, the workspace and the ESLint project alike.

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLintOptions } from '../../src/engine/runner/lint.js';
import { sourceFiles } from '../helpers/fixtures.js';
import { corpusPath, unavailable } from '../helpers/requirements.js';
import { cliSays, eslintSays, lspSays, withoutFacts } from '../engine/runner/agreement.js';

// fetched once, outside the tests, by `npm run fetch-corpus` (CI runs it before the tests)
describe.skipIf(unavailable('wine-corpus'))('wine 8.0 dlls/kernel32', () => {
  it('CLI, language server (diagnostic and hover) and ESLint agree call by call', async () => {
    const dir = path.join(corpusPath('wine'), 'dlls', 'kernel32');
    const cli = await cliSays(dir, defaultLintOptions(dir));
    expect(cli.lines.length).toBeGreaterThan(0);
    // every source file: one that only the language server or ESLint found something in must show up too
    const files = sourceFiles(dir);
    expect(lspSays(dir, files)).toEqual(cli.lines);
    expect(await eslintSays(dir, files, {})).toEqual(cli.lines.map(withoutFacts));
  });
});
