// The words and the units of every picture of a runtime report (`granule vmmap`'s text, SVG and HTML, and the
// docs that quote them), in one place so they cannot drift apart. They are VMMap's: the types Private, Mapped,
// Image, Unusable and Free, each with its Size, Committed and Count; a granule's pages are Committed, Reserved,
// Unusable or Free. The part of a granule behind a smaller reservation is "Unusable", never anything else.
// Sizes are bytes, digits grouped, with the binary unit beside them: "61,440 bytes (60 KB)".

import type { AddressSpace } from './address-space.js';

/** The totals of a run, in the order every output lists them. */
export const TOTAL = {
  reserved: 'Reserved',
  committed: 'Committed',
  unusable: 'Unusable',
  peakUnusable: 'Peak unusable',
  unusableAtExit: 'Unusable at exit',
  neverReleased: 'Never released',
  callsLeavingUnusable: 'Calls leaving unusable space',
  reservations: 'Reservations',
  failedCalls: 'Failed calls',
} as const;

/** The colours of the page states in every picture: Unusable is the headline, so it is the loud one. */
export const PAGE_COLORS = { committed: '#f2c200', reserved: '#f7e6a1', unusable: '#d1242f', free: '#eef1f4' } as const;

/** The states of a page in the granule map and the address space, as the legends name them. */
export const PAGE_LABEL = { committed: 'Committed', reserved: 'Reserved', unusable: 'Unusable', free: 'Free' } as const;

/** VMMap's summary by type: the rows and the columns. */
export const TYPE_COLUMNS = ['Type', 'Size', 'Committed', 'Count'] as const;
export const IMAGE_NOT_RECORDED = 'not recorded (the shim sees reservations, not loaded modules)';

/** The columns of the call-site table. */
export const SITE_COLUMNS = {
  unusable: 'Unusable bytes',
  calls: 'Calls',
  leavingUnusable: 'Leaving unusable',
  sizes: 'Sizes',
  api: 'API',
  site: 'Call site',
  stack: 'Stack',
} as const;

export const TOP_SITES_HEADING = 'Top call sites by unusable bytes';

const KB = 1024n;

/** 1234567 -> "1,234,567". */
export function groupDigits(n: bigint | number): string {
  return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A byte count for people: "61,440 bytes (60 KB)". */
export function formatBytes(n: bigint): string {
  const exact = `${groupDigits(n)} bytes`;
  if (n < KB) return exact;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = Number(n) / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = value >= 100 || Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1);
  return `${exact} (${shown} ${units[unit]})`;
}

/** "1 call", "2 calls". */
export function plural(n: number | bigint, noun: string): string {
  return `${groupDigits(n)} ${noun}${n === 1 || n === 1n ? '' : 's'}`;
}

/** One row of VMMap's table by type, formatted: the committed cell is empty where the type has no commit. */
export interface TypeCells {
  type: string;
  size: string;
  committed: string;
  count: string;
}

/** VMMap's table by type for one address space, the same cells in every output; Image last, as not recorded. */
export function typeCells(space: AddressSpace): TypeCells[] {
  const rows: TypeCells[] = space.types.map((t) => ({
    type: t.type,
    size: formatBytes(t.size),
    committed: t.type === 'Private' || t.type === 'Mapped' ? formatBytes(t.committed) : '',
    count: groupDigits(t.count),
  }));
  rows.push({ type: 'Image', size: IMAGE_NOT_RECORDED, committed: '', count: '' });
  return rows;
}
