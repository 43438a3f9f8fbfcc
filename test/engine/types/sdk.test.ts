// The built-in Windows SDK table (data/windows-sdk.json through src/engine/types/sdk.ts) gives the values the
// compilers give with windows.h: sizes, alignments and offsets per target as MSVC documents them, the constants
// as the headers define them. test/engine/types/sdk-generator.test.ts checks the table against the compilers.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sdkConstant, sdkConstantText, sdkRecord, sdkTypedef } from '../../../src/engine/types/sdk.js';
import type { Target } from '../../../src/engine/model/types.js';

const layout = (name: string, target: Target) => {
  const r = sdkRecord(name, target);
  return r && { size: r.size, align: r.align };
};

describe('SDK records', () => {
  it('SYSTEM_INFO: 48 bytes on x64 and arm64, 36 on x86, with its members where the compilers put them', () => {
    expect(layout('SYSTEM_INFO', 'x64')).toEqual({ size: 48n, align: 8n });
    expect(layout('SYSTEM_INFO', 'arm64')).toEqual({ size: 48n, align: 8n });
    expect(layout('SYSTEM_INFO', 'x86')).toEqual({ size: 36n, align: 4n });
    const x64 = sdkRecord('SYSTEM_INFO', 'x64')!.offsets;
    // the anonymous union's and struct's members are the record's own
    expect([x64.get('wProcessorArchitecture'), x64.get('dwPageSize'), x64.get('dwAllocationGranularity')]).toEqual([0n, 4n, 40n]);
    expect(sdkRecord('SYSTEM_INFO', 'x86')!.offsets.get('dwAllocationGranularity')).toBe(28n);
  });

  it('is found by typedef name, by tag, and through a typedef chain', () => {
    expect(layout('MEMORY_BASIC_INFORMATION', 'x64')).toEqual({ size: 48n, align: 8n });
    expect(layout('MEMORY_BASIC_INFORMATION', 'x86')).toEqual({ size: 28n, align: 4n });
    expect(layout('struct _MEMORY_BASIC_INFORMATION', 'x86')).toEqual({ size: 28n, align: 4n });
    expect(layout('_MEMORY_BASIC_INFORMATION', 'x86')).toEqual({ size: 28n, align: 4n });
    expect(sdkRecord('MEMORY_BASIC_INFORMATION', 'x64')!.offsets.get('RegionSize')).toBe(24n);
    // IMAGE_NT_HEADERS is IMAGE_NT_HEADERS64 on 64-bit targets, IMAGE_NT_HEADERS32 on x86
    expect(layout('IMAGE_NT_HEADERS', 'x64')).toEqual({ size: 264n, align: 4n });
    expect(layout('IMAGE_NT_HEADERS', 'x86')).toEqual({ size: 248n, align: 4n });
    expect(layout('union _LARGE_INTEGER', 'x86')).toEqual({ size: 8n, align: 8n });
  });

  it('keeps #pragma pack and per-architecture definitions: IMAGE_DOS_HEADER, CONTEXT', () => {
    expect(layout('IMAGE_DOS_HEADER', 'x64')).toEqual({ size: 64n, align: 2n });
    expect(sdkRecord('IMAGE_DOS_HEADER', 'x86')!.offsets.get('e_lfanew')).toBe(60n);
    expect(layout('IMAGE_SECTION_HEADER', 'x86')).toEqual({ size: 40n, align: 4n });
    expect(layout('CONTEXT', 'x64')).toEqual({ size: 1232n, align: 16n });
    expect(layout('CONTEXT', 'x86')).toEqual({ size: 716n, align: 4n });
    // the ARM64 CONTEXT (0x390 bytes), not the x64 one
    expect(layout('CONTEXT', 'arm64')).toEqual({ size: 912n, align: 16n });
    expect(sdkRecord('CONTEXT', 'arm64')!.offsets.get('Pc')).toBe(264n);
  });

  it('OVERLAPPED and SECURITY_ATTRIBUTES grow with the pointer size', () => {
    expect(layout('OVERLAPPED', 'x64')).toEqual({ size: 32n, align: 8n });
    expect(layout('OVERLAPPED', 'x86')).toEqual({ size: 20n, align: 4n });
    expect(layout('SECURITY_ATTRIBUTES', 'x64')).toEqual({ size: 24n, align: 8n });
    expect(sdkRecord('SECURITY_ATTRIBUTES', 'x64')!.offsets).toEqual(
      new Map([
        ['nLength', 0n],
        ['lpSecurityDescriptor', 8n],
        ['bInheritHandle', 16n],
      ]),
    );
  });

  it('has psapi.h and tlhelp32.h records', () => {
    expect(layout('PROCESS_MEMORY_COUNTERS', 'x64')).toEqual({ size: 72n, align: 8n });
    expect(layout('PROCESS_MEMORY_COUNTERS', 'x86')).toEqual({ size: 40n, align: 4n });
    expect(layout('MODULEENTRY32W', 'x64')).toEqual({ size: 1080n, align: 8n });
  });

  it('answers undefined for a name that is not a record', () => {
    expect(sdkRecord('DWORD', 'x64')).toBeUndefined();
    expect(sdkRecord('PCONTEXT', 'x64')).toBeUndefined();
    expect(sdkRecord('NO_SUCH_THING', 'x64')).toBeUndefined();
  });
});

