// Maps the return addresses of runtime records ("prog.exe+0x1a2b") to
// file:line with addr2line and the program's debug information (-g).
// IAT-hook records get their source location this way, and every record's
// callers, which is how a finding at a wrapper's caller is confirmed.

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Notice } from '../engine/types.js';
import type { ShimRecord, StackFrame } from './report.js';

export interface SymbolizeOptions {
  /** The program (or DLL / shared library) the records' return addresses are in. */
  binary: string;
  /** addr2line to use; by default one that reads the binary's format is looked for on PATH. */
  addr2line?: string;
}

export interface SymbolizeResult {
  notices: Notice[];
  /** Frames given a source location. */
  symbolised: number;
}

export interface ImageInfo {
  format: 'pe32' | 'pe32+' | 'elf32' | 'elf64';
  /** Link-time address that module offsets are relative to. */
  base: bigint;
}

/** Reads the format and link-time base address of a PE or ELF file. */
export function imageInfo(bytes: Uint8Array): ImageInfo | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const has = (n: number) => bytes.length >= n;
  if (has(0x40) && bytes[0] === 0x4d && bytes[1] === 0x5a) {
    const pe = view.getUint32(0x3c, true);
    if (!has(pe + 24 + 32) || view.getUint32(pe, true) !== 0x00004550) return undefined;
    const opt = pe + 24;
    const magic = view.getUint16(opt, true);
    if (magic === 0x20b) return { format: 'pe32+', base: view.getBigUint64(opt + 24, true) };
    if (magic === 0x10b) return { format: 'pe32', base: BigInt(view.getUint32(opt + 28, true)) };
    return undefined;
  }
  if (has(0x34) && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) {
    const is64 = bytes[4] === 2;
    const le = bytes[5] === 1;
    const phoff = is64 ? Number(view.getBigUint64(0x20, le)) : view.getUint32(0x1c, le);
    const phentsize = view.getUint16(is64 ? 0x36 : 0x2a, le);
    const phnum = view.getUint16(is64 ? 0x38 : 0x2c, le);
    for (let i = 0; i < phnum; i++) {
      const ph = phoff + i * phentsize;
      if (!has(ph + (is64 ? 56 : 32))) break;
      if (view.getUint32(ph, le) !== 1 /* PT_LOAD */) continue;
      const offset = is64 ? view.getBigUint64(ph + 8, le) : BigInt(view.getUint32(ph + 4, le));
      const vaddr = is64 ? view.getBigUint64(ph + 16, le) : BigInt(view.getUint32(ph + 8, le));
      const base = (vaddr - offset) & ~0xfffn;
      return { format: is64 ? 'elf64' : 'elf32', base };
    }
    return { format: is64 ? 'elf64' : 'elf32', base: 0n };
  }
  return undefined;
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 256 * 1024 * 1024 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

