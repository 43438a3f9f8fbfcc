// How the built command line starts (bin/granule.js → dist/bundle/): every run reports the same, whether or not
// Node's compile cache was there before it, and every dynamic `import()` of the shipped bundle is run through it.
//
// Both guard against the way a start-up optimisation breaks: the bundle of an earlier version was compiled
// through vm.Script with V8's cached data, and on the second run its `import("globby")` had no loader, so a
// directory with a .gitignore outside git reported "cannot list directory" and checked nothing.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { unavailable } from '../helpers/requirements.js';

const LEAK = '#include <windows.h>\nvoid f(void){ VirtualAlloc(NULL, 4096, MEM_RESERVE|MEM_COMMIT, PAGE_READWRITE); }\n';
const CLEAN = '#include <windows.h>\nvoid g(void){ VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_NOACCESS); }\n';
const finding = (file: string) =>
  `${file}:2:15: error: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable [virtualalloc-granularity]\n`;

let tmp: string;
beforeAll(() => {
  expect(fs.existsSync(path.join(ROOT, 'dist', 'bundle', 'main.cjs')), 'run `npm run build` first (npm test does)').toBe(true);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-start-up-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A fresh directory with the given files (path → text). */
function tree(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The built command line with granule's compile cache in `cache` and no compile cache of the user's. */
function granule(args: string[], cwd: string, cache: string, nodeArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Run {
  const base = { ...process.env };
  delete base.NODE_COMPILE_CACHE;
  delete base.NODE_DISABLE_COMPILE_CACHE;
  const r = spawnSync(process.execPath, [...nodeArgs, BIN, ...args], {
    cwd,
    env: { ...base, NO_COLOR: '1', GRANULE_COMPILE_CACHE: cache, ...env },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs twice: cold, with an empty private cache directory, then with whatever cache the first run left. */
function coldThenWarm(args: string[], cwd: string): Run[] {
  const cache = fs.mkdtempSync(path.join(tmp, 'cache-'));
  return [granule(args, cwd, cache), granule(args, cwd, cache)];
}

const expectTwice = (runs: Run[], stdout: string) => {
  for (const r of runs) expect(r).toEqual({ status: 1, stdout, stderr: '' });
};

describe('the same findings and exit code on every run, cold or with a compile cache', () => {
  it('a plain directory', () => {
    const dir = tree('plain', { 'a.c': LEAK, 'src/clean.c': CLEAN });
    expectTwice(coldThenWarm(['--format', 'compact', '.'], dir), finding('a.c'));
  });

  it('a plain directory with a .gitignore (listed by globby, loaded with import())', () => {
    const dir = tree('ignoring', { '.gitignore': 'node_modules/\nbuild/\n', 'a.c': LEAK, 'build/generated.c': LEAK });
    expectTwice(coldThenWarm(['--format', 'compact', '.'], dir), finding('a.c'));
  });

  it('a single file', () => {
    const dir = tree('single', { 'a.c': LEAK, 'b.c': LEAK });
    expectTwice(coldThenWarm(['--format', 'compact', 'a.c'], dir), finding('a.c'));
  });

  describe.skipIf(unavailable('git'))('with git', () => {
    it('a git work tree (its .gitignore applied by globby; git itself is never run)', () => {
      const dir = tree('git', { '.gitignore': 'build/\n', 'a.c': LEAK, 'build/generated.c': LEAK, 'src/clean.c': CLEAN });
      const init = spawnSync('git', ['init', '-q', dir], { encoding: 'utf8' });
      expect(init.status, init.stderr).toBe(0);
      expectTwice(coldThenWarm(['--format', 'compact', '.'], dir), finding('a.c'));
    });
  });

  it('and the cache is used where Node has one, in the directory granule was given', () => {
    const dir = tree('cached', { 'a.c': LEAK });
    const cache = path.join(tmp, 'cache-made-by-granule');
    expect(granule(['--format', 'compact', 'a.c'], dir, cache)).toEqual({ status: 1, stdout: finding('a.c'), stderr: '' });
    const hasCompileCache = typeof (Module as { enableCompileCache?: unknown }).enableCompileCache === 'function';
    if (hasCompileCache) {
      // (Node keeps its files in a subdirectory per version)
      expect(fs.readdirSync(cache, { recursive: true }).length).toBeGreaterThan(0);
      expect(fs.statSync(cache).mode & 0o077).toBe(0);
    } else {
      // Node 20 has no compile cache: nothing is made
      expect(fs.existsSync(cache)).toBe(false);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------

const BUNDLE = path.join(ROOT, 'dist', 'bundle');

/** Every `import(…)` in the shipped bundle, as `file: argument` (chunk hashes replaced, so the key is stable). */
function dynamicImports(): string[] {
  const found = new Set<string>();
  for (const name of fs.readdirSync(BUNDLE)) {
    if (!/\.(c?js)$/.test(name)) continue;
    const text = fs.readFileSync(path.join(BUNDLE, name), 'utf8');
    // (not `x.import(…)`, a method of that name; the argument up to its closing parenthesis)
    for (const m of text.matchAll(/(?<![\w$.])import\s*\(([^)]*)\)/g)) found.add(`${unhashed(name)}: ${unhashed(m[1]!.trim())}`);
  }
  return [...found].sort();
}
const unhashed = (s: string) => s.replace(/-[A-Z0-9]{8}(\.c?js)/g, '-HASH$1');

/**
 * How to make the built command line run each dynamic import. A new `import()` in the bundle fails the first
 * test below until it is added here with a run that needs it.
 */
const TRIGGERS: Record<string, { specifier: string; run: (cache: string) => void }> = {
  'main.cjs: "globby"': {
    specifier: 'globby',
    // outside git, a .gitignore in the tree hands the listing to globby
    run: (cache) => {
      const dir = tree('globby', { '.gitignore': 'build/\n', 'a.c': LEAK, 'build/generated.c': LEAK });
      const r = granule(['--format', 'compact', '.'], dir, cache, IMPORT_LOG_ARGS, { GRANULE_TEST_IMPORT_LOG: importLog });
      expect(r).toEqual({ status: 1, stdout: finding('a.c'), stderr: '' });
    },
  },
};

// Node's module hooks record what the bundle actually imports, so a trigger that no longer reaches its import()
// fails instead of passing without it.
let importLog: string;
let IMPORT_LOG_ARGS: string[];
const imported = () => (fs.existsSync(importLog) ? fs.readFileSync(importLog, 'utf8').split('\n').filter(Boolean) : []);

describe('every dynamic import() of the shipped bundle', () => {
  beforeAll(() => {
    const hooks = path.join(tmp, 'hooks.mjs');
    fs.writeFileSync(
      hooks,
      [
        "import { appendFileSync } from 'node:fs';",
        'export async function resolve(specifier, context, next) {',
        "  if (context.parentURL && /[\\\\/]dist[\\\\/]bundle[\\\\/]/.test(context.parentURL)) appendFileSync(process.env.GRANULE_TEST_IMPORT_LOG, `${context.parentURL.replace(/^.*[\\\\/]/, '')}\\t${specifier}\\n`);",
        '  return next(specifier, context);',
        '}',
        '',
      ].join('\n'),
    );
    const register = path.join(tmp, 'register.mjs');
    fs.writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
    IMPORT_LOG_ARGS = ['--import', pathToFileURL(register).href];
    importLog = path.join(tmp, 'imports.log');
  });

  it('is one this test knows how to run', () => {
    expect(dynamicImports()).toEqual(Object.keys(TRIGGERS).sort());
  });

  for (const [key, trigger] of Object.entries(TRIGGERS)) {
    it(`${key}: runs through the built command line, cold and with a compile cache`, () => {
      const cache = fs.mkdtempSync(path.join(tmp, 'cache-'));
      for (let i = 0; i < 2; i++) {
        fs.rmSync(importLog, { force: true });
        trigger.run(cache);
        expect(imported()).toContain(`${key.slice(0, key.indexOf(':'))}\t${trigger.specifier}`);
      }
    });
  }
});
