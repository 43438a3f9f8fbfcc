#!/usr/bin/env node
// Generates data/windows-sdk.json: the Windows SDK's typedefs, record layouts and integer constants for x86, x64
// and arm64, as the real compilers see them, so that granule knows `sizeof(SIZE_T)`, `MEM_RESERVE` or
// `sizeof(MEMORY_BASIC_INFORMATION)` in code that does not ship windows.h. Run by hand (about a minute) after
// upgrading the mingw-w64 headers or compilers, and commit the result:
//
//   node scripts/generate-sdk.mjs           writes data/windows-sdk.json
//   node scripts/generate-sdk.mjs --check   compares it with what the generator gives now (exit 1: differs)
//
// src/engine/types/sdk.ts reads the data (src/engine/types/README.md describes it);
// test/engine/types/sdk-generator.test.ts regenerates a sample and compares.
//
// Needs Debian's mingw-w64 packages: the headers (/usr/share/mingw-w64/include, mingw-w64-common and
// mingw-w64-{i686,x86-64}-dev, public domain) and the cross compilers i686-w64-mingw32-gcc and
// x86_64-w64-mingw32-gcc with their objdump. Nothing compiled is run; the numbers are read from what the
// compiler writes. The names kept are those declared in HEADERS below (the kernel, memory, process, file and
// NT headers, psapi.h and tlhelp32.h; windows.h's GUI, COM, RPC and error-code headers are left out to keep the
// table small). The headers are read with and without UNICODE, and a name whose value depends on it (TCHAR,
// WIN32_FIND_DATA, MODULEENTRY32, ...) is left out: the table cannot know which the user's code defines.
//
// - typedefs and records: a file that includes the headers is compiled with full debug information
//   (`-g -fno-eliminate-unused-debug-types`); objdump's DWARF dump gives every typedef, struct and union, the
//   header declaring it, and each member's offset (scripts/sdk/dwarf.mjs);
// - sizes and alignments: C that puts `sizeof` and `_Alignof` of every typedef and record into initialised
//   data is compiled to assembly (`-S`) and the data read back (scripts/sdk/compile.mjs, layouts.mjs); a
//   record's sizeof must equal its debug information's size;
// - constants: every object-like macro the kept headers define (`-dD -E` says where) and every enumerator,
//   each on its own line in a `_Static_assert` (so only integer constant expressions pass, under
//   -pedantic-errors) and in initialised data with its value and its type (`_Generic`); lines the compiler
//   refuses are dropped and the rest compiled again.
//
// arm64: Debian has no aarch64 mingw compiler. The x64 compiler is run with __x86_64__ undefined and
// __aarch64__ defined, so the headers take their ARM64 branches (_ARM64_, _M_ARM64, the ARM64 CONTEXT, ...)
// and lay them out under the x64 compiler's rules. Both are LLP64 with natural alignment, so the layouts are
// the ARM64 ones, except for `long double` (16 bytes under mingw x64, 8 under ARM64 Windows): records and
// typedefs that contain one are left out of arm64. The data file's header says so too.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TARGETS, PRELUDE, compilerVersion, debugInfo, headerMacros } from './sdk/compile.mjs';
import { describe, parseDwarf, parseFileTable } from './sdk/dwarf.mjs';
import { constants } from './sdk/constants.mjs';
import { measure } from './sdk/layouts.mjs';

const OUTPUT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'data', 'windows-sdk.json');

/**
 * The headers whose names are kept: the C runtime's basic types, the kernel, memory, process, file and NT
 * headers that code reserving memory includes, and the process-status and tool-help headers. The GUI, COM, RPC, crypto, printing and networking headers
 * windows.h also pulls in are left out (and winerror.h's and ntstatus.h's thousands of codes), to keep the
 * shipped table small.
 */
export const HEADERS = new Set([
  'vadefs.h',
  'corecrt.h',
  'stddef.h',
  'excpt.h',
  'winnt.h',
  'minwindef.h',
  'basetsd.h',
  'guiddef.h',
  'ktmtypes.h',
  'windef.h',
  'minwinbase.h',
  'bemapiset.h',
  'errhandlingapi.h',
  'fileapi.h',
  'heapapi.h',
  'libloaderapi.h',
  'memoryapi.h',
  'processthreadsapi.h',
  'synchapi.h',
  'sysinfoapi.h',
  'threadpoolapiset.h',
  'winbase.h',
  'timezoneapi.h',
  'winternl.h',
  'ntdef.h',
  'psapi.h',
  'tlhelp32.h',
]);

/** What defining UNICODE changes: the TCHAR typedefs, and the macros that rename FOO to FOOW. */
const UNICODE_FLAGS = ['-DUNICODE', '-D_UNICODE'];

/**
 * Everything of one target from the kept headers: typedefs (name → `text|size|align`), records (key →
 * `size|align|member@offset,...`) and constants (name → C literal). `only` restricts it to some names (the
 * test's sample). The table cannot know whether the user's code defines UNICODE, so a name whose value
 * depends on it (TCHAR, LPTSTR, WIN32_FIND_DATA, MODULEENTRY32, ...) is left out: the headers are read with
 * and without UNICODE and only what both agree on is kept, less the typedef names either build's macros
 * replace.
 */
