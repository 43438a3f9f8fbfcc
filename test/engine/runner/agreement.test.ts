// On every fixture folder, the CLI finding, the language server's diagnostic, its hover's size and chain, and
// the ESLint message agree call by call (test/engine/runner/agreement.ts; the wine tree: test/e2e/agreement.test.ts).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLintOptions, type LintOptions } from '../../../src/engine/runner/lint.js';
import { fixtureFolders, sourceFiles } from '../../helpers/fixtures.js';
import { copyFixture, fixtureSettings } from '../../eslint/helpers.js';
import { makeTree } from '../../helpers/tree.js';
import { DEFAULT_SETTINGS } from '../../../src/lsp/settings.js';
import { FIXTURES } from '../../helpers/fixtures.js';
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

describe('build configurations: a Visual Studio solution, several compilation databases', () => {
  it("MinHook's solution: each file in every configuration that compiles it, as the CLI's --project checks it", async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'granule-agreement-')));
    fs.cpSync(path.join(FIXTURES, 'msbuild', 'minhook'), dir, { recursive: true });
    try {
      const projects = [path.join(dir, 'build', 'VC17', 'MinHookVC17.sln')];
      const cli = await cliSays(dir, { ...defaultLintOptions(dir), projects });
      const waste = '4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller';
      expect(cli.lines.map(withoutFacts)).toEqual([
        `src/buffer.c:197:37 virtualalloc-granularity: VirtualAlloc reserves ${waste} [Debug|x64, Release|x64]`,
        `src/buffer.c:214:37 virtualalloc-granularity: VirtualAlloc reserves ${waste} [Debug|x64, Release|x64]`,
        `src/buffer.c:222:29 virtualalloc-granularity: VirtualAlloc reserves ${waste} [Debug|Win32, Release|Win32]`,
      ]);
      const files = sourceFiles(dir);
      expect(lspSays(dir, files, { ...DEFAULT_SETTINGS, projects })).toEqual(cli.lines);
      expect(await eslintSays(dir, files, { projects })).toEqual(cli.lines.map(withoutFacts));
      // --project-configuration, the language server's projectConfigurations and ESLint's narrow them alike
      const narrowed = await cliSays(dir, { ...defaultLintOptions(dir), projects, projectConfigurations: ['Release|Win32'] });
      expect(narrowed.lines.map(withoutFacts)).toEqual([`src/buffer.c:222:29 virtualalloc-granularity: VirtualAlloc reserves ${waste}`]);
      expect(lspSays(dir, files, { ...DEFAULT_SETTINGS, projects, projectConfigurations: ['Release|Win32'] })).toEqual(narrowed.lines);
      expect(await eslintSays(dir, files, { projects, projectConfigurations: ['Release|Win32'] })).toEqual(narrowed.lines.map(withoutFacts));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a file that a 32-bit and a 64-bit build directory list is checked in each, its waste tagged with the one it holds in', async () => {
    const dir = makeTree({
      'src/chunk.c': [
        '#ifdef SMALL_CHUNKS',
        '#define CHUNK 4096',
        '#else',
        '#define CHUNK 65536',
        '#endif',
        'void *chunk(void) {',
        '  return VirtualAlloc(NULL, CHUNK, MEM_RESERVE, PAGE_READWRITE);',
        '}',
        '',
      ].join('\n'),
      'build32/compile_commands.json': JSON.stringify([{ directory: '..', file: 'src/chunk.c', arguments: ['cl', '/DSMALL_CHUNKS', 'src/chunk.c'] }]),
      'build64/compile_commands.json': JSON.stringify([{ directory: '..', file: 'src/chunk.c', arguments: ['cl', 'src/chunk.c'] }]),
    });
    try {
      const compileCommands = ['build64/compile_commands.json', 'build32/compile_commands.json'];
      const cli = await cliSays(dir, { ...defaultLintOptions(dir), compileCommands });
      expect(cli.lines.map(withoutFacts)).toEqual([
        'src/chunk.c:7:10 virtualalloc-granularity: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller [build32|x64, build32|x86]',
      ]);
      const files = sourceFiles(dir);
      expect(lspSays(dir, files, { ...DEFAULT_SETTINGS, compileCommands })).toEqual(cli.lines);
      expect(await eslintSays(dir, files, { compileCommands })).toEqual(cli.lines.map(withoutFacts));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
