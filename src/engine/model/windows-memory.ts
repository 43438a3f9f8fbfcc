// The Windows memory API model: the flags a call passes, whether it reserves address space, and the
// arithmetic of pages, 64 KB allocation granules and large pages. The rules, the linter's fixes and the
// engine all read these facts here, so there is one statement of what Windows does. All sizes are BigInt.

import type { Value } from './types.js';

export const MEM_COMMIT = 0x1000n;
export const MEM_RESERVE = 0x2000n;
export const MEM_RESET = 0x80000n;
export const MEM_RESET_UNDO = 0x1000000n;
export const MEM_LARGE_PAGES = 0x20000000n;
/** VirtualFree's free types: MEM_RELEASE gives the reservation back, MEM_DECOMMIT only its pages. */
export const MEM_DECOMMIT = 0x4000n;
export const MEM_RELEASE = 0x8000n;
/** Placeholder operations (Windows 10 1803): the only MEM_RELEASE calls that take a size. */
export const MEM_COALESCE_PLACEHOLDERS = 0x1n;
export const MEM_PRESERVE_PLACEHOLDER = 0x2n;

/** The page size of every Windows target (x86, x64 and ARM64 all use 4 KB pages). */
export const PAGE_SIZE = 4096n;
/** The allocation granularity: reservations start on 64 KB boundaries. */
export const ALLOCATION_GRANULARITY = 65536n;
/** What GetLargePageMinimum() returns on x64 and ARM64. */
export const LARGE_PAGE_MINIMUM = 2n * 1024n * 1024n;

/** `value` rounded up to a multiple of `multiple`. */
export function roundUp(value: bigint, multiple: bigint): bigint {
  return ((value + multiple - 1n) / multiple) * multiple;
}

/**
 * Bytes of the last 64 KB granule that no later reservation can use: the region ends at the next
 * page boundary, and the rest of its granule stays reserved but unusable (VMMap's "Unusable").
 */
export function unusableBytes(size: bigint, pageSize = PAGE_SIZE, granule = ALLOCATION_GRANULARITY): bigint {
  const end = roundUp(size, pageSize);
  return roundUp(end, granule) - end;
}

/** Does the call reserve address space? DESIGN.md: MEM_RESERVE, or a NULL address (commit alone then reserves too). */
export function reserves(flags: Value | undefined, address: Value | undefined): boolean | undefined {
  if (flags?.known) {
    if (flags.value & MEM_RESERVE) return true;
    if (flags.value & (MEM_RESET | MEM_RESET_UNDO)) return false;
    if (flags.value & MEM_COMMIT) {
      if (address?.known) return address.value === 0n;
      return undefined;
    }
    return address?.known && address.value === 0n ? true : undefined;
  }
  if (address?.known && address.value === 0n) return true;
  return undefined;
}

/** The flags are known and ask for large pages. */
export function usesLargePages(flags: Value | undefined): boolean {
  return !!flags?.known && (flags.value & MEM_LARGE_PAGES) !== 0n;
}

/** Windows constants from winnt.h / memoryapi.h that the rules read, used when the sources do not define them. */
export const WINDOWS_CONSTANTS: Record<string, bigint> = {
  MEM_COMMIT,
  MEM_RESERVE,
  MEM_REPLACE_PLACEHOLDER: 0x4000n,
  MEM_RESERVE_PLACEHOLDER: 0x40000n,
  MEM_RESET,
  MEM_TOP_DOWN: 0x100000n,
  MEM_WRITE_WATCH: 0x200000n,
  MEM_PHYSICAL: 0x400000n,
  MEM_ROTATE: 0x800000n,
  MEM_DIFFERENT_IMAGE_BASE_OK: 0x800000n,
  MEM_RESET_UNDO,
  MEM_LARGE_PAGES,
  MEM_4MB_PAGES: 0x80000000n,
  MEM_64K_PAGES: 0x20400000n,
  MEM_DECOMMIT: 0x4000n,
  MEM_RELEASE: 0x8000n,
  MEM_FREE: 0x10000n,
  MEM_PRIVATE: 0x20000n,
  MEM_MAPPED: 0x40000n,
  MEM_IMAGE: 0x1000000n,
  PAGE_NOACCESS: 0x01n,
  PAGE_READONLY: 0x02n,
  PAGE_READWRITE: 0x04n,
  PAGE_WRITECOPY: 0x08n,
  PAGE_EXECUTE: 0x10n,
  PAGE_EXECUTE_READ: 0x20n,
  PAGE_EXECUTE_READWRITE: 0x40n,
  PAGE_EXECUTE_WRITECOPY: 0x80n,
  PAGE_GUARD: 0x100n,
  PAGE_NOCACHE: 0x200n,
  PAGE_WRITECOMBINE: 0x400n,
  PAGE_TARGETS_INVALID: 0x40000000n,
  PAGE_TARGETS_NO_UPDATE: 0x40000000n,
  FILE_MAP_WRITE: 0x2n,
  FILE_MAP_READ: 0x4n,
  FILE_MAP_ALL_ACCESS: 0xf001fn,
  FILE_MAP_EXECUTE: 0x20n,
  FILE_MAP_COPY: 0x1n,
  FILE_MAP_LARGE_PAGES: 0x20000000n,
  NUMA_NO_PREFERRED_NODE: 0xffffffffn,
  TRUE: 1n,
  FALSE: 0n,
};
