// Build flags and sources of the runtime shim, and the `granule shim` and
// `granule vmmap` commands.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { packagePath } from '../engine/model/package-files.js';
import type { Notice } from '../engine/model/types.js';
import { printable } from '../formats/printable.js';
import { streamReport } from './report.js';
import { Summarizer } from './summary.js';
import { Symbolizer } from './symbolize.js';
import { renderHtml, renderSvg, renderText } from './vmmap.js';

export interface ShimBuildOptions {
  /** Build against the Linux emulation of <windows.h> (shim/linux). */
  emulateLinux?: boolean;
  /** Flags for MSVC (cl.exe /FI) instead of gcc/clang/mingw. */
  msvc?: boolean;
}

export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** The installed package's `shim/` folder (from src/shim/ and dist/shim/ alike). */
export function shimDir(): string {
  return packagePath('shim') + path.sep;
}

/**
 * Compiler flags that put the recording wrappers into a build.
 * gcc/clang/mingw: the shadow <windows.h> first on the include path (it
 * includes the real one, then the macros), plus the Linux emulation when
 * asked. MSVC: force-include granule_shim.h.
 */
export function shimCflags(opts: ShimBuildOptions = {}): string[] {
  const dir = shimDir();
  if (opts.msvc) {
    if (opts.emulateLinux) throw new Error('--emulate-linux and --msvc cannot be combined');
    return [`/I${dir}`, `/FI${path.join(dir, 'granule_shim.h')}`];
  }
  const flags = [`-I${path.join(dir, 'include')}`];
  if (opts.emulateLinux) flags.push(`-I${path.join(dir, 'linux')}`, '-pthread');
  return flags;
}

/** C files to compile and link with the program. */
export function shimSources(opts: ShimBuildOptions = {}): string[] {
  const dir = shimDir();
  const files = [path.join(dir, 'granule_shim.c')];
  if (opts.emulateLinux) files.push(path.join(dir, 'linux', 'win32_emul.c'));
  return files;
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const SHIM_USAGE = `usage: granule shim cflags|sources|dir [--emulate-linux] [--msvc] [--json]

  cflags    compiler flags: the shadow <windows.h> include folder
            (with --emulate-linux also the Linux emulation and -pthread;
            with --msvc /FI granule_shim.h)
  sources   C files to add to the build
  dir       the shim's folder (C sources of the IAT-hook DLL are in win/)

  gcc -g $(granule shim cflags --emulate-linux) -o prog prog.c $(granule shim sources --emulate-linux)
`;

/** `granule shim ...`: argv is what follows "shim". Returns the exit code. */
export function runShimCommand(argv: string[], io: CommandIo): number {
  const opts: ShimBuildOptions = {};
  let json = false;
  let verb: string | undefined;
  for (const a of argv) {
    if (a === '--emulate-linux') opts.emulateLinux = true;
    else if (a === '--msvc') opts.msvc = true;
    else if (a === '--json') json = true;
    else if (a === '-h' || a === '--help') {
      io.stdout.write(SHIM_USAGE);
      return 0;
    } else if (!a.startsWith('-') && verb === undefined) verb = a;
    else {
      io.stderr.write(`granule shim: unexpected argument ${a}\n${SHIM_USAGE}`);
      return 2;
    }
  }
  let words: string[];
  try {
    if (verb === 'cflags') words = shimCflags(opts);
    else if (verb === 'sources') words = shimSources(opts);
    else if (verb === 'dir') words = [shimDir()];
    else {
      io.stderr.write(`granule shim: ${verb ? `unknown command ${verb}` : 'a command is needed'}\n${SHIM_USAGE}`);
      return 2;
    }
  } catch (e) {
    io.stderr.write(`granule shim: ${(e as Error).message}\n`);
    return 2;
  }
  io.stdout.write(json ? `${JSON.stringify(words)}\n` : `${words.map(shellQuote).join(' ')}\n`);
  return 0;
}

const VMMAP_USAGE = `usage: granule vmmap REPORT... [--html OUT] [--svg OUT] [--binary PROG] [--top N]

  REPORT        runtime report (JSON lines from GRANULE_SHIM_REPORT), or a folder of them
  --html OUT    write a page with the address space, totals, linked call sites and the granule map
  --svg OUT     write the address space, VMMap's table and the granule map as an SVG picture
  --binary PROG map return addresses to file:line with addr2line (build with -g)
  --top N       call sites listed (default 10 in text, 25 in HTML)
  Without --html or --svg, a text summary goes to standard output.
`;

function printNotices(notices: Notice[], io: CommandIo): void {
  for (const n of notices) io.stderr.write(`granule: ${n.level}: ${printable(n.message)}\n`);
}

/** `granule vmmap ...`: argv is what follows "vmmap". Resolves to the exit code. */
export async function runVmmapCommand(argv: string[], io: CommandIo): Promise<number> {
  const reports: string[] = [];
  let html: string | undefined;
  let svg: string | undefined;
  let binary: string | undefined;
  let top: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    try {
      if (a === '-h' || a === '--help') {
        io.stdout.write(VMMAP_USAGE);
        return 0;
      } else if (a === '--html') html = value();
      else if (a.startsWith('--html=')) html = a.slice(7);
      else if (a === '--svg') svg = value();
      else if (a.startsWith('--svg=')) svg = a.slice(6);
      else if (a === '--binary') binary = value();
      else if (a.startsWith('--binary=')) binary = a.slice(9);
      else if (a === '--top' || a.startsWith('--top=')) {
        const v = a === '--top' ? value() : a.slice(6);
        top = Number(v);
        if (!Number.isInteger(top) || top < 0) throw new Error(`--top needs a whole number, not ${v}`);
      } else if (a === '--') {
        reports.push(...argv.slice(i + 1));
        break;
      } else if (a.startsWith('-') && a !== '-') throw new Error(`unknown option ${a}`);
      else reports.push(a);
    } catch (e) {
      io.stderr.write(`granule vmmap: ${(e as Error).message}\n${VMMAP_USAGE}`);
      return 2;
    }
  }
  if (reports.length === 0) {
    io.stderr.write(`granule vmmap: a runtime report is needed\n${VMMAP_USAGE}`);
    return 2;
  }
  // streamed (twice with a binary: return addresses first, then the totals), so memory holds the totals only
  let symbolizer: Symbolizer | undefined;
  if (binary) {
    symbolizer = Symbolizer.open({ binary });
    const first = await streamReport(reports, (r) => symbolizer!.collect(r));
    if (first.records > 0) await symbolizer.resolve();
  }
  const summarizer = new Summarizer();
  const read = await streamReport(reports, (r) => {
    symbolizer?.apply(r);
    summarizer.add(r);
  });
  printNotices(read.notices, io);
  if (read.files.length === 0 || (read.records === 0 && read.badLines > 0)) return 2;
  if (symbolizer) printNotices(symbolizer.notices, io);
  const summary = summarizer.result();
  const opts = top === undefined ? {} : { top };
  try {
    if (html) {
      await mkdir(path.dirname(path.resolve(html)), { recursive: true });
      await writeFile(html, renderHtml(summary, { ...opts, links: { pageDir: path.dirname(path.resolve(html)), sourceRoot: process.cwd() } }));
    }
    if (svg) {
      await mkdir(path.dirname(path.resolve(svg)), { recursive: true });
      await writeFile(svg, renderSvg(summary, opts));
    }
  } catch (e) {
    io.stderr.write(`granule vmmap: cannot write: ${(e as Error).message}\n`);
    return 2;
  }
  if (!html && !svg) io.stdout.write(renderText(summary, opts));
  return 0;
}
