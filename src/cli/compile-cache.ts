// Turns on Node's module compile cache for the command line, where Node has one (22.1 and later).
//
// Node compiles a program's JavaScript again on every start; for a run on one file (the pre-commit case) that is
// a large part of the time. `module.enableCompileCache()` keeps the compiled code on disk and checks it against
// the source itself, for every module loaded afterwards, `import()` included. On Node 20 there is no such API
// and bin/granule.js simply `require`s the bundle (see BENCHMARKS.md for what that costs).
//
// Code read from the cache runs as the user, so it is only ever a directory of granule's own that the user owns
// and nobody else can write to, never Node's shared default under the temporary directory. Anything that goes
// wrong leaves the run to compile as Node would: the cache is an optimisation, never a reason to fail.

import * as fs from 'node:fs';
import * as nodeModule from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

/** The part of `node:module` this uses (absent before Node 22.1). */
export interface CompileCacheApi {
  enableCompileCache?: (dir?: string) => { status: number; directory?: string; message?: string };
}

/**
 * Where the cache is kept: `GRANULE_COMPILE_CACHE` when set (`0` turns the cache off), else a directory of the
 * user's own under the system's temporary directory.
 */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const setting = env.GRANULE_COMPILE_CACHE;
  if (setting === '0') return undefined;
  if (setting) return path.resolve(setting);
  return path.join(os.tmpdir(), `granule-compile-cache-${process.getuid?.() ?? 'user'}`);
}

/**
 * Enables Node's compile cache in `compileCacheDir(env)`, when Node has one and the directory is safe to use.
 * Returns the directory in use, or undefined when there is none; never throws.
 */
export function enableCompileCache(env: NodeJS.ProcessEnv = process.env, api: CompileCacheApi = nodeModule as CompileCacheApi): string | undefined {
  if (typeof api.enableCompileCache !== 'function') return undefined;
  const dir = compileCacheDir(env);
  if (!dir || env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  try {
    // the user's own NODE_COMPILE_CACHE wins: Node has enabled it already, and says where
    if (env.NODE_COMPILE_CACHE) return api.enableCompileCache().directory;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ownedPrivateDir(dir)) return undefined;
    return api.enableCompileCache(dir).directory;
  } catch {
    return undefined;
  }
}

/** The directory is the user's own and no one else can write to it (where the platform has owners). */
export function ownedPrivateDir(dir: string): boolean {
  const s = fs.statSync(dir);
  if (!s.isDirectory()) return false;
  if (process.platform === 'win32' || !process.getuid) return true;
  return s.uid === process.getuid() && (s.mode & 0o022) === 0;
}