describe('SDK typedefs', () => {
  it('gives each typedef its definition, size and alignment per target', () => {
    expect(sdkTypedef('DWORD', 'x86')).toEqual({ text: 'unsigned long', size: 4n, align: 4n });
    expect(sdkTypedef('DWORD', 'x64')).toEqual({ text: 'unsigned long', size: 4n, align: 4n });
    expect(sdkTypedef('SIZE_T', 'x64')).toEqual({ text: 'ULONG_PTR', size: 8n, align: 8n });
    expect(sdkTypedef('SIZE_T', 'arm64')).toEqual({ text: 'ULONG_PTR', size: 8n, align: 8n });
    expect(sdkTypedef('SIZE_T', 'x86')).toEqual({ text: 'ULONG_PTR', size: 4n, align: 4n });
    expect(sdkTypedef('ULONG_PTR', 'x64')).toEqual({ text: 'unsigned long long', size: 8n, align: 8n });
    expect(sdkTypedef('ULONG_PTR', 'x86')).toEqual({ text: 'unsigned long', size: 4n, align: 4n });
    expect(sdkTypedef('HANDLE', 'x86')).toEqual({ text: 'void *', size: 4n, align: 4n });
    expect(sdkTypedef('LPVOID', 'arm64')).toEqual({ text: 'void *', size: 8n, align: 8n });
    expect(sdkTypedef('LPTHREAD_START_ROUTINE', 'x64')).toEqual({ text: 'PTHREAD_START_ROUTINE', size: 8n, align: 8n });
    expect(sdkTypedef('PTHREAD_START_ROUTINE', 'x86')).toEqual({ text: 'DWORD (*)(LPVOID)', size: 4n, align: 4n });
    expect(sdkTypedef('SYSTEM_INFO', 'x64')).toEqual({ text: 'struct _SYSTEM_INFO', size: 48n, align: 8n });
    expect(sdkTypedef('LONGLONG', 'x86')).toEqual({ text: 'long long', size: 8n, align: 8n });
    expect(sdkTypedef('size_t', 'x86')).toEqual({ text: 'unsigned int', size: 4n, align: 4n });
    expect(sdkTypedef('NO_SUCH_TYPE', 'x64')).toBeUndefined();
  });

  it('leaves out what depends on UNICODE, which the table cannot know; the A and W names are there', () => {
    for (const name of ['TCHAR', 'LPTSTR', 'WIN32_FIND_DATA', 'STARTUPINFO', 'MODULEENTRY32']) expect(sdkTypedef(name, 'x64'), name).toBeUndefined();
    expect(sdkRecord('WIN32_FIND_DATA', 'x64')).toBeUndefined();
    expect(sdkTypedef('WIN32_FIND_DATAW', 'x64')).toEqual({ text: 'struct _WIN32_FIND_DATAW', size: 592n, align: 4n });
    expect(sdkTypedef('WIN32_FIND_DATAA', 'x86')).toEqual({ text: 'struct _WIN32_FIND_DATAA', size: 320n, align: 4n });
  });
});

