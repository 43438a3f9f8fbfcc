// What a test needs beyond Node, and what happens when it is missing.
//
// `npm test` passes on a machine that has only Node: a suite that needs a system tool, a compiler, wine, a
// browser, pre-commit, the npm registry or a downloaded corpus is skipped there, with one visible line that
// names what is missing and how to get it. CI must not be able to skip anything: `.ci/run` installs every tool
// and sets GRANULE_TEST_REQUIRE_ALL=1, under which a missing requirement fails the suite instead.
//
//   describe.skipIf(unavailable('wine', 'mingw-x64'))('the DLL under wine', () => { ... });

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Requirement {
  /** What the line says is missing. */
  what: string;
  /** How to get it. */
  install: string;
  available(): boolean;
}

function onPath(...commands: string[]): () => boolean {
  return () => commands.every((command) => findOnPath(command) !== undefined);
}

/** The first executable named `command` on PATH (no shell: a name is never interpreted). */
export function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const apt = (...packages: string[]) => `apt-get install -y --no-install-recommends ${packages.join(' ')}`;

export const REQUIREMENTS = {
  git: { what: 'git', install: apt('git'), available: onPath('git') },
  gcc: { what: 'gcc', install: apt('gcc', 'libc6-dev'), available: onPath('gcc') },
  'mingw-x64': { what: 'x86_64-w64-mingw32-gcc', install: apt('gcc-mingw-w64-x86-64-win32'), available: onPath('x86_64-w64-mingw32-gcc') },
  'mingw-x86': { what: 'i686-w64-mingw32-gcc', install: apt('gcc-mingw-w64-i686-win32'), available: onPath('i686-w64-mingw32-gcc') },
  wine: { what: 'wine, wineserver', install: apt('wine', 'wine64'), available: onPath('wine', 'wineserver') },
  chromium: { what: 'chromium', install: apt('chromium'), available: onPath('chromium') },
  'pre-commit': { what: 'pre-commit', install: apt('pre-commit'), available: onPath('pre-commit') },
  mkfifo: { what: 'mkfifo', install: apt('coreutils'), available: onPath('mkfifo') },
  procfs: { what: '/proc (a process\'s peak memory is read from /proc/PID/status)', install: 'run on Linux', available: () => fs.existsSync('/proc/self/status') },
  'npm-registry': {
    what: 'the npm registry (GRANULE_TEST_OFFLINE=1 is set)',
    install: 'unset GRANULE_TEST_OFFLINE',
    available: () => process.env.GRANULE_TEST_OFFLINE !== '1',
  },
} satisfies Record<string, Requirement>;

export type RequirementId = keyof typeof REQUIREMENTS;

/** The requirements among `ids` that this machine lacks. */
export function missingRequirements(ids: RequirementId[]): RequirementId[] {
  return ids.filter((id) => !REQUIREMENTS[id].available());
}

/** One line: what is missing and how to get it. */
export function describeMissing(ids: RequirementId[]): string {
  return ids.map((id) => `${REQUIREMENTS[id].what} (${REQUIREMENTS[id].install})`).join('; ');
}

/**
 * True when a requirement is missing: the caller skips its suite, and one line on stderr says what is missing
 * and how to get it. Under GRANULE_TEST_REQUIRE_ALL=1 (CI) a missing requirement throws instead, so nothing
 * is skipped there.
 */
export function unavailable(...ids: RequirementId[]): boolean {
  const missing = missingRequirements(ids);
  if (missing.length === 0) return false;
  const line = `missing ${describeMissing(missing)}`;
  if (process.env.GRANULE_TEST_REQUIRE_ALL === '1') throw new Error(`GRANULE_TEST_REQUIRE_ALL=1 and ${line}`);
  process.stderr.write(`skipped (${testFileName()}): ${line}\n`);
  return true;
}

function testFileName(): string {
  const state = (globalThis as { __vitest_worker__?: { filepath?: string } }).__vitest_worker__;
  return state?.filepath ? path.relative(process.cwd(), state.filepath) : 'a test file';
}

/** Whether `command --version` runs (a tool can be on PATH and still broken). */
export function runs(command: string, args = ['--version']): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}
