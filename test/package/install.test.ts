// The package as users get it: `npm pack` of this tree, installed from the tarball into fresh projects made
// like `npm init -y`. What the tarball holds; that a command-line user's install prints no peer-dependency
// warning, succeeds under --strict-peer-deps, stays under the size limit and runs (the CLI and the library);
// and that an ESLint user who pastes the docs' commands and config files gets the finding.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { unavailable } from '../helpers/requirements.js';
import { LEAK_C, packGranule, ROOT, run, runNpm, runNpx, scratchProject, sizeMB, type Run } from './helpers.js';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  exports: Record<string, string>;
  devDependencies: Record<string, string>;
};

/**
 * What a command-line user's node_modules may weigh, in MB: the goal of issue "first-contact". TypeScript
 * (24 MB) and ESLint came in through @typescript-eslint/utils until it became an optional peer; the grammar
 * packages' generated parser sources (22 MB) until granule shipped the grammars' binaries itself
 * (dist/grammars/); most of what is left is those binaries, for six platforms, see BENCHMARKS.md.
 */
const CLI_LIMIT_MB = 40;

/** The platforms granule ships each grammar's binary for (tree-sitter-cpp 0.23.4's linux-arm64 one is an x86-64 binary). */
const GRAMMAR_BINARIES = {
  'tree-sitter-c': ['darwin-arm64', 'darwin-x64', 'linux-arm64', 'linux-x64', 'win32-arm64', 'win32-x64'],
  'tree-sitter-cpp': ['darwin-arm64', 'darwin-x64', 'linux-x64', 'win32-arm64', 'win32-x64'],
};

const COMPACT_LINE = 'a.c:2:26: error: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable [virtualalloc-granularity]';

/** npm's lines about peer dependencies, and any warning other than npm's notice of packages with install scripts. */
function installComplaints(r: Run): string[] {
  return `${r.stdout}\n${r.stderr}`
    .split('\n')
    .filter((line) => /ERESOLVE|peer/i.test(line) || (/^npm warn/i.test(line) && !/^npm warn install-scripts/i.test(line)));
}

