// Loads the bundled command line (dist/bundle/main.cjs) with the code V8 compiled for it on an earlier run.
//
// Node compiles a program's JavaScript again on every start. For a run on one file (the pre-commit case)
// that was about a sixth of the time: the bundle's top level, then every function the run calls, compiled
// lazily as it goes. Node 22 can keep compiled code on disk (`module.enableCompileCache()`); granule also
// runs on Node 20, so it does the same for its one bundle: the bundle is compiled through `vm.Script` with the
// cached data of an earlier run, and after the run, when there was none or V8 rejected it (another Node, a
// rebuilt bundle), the code V8 compiled, the lazily compiled functions included, is written for the next run.
// (The npm package v8-compile-cache does this for every CommonJS module, but its scripts cannot `import()`,
// which the bundle needs for ES-only packages.)
//
// The cache is only ever an optimisation: anything that goes wrong with it (no directory, a read-only disk,
// a truncated file) leaves the run to compile as Node would. Code read from it runs as the user, so it is
// read only from a directory the user owns and nobody else can write to.

import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

export interface CompiledModule<T> {
  exports: T;
  /** Writes the compiled code for the next run, when this run had none or V8 rejected it; never throws. */
  saveCache(): void;
}

/**
 * Where the cache is kept: `GRANULE_COMPILE_CACHE` when set (`0` turns the cache off), else a directory of
 * the user's own under the system's temporary directory, as Node's own compile cache does.
 */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const setting = env.GRANULE_COMPILE_CACHE;
  if (setting === '0') return undefined;
  if (setting) return path.resolve(setting);
  return path.join(os.tmpdir(), `granule-compile-cache-${process.getuid?.() ?? 'user'}`);
}

/** Runs a CommonJS file as `require` would, compiled with the cached code from `cacheDir` when there is any. */
export function loadCompiled<T>(file: string, cacheDir = compileCacheDir()): CompiledModule<T> {
  const bytes = fs.readFileSync(file);
  // (an ASCII file reads the same as Latin-1, which is a plain copy: decoding UTF-8 took twice as long)
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const cacheFile = cacheDir && cacheFileFor(file, cacheDir);
  const cachedData = cacheFile ? readCache(cacheFile, cacheDir) : undefined;
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
    // `import()` inside the bundle resolves as it would in a module Node loaded itself
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} as T };
  const run = script.runInThisContext() as (exports: T, require: NodeJS.Require, module: { exports: T }, filename: string, dirname: string) => void;
  run(module.exports, createRequire(file), module, file, path.dirname(file));
  const worthWriting = !cachedData || script.cachedDataRejected === true;
  return {
    exports: module.exports,
    saveCache: () => {
      if (cacheFile && worthWriting) writeCache(cacheFile, cacheDir, script);
    },
  };
}

/**
 * One file per bundle, Node and build: V8 checks its own version and the source's length when it reads the
 * data, but not the source itself, so a rebuilt bundle (new size, time or inode) must not find the old file.
 */
function cacheFileFor(file: string, dir: string): string | undefined {
  try {
    const s = fs.statSync(file);
    const key = [process.version, process.arch, file, s.size, s.mtimeMs, s.ino].join('\0');
    return path.join(dir, `${fnv1a(key)}.bin`);
  } catch {
    return undefined;
  }
}

function readCache(cacheFile: string, dir: string): Buffer | undefined {
  try {
    if (!ownedPrivateDir(dir)) return undefined;
    // an old file is left unread, so this run writes it anew (and prunes the old files of other builds)
    if (Date.now() - fs.statSync(cacheFile).mtimeMs > STALE_MS) return undefined;
    return fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

function writeCache(cacheFile: string, dir: string, script: vm.Script): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ownedPrivateDir(dir)) return;
    // written whole under another name, then renamed: a run reading at the same time sees the old file or the new
    const partial = `${cacheFile}.${process.pid}`;
    fs.writeFileSync(partial, script.createCachedData());
    fs.renameSync(partial, cacheFile);
    pruneStale(dir, cacheFile);
  } catch {
    // no cache this time
  }
}

/** A cache file is rewritten on its first run after this long, and others this old are removed then. */
const STALE_MS = 30 * 24 * 3600 * 1000;

/**
 * Each build and each installed copy has a file of its own: the files of builds and copies gone would pile up.
 * A file a run still uses is rewritten when it is found this old (see readCache), so removing old ones only
 * costs another copy one compile.
 */
function pruneStale(dir: string, keep: string): void {
  const now = Date.now();
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (file === keep || !/^[0-9a-f]{8}\.bin(\.\d+)?$/.test(name)) continue;
    try {
      if (now - fs.statSync(file).mtimeMs > STALE_MS) fs.rmSync(file, { force: true });
    } catch {
      // removed by another run meanwhile
    }
  }
}

/** The directory is the user's own and no one else can write to it (where the platform has owners). */
function ownedPrivateDir(dir: string): boolean {
  const s = fs.statSync(dir);
  if (!s.isDirectory()) return false;
  if (process.platform === 'win32' || !process.getuid) return true;
  return s.uid === process.getuid() && (s.mode & 0o022) === 0;
}

/** 32-bit FNV-1a of a string, in hex: a short, stable file name (not a security measure). */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
