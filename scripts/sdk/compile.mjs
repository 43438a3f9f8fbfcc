// Asks the cross compiler for numbers without running anything it compiles: C whose initialised data holds
// sizeof, _Alignof and constant values is compiled to assembly (`-S`), and the data is read back from it. A
// line the compiler refuses (a name that is not an integer constant expression, a type without a size) is
// dropped and the rest compiled again, so one bad name never costs the others.

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The targets: x86 and x64 by their own compilers; arm64 by the x64 compiler taking the headers' ARM64 branches. */
export const TARGETS = [
  { name: 'x86', compiler: 'i686-w64-mingw32-gcc', flags: [] },
  { name: 'x64', compiler: 'x86_64-w64-mingw32-gcc', flags: [] },
  {
    name: 'arm64',
    compiler: 'x86_64-w64-mingw32-gcc',
    flags: ['-U__x86_64__', '-U__x86_64', '-U__amd64__', '-U__amd64', '-D__aarch64__=1'],
  },
];

/** What the generated C includes: windows.h with the NT status codes, the NT headers memory code uses, psapi.h and tlhelp32.h. */
export const PRELUDE = [
  '#define WIN32_NO_STATUS',
  '#include <windows.h>',
  '#undef WIN32_NO_STATUS',
  '#include <ntstatus.h>',
  '#include <winternl.h>',
  '#include <ntdef.h>',
  '#include <psapi.h>',
  '#include <tlhelp32.h>',
];

export function compilerVersion(target) {
  return execFileSync(target.compiler, ['-dumpfullversion'], { encoding: 'utf8' }).trim();
}

function scratch() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'granule-sdk-'));
}

/**
 * The object-like macros the headers define (`-dD -E`: each definition in place, under the line markers that
 * say which header it is in): name → the header's file name. A macro #undef'd later is left out.
 */
export function headerMacros(target) {
  const text = execFileSync(target.compiler, [...target.flags, '-dD', '-E', '-x', 'c', '-'], {
    input: PRELUDE.join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const macros = new Map();
  let file = '';
  for (const line of text.split('\n')) {
    const marker = /^# \d+ "([^"]*)"/.exec(line);
    if (marker) file = marker[1].split('/').pop();
    const define = /^#define (\w+)(\(?)/.exec(line);
    if (define && !define[2]) macros.set(define[1], file);
    else if (define) macros.delete(define[1]);
    const undef = /^#undef (\w+)/.exec(line);
    if (undef) macros.delete(undef[1]);
  }
  return macros;
}

/** The compiler's debug information of every type the headers declare, and the line table naming their files. */
export function debugInfo(target) {
  const dir = scratch();
  try {
    const source = path.join(dir, 'types.c');
    const object = path.join(dir, 'types.o');
    fs.writeFileSync(source, PRELUDE.join('\n') + '\n');
    execFileSync(target.compiler, [...target.flags, '-g', '-fno-eliminate-unused-debug-types', '-c', source, '-o', object]);
    const objdump = target.compiler.replace(/gcc$/, 'objdump');
    const dump = (what) => execFileSync(objdump, [`--dwarf=${what}`, object], { encoding: 'utf8', maxBuffer: 1 << 30 });
    return { info: dump('info'), lines: dump('rawline') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Compiles one line of C per entry (`line(entry, label)` writes it; `count` unsigned ints of data under the
 * label), dropping lines the compiler reports errors on until the rest compiles. Returns the data per entry
 * kept, as arrays of unsigned 32-bit numbers.
 */
export function compileData(target, entries, line, count) {
  const dir = scratch();
  try {
    let kept = entries.map((entry, i) => ({ entry, label: `__sdk_${i}` }));
    // each round drops at least one line or ends: bounded by the number of entries
    for (let round = 0; round <= entries.length; round++) {
      const source = path.join(dir, 'data.c');
      fs.writeFileSync(source, PRELUDE.join('\n') + '\n' + kept.map((k) => line(k.entry, k.label)).join('\n') + '\n');
      const out = path.join(dir, 'data.s');
      const result = spawnSync(target.compiler, [...target.flags, '-S', '-pedantic-errors', '-fmax-errors=0', '-ftrack-macro-expansion=0', source, '-o', out], {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      });
      if (result.status === 0) return readData(fs.readFileSync(out, 'utf8'), kept, count);
      const bad = new Set();
      for (const m of result.stderr.matchAll(/^[^\n]*data\.c:(\d+):\d+: error/gm)) bad.add(Number(m[1]) - PRELUDE.length - 1);
      if (bad.size === 0) throw new Error(`${target.compiler} failed without a line to drop:\n${result.stderr.slice(0, 2000)}`);
      kept = kept.filter((_, i) => !bad.has(i));
    }
    throw new Error('unreachable');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The `.long` / `.space` data under each label of GCC's assembly. */
function readData(asm, kept, count) {
  const wanted = new Map(kept.map((k) => [k.label, k.entry]));
  const out = new Map();
  let values;
  for (const line of asm.split('\n')) {
    // (i686 symbols carry a leading underscore)
    const label = /^_?(__sdk_\d+):$/.exec(line);
    if (label) {
      values = wanted.has(label[1]) ? [] : undefined;
      if (values) out.set(wanted.get(label[1]), values);
      continue;
    }
    if (!values) continue;
    const long = /^\s*\.long\s+(-?\d+)/.exec(line);
    const space = /^\s*\.(?:space|zero)\s+(\d+)/.exec(line);
    if (long) values.push(Number(long[1]) >>> 0);
    else if (space) for (let i = 0; i < Number(space[1]) / 4; i++) values.push(0);
    else if (!/^\s*\.(?:globl|section|align|p2align|def|scl|type|endef)\b/.test(line)) values = undefined;
  }
  for (const [entry, data] of out) if (data.length !== count) throw new Error(`${entry}: ${data.length} values read, ${count} expected`);
  return out;
}
