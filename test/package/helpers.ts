// What the package tests share: temporary folders, npm run the way a user runs it, and granule's packed tarball.

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll } from 'vitest';
import { ROOT } from '../helpers/cli.js';

export { ROOT };

const made: string[] = [];

/** A fresh folder under the system temp directory, removed when the test file is done. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `granule-package-${prefix}-`));
  made.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * The environment of a user's shell: none of the npm_* variables `npm test` sets for its child processes
 * (npm_config_* would change what a nested npm does), no colour.
 */
export function userEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^npm_/i.test(name)) env[name] = value;
  }
  return { ...env, NO_COLOR: '1', NPM_CONFIG_UPDATE_NOTIFIER: 'false', ...extra };
}

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], cwd: string, env: Record<string, string> = userEnv()): Run {
  const r: SpawnSyncReturns<string> = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 900_000 });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Fails with the command's output when it did not exit 0. */
export function must(r: Run, what: string): Run {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

export function runNpm(args: string[], cwd: string, env?: Record<string, string>): Run {
  return run(npm, args, cwd, env);
}

export function runNpx(args: string[], cwd: string, env?: Record<string, string>): Run {
  return run(npx, args, cwd, env);
}

let packed: { tarball: string; files: string[] } | undefined;

/**
 * `npm pack` of the working tree as built (`npm test` builds before any test), once per test file: the tarball's
 * path and the paths it holds. Without "prepare": a build starts by emptying dist/, which other test files are
 * running at the same time.
 */
export function packGranule(): { tarball: string; files: string[] } {
  if (packed) return packed;
  const dir = tempDir('pack');
  const r = must(runNpm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT), 'npm pack');
  // (the build's own output may precede the JSON)
  const json = JSON.parse(r.stdout.slice(r.stdout.indexOf('[\n'))) as { filename: string; files: { path: string }[] }[];
  packed = { tarball: path.join(dir, path.basename(json[0]!.filename)), files: json[0]!.files.map((f) => f.path).sort() };
  return packed;
}

/** A project made as `npm init -y` makes one. */
export function scratchProject(prefix: string): string {
  const dir = tempDir(prefix);
  must(runNpm(['init', '-y'], dir), 'npm init -y');
  return dir;
}

/** Megabytes (10^6 bytes) of the files under `dir`, as `du --apparent-size` counts them. */
export function sizeMB(dir: string): number {
  let bytes = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return bytes / 1e6;
}

/** A C file with one reservation granule reports: line 2, column 30. */
export const LEAK_C = '#include <windows.h>\nvoid f(void) { void *p = VirtualAlloc(NULL, 4096, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE); (void)p; }\n';