async function findAddr2line(info: ImageInfo, given?: string): Promise<string | undefined> {
  const candidates = given
    ? [given]
    : info.format === 'pe32+'
      ? ['x86_64-w64-mingw32-addr2line', 'llvm-addr2line', 'addr2line']
      : info.format === 'pe32'
        ? ['i686-w64-mingw32-addr2line', 'llvm-addr2line', 'addr2line']
        : ['addr2line', 'llvm-addr2line'];
  for (const c of candidates) {
    try {
      await run(c, ['--version']);
      return c;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

/** Parses `addr2line -a -f -i` output: for each address, its (innermost first) function/location pairs. */
export function parseAddr2line(output: string): Map<bigint, { func: string; file: string; line: number }[]> {
  const out = new Map<bigint, { func: string; file: string; line: number }[]>();
  const lines = output.split('\n');
  let current: { func: string; file: string; line: number }[] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (/^0x[0-9a-fA-F]+$/.test(l)) {
      current = [];
      out.set(BigInt(l), current);
      continue;
    }
    if (!current || !l) continue;
    const loc = (lines[i + 1] ?? '').trim();
    i++;
    const m = /^(.*):(\d+|\?)(?:\s+\(discriminator \d+\))?$/.exec(loc);
    if (!m || m[1] === '??' || m[2] === '?' || m[2] === '0') {
      current.push({ func: l === '??' ? '' : l, file: '', line: 0 });
      continue;
    }
    current.push({ func: l === '??' ? '' : l, file: m[1]!, line: Number(m[2]) });
  }
  return out;
}

/**
 * Gives the records' return addresses that lie in `binary` a source location.
 * `frames` is rebuilt: an address inside inlined code becomes one frame per
 * inlined function, innermost first. A record with no source location (IAT
 * hook) takes its first frame's.
 */
export async function symbolizeRecords(records: ShimRecord[], opts: SymbolizeOptions): Promise<SymbolizeResult> {
  const notices: Notice[] = [];
  const binary = path.resolve(opts.binary);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(binary);
  } catch (e) {
    notices.push({ level: 'error', file: binary, code: 'unreadable', message: `cannot read ${opts.binary}: ${(e as Error).message}` });
    return { notices, symbolised: 0 };
  }
  const info = imageInfo(bytes);
  if (!info) {
    notices.push({ level: 'error', file: binary, code: 'binary', message: `${opts.binary} is neither a PE nor an ELF file` });
    return { notices, symbolised: 0 };
  }
  const isPe = info.format.startsWith('pe');
  const name = path.basename(binary);
  const same = (module: string) => (isPe ? module.toLowerCase() === name.toLowerCase() : module === name);

  const vaddrOf = (f: StackFrame): bigint | undefined =>
    f.offset !== undefined && same(f.module) ? info.base + f.offset - 1n : undefined; // a return address: the call is the byte before
  const wanted = new Set<bigint>();
  for (const r of records)
    for (const f of r.frames) {
      const v = vaddrOf(f);
      if (v !== undefined) wanted.add(v);
    }
  if (wanted.size === 0) {
    notices.push({ level: 'warning', file: binary, code: 'runtime-report', message: `no recorded return address lies in ${name}` });
    return { notices, symbolised: 0 };
  }
  const tool = await findAddr2line(info, opts.addr2line);
  if (!tool) {
    notices.push({
      level: 'error',
      code: 'addr2line',
      message: `no addr2line for ${info.format} found on PATH (install binutils${isPe ? '-mingw-w64-x86-64' : ''} or llvm)`,
    });
    return { notices, symbolised: 0 };
  }
  const chains = new Map<bigint, { func: string; file: string; line: number }[]>();
  const addresses = [...wanted];
  for (let i = 0; i < addresses.length; i += 400) {
    const chunk = addresses.slice(i, i + 400);
    let output: string;
    try {
      output = await run(tool, ['-a', '-f', '-i', '-C', '-e', binary, ...chunk.map((a) => `0x${a.toString(16)}`)]);
    } catch (e) {
      notices.push({ level: 'error', code: 'addr2line', message: `${tool} failed: ${(e as Error).message.split('\n')[0]}` });
      break;
    }
    for (const [address, locations] of parseAddr2line(output)) if (locations.some((l) => l.file && l.line)) chains.set(address, locations);
  }
  // a return address inside inlined code stands for several source frames: innermost first
  let symbolised = 0;
  for (const r of records) {
    const frames: StackFrame[] = [];
    for (const f of r.frames) {
      const v = vaddrOf(f);
      const chain = v === undefined ? undefined : chains.get(v);
      if (!chain) {
        frames.push(f);
        continue;
      }
      for (const loc of chain) {
        frames.push(loc.file && loc.line ? { ...f, file: loc.file, line: loc.line, func: loc.func } : { ...f, func: loc.func || undefined });
        if (loc.file && loc.line) symbolised++;
      }
    }
    r.frames = frames;
    const f0 = frames[0];
    if ((!r.file || r.line === 0) && f0?.file && f0.line) {
      r.file = f0.file;
      r.line = f0.line;
      if (!r.func) r.func = f0.func ?? '';
    }
  }
  return { notices, symbolised };
}
