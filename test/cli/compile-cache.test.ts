// Where bin/granule.js lets Node keep compiled code (src/cli/compile-cache.ts): only in a directory of granule's
// own that no one else can write to, never when turned off, and never at the cost of a run. Node's side of it
// (module.enableCompileCache, Node 22.1 and later) is stood in for by a recorder, so the rules are checked on
// every Node; test/cli/start-up.test.ts runs the real thing through the built command line.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CompileCacheApi, compileCacheDir, enableCompileCache } from '../../src/cli/compile-cache.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-compile-cache-test-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A stand-in for Node's module.enableCompileCache that records the directories it is given. */
function recorder(): CompileCacheApi & { calls: (string | undefined)[] } {
  const calls: (string | undefined)[] = [];
  return { calls, enableCompileCache: (d) => (calls.push(d), { status: 1, directory: d }) };
}

describe('compileCacheDir', () => {
  it("is a directory of the user's own under the temporary directory unless GRANULE_COMPILE_CACHE says otherwise", () => {
    expect(compileCacheDir({})).toBe(path.join(os.tmpdir(), `granule-compile-cache-${process.getuid?.() ?? 'user'}`));
    expect(compileCacheDir({ GRANULE_COMPILE_CACHE: 'rel/cache' })).toBe(path.resolve('rel/cache'));
    expect(compileCacheDir({ GRANULE_COMPILE_CACHE: '0' })).toBeUndefined();
  });
});

describe('enableCompileCache', () => {
  it('hands Node a private directory it creates, and returns the one Node uses', () => {
    const cache = path.join(dir, 'a', 'cache');
    const node = recorder();
    expect(enableCompileCache({ GRANULE_COMPILE_CACHE: cache }, node)).toBe(cache);
    expect(node.calls).toEqual([cache]);
    expect(fs.statSync(cache).isDirectory()).toBe(true);
    if (process.platform !== 'win32') expect(fs.statSync(cache).mode & 0o077).toBe(0);
  });

  it('does nothing, and creates nothing, on a Node without a compile cache (Node 20)', () => {
    const cache = path.join(dir, 'cache');
    expect(enableCompileCache({ GRANULE_COMPILE_CACHE: cache }, {})).toBeUndefined();
    expect(fs.existsSync(cache)).toBe(false);
  });

  it('is off with GRANULE_COMPILE_CACHE=0, and with NODE_DISABLE_COMPILE_CACHE', () => {
    const node = recorder();
    expect(enableCompileCache({ GRANULE_COMPILE_CACHE: '0' }, node)).toBeUndefined();
    expect(enableCompileCache({ GRANULE_COMPILE_CACHE: path.join(dir, 'c'), NODE_DISABLE_COMPILE_CACHE: '1' }, node)).toBeUndefined();
    expect(node.calls).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'c'))).toBe(false);
  });

  it("leaves the user's own NODE_COMPILE_CACHE to Node, and makes no directory of its own", () => {
    const node = recorder();
    const own = path.join(dir, 'granule');
    enableCompileCache({ GRANULE_COMPILE_CACHE: own, NODE_COMPILE_CACHE: path.join(dir, 'users') }, node);
    expect(node.calls).toEqual([undefined]);
    expect(fs.existsSync(own)).toBe(false);
  });

  it.skipIf(process.platform === 'win32' || process.getuid?.() === undefined)('never uses a directory others can write to', () => {
    const shared = path.join(dir, 'shared');
    fs.mkdirSync(shared);
    fs.chmodSync(shared, 0o777);
    const node = recorder();
    expect(enableCompileCache({ GRANULE_COMPILE_CACHE: shared }, node)).toBeUndefined();
    expect(node.calls).toEqual([]);
  });

  it('leaves the run without a cache where none can be made, or when Node fails', () => {
    const file = path.join(dir, 'file');
    fs.writeFileSync(file, 'x');
    const node = recorder();
    expect(enableCompileCache({ GRANULE_COMPILE_CACHE: path.join(file, 'cache') }, node)).toBeUndefined();
    expect(enableCompileCache({ GRANULE_COMPILE_CACHE: file }, node)).toBeUndefined();
    expect(node.calls).toEqual([]);
    const failing: CompileCacheApi = {
      enableCompileCache: () => {
        throw new Error('EACCES');
      },
    };
    expect(enableCompileCache({ GRANULE_COMPILE_CACHE: path.join(dir, 'ok') }, failing)).toBeUndefined();
    // FAILED and DISABLED come back without a directory
    const refusing: CompileCacheApi = { enableCompileCache: () => ({ status: 2, message: 'Disabled by NODE_DISABLE_COMPILE_CACHE' }) };
    expect(enableCompileCache({ GRANULE_COMPILE_CACHE: path.join(dir, 'ok') }, refusing)).toBeUndefined();
  });
});
