// The Windows APIs granule knows, and where their interesting arguments are (0-based).

/** `free`: VirtualFree and VirtualFreeEx, evaluated for the virtualfree-misuse rule only (the size rules skip them). */
export type ApiFamily = 'reserve' | 'mapview' | 'free';

export interface ApiModel {
  name: string;
  family: ApiFamily;
  size: number;
  address?: number;
  flags?: number;
  /** Size and address are passed by pointer (NtAllocateVirtualMemory): read the pointee at the call. */
  byPointer?: boolean;
  /** File offset of a view: a 64-bit argument, or a high/low DWORD pair. */
  offset?: number;
  offsetHigh?: number;
  offsetLow?: number;
}

const MODELS: ApiModel[] = [
  { name: 'VirtualAlloc', family: 'reserve', address: 0, size: 1, flags: 2 },
  { name: 'VirtualAllocEx', family: 'reserve', address: 1, size: 2, flags: 3 },
  { name: 'VirtualAllocExNuma', family: 'reserve', address: 1, size: 2, flags: 3 },
  { name: 'VirtualAlloc2', family: 'reserve', address: 1, size: 2, flags: 3 },
  { name: 'VirtualAlloc2FromApp', family: 'reserve', address: 1, size: 2, flags: 3 },
  { name: 'VirtualAllocFromApp', family: 'reserve', address: 0, size: 1, flags: 2 },
  { name: 'NtAllocateVirtualMemory', family: 'reserve', address: 1, size: 3, flags: 4, byPointer: true },
  { name: 'ZwAllocateVirtualMemory', family: 'reserve', address: 1, size: 3, flags: 4, byPointer: true },
  { name: 'NtAllocateVirtualMemoryEx', family: 'reserve', address: 1, size: 2, flags: 3, byPointer: true },
  { name: 'ZwAllocateVirtualMemoryEx', family: 'reserve', address: 1, size: 2, flags: 3, byPointer: true },
  { name: 'MapViewOfFile', family: 'mapview', size: 4, offsetHigh: 2, offsetLow: 3 },
  { name: 'MapViewOfFileEx', family: 'mapview', size: 4, offsetHigh: 2, offsetLow: 3 },
  { name: 'MapViewOfFileExNuma', family: 'mapview', size: 4, offsetHigh: 2, offsetLow: 3 },
  { name: 'MapViewOfFileFromApp', family: 'mapview', size: 3, offset: 2 },
  { name: 'MapViewOfFile2', family: 'mapview', size: 4, offset: 2 },
  { name: 'MapViewOfFile3', family: 'mapview', size: 4, offset: 3 },
  { name: 'MapViewOfFile3FromApp', family: 'mapview', size: 4, offset: 3 },
  { name: 'MapViewOfFileNuma2', family: 'mapview', size: 4, offset: 2 },
  // the address is not modelled: a function that frees its parameter is not a wrapper (releases.ts follows those)
  { name: 'VirtualFree', family: 'free', size: 1, flags: 2 },
  { name: 'VirtualFreeEx', family: 'free', size: 2, flags: 3 },
];

export const API_MODELS: ReadonlyMap<string, ApiModel> = new Map(MODELS.map((m) => [m.name, m]));

/** The API a callee name denotes: exact names, or the ANSI/wide spellings some SDKs declare. */
export function apiModel(name: string): ApiModel | undefined {
  return API_MODELS.get(name) ?? (/[AW]$/.test(name) ? API_MODELS.get(name.slice(0, -1)) : undefined);
}

/** Byte strings every file that can contain a call must include (the prefilter's needles). */
export const API_NEEDLES = ['VirtualAlloc', 'AllocateVirtualMemory', 'MapViewOfFile', 'VirtualFree'];
