// Maps the return addresses of runtime records ("prog.exe+0x1a2b") to
// file:line with addr2line and the program's debug information (-g).
// IAT-hook records get their source location this way, and every record's
// callers, which is how a finding at a wrapper's caller is confirmed.

import { execFile } from 'node:child_process';
import path from 'node:path';
import { READ_LIMITS, readFailure, readRegularFile } from '../engine/files/regular-file.js';
import type { Notice } from '../engine/model/types.js';
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
    execFile(cmd, args, { maxBuffer: 256 * 1024 * 1024 }, (err, stdout) => (err ? reject(err as Error) : resolve(stdout)));
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
 * Gives records' return addresses that lie in `binary` a source location, in two passes so that the
 * records need not be held: `collect` each record, `resolve` once (addr2line), then `apply` to each record.
 */
export class Symbolizer {
  readonly notices: Notice[] = [];
  /** Frames given a source location. */
  symbolised = 0;
  private readonly wanted = new Set<bigint>();
  private readonly chains = new Map<bigint, { func: string; file: string; line: number }[]>();

  private constructor(
    private readonly binary: string,
    private readonly info: ImageInfo | undefined,
    private readonly opts: SymbolizeOptions,
  ) {}

  /** Reads the binary's header; a binary that cannot be used gives a Symbolizer that only reports why. */
  static open(opts: SymbolizeOptions): Symbolizer {
    const binary = path.resolve(opts.binary);
    let bytes: Uint8Array;
    try {
      bytes = readRegularFile(binary, READ_LIMITS.generated);
    } catch (e) {
      const s = new Symbolizer(binary, undefined, opts);
      s.notices.push({ level: 'error', file: binary, code: 'unreadable', message: `cannot read ${opts.binary}: ${readFailure(e)}` });
      return s;
    }
    const info = imageInfo(bytes);
    const s = new Symbolizer(binary, info, opts);
    if (!info) s.notices.push({ level: 'error', file: binary, code: 'binary', message: `${opts.binary} is neither a PE nor an ELF file` });
    return s;
  }

  private vaddrOf(f: StackFrame): bigint | undefined {
    const info = this.info;
    if (!info || f.offset === undefined) return undefined;
    const name = path.basename(this.binary);
    const same = info.format.startsWith('pe') ? f.module.toLowerCase() === name.toLowerCase() : f.module === name;
    return same ? info.base + f.offset - 1n : undefined; // a return address: the call is the byte before
  }

  collect(r: ShimRecord): void {
    for (const f of r.frames) {
      const v = this.vaddrOf(f);
      if (v !== undefined) this.wanted.add(v);
    }
  }

  async resolve(): Promise<void> {
    const info = this.info;
    if (!info) return;
    const name = path.basename(this.binary);
    if (this.wanted.size === 0) {
      this.notices.push({ level: 'warning', file: this.binary, code: 'runtime-report', message: `no recorded return address lies in ${name}` });
      return;
    }
    const tool = await findAddr2line(info, this.opts.addr2line);
    if (!tool) {
      this.notices.push({
        level: 'error',
        code: 'addr2line',
        message: `no addr2line for ${info.format} found on PATH (install binutils${info.format.startsWith('pe') ? '-mingw-w64-x86-64' : ''} or llvm)`,
      });
      return;
    }
    const addresses = [...this.wanted];
    for (let i = 0; i < addresses.length; i += 400) {
      const chunk = addresses.slice(i, i + 400);
      let output: string;
      try {
        output = await run(tool, ['-a', '-f', '-i', '-C', '-e', this.binary, ...chunk.map((a) => `0x${a.toString(16)}`)]);
      } catch (e) {
        this.notices.push({ level: 'error', code: 'addr2line', message: `${tool} failed: ${(e as Error).message.split('\n')[0]}` });
        break;
      }
      for (const [address, locations] of parseAddr2line(output)) if (locations.some((l) => l.file && l.line)) this.chains.set(address, locations);
    }
  }

  /**
   * Rebuilds a record's `frames`: an address inside inlined code becomes one frame per inlined function,
   * innermost first. A record with no source location (IAT hook) takes its first frame's.
   */
  apply(r: ShimRecord): void {
    if (this.chains.size === 0) return;
    const frames: StackFrame[] = [];
    for (const f of r.frames) {
      const v = this.vaddrOf(f);
      const chain = v === undefined ? undefined : this.chains.get(v);
      if (!chain) {
        frames.push(f);
        continue;
      }
      for (const loc of chain) {
        frames.push(loc.file && loc.line ? { ...f, file: loc.file, line: loc.line, func: loc.func } : { ...f, func: loc.func || undefined });
        if (loc.file && loc.line) this.symbolised++;
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
}

/** Symbolises records already in memory (see Symbolizer). */
export async function symbolizeRecords(records: ShimRecord[], opts: SymbolizeOptions): Promise<SymbolizeResult> {
  const s = Symbolizer.open(opts);
  for (const r of records) s.collect(r);
  await s.resolve();
  for (const r of records) s.apply(r);
  return { notices: s.notices, symbolised: s.symbolised };
}