describe('SDK constants', () => {
  it('gives the values the headers define', () => {
    for (const target of ['x86', 'x64', 'arm64'] as const) {
      expect(sdkConstant('MAX_PATH', target)).toBe(260n);
      expect(sdkConstant('PAGE_READWRITE', target)).toBe(4n);
      expect(sdkConstant('PAGE_EXECUTE_READWRITE', target)).toBe(0x40n);
      expect(sdkConstant('MEM_COMMIT', target)).toBe(0x1000n);
      expect(sdkConstant('MEM_RESERVE', target)).toBe(0x2000n);
      expect(sdkConstant('MEM_RELEASE', target)).toBe(0x8000n);
      expect(sdkConstant('MEM_LARGE_PAGES', target)).toBe(0x20000000n);
      expect(sdkConstant('FILE_MAP_READ', target)).toBe(4n);
      expect(sdkConstant('FILE_MAP_ALL_ACCESS', target)).toBe(0xf001fn);
      expect(sdkConstant('SEC_COMMIT', target)).toBe(0x8000000n);
      expect(sdkConstant('SEC_LARGE_PAGES', target)).toBe(0x80000000n);
    }
    expect(sdkConstant('MEMORY_ALLOCATION_ALIGNMENT', 'x86')).toBe(8n);
    expect(sdkConstant('MEMORY_ALLOCATION_ALIGNMENT', 'x64')).toBe(16n);
    expect(sdkConstant('MEMORY_ALLOCATION_ALIGNMENT', 'arm64')).toBe(16n);
    // ((NTSTATUS)0xC0000005L): a negative long
    expect(sdkConstant('EXCEPTION_ACCESS_VIOLATION', 'x64')).toBe(-0x3ffffffbn);
    expect(sdkConstantText('EXCEPTION_ACCESS_VIOLATION', 'x64')).toBe('-0x3ffffffbl');
    expect(sdkConstant('BASE_SEARCH_PATH_INVALID_FLAGS', 'x86')).toBe(-0x18002n);
    // an enumerator is a constant too
    expect(sdkConstant('MemExtendedParameterAddressRequirements', 'x64')).toBe(1n);
  });

  it('keeps the type the compiler gave the value, as a literal suffix', () => {
    expect(sdkConstantText('INFINITE', 'x64')).toBe('0xffffffffu');
    expect(sdkConstantText('FILE_MAP_ALL_ACCESS', 'x64')).toBe('0xf001fl');
    expect(sdkConstantText('MAX_PATH', 'x86')).toBe('260');
  });

  it('leaves out what is not an integer constant expression, and names that are not constants', () => {
    // ((HANDLE)(LONG_PTR)-1): a pointer
    expect(sdkConstant('INVALID_HANDLE_VALUE', 'x64')).toBeUndefined();
    expect(sdkConstant('DWORD', 'x64')).toBeUndefined();
    expect(sdkConstant('toString', 'x64')).toBeUndefined();
  });
});

describe('the whole table', () => {
  const data = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', '..', '..', 'data', 'windows-sdk.json'), 'utf8')) as Record<
    'typedefs' | 'records' | 'constants',
    Record<string, unknown>
  >;

  it('decodes every entry on every target, with sizes that are multiples of their alignments and offsets within the size (a flexible array member is at the size)', () => {
    let count = 0;
    for (const target of ['x86', 'x64', 'arm64'] as const) {
      for (const name of Object.keys(data.constants)) if (sdkConstant(name, target) !== undefined) count++;
      for (const name of [...Object.keys(data.typedefs), ...Object.keys(data.records)]) {
        const t = name.includes(' ') ? undefined : sdkTypedef(name, target);
        const r = sdkRecord(name, target);
        for (const layout of [t, r]) if (layout) expect(layout.size % layout.align, `${name} on ${target}`).toBe(0n);
        for (const offset of r?.offsets.values() ?? []) expect(offset <= r!.size, `${name} on ${target}`).toBe(true);
        if (t || r) count++;
      }
    }
    expect(count).toBeGreaterThan(3 * 6000);
  });
});