function install(dir: string, args: string[]): Run {
  const r = runNpm(['install', '--no-audit', '--no-fund', ...args], dir);
  expect(r.status, `npm install ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
  expect(installComplaints(r)).toEqual([]);
  return r;
}

const installed = (dir: string, name: string) => fs.existsSync(path.join(dir, 'node_modules', name, 'package.json'));

describe.skipIf(unavailable('npm-registry'))('the packed package', () => {
  let tarball = '';
  let files: string[] = [];
  beforeAll(() => {
    ({ tarball, files } = packGranule());
  }, 600_000);

  it('holds what running granule reads, and no sources, source maps or tests', () => {
    expect(files.filter((f) => /\.map$|^(src|test|bench|scripts|editors|examples)\//.test(f) || /^tsconfig/.test(f))).toEqual([]);
    const needed = [
      'LICENSE',
      'README.md',
      'package.json',
      ...Object.values(pkg.bin).map((f) => path.posix.normalize(f)),
      ...Object.values(pkg.exports)
        .filter((f) => !f.includes('*'))
        .map((f) => path.posix.normalize(f)),
      'dist/index.d.ts',
      'dist/eslint/index.d.ts',
      'configs/recommended.json',
      'configs/strict.json',
      'data/windows-sdk.json',
      ...['virtualalloc-granularity', 'large-page-size', 'mapview-granularity', 'unresolved-allocation-size', 'virtualfree-misuse'].map(
        (id) => `docs/rules/${id}.md`,
      ),
      'shim/granule_shim.c',
      'shim/granule_shim.h',
      'shim/include/windows.h',
      'shim/linux/win32_emul.c',
      'shim/win/iathook.c',
    ];
    for (const file of needed) expect(files, file).toContain(file);
    // the grammars: their binaries with the licence and identity of the package each comes from, and their node types
    expect(files.filter((f) => f.startsWith('dist/grammars/'))).toEqual(
      Object.entries(GRAMMAR_BINARIES)
        .flatMap(([name, targets]) => [
          `dist/grammars/${name}/LICENSE`,
          `dist/grammars/${name}/package.json`,
          ...targets.map((target) => `dist/grammars/${name}/prebuilds/${target}/${name}.node`),
          `dist/grammars/${name}/src/node-types.json`,
        ])
        .sort(),
    );
    for (const name of Object.keys(GRAMMAR_BINARIES)) {
      expect(fs.readFileSync(path.join(ROOT, 'dist', 'grammars', name, 'LICENSE'), 'utf8'), name).toMatch(
        /^The MIT License \(MIT\)\n\nCopyright \(c\) 2014 Max Brunsfeld\n/,
      );
    }
    expect(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 granule contributors\n/);
  });

  it('installs for a command-line user with no peer warning and under the size limit, and runs', () => {
    const dir = scratchProject('cli');
    install(dir, [tarball]);
    // no build, test or ESLint tool (some devDependencies, such as vscode-jsonrpc, are runtime dependencies' too)
    // nor the grammar packages, whose binaries granule ships
    for (const name of [
      'typescript',
      'eslint',
      '@typescript-eslint/utils',
      'esbuild',
      'vitest',
      '@microsoft/sarif-multitool',
      'fast-check',
      'tree-sitter-c',
      'tree-sitter-cpp',
    ]) {
      expect(installed(dir, name), name).toBe(false);
    }
    const mb = sizeMB(path.join(dir, 'node_modules'));
    expect(mb, `${mb.toFixed(1)} MB`).toBeLessThan(CLI_LIMIT_MB);

    fs.writeFileSync(path.join(dir, 'a.c'), LEAK_C);
    const cli = runNpx(['granule', '-f', 'compact', 'a.c'], dir);
    expect(cli).toEqual({ status: 1, stdout: `${COMPACT_LINE}\n`, stderr: '' });

    // the library loads dist/ module by module, as the language server does
    const lib = run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const g = await import('granule'); const r = await g.lintPaths(['a.c'], g.defaultLintOptions()); console.log(r.findings.map((f) => `${f.ruleId} ${f.range.start.line}:${f.range.start.column} ${f.properties.size}`).join('\\n'));",
      ],
      dir,
    );
    expect(lib).toEqual({ status: 0, stdout: 'virtualalloc-granularity 2:26 4096\n', stderr: '' });
  });

  it('installs under --strict-peer-deps', () => {
    install(scratchProject('strict'), ['--strict-peer-deps', tarball]);
  });

  it('where granule ships no grammar binary for the platform, says in one line what to install, and uses that package once installed', () => {
    const dir = scratchProject('no-binary');
    install(dir, [tarball]);
    const here = `${process.platform}-${process.arch}`;
    fs.rmSync(path.join(dir, 'node_modules', 'granule', 'dist', 'grammars', 'tree-sitter-c', 'prebuilds', here), { recursive: true });
    fs.writeFileSync(path.join(dir, 'a.c'), LEAK_C);
    const version = pkg.devDependencies['tree-sitter-c']!;
    expect(runNpx(['granule', '-f', 'compact', 'a.c'], dir)).toEqual({
      status: 2,
      stdout: '',
      stderr:
        `granule: no C grammar for ${here}: granule ships none for this platform; ` +
        `\`npm install tree-sitter-c@${version}\` beside granule builds one from source (it needs Python, make and a C and C++ compiler)\n`,
    });

    install(dir, [`tree-sitter-c@${version}`]);
    expect(runNpx(['granule', '-f', 'compact', 'a.c'], dir)).toEqual({ status: 1, stdout: `${COMPACT_LINE}\n`, stderr: '' });
  });

  describe('for an ESLint user', () => {
    let dir = '';
    beforeAll(() => {
      dir = scratchProject('eslint');
      install(dir, ['--save-dev', 'eslint', tarball]);
      fs.writeFileSync(path.join(dir, 'a.c'), LEAK_C);
    }, 600_000);

    it('without @typescript-eslint/utils, ESLint stops with the line that says how to install it', () => {
      fs.writeFileSync(path.join(dir, 'eslint.config.mjs'), "import granule from 'granule/eslint';\nexport default [...granule.configs.recommended];\n");
      const r = runNpx(['eslint', 'a.c'], dir);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(
        'granule/eslint needs @typescript-eslint/utils (an optional peer dependency of granule): npm install --save-dev @typescript-eslint/utils\n',
      );
      fs.rmSync(path.join(dir, 'eslint.config.mjs'));
    });

    it("every config in docs/eslint.md and README.md works as pasted, after the docs' install line", () => {
      const installLines = new Set<string>();
      const configs: { from: string; name: string; text: string }[] = [];
      for (const doc of ['docs/eslint.md', 'README.md']) {
        const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
        for (const m of text.matchAll(/```sh\n(npm install [^\n]*eslint[^\n]*)\n```/g)) installLines.add(m[1]!);
        for (const m of text.matchAll(/```js\n(\/\/ (eslint\.config\.[cm]?js)\n[\s\S]*?)```/g)) configs.push({ from: doc, name: m[2]!, text: m[1]! });
      }
      expect(configs.map((c) => `${c.from} ${c.name}`)).toEqual(['docs/eslint.md eslint.config.mjs', 'README.md eslint.config.mjs']);
      expect([...installLines]).toEqual(['npm install --save-dev eslint granule @typescript-eslint/utils']);
      // the same line, with this tree's tarball for granule (not yet published)
      const args = [...installLines][0]!
        .split(' ')
        .slice(2)
        .map((a) => (a === 'granule' ? tarball : a));
      install(dir, args);

      // the project the docs' config describes: an include directory and a build directory with its compile_commands.json
      fs.mkdirSync(path.join(dir, 'include'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'build'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'build', 'compile_commands.json'), JSON.stringify([{ directory: dir, file: 'a.c', command: 'cc -c a.c' }]));
      for (const config of configs) {
        fs.writeFileSync(path.join(dir, config.name), config.text);
        const r = runNpx(['eslint', '-f', 'json', 'a.c'], dir);
        fs.rmSync(path.join(dir, config.name));
        expect(r.status, `${config.from}: ${r.stderr}`).toBe(1);
        const [result] = JSON.parse(r.stdout) as { messages: { ruleId: string; line: number; column: number; message: string }[] }[];
        expect(
          result!.messages.map((m) => `${m.ruleId} ${m.line}:${m.column} ${m.message}`),
          config.from,
        ).toEqual(['granule/virtualalloc-granularity 2:26 VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable']);
      }
    });
  });
});
