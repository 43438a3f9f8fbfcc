// The committed SDK table (data/windows-sdk.json) is what scripts/generate-sdk.mjs gives now with the installed
// mingw-w64 headers and compilers, for a sample of its names (the ones granule's users meet most, and every
// 40th name of each table); and the records' member offsets are what the compilers' own offsetof says.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sdkConstantText, sdkRecord, sdkTypedef } from '../../../src/engine/types/sdk.js';
import type { Target } from '../../../src/engine/model/types.js';
import { unavailable } from '../../helpers/requirements.js';
import { generateTarget } from '../../../scripts/generate-sdk.mjs';
import { TARGETS, compileData } from '../../../scripts/sdk/compile.mjs';

interface GeneratorTarget {
  name: Target;
  compiler: string;
  flags: string[];
}
interface Generated {
  typedefs: Map<string, string>;
  records: Map<string, string>;
  constants: Map<string, string>;
}

const DATA = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', '..', '..', 'data', 'windows-sdk.json'), 'utf8')) as Record<
  'typedefs' | 'records' | 'constants',
  Record<string, unknown>
>;

const everyNth = (names: string[], n: number) => names.filter((_, i) => i % n === 0);

const SAMPLE = {
  typedefs: [
    ...['DWORD', 'SIZE_T', 'ULONG_PTR', 'HANDLE', 'LPVOID', 'LPTHREAD_START_ROUTINE', 'PTHREAD_START_ROUTINE', 'SYSTEM_INFO', 'CONTEXT'],
    ...['PCONTEXT', 'IMAGE_NT_HEADERS', 'LARGE_INTEGER', 'size_t', 'WCHAR', 'FARPROC', 'max_align_t'],
    ...['TCHAR', 'WIN32_FIND_DATA', 'MODULEENTRY32', 'PROCESS_MEMORY_COUNTERS'],
    ...everyNth(Object.keys(DATA.typedefs), 40),
  ],
  records: [
    ...['struct _SYSTEM_INFO', 'struct _MEMORY_BASIC_INFORMATION', 'struct _CONTEXT', 'struct _IMAGE_DOS_HEADER', 'struct _IMAGE_NT_HEADERS64'],
    ...['struct _IMAGE_SECTION_HEADER', 'struct _OVERLAPPED', 'struct _SECURITY_ATTRIBUTES', 'union _LARGE_INTEGER', 'struct _PROCESS_HEAP_ENTRY'],
    ...['struct tagMODULEENTRY32W', 'struct _FILE_DISPOSITION_INFO'],
    ...everyNth(Object.keys(DATA.records), 40),
  ],
  constants: [
    ...['MAX_PATH', 'MEM_COMMIT', 'MEM_RESERVE', 'MEM_LARGE_PAGES', 'PAGE_READWRITE', 'FILE_MAP_ALL_ACCESS', 'SEC_COMMIT', 'SEC_LARGE_PAGES'],
    ...['MEMORY_ALLOCATION_ALIGNMENT', 'INFINITE', 'MemExtendedParameterAddressRequirements', 'INVALID_HANDLE_VALUE'],
    ...everyNth(Object.keys(DATA.constants), 40),
  ],
};

/** The committed entry of one target, in the generator's text form (null: absent), read through sdk.ts. */
function committed(table: keyof typeof SAMPLE, name: string, target: Target): string | null {
  if (table === 'constants') return sdkConstantText(name, target) ?? null;
  if (table === 'typedefs') {
    const t = sdkTypedef(name, target);
    return t ? `${t.text}|${t.size}|${t.align}` : null;
  }
  const r = sdkRecord(name, target);
  return r ? `${r.size}|${r.align}|${[...r.offsets].map(([m, o]) => `${m}@${o}`).join(',')}` : null;
}

const targets = TARGETS as GeneratorTarget[];

describe.skipIf(unavailable('mingw-x64', 'mingw-x86'))('the committed SDK table', () => {
  for (const target of targets) {
    it(`is what the generator gives now on ${target.name}, for a sample of ${Object.values(SAMPLE).flat().length} names`, () => {
      const only = new Set(Object.values(SAMPLE).flat());
      const now = generateTarget(target, only) as Generated;
      for (const table of ['typedefs', 'records', 'constants'] as const) {
        const got = Object.fromEntries(SAMPLE[table].map((name) => [name, now[table].get(name) ?? null]));
        const want = Object.fromEntries(SAMPLE[table].map((name) => [name, committed(table, name, target.name)]));
        expect(got, table).toEqual(want);
      }
    }, 300_000);

    it(`has the member offsets the compiler's offsetof gives on ${target.name}`, () => {
      const members = SAMPLE.records.flatMap((key) => [...(sdkRecord(key, target.name)?.offsets ?? [])].map(([member, offset]) => ({ key, member, offset })));
      expect(members.length).toBeGreaterThan(100);
      const line = (m: (typeof members)[number], label: string) => `const unsigned ${label}[1] = { __builtin_offsetof(${m.key}, ${m.member}) };`;
      const measured = compileData(target, members, line, 1) as Map<(typeof members)[number], number[]>;
      const wrong = members.filter((m) => BigInt(measured.get(m)?.[0] ?? -1) !== m.offset).map((m) => `${m.key}.${m.member}`);
      expect(wrong).toEqual([]);
    }, 300_000);
  }
});
