// Shared by the runtime shim tests: build C fixtures, run them, read markers.

import { execFile, spawn, type ExecFileOptions } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REQUIREMENTS } from '../helpers/requirements.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const shimRoot = path.join(repoRoot, 'shim');
export const fixtureDir = path.join(repoRoot, 'test', 'shim', 'c');
export const fixture = (name: string) => path.join(fixtureDir, name);

/** Lines of the `@L:name` markers in a fixture. */
export function markers(file: string): Record<string, number> {
  const out: Record<string, number> = {};
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      for (const m of text.matchAll(/@L:(\w+)/g)) out[m[1]!] = i + 1;
    });
  return out;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `granule-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], opts: ExecFileOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { maxBuffer: 512 * 1024 * 1024, encoding: 'utf8', ...opts }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 127) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

export async function runOk(cmd: string, args: string[], opts: ExecFileOptions = {}): Promise<RunResult> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}\n${r.stderr}${r.stdout}`);
  return r;
}

/**
 * Runs a program with its output going to files, and returns when it exits.
 * Wine's services inherit the output handles and outlive the program, so a
 * pipe would stay open (and execFile wait) for as long as they run.
 */
export function runToFiles(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<RunResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'granule-out-'));
  const outFile = path.join(dir, 'stdout');
  const errFile = path.join(dir, 'stderr');
  const out = openSync(outFile, 'w');
  const err = openSync(errFile, 'w');
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', out, err] });
    closeSync(out);
    closeSync(err);
    const timer = opts.timeout ? setTimeout(() => child.kill('SIGKILL'), opts.timeout) : undefined;
    const finish = (code: number) => {
      if (timer) clearTimeout(timer);
      const result = { code, stdout: readFileSync(outFile, 'utf8'), stderr: readFileSync(errFile, 'utf8') };
      rmSync(dir, { recursive: true, force: true });
      resolve(result);
    };
    child.on('error', () => finish(127));
    child.on('exit', (code, signal) => finish(code ?? (signal ? 128 : 1)));
  });
}

export const LINUX_FLAGS = ['-std=c99', '-O2', '-g', '-Wall', '-Wextra', '-Werror'];

/** gcc with the Linux emulation; with the shim unless `shim` is false. */
export async function buildLinux(out: string, sources: string[], opts: { shim?: boolean; cwd?: string; extra?: string[] } = {}): Promise<void> {
  const shim = opts.shim ?? true;
  const args = [
    ...LINUX_FLAGS,
    ...(shim ? [`-I${path.join(shimRoot, 'include')}`] : []),
    `-I${path.join(shimRoot, 'linux')}`,
    '-pthread',
    ...(opts.extra ?? []),
    '-o',
    out,
    ...sources,
    ...(shim ? [path.join(shimRoot, 'granule_shim.c')] : []),
    path.join(shimRoot, 'linux', 'win32_emul.c'),
  ];
  await runOk('gcc', args, { cwd: opts.cwd });
}

export const MINGW = 'x86_64-w64-mingw32-gcc';
export const MINGW32 = 'i686-w64-mingw32-gcc';

/** Which Windows a build is for: 64-bit (x86_64 mingw) or 32-bit (i686 mingw). */
export type WinArch = 'win64' | 'win32';

export const mingwFor = (arch: WinArch) => (arch === 'win64' ? MINGW : MINGW32);

// RtlCaptureStackBackTrace follows the frame-pointer chain on 32-bit x86, which -O2 leaves out
const archFlags = (arch: WinArch) => (arch === 'win64' ? [] : ['-fno-omit-frame-pointer']);

/** mingw-w64 build; with the shim header unless `shim` is false. */
export async function buildMingw(out: string, sources: string[], opts: { shim?: boolean; cwd?: string; extra?: string[]; arch?: WinArch } = {}): Promise<void> {
  const shim = opts.shim ?? true;
  const arch = opts.arch ?? 'win64';
  const args = [
    '-O2',
    '-g',
    '-Wall',
    ...archFlags(arch),
    ...(shim ? [`-I${path.join(shimRoot, 'include')}`] : []),
    ...(opts.extra ?? []),
    '-o',
    out,
    ...sources,
    ...(shim ? [path.join(shimRoot, 'granule_shim.c')] : []),
  ];
  await runOk(mingwFor(arch), args, { cwd: opts.cwd });
}

