// The address space of a recorded run, as VMMap's fragmentation view shows it: the reservations live at the
// end, to scale, one 4 KB page at a time, and the unusable bytes over the run. For a 32-bit process the whole
// user address space is drawn (2 GB, or 4 GB once an address above 2 GB was recorded); for a 64-bit one the
// used ranges, with long free stretches folded into a gap.

import { roundUp } from './report.js';

const PAGE = 0x1000n;
const GRANULE = 0x10000n;
const TWO_GB = 1n << 31n;
const FOUR_GB = 1n << 32n;
/** Free stretches of a 64-bit process longer than this many granules (64 MB) are folded into a gap. */
const FOLD_GRANULES = 1024n;
/** Granules drawn per process at most: a 64-bit process with more used granules is cut there. */
export const MAX_DRAWN_GRANULES = 1n << 17n;
/** Points kept of the unusable-bytes timeline. */
const TIMELINE_POINTS = 1024;

/** One reservation that is live: its page-rounded end, the end of its committed pages, its unusable tail. */
export interface LiveRegion {
  base: bigint;
  end: bigint;
  commitEnd: bigint;
  unusable: bigint;
  mapped: boolean;
}

/** A row of VMMap's summary table. */
export interface TypeRow {
  type: 'Private' | 'Mapped' | 'Unusable' | 'Free';
  size: bigint;
  committed: bigint;
  count: number;
}

export interface AddressSpace {
  pid: number;
  bits: 32 | 64;
  /** The first and the end address drawn. */
  start: bigint;
  end: bigint;
  /**
   * The granules from `start`, run-length encoded: `TOKENxCOUNT` items separated by `;`. A token is a granule's
   * 16 pages as runs of `c` committed, `r` reserved, `u` unusable and `f` free (`c1u15`: one committed page,
   * fifteen unusable), or `g`, a gap of COUNT free granules that is not drawn.
   */
  granules: string;
  /** Granules encoded, gaps not counted, and granules left out past MAX_DRAWN_GRANULES. */
  drawn: number;
  omitted: number;
  types: TypeRow[];
}

export interface TimelinePoint {
  /** Microseconds since 1970. */
  ts: number;
  unusable: bigint;
}

/**
 * The unusable bytes live over the run: every `stride`-th change, the stride doubling whenever TIMELINE_POINTS
 * are kept, so the points stay evenly spread over the changes; the first, the last and the peak are always kept.
 */
export class Timeline {
  private points: TimelinePoint[] = [];
  private stride = 1;
  private seen = 0;
  private last: TimelinePoint | undefined;
  private peak: TimelinePoint | undefined;

  add(ts: number, unusable: bigint): void {
    const point = { ts, unusable };
    if (this.seen === 0) this.points.push({ ts, unusable: 0n }); // the run starts with nothing unusable
    this.seen++;
    this.last = point;
    if (!this.peak || unusable > this.peak.unusable) this.peak = point;
    if (this.seen % this.stride !== 0) return;
    this.points.push(point);
    if (this.points.length >= TIMELINE_POINTS) {
      this.points = this.points.filter((_, i) => i % 2 === 0);
      this.stride *= 2;
    }
  }

  result(): TimelinePoint[] {
    const out = [...this.points];
    for (const p of [this.peak, this.last]) if (p && !out.includes(p)) out.push(p);
    return out.sort((a, b) => a.ts - b.ts);
  }
}

function pageRuns(states: string[]): string {
  let out = '';
  for (let i = 0; i < states.length;) {
    let j = i;
    while (j < states.length && states[j] === states[i]) j++;
    out += `${states[i]}${j - i}`;
    i = j;
  }
  return out;
}

/** Appends granule tokens, merging a token equal to the last one into its count. */
class GranuleRuns {
  readonly items: [string, bigint][] = [];
  drawn = 0n;
  omitted = 0n;

  push(token: string, count: bigint): void {
    if (count <= 0n) return;
    if (token !== 'g') {
      const room = MAX_DRAWN_GRANULES - this.drawn;
      if (count > room) {
        this.omitted += count - room;
        count = room;
      }
      if (count <= 0n) return;
      this.drawn += count;
    }
    const last = this.items.at(-1);
    if (last && last[0] === token) last[1] += count;
    else this.items.push([token, count]);
  }