export function generateTarget(target, only) {
  const ansi = generateBuild(target, only);
  const unicode = generateBuild({ ...target, flags: [...target.flags, ...UNICODE_FLAGS] }, only);
  const renamed = new Set([...ansi.macros, ...unicode.macros]);
  const agreed = (table, keep = () => true) => new Map([...ansi[table]].filter(([name, value]) => unicode[table].get(name) === value && keep(name)));
  return { typedefs: agreed('typedefs', (name) => !renamed.has(name)), records: agreed('records'), constants: agreed('constants') };
}

/** One build of the headers (the target's flags): its tables, and the names of every object-like macro. */
function generateBuild(target, only) {
  const { info, lines } = debugInfo(target);
  const described = describe(parseDwarf(info), parseFileTable(lines));
  const keep = (name, file, longDouble) => HEADERS.has(file) && (!only || only.has(name)) && !(longDouble && target.name === 'arm64');
  const typedefNames = [...described.typedefs].filter(([n, t]) => keep(n, t.file, t.longDouble)).map(([n]) => n);
  const records = [...described.records.values()].filter((r) => keep(r.key, r.file, r.longDouble));
  const layouts = measure(target, [...typedefNames, ...records.map((r) => r.key)]);

  const typedefs = new Map();
  for (const name of typedefNames) {
    const layout = layouts.get(name);
    if (layout) typedefs.set(name, `${described.typedefs.get(name).text}|${layout.size}|${layout.align}`);
  }
  const recordEntries = new Map();
  for (const record of records) {
    const layout = layouts.get(record.key);
    if (!layout) continue;
    if (layout.size !== record.size) throw new Error(`${record.key}: sizeof ${layout.size}, debug information ${record.size}`);
    recordEntries.set(record.key, `${layout.size}|${layout.align}|${record.members.map((m) => `${m.name}@${m.offset}`).join(',')}`);
  }
  const allMacros = headerMacros(target);
  const macros = [...allMacros].filter(([n, file]) => keep(n, file, false)).map(([n]) => n);
  const enumerators = [...described.enumerators].filter(([n, file]) => keep(n, file, false)).map(([n]) => n);
  const names = [...new Set([...macros, ...enumerators])].sort();
  return { typedefs, records: recordEntries, constants: constants(target, names), macros: [...allMacros.keys()] };
}

/**
 * One value if every target has the same; else `[x86, x64]` when arm64 has x64's value (LLP64 both: the common
 * case of a pointer-sized difference), else `[x86, x64, arm64]`. null: the target lacks the name.
 */
export function merge(perTarget, key) {
  if (TARGETS.map((t) => t.name).join() !== 'x86,x64,arm64') throw new Error('merge() writes targets in the order x86, x64, arm64');
  const names = [...new Set(perTarget.flatMap((t) => [...t[key].keys()]))].sort();
  const out = {};
  for (const name of names) {
    const [x86, x64, arm64] = perTarget.map((t) => t[key].get(name) ?? null);
    if (x86 !== null && x86 === x64 && x64 === arm64) out[name] = x86;
    else if (x64 === arm64) out[name] = [x86, x64];
    else out[name] = [x86, x64, arm64];
  }
  return out;
}

/** The data file's text, generated now from the installed headers and compilers. */
export function generateSdk() {
  const perTarget = TARGETS.map((t) => generateTarget(t));
  const data = {
    about:
      'Generated by scripts/generate-sdk.mjs from the mingw-w64 headers (public domain) with the mingw-w64 cross ' +
      'compilers; src/engine/types/sdk.ts reads it. Do not edit. A value is one string when every target has it, ' +
      'else [x86, x64] when arm64 has the x64 value, else [x86, x64, arm64] (null: absent there). typedefs: "C text|size|align"; records ' +
      '(key "struct TAG", "union TAG", or the typedef name of an anonymous record): "size|align|member@offset,..." ' +
      '(members of anonymous members flattened, bitfields left out); constants: a C literal with its type suffix. ' +
      'Names whose value depends on UNICODE (TCHAR, LPTSTR, WIN32_FIND_DATA, ...) are left out.',
    headers: PRELUDE.filter((l) => l.startsWith('#include')).map((l) => l.slice('#include '.length)),
    kept: [...HEADERS],
    targets: TARGETS.map((t) => t.name),
    compilers: TARGETS.map((t) => `${t.compiler} ${compilerVersion(t)} ${t.flags.join(' ')}`.trim()),
    arm64:
      'Derived: Debian has no aarch64 mingw compiler, so the x64 compiler is run with __x86_64__ undefined and ' +
      '__aarch64__ defined. The headers take their ARM64 branches (the ARM64 CONTEXT, ...) and the x64 compiler lays ' +
      'them out; both targets are LLP64 with natural alignment, so the layouts are identical except for long double ' +
      '(16 bytes under mingw x64, 8 on ARM64 Windows): typedefs and records containing one are left out of arm64.',
    typedefs: merge(perTarget, 'typedefs'),
    records: merge(perTarget, 'records'),
    constants: merge(perTarget, 'constants'),
  };
  return JSON.stringify(data) + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const text = generateSdk();
  if (process.argv.includes('--check')) {
    const same = fs.existsSync(OUTPUT) && fs.readFileSync(OUTPUT, 'utf8') === text;
    console.log(same ? `${OUTPUT} is up to date` : `${OUTPUT} differs from what the generator produces now`);
    process.exitCode = same ? 0 : 1;
  } else {
    fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
    fs.writeFileSync(OUTPUT, text);
    console.log(`wrote ${OUTPUT} (${text.length} bytes)`);
  }
}