/** Builds granule_iathook.dll and granule-run.exe into dir. */
export async function buildIatHook(dir: string, arch: WinArch = 'win64'): Promise<{ dll: string; launcher: string }> {
  const dll = path.join(dir, 'granule_iathook.dll');
  const launcher = path.join(dir, 'granule-run.exe');
  const cc = mingwFor(arch);
  await Promise.all([
    runOk(cc, [
      '-O2',
      '-Wall',
      '-Wextra',
      ...archFlags(arch),
      '-shared',
      '-static-libgcc',
      '-o',
      dll,
      path.join(shimRoot, 'win', 'iathook.c'),
      `-Wl,--out-implib,${path.join(dir, 'libgranule_iathook.a')}`,
    ]),
    runOk(cc, ['-O2', '-Wall', '-Wextra', '-municode', '-static-libgcc', '-o', launcher, path.join(shimRoot, 'win', 'granule-run.c')]),
  ]);
  return { dll, launcher };
}

/** A wine prefix shared by the test runs of this user, and a wineserver kept alive meanwhile. */
export interface Wine {
  env: NodeJS.ProcessEnv;
  run(args: string[], opts?: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<RunResult>;
  stop(): Promise<void>;
}

/**
 * `win64` (the default) shares the prefix granule-wine-<uid>; `win32` has its own, granule-wine32-<uid>:
 * a 32-bit prefix, where a 32-bit program has the 2 GB user address space it has on 32-bit Windows.
 */
export async function startWine(arch: WinArch = 'win64'): Promise<Wine> {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const prefix = path.join(os.tmpdir(), arch === 'win64' ? `granule-wine-${uid}` : `granule-wine32-${uid}`);
  mkdirSync(prefix, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WINEPREFIX: prefix,
    WINEDEBUG: '-all',
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
    WINEARCH: arch,
  };
  delete env.DISPLAY;
  // A 64-bit prefix made before 32-bit wine was installed has no syswow64; once wine32 is there, `wine` starts
  // its 32-bit loader first, which then cannot load kernel32.dll for any program (status c0000135): make the
  // prefix again
  if (
    arch === 'win64' &&
    REQUIREMENTS.wine32.available() &&
    existsSync(path.join(prefix, 'system.reg')) &&
    !existsSync(path.join(prefix, 'drive_c', 'windows', 'syswow64'))
  ) {
    await runToFiles('wineserver', ['-k'], { env });
    rmSync(prefix, { recursive: true, force: true });
    mkdirSync(prefix, { recursive: true });
  }
  // a persistent server first (exits 2 when one already runs: fine), then the prefix
  await runToFiles('wineserver', ['-p60'], { env }); // -pN, one word: '-p 60' would mean forever
  if (!existsSync(path.join(prefix, 'system.reg'))) {
    const boot = await runToFiles('wineboot', ['-i'], { env, timeout: 300_000 });
    if (boot.code !== 0) throw new Error(`wineboot -i failed (${boot.code}): ${boot.stderr}`);
  }
  return {
    env,
    run: (args, opts = {}) => runToFiles('wine', args, { cwd: opts.cwd, env: { ...env, ...opts.env }, timeout: 240_000 }),
    // the server exits by itself 60 s after its last program; killing it here
    // would break another test run sharing the prefix
    stop: async () => {},
  };
}

/** A Linux path as wine sees it (the Z: drive maps /). */
export const winePath = (p: string) => `Z:${p.replace(/\//g, '\\')}`;

/** Standard output and error for the commands that take an `io` (runVmmapCommand, runMergeCommand, …), kept as text. */
export function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
