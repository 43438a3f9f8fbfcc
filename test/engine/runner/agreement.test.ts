// On every fixture folder, the CLI finding, the language server's diagnostic, its hover's size and chain, and
// the ESLint message agree call by call (test/engine/runner/agreement.ts; the wine tree: test/e2e/agreement.test.ts).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLintOptions, type LintOptions } from '../../../src/engine/runner/lint.js';
import { fixtureFolders, sourceFiles } from '../../helpers/fixtures.js';
import { copyFixture, fixtureSettings } from '../../eslint/helpers.js';
import { cliSays, eslintSays, lspSays, withoutFacts } from './agreement.js';

/** The fixture's options (fixture.json), for a run in `cwd`. */
function fixtureOptions(dir: string, cwd: string): LintOptions {
  const file = path.join(dir, 'fixture.json');
  return { ...defaultLintOptions(cwd), ...(fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LintOptions>) : {}) };
}

describe.each(fixtureFolders().map((d) => [path.basename(d), d]))('fixtures/%s', (_name, dir) => {
  it('CLI, language server (diagnostic and hover) and ESLint agree call by call', async () => {
    // (a copy: the fixture's options become its granule.config.json, which the language server reads)
    const copy = copyFixture(dir);
    try {
      const options = fixtureOptions(dir, copy);
      const cli = await cliSays(copy, options);
      expect(cli.lines.length).toBeGreaterThan(0);
      const files = sourceFiles(copy);
      expect(lspSays(copy, files)).toEqual(cli.lines);
      expect(await eslintSays(copy, files, fixtureSettings(dir))).toEqual(cli.lines.map(withoutFacts));
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('a call site that reaches an API twice', () => {
  it("the hover shows the size and chain of the diagnostic's own call", async () => {
    // as php's zend_alloc.c: a chunk allocator that retries with a larger size when the first region is misaligned
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-agreement-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'chunk.c'),
        [
          'static void *chunk_alloc(SIZE_T size, SIZE_T alignment) {',
          '  void *p = VirtualAlloc(NULL, size, MEM_RESERVE, PAGE_NOACCESS);',
          '  if (p == NULL) p = VirtualAlloc(NULL, size + alignment - 4096, MEM_RESERVE, PAGE_NOACCESS);',
          '  return p;',
          '}',
          'void *heap_init(void) { return chunk_alloc(2097152, 2097152); }',
          '',
        ].join('\n'),
      );
      const cli = await cliSays(dir, defaultLintOptions(dir));
      // (the caller passes multiples of 64 KB: the waste is reported at the retry's own call, line 3)
      expect(cli.lines.filter((l) => l.startsWith('chunk.c:3:')).map((l) => /\| size (\d+)/.exec(l)?.[1])).toEqual(['4190208']);
      expect(cli.lines.filter((l) => l.startsWith('chunk.c:6:'))).toEqual([]);
      expect(lspSays(dir, sourceFiles(dir))).toEqual(cli.lines);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
