// The committed mingw macro tables (src/engine/model/predefined/mingw-*.ts, written by
// scripts/mingw-predefined.mjs) against the installed cross compilers, and granule's `#if` decisions against
// what the compilers' own preprocessors decide for the same conditions.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MINGW_X64_DEFINES, MINGW_X64_VERSION } from '../../../src/engine/model/predefined/mingw-x64.js';
import { MINGW_X86_DEFINES, MINGW_X86_VERSION } from '../../../src/engine/model/predefined/mingw-x86.js';
import { targetModel } from '../../../src/engine/model/target.js';
import { preprocess } from '../../../src/engine/preprocess/preprocess.js';
import { unavailable } from '../../helpers/requirements.js';

const COMPILERS = [
  { target: 'x64' as const, command: 'x86_64-w64-mingw32-gcc', requirement: 'mingw-x64' as const, dump: MINGW_X64_DEFINES, version: MINGW_X64_VERSION },
  { target: 'x86' as const, command: 'i686-w64-mingw32-gcc', requirement: 'mingw-x86' as const, dump: MINGW_X86_DEFINES, version: MINGW_X86_VERSION },
];

/** Conditions whose answer the compiler and granule must agree on. */
const CONDITIONS = [
  'defined(__GNUC__)',
  'defined(_MSC_VER)',
  'defined(__linux__) || defined(__unix__) || defined(__APPLE__)',
  'defined(__NetBSD__) || defined(__FreeBSD__) || defined(__CYGWIN__)',
  'defined(_WIN64)',
  'defined(__x86_64__)',
  'defined(__i386__)',
  'defined(__aarch64__) || defined(_M_ARM64)',
  '__GNUC__ >= 12',
  '_WIN32 && __MINGW32__',
  '__SIZEOF_POINTER__ == 8',
  '__SIZEOF_LONG__ == 4',
  '-1 > 0u',
  '0xFFFFFFFFFFFFFFFF == -1',
  "'A' == 65",
  "'\\377' < 0",
  '(1 << 40) == 0x10000000000',
  '__linux__ == 0',
  'defined __STDC_VERSION__ && __STDC_VERSION__ >= 201710L',
  'defined(_M_IA64) || defined(_M_X64) || defined(__OpenBSD__) || defined(__sun)',
  '(0 ? -1 : 0u) > 0',
  '-1 / 2u > 0',
  '0 && (1 / 0)',
  '1 || (1 / 0)',
  '-7 / 2 == -3 && -7 % 2 == -1',
  '~0u == 0xFFFFFFFFFFFFFFFF',
  "'ab' == 24930",
  '0x8000000000000000 > 0',
  '(-1 >> 1) == -1',
];

function source(): string {
  return CONDITIONS.map((c, i) => `#if ${c}\nyes_${i}\n#else\nno_${i}\n#endif\n`).join('');
}

describe.each(COMPILERS)('mingw $target', ({ target, command, requirement, dump, version }) => {
  it.skipIf(unavailable(requirement))('the committed list is what the compiler predefines', () => {
    expect(execFileSync(command, ['-dumpfullversion'], { encoding: 'utf8' }).trim()).toBe(version);
    const actual = execFileSync(command, ['-dM', '-E', '-x', 'c', '-'], { input: '', encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.startsWith('#define '))
      .sort();
    expect(actual).toEqual(dump.split('\n').filter((l) => l.startsWith('#define ')));
  });

  it.skipIf(unavailable(requirement))('#if decides as the compiler does', () => {
    const text = source();
    const out = execFileSync(command, ['-E', '-P', '-x', 'c', '-'], { input: text, encoding: 'utf8' });
    const compiler = CONDITIONS.map((_c, i) => (new RegExp(`\\byes_${i}\\b`).test(out) ? 'yes' : 'no'));
    const r = preprocess('t.c', text, {
      model: targetModel(target),
      compiler: 'mingw',
      cplusplus: false,
      defines: {},
      undefines: [],
      includePaths: [],
      forceIncludes: [],
      readFile: () => undefined,
    });
    const granule = CONDITIONS.map((_c, i) => {
      const at = text.indexOf(`yes_${i}\n`);
      return r.blank.some(([s, e]) => s <= at && at < e) ? 'no' : 'yes';
    });
    expect(granule.map((g, i) => `${CONDITIONS[i]}: ${g}`)).toEqual(compiler.map((c, i) => `${CONDITIONS[i]}: ${c}`));
  });
});
