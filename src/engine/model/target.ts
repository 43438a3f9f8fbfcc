// Data models of the supported targets: integer type widths (Windows is LLP64 on 64-bit),
// the macros the Windows headers derive from it. The Windows constants are in windows-memory.ts.

import type { Target, TargetSetting } from './types.js';

export interface IntType {
  bits: number;
  unsigned: boolean;
  /** Conversion rank: bool 0, char 1, short 2, int 3, long 4, long long 5. */
  rank: number;
  name: string;
}

export const INT: IntType = { bits: 32, unsigned: false, rank: 3, name: 'int' };
export const UINT: IntType = { bits: 32, unsigned: true, rank: 3, name: 'unsigned int' };
export const LONG: IntType = { bits: 32, unsigned: false, rank: 4, name: 'long' };
export const ULONG: IntType = { bits: 32, unsigned: true, rank: 4, name: 'unsigned long' };
export const LLONG: IntType = { bits: 64, unsigned: false, rank: 5, name: 'long long' };
export const ULLONG: IntType = { bits: 64, unsigned: true, rank: 5, name: 'unsigned long long' };
const CHAR: IntType = { bits: 8, unsigned: false, rank: 1, name: 'char' };
const UCHAR: IntType = { bits: 8, unsigned: true, rank: 1, name: 'unsigned char' };
const SHORT: IntType = { bits: 16, unsigned: false, rank: 2, name: 'short' };
const USHORT: IntType = { bits: 16, unsigned: true, rank: 2, name: 'unsigned short' };
const BOOL: IntType = { bits: 8, unsigned: true, rank: 0, name: 'bool' };

export interface TargetModel {
  name: Target;
  pointerBits: number;
  /** Types by name: C keywords combinations, <stdint.h>/<stddef.h> names and Windows typedefs. */
  types: Map<string, IntType>;
  /** Types that have a size but are not integers (floating point); casts to them give unknown. */
  otherSizes: Map<string, number>;
  /** Macros the Windows SDK headers define from the target (the compiler's are in compilers.ts). */
  predefined: Record<string, string>;
  largePageMinimum: bigint;
  pageSize: bigint;
}

export const GRANULE = 65536n;