  text(): string {
    return this.items.map(([t, n]) => `${t}x${n}`).join(';');
  }
}

/** The token of the granule at `g` inside `r`: each page committed, reserved or unusable. */
function granuleToken(r: LiveRegion, g: bigint): string {
  const tailEnd = roundUp(r.end, GRANULE);
  const states: string[] = [];
  for (let p = g; p < g + GRANULE; p += PAGE) states.push(p < r.commitEnd ? 'c' : p < r.end ? 'r' : p < tailEnd ? 'u' : 'f');
  return pageRuns(states);
}

/** The granules of one region: whole committed and reserved stretches in bulk, the granules at the edges page by page. */
function regionGranules(r: LiveRegion, out: GranuleRuns): void {
  const last = roundUp(r.end, GRANULE);
  const committed = r.commitEnd < r.end ? r.commitEnd : r.end;
  const commitFull = r.base + ((committed > r.base ? committed - r.base : 0n) / GRANULE) * GRANULE;
  const reserveFull = r.base + ((r.end - r.base) / GRANULE) * GRANULE;
  out.push('c16', (commitFull - r.base) / GRANULE);
  let g = commitFull;
  if (g < last && committed > g) {
    out.push(granuleToken(r, g), 1n);
    g += GRANULE;
  }
  if (reserveFull > g) {
    out.push('r16', (reserveFull - g) / GRANULE);
    g = reserveFull;
  }
  for (; g < last; g += GRANULE) out.push(granuleToken(r, g), 1n);
}

function typeRows(regions: LiveRegion[], userSpace: bigint | undefined, freeRuns: number): TypeRow[] {
  const rows: Record<'Private' | 'Mapped', TypeRow> = {
    Private: { type: 'Private', size: 0n, committed: 0n, count: 0 },
    Mapped: { type: 'Mapped', size: 0n, committed: 0n, count: 0 },
  };
  const unusable: TypeRow = { type: 'Unusable', size: 0n, committed: 0n, count: 0 };
  for (const r of regions) {
    const row = rows[r.mapped ? 'Mapped' : 'Private'];
    row.count++;
    row.size += r.end - r.base;
    row.committed += (r.commitEnd < r.end ? r.commitEnd : r.end) - r.base;
    if (r.unusable > 0n) {
      unusable.count++;
      unusable.size += r.unusable;
    }
  }
  const out = [rows.Private, rows.Mapped, unusable];
  if (userSpace !== undefined) {
    const used = out.reduce((n, row) => n + row.size, 0n);
    out.push({ type: 'Free', size: userSpace > used ? userSpace - used : 0n, committed: 0n, count: freeRuns });
  }
  return out;
}

/** The address space of one process from its live reservations. */
export function addressSpaceOf(pid: number, live: Iterable<LiveRegion>): AddressSpace {
  const regions = [...live].filter((r) => r.end > r.base).sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  const top = regions.reduce((m, r) => (roundUp(r.end, GRANULE) > m ? roundUp(r.end, GRANULE) : m), 0n);
  const bits: 32 | 64 = top <= FOUR_GB ? 32 : 64;
  // a 32-bit process starts at 64 KB and ends at 2 GB, or at 4 GB (large address aware under a 64-bit Windows)
  const start = bits === 32 ? GRANULE : regions.length ? regions[0]!.base : 0n;
  const end = bits === 32 ? (top <= TWO_GB ? TWO_GB : FOUR_GB) : top;
  const out = new GranuleRuns();
  let cursor = start;
  let freeRuns = 0;
  const free = (to: bigint) => {
    const n = (to - cursor) / GRANULE;
    if (n <= 0n) return;
    freeRuns++;
    if (bits === 64 && n > FOLD_GRANULES) out.push('g', n);
    else out.push('f16', n);
  };
  for (const r of regions) {
    if (r.base < cursor) continue; // overlaps one drawn already (a release the shim did not see)
    free(r.base);
    regionGranules(r, out);
    cursor = roundUp(r.end, GRANULE);
  }
  free(end);
  return {
    pid,
    bits,
    start,
    end,
    granules: out.text(),
    drawn: Number(out.drawn),
    omitted: Number(out.omitted),
    types: typeRows(regions, bits === 32 ? end - start : undefined, freeRuns),
  };
}
