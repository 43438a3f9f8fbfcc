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
import * as os from 'node:os';
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
  // Windows finds `git` as git.exe (or .cmd, ...): the extensions PATHEXT lists
  const names =
    process.platform === 'win32'
      ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM')
          .split(';')
          .filter(Boolean)
          .map((ext) => command + ext)
      : [command];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** The clang that the MSVC layout tests compile with: Debian 12's clang-14, or any `clang` on PATH. */
export function msvcClang(): string | undefined {
  return findOnPath('clang-14') ?? findOnPath('clang');
}

const apt = (...packages: string[]) => `apt-get install -y --no-install-recommends ${packages.join(' ')}`;

/** Where `npm run fetch-corpus` (scripts/fetch-corpus.sh) puts the source trees that tests read. */
export function corpusDir(): string {
  if (process.env.GRANULE_CORPUS_DIR) return path.resolve(process.env.GRANULE_CORPUS_DIR);
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'granule-corpus');
}

/** The extracted tree of one corpus (`wine`), complete or not. */
export function corpusPath(name: string): string {
  return path.join(corpusDir(), name);
}

const fetched = (name: string) => () => fs.existsSync(path.join(corpusPath(name), '.complete'));

// The Multitool is a native .NET build: the Linux x64 one is what the tests call (the npm package installs the
// build of the platform it runs on; the tests have only been written against the Linux one's command line).
const MICROSOFT = path.join(import.meta.dirname, '..', '..', 'node_modules', '@microsoft');
const MULTITOOL = path.join(MICROSOFT, 'sarif-multitool-linux', 'Sarif.Multitool');

/** The official SARIF 2.1.0 schema, from whichever platform build of the Multitool npm installed. */
export function sarifSchemaFile(): string | undefined {
  return ['linux', 'darwin', 'win32'].map((p) => path.join(MICROSOFT, `sarif-multitool-${p}`, 'sarif-2.1.0.json')).find((f) => fs.existsSync(f));
}

// The Unix half of 32-bit wine's ntdll: present only where wine can run 32-bit programs (Debian's wine32,
// other distributions' multilib packages, WineHQ's builds)
const WINE32_UNIX_SIDE = [
  '/usr/lib/i386-linux-gnu/wine/i386-unix/ntdll.so',
  '/usr/lib/wine/i386-unix/ntdll.so',
  '/usr/lib32/wine/i386-unix/ntdll.so',
  '/opt/wine-stable/lib/wine/i386-unix/ntdll.so',
];

export const REQUIREMENTS = {
  git: { what: 'git', install: apt('git'), available: onPath('git') },
  bash: { what: 'bash', install: apt('bash'), available: onPath('bash') },
  gcc: { what: 'gcc', install: apt('gcc', 'libc6-dev'), available: onPath('gcc') },
  binutils: { what: 'addr2line', install: apt('binutils'), available: onPath('addr2line') },
  'mingw-x64': { what: 'x86_64-w64-mingw32-gcc', install: apt('gcc-mingw-w64-x86-64-win32'), available: onPath('x86_64-w64-mingw32-gcc') },
  'mingw-x86': { what: 'i686-w64-mingw32-gcc', install: apt('gcc-mingw-w64-i686-win32'), available: onPath('i686-w64-mingw32-gcc') },
  // clang's MSVC targets (x86_64-, i686-, aarch64-pc-windows-msvc) lay records out as MSVC does (clang-cl's layout)
  'clang-msvc': { what: 'clang-14 or clang', install: apt('clang-14'), available: () => msvcClang() !== undefined },
  wine: { what: 'wine, wineserver, wineboot', install: apt('wine', 'wine64'), available: onPath('wine', 'wineserver', 'wineboot') },
  wine32: {
    what: '32-bit wine (wine32)',
    install: `dpkg --add-architecture i386 && apt-get update && ${apt('wine32:i386')}`,
    available: () => WINE32_UNIX_SIDE.some((file) => fs.existsSync(file)),
  },
  chromium: { what: 'chromium', install: apt('chromium'), available: onPath('chromium') },
  'pre-commit': { what: 'pre-commit', install: apt('pre-commit'), available: onPath('pre-commit') },
  root: {
    what: "root (the test checks what a run as root, as in CI containers, keeps of other users' files)",
    install: 'run the tests as root, as .ci/run does',
    available: () => process.getuid?.() === 0,
  },
  // util-linux's `script` (a pseudo-terminal); the BSD one of macOS takes other arguments
  script: { what: "util-linux's script", install: apt('bsdutils'), available: () => process.platform === 'linux' && onPath('script')() },
  'file-modes': {
    what: 'POSIX file modes (chmod 0 makes a file unreadable)',
    install: 'run on Linux or macOS',
    available: () => process.platform !== 'win32',
  },
  // the permission tests run granule as `nobody` when they run as root, who reads every file whatever its mode
  setpriv: {
    what: 'setpriv (the tests run as root)',
    install: apt('util-linux'),
    available: () => process.getuid?.() !== 0 || (process.platform === 'linux' && onPath('setpriv')()),
  },
  'sarif-multitool': {
    what: 'the SARIF Multitool for Linux x64',
    install: 'npm ci on Linux x64 (@microsoft/sarif-multitool-linux); the .NET binary needs ICU: apt-get install libicu72',
    // present is not enough: without ICU the .NET runtime aborts at start
    available: () => process.platform === 'linux' && process.arch === 'x64' && fs.existsSync(MULTITOOL) && runs(MULTITOOL),
  },
  'sarif-schema': {
    what: 'the SARIF 2.1.0 schema of @microsoft/sarif-multitool',
    install: 'npm ci (it comes with the Multitool build for this platform)',
    available: () => sarifSchemaFile() !== undefined,
  },
  'wine-corpus': {
    what: `Debian's wine 8.0 source in ${corpusPath('wine')}`,
    install: 'npm run fetch-corpus',
    available: fetched('wine'),
  },
  mkfifo: { what: 'mkfifo', install: apt('coreutils'), available: onPath('mkfifo') },
  procfs: {
    what: "/proc (a process's peak memory is read from /proc/PID/status)",
    install: 'run on Linux',
    available: () => fs.existsSync('/proc/self/status'),
  },
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