function model(name: Target): TargetModel {
  const pointerBits = name === 'x86' ? 32 : 64;
  const ptr: IntType = pointerBits === 64 ? { ...ULLONG, name: 'unsigned __int64' } : { ...ULONG, name: 'unsigned long' };
  const sptr: IntType = pointerBits === 64 ? { ...LLONG, name: '__int64' } : { ...LONG, name: 'long' };
  const sizeT: IntType = pointerBits === 64 ? ULLONG : UINT;
  const types = new Map<string, IntType>();
  const add = (t: IntType, ...names: string[]) => names.forEach((n) => types.set(n, t));
  add(CHAR, 'char', 'signed char', 'CHAR', 'INT8', 'int8_t', 'CCHAR');
  add(UCHAR, 'unsigned char', 'BYTE', 'UCHAR', 'UINT8', 'uint8_t', 'BOOLEAN', 'char8_t');
  add(SHORT, 'short', 'short int', 'signed short', 'signed short int', 'SHORT', 'INT16', 'int16_t');
  add(USHORT, 'unsigned short', 'unsigned short int', 'WORD', 'USHORT', 'UINT16', 'uint16_t', 'WCHAR', 'wchar_t', 'ATOM', 'LANGID', 'char16_t');
  add(INT, 'int', 'signed', 'signed int', 'INT', 'INT32', 'int32_t', 'BOOL', 'LONG32', 'HRESULT', 'errno_t');
  add(UINT, 'unsigned', 'unsigned int', 'UINT', 'UINT32', 'uint32_t', 'DWORD32', 'ULONG32', 'char32_t');
  add(LONG, 'long', 'long int', 'signed long', 'signed long int', 'LONG', 'NTSTATUS');
  add(ULONG, 'unsigned long', 'unsigned long int', 'DWORD', 'ULONG', 'ACCESS_MASK', 'LCID');
  add(
    LLONG,
    'long long',
    'long long int',
    'signed long long',
    'signed long long int',
    '__int64',
    'signed __int64',
    'LONGLONG',
    'INT64',
    'LONG64',
    'int64_t',
    'intmax_t',
  );
  add(
    ULLONG,
    'unsigned long long',
    'unsigned long long int',
    'unsigned __int64',
    'ULONGLONG',
    'DWORDLONG',
    'DWORD64',
    'UINT64',
    'ULONG64',
    'QWORD',
    'uint64_t',
    'uintmax_t',
  );
  add(BOOL, 'bool', '_Bool');
  add(sizeT, 'size_t', 'SIZE_T', 'rsize_t');
  add(pointerBits === 64 ? LLONG : INT, 'ssize_t', 'SSIZE_T', 'ptrdiff_t', 'intptr_t');
  add(pointerBits === 64 ? ULLONG : UINT, 'uintptr_t');
  add(ptr, 'ULONG_PTR', 'DWORD_PTR', 'UINT_PTR', 'WPARAM', 'KAFFINITY');
  add(sptr, 'LONG_PTR', 'INT_PTR', 'LPARAM', 'LRESULT');
  const pointerTypes = [
    'HANDLE',
    'HMODULE',
    'HINSTANCE',
    'HWND',
    'HKEY',
    'HLOCAL',
    'HGLOBAL',
    'LPVOID',
    'PVOID',
    'LPCVOID',
    'PVOID64',
    'PSIZE_T',
    'PULONG_PTR',
    'LPSTR',
    'LPCSTR',
    'LPWSTR',
    'LPCWSTR',
    'PSTR',
    'PCSTR',
    'PWSTR',
    'PCWSTR',
    'LPTSTR',
    'LPCTSTR',
    'PBYTE',
    'LPBYTE',
    'PDWORD',
    'LPDWORD',
    'PULONG',
    'PLONG',
    'PHANDLE',
    'FARPROC',
    'nullptr_t',
  ];
  const pointerType: IntType = { ...ptr, name: 'pointer' };
  add(pointerType, ...pointerTypes);
  const otherSizes = new Map<string, number>([
    ['float', 4],
    ['double', 8],
    ['long double', 8],
    ['FLOAT', 4],
    ['DOUBLE', 8],
    ['void', 1],
  ]);
  // what the Windows SDK headers define from the target (windows.h: _AMD64_ from _M_AMD64, ...), which granule
  // does not read; the compiler's own macros are in compilers.ts
  const predefined: Record<string, string> = { NULL: '0' };
  if (name === 'x64') predefined._AMD64_ = '1';
  if (name === 'x86') predefined._X86_ = '1';
  if (name === 'arm64') predefined._ARM64_ = '1';
  return { name, pointerBits, types, otherSizes, predefined, largePageMinimum: 2n * 1024n * 1024n, pageSize: 4096n };
}

/** One model per target, made on first use: callers compare and key caches by the model object. */
// eslint-disable-next-line no-restricted-syntax -- a cache: one model per target (three at most), built from constants
const MODELS = new Map<Target, TargetModel>();

export function targetModel(name: Target): TargetModel {
  let m = MODELS.get(name);
  if (!m) MODELS.set(name, (m = model(name)));
  return m;
}

export function isTarget(value: string): value is Target {
  return value === 'x64' || value === 'x86' || value === 'arm64';
}

// (the Windows constants live with the rest of the Windows memory model)
export { WINDOWS_CONSTANTS } from './windows-memory.js';

/** The targets of a command-line list (`x86,x64`), or the first name that is not one. */
export function parseTargetList(list: string): { targets: Target[] } | { unknown: string } {
  const targets: Target[] = [];
  for (const name of list.split(',').map((n) => n.trim())) {
    if (!isTarget(name)) return { unknown: name };
    if (!targets.includes(name)) targets.push(name);
  }
  return { targets };
}

/** The targets of a setting, in order, each once. */
export function targetsOf(setting: TargetSetting): Target[] {
  return [...new Set(typeof setting === 'string' ? [setting] : setting)];
}

/**
 * The target one analysis uses: the setting's only target, or for a list the first (callers that check every
 * configuration split the options first, with optionsIn).
 */
export function analysisTarget(setting: TargetSetting): Target {
  return typeof setting === 'string' ? setting : (setting[0] ?? 'x64');
}
