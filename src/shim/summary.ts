// Totals and the granule map of a runtime report, in the terms VMMap uses:
// reserved, committed and unusable bytes, and every 64 KB granule's pages.

import { addressSpaceOf, Timeline, type AddressSpace, type LiveRegion, type TimelinePoint } from './address-space.js';
import { commitsOf, isRelease, releasedBase, roundUp, type ShimRecord } from './report.js';
import { compareText } from '../engine/model/order.js';

const PAGE = 0x1000n;
const GRANULE = 0x10000n;
const PAGES_PER_GRANULE = 16;

/** Page states in a granule's `pages` string, one character per 4 KB page. */
export const PAGE_STATE = { free: '.', reserved: 'r', committed: 'c', unusable: 'u' } as const;
export type GranuleState = keyof typeof PAGE_STATE;

export interface SizeCount {
  size: bigint;
  count: number;
}

/** All the calls made at one place in the source (or, before symbolisation, at one return address). */
export interface CallSite {
  /** "file:line" or, for records with no source location, the first stack entry. */
  key: string;
  api: string;
  file: string;
  line: number;
  func: string;
  calls: number;
  failedCalls: number;
  wastingCalls: number;
  /** Distinct sizes, most frequent first. */
  sizes: SizeCount[];
  reservedBytes: bigint;
  unusableBytes: bigint;
  /** Stack of the first wasting call (or of the first call). */
  stack: string[];
  /** Symbolised frames of that stack, "file:line func" where known. */
  frames: string[];
}

export interface GranuleCell {
  kind: 'granule';
  /** Base address of the granule (a multiple of 64 KB). */
  address: bigint;
  /** 16 characters, one per 4 KB page: see PAGE_STATE. */
  pages: string;
  state: GranuleState;
  /** Call site (CallSite.key) of the reservation that owns the granule. */
  site: string;
}

export interface GapCell {
  kind: 'gap';
  address: bigint;
  /** Free (unrecorded) granules between two recorded ones. */
  granules: bigint;
}

export type MapCell = GranuleCell | GapCell;

export interface ProcessMap {
  pid: number;
  cells: MapCell[];
  /** Granules with a recorded page. */
  granules: number;
  /** Granules left out of `cells` because of the limit. */
  omitted: number;
  committedPages: number;
  reservedPages: number;
  unusablePages: number;
}

export interface RuntimeSummary {
  records: number;
  /** Calls that reserve address space (successful or not). */
  reservations: number;
  failedCalls: number;
  wastingCalls: number;
  /** Sum over successful reservations of their page-rounded size. */
  reservedBytes: bigint;
  /** Bytes committed by the recorded calls (reservations with MEM_COMMIT, commits, views). */
  committedBytes: bigint;
  /** Sum of the unusable tails: what VMMap shows as Unusable. */
  unusableBytes: bigint;
  /** Calls per API (releases not included). */
  apis: Record<string, number>;
  /** Release calls recorded (VirtualFree, VirtualFreeEx, UnmapViewOfFile, NtFreeVirtualMemory), successful or not;
   * they are not counted in `records` or any figure above. 0 for a report of a shim that did not record them. */
  releases: number;
  /** Reservations that a recorded release ended. */
  releasedReservations: number;
  /** The most unusable bytes live at one moment: each process's peak, added up over the processes. */
  peakUnusableBytes: bigint;
  /** Unusable bytes of the reservations that were never released: still live when the program ended. */
  unusableAtExitBytes: bigint;
  /** Reservations never released (leaks, or held to the end), and their page-rounded size. */
  leakedReservations: number;
  leakedBytes: bigint;
  /** Each process's address space at the end of the run, to scale (the reservations never released). */
  spaces: AddressSpace[];
  /** Unusable bytes live over the run, all processes together. */
  timeline: TimelinePoint[];
  /** Call sites, most unusable bytes first. */
  callSites: CallSite[];
  processes: ProcessMap[];
}

export interface SummaryOptions {
  /** Granules kept per process in the map (default 8192). */
  maxGranules?: number;
}

/** The site key of a record: its source location, or its first return address. */
export function siteKey(r: ShimRecord): string {
  if (r.file && r.line > 0) return `${r.file}:${r.line}`;
  const f = r.frames[0];
  if (f?.file && f.line) return `${f.file}:${f.line}`;
  return r.stack[0] ?? `${r.api} (no location)`;
}

function frameText(r: ShimRecord): string[] {
  return r.frames.map((f) => {
    if (f.file && f.line) return `${f.file}:${f.line}${f.func ? ` ${f.func}` : ''}`;
    if (f.offset !== undefined) return `${f.module}+0x${f.offset.toString(16)}${f.func ? ` ${f.func}` : ''}`;
    if (f.address !== undefined) return `0x${f.address.toString(16)}`;
    return f.module;
  });
}

/** Base and end (page-rounded) of the region a successful reservation or commit covers. */
export function regionOf(r: ShimRecord): { base: bigint; end: bigint } | undefined {
  if (r.result === 0n) return undefined;
  const start = r.address !== 0n ? r.address : r.result;
  const end = roundUp(start + r.size, PAGE);
  if (r.reserve) return { base: r.result - (r.result % GRANULE), end };
  return { base: start - (start % PAGE), end };
}

/** Distinct sizes counted per call site; a site whose sizes vary more counts further sizes only as calls. */
export const MAX_DISTINCT_SIZES = 4096;

/** Counts a size, up to MAX_DISTINCT_SIZES distinct ones, so a site with ever-changing sizes stays small. */
export function countSize(sizes: Map<bigint, number>, size: bigint): void {
  const n = sizes.get(size);
  if (n !== undefined) sizes.set(size, n + 1);
  else if (sizes.size < MAX_DISTINCT_SIZES) sizes.set(size, 1);
}

/** Builds a RuntimeSummary one record at a time: it keeps totals, call sites and granule maps, never the records. */
export class Summarizer {
  private readonly sum: RuntimeSummary = {
    records: 0,
    reservations: 0,
    failedCalls: 0,
    wastingCalls: 0,
    reservedBytes: 0n,
    committedBytes: 0n,
    unusableBytes: 0n,
    apis: {},
    releases: 0,
    releasedReservations: 0,
    peakUnusableBytes: 0n,
    unusableAtExitBytes: 0n,
    leakedReservations: 0,
    leakedBytes: 0n,
    spaces: [],
    timeline: [],
    callSites: [],
    processes: [],
  };
  private readonly live = new LiveReservations();
  private readonly sites = new Map<string, CallSite & { sizeMap: Map<bigint, number> }>();
  private readonly maps = new Map<number, Map<bigint, { pages: string[]; site: string }>>();
  private readonly maxGranules: number;

  constructor(opts: SummaryOptions = {}) {
    this.maxGranules = opts.maxGranules ?? 8192;
  }

  add(r: ShimRecord): void {
    const sum = this.sum;
    if (isRelease(r)) {
      sum.releases++;
      const base = releasedBase(r);
      if (base !== undefined && this.live.release(r.pid, base, r.ts)) sum.releasedReservations++;
      return;
    }
    sum.records++;
    sum.apis[r.api] = (sum.apis[r.api] ?? 0) + 1;
    const failed = r.result === 0n;
    if (failed) sum.failedCalls++;
    if (r.reserve) sum.reservations++;
    if (r.unusable > 0n) sum.wastingCalls++;
    sum.unusableBytes += r.unusable;
    const region = regionOf(r);
    if (region && r.reserve) sum.reservedBytes += region.end - region.base;
    if (region && (commitsOf(r.flags) || !r.reserve)) sum.committedBytes += region.end - region.base;
    if (region && r.reserve) this.live.reserve(r, region.end, commitsOf(r.flags) || r.api.startsWith('MapViewOfFile'));
    else if (region) this.live.commit(r.pid, region.base, region.end);

    const key = siteKey(r);
    let site = this.sites.get(key);
    if (!site) {
      const f0 = r.frames[0];
      site = {
        key,
        api: r.api,
        file: r.file || f0?.file || '',
        line: r.line || f0?.line || 0,
        func: r.func || f0?.func || '',
        calls: 0,
        failedCalls: 0,
        wastingCalls: 0,
        sizes: [],
        sizeMap: new Map(),
        reservedBytes: 0n,
        unusableBytes: 0n,
        stack: r.stack,
        frames: frameText(r),
      };
      this.sites.set(key, site);
    }
    site.calls++;
    if (failed) site.failedCalls++;
    if (r.unusable > 0n) {
      if (site.wastingCalls === 0) {
        site.stack = r.stack;
        site.frames = frameText(r);
      }
      site.wastingCalls++;
    }
    site.unusableBytes += r.unusable;
    if (region && r.reserve) site.reservedBytes += region.end - region.base;
    countSize(site.sizeMap, r.size);

    if (region) paint(this.maps, r, region, key, this.maxGranules);
  }

  result(): RuntimeSummary {
    const sum: RuntimeSummary = { ...this.sum, apis: { ...this.sum.apis }, ...this.live.result() };
    sum.callSites = [...this.sites.values()]
      .map(({ sizeMap, ...s }) => ({
        ...s,
        sizes: [...sizeMap].map(([size, count]) => ({ size, count })).sort((a, b) => b.count - a.count || (a.size < b.size ? -1 : 1)),
      }))
      .sort((a, b) => (b.unusableBytes > a.unusableBytes ? 1 : b.unusableBytes < a.unusableBytes ? -1 : b.calls - a.calls || compareText(a.key, b.key)));
    sum.processes = [...this.maps].sort((a, b) => a[0] - b[0]).map(([pid, granules]) => toProcessMap(pid, granules, this.maxGranules));
    return sum;
  }
}

/**
 * The reservations live at each moment, per process, from the reservations and the releases in the order they
 * were recorded (a release is written after the call that returned its address). Holds one entry per live
 * reservation, so memory follows what the program holds at once, not the length of the report.
 */
class LiveReservations {
  private readonly processes = new Map<number, { live: Map<bigint, LiveRegion>; unusable: bigint; peak: bigint }>();
  private readonly timeline = new Timeline();
  private unusable = 0n;

  reserve(r: ShimRecord, end: bigint, committed: boolean): void {
    const p = this.process(r.pid);
    const before = p.live.get(r.result);
    if (before) this.change(p, -before.unusable, r.ts); // released by a call the shim did not see
    p.live.set(r.result, { base: r.result, end, commitEnd: committed ? end : r.result, unusable: r.unusable, mapped: r.api.startsWith('MapViewOfFile') });
    this.change(p, r.unusable, r.ts);
  }

  /** A commit inside a live reservation (found by its granule): its pages are drawn committed up to `end`. */
  commit(pid: number, start: bigint, end: bigint): void {
    const held = this.process(pid).live.get(start - (start % GRANULE));
    if (held && end > held.commitEnd) held.commitEnd = end;
  }

  /** Ends the reservation at `base`; false when none is live there. */
  release(pid: number, base: bigint, ts: number): boolean {
    const p = this.process(pid);
    const held = p.live.get(base);
    if (!held) return false;
    p.live.delete(base);
    this.change(p, -held.unusable, ts);
    return true;
  }

  result(): Pick<RuntimeSummary, 'peakUnusableBytes' | 'unusableAtExitBytes' | 'leakedReservations' | 'leakedBytes' | 'spaces' | 'timeline'> {
    const out = { peakUnusableBytes: 0n, unusableAtExitBytes: 0n, leakedReservations: 0, leakedBytes: 0n };
    for (const p of this.processes.values()) {
      out.peakUnusableBytes += p.peak;
      out.unusableAtExitBytes += p.unusable;
      out.leakedReservations += p.live.size;
      for (const held of p.live.values()) out.leakedBytes += held.end - held.base;
    }
    const spaces = [...this.processes].sort((a, b) => a[0] - b[0]).map(([pid, p]) => addressSpaceOf(pid, p.live.values()));
    return { ...out, spaces, timeline: this.timeline.result() };
  }

  private change(p: { unusable: bigint; peak: bigint }, by: bigint, ts: number): void {
    p.unusable += by;
    if (p.unusable > p.peak) p.peak = p.unusable;
    this.unusable += by;
    if (by !== 0n) this.timeline.add(ts, this.unusable);
  }

  private process(pid: number) {
    let p = this.processes.get(pid);
    if (!p) this.processes.set(pid, (p = { live: new Map(), unusable: 0n, peak: 0n }));
    return p;
  }
}

export function summarize(records: Iterable<ShimRecord>, opts: SummaryOptions = {}): RuntimeSummary {
  const s = new Summarizer(opts);
  for (const r of records) s.add(r);
  return s.result();
}

/** Paints the pages of one call into the process's granule map. A later reservation over the same
 * addresses replaces an earlier one (the address was released in between; the map shows the last one).
 * A region of more than `limit` granules is painted at its start and its last granule only: the map
 * draws no more than that per process anyway, and a recorded size of terabytes must not cost a loop
 * over every page. */
function paint(
  maps: Map<number, Map<bigint, { pages: string[]; site: string }>>,
  r: ShimRecord,
  region: { base: bigint; end: bigint },
  key: string,
  limit: number,
): void {
  let map = maps.get(r.pid);
  if (!map) maps.set(r.pid, (map = new Map<bigint, { pages: string[]; site: string }>()));
  const fresh = (): { pages: string[]; site: string } => ({ pages: Array<string>(PAGES_PER_GRANULE).fill(PAGE_STATE.free), site: key });
  const set = (page: bigint, state: string, own: boolean) => {
    const g = page - (page % GRANULE);
    let cell = map.get(g);
    if (!cell) map.set(g, (cell = fresh()));
    if (own) cell.site = key;
    cell.pages[Number((page - g) / PAGE)] = state;
  };
  const tail = roundUp(region.end, GRANULE);
  const spans: [bigint, bigint][] = [];
  const head = region.base - (region.base % GRANULE) + BigInt(limit) * GRANULE;
  if (tail <= head) spans.push([region.base, tail]);
  else spans.push([region.base, head], [tail - GRANULE, tail]);
  for (const [from, to] of spans) {
    if (r.reserve) {
      const committed = commitsOf(r.flags);
      // a fresh reservation owns every granule it spans: clear them first
      for (let g = from - (from % GRANULE); g < to; g += GRANULE) map.set(g, { ...fresh(), site: key });
      for (let p = from; p < to && p < region.end; p += PAGE) set(p, committed ? PAGE_STATE.committed : PAGE_STATE.reserved, true);
      for (let p = region.end > from ? region.end : from; p < to; p += PAGE) set(p, PAGE_STATE.unusable, true);
    } else if (commitsOf(r.flags)) {
      for (let p = from; p < to && p < region.end; p += PAGE) set(p, PAGE_STATE.committed, false);
    }
  }
}

export function stateOf(pages: string): GranuleState {
  if (pages.includes(PAGE_STATE.committed)) return 'committed';
  if (pages.includes(PAGE_STATE.reserved)) return 'reserved';
  if (pages.includes(PAGE_STATE.unusable)) return 'unusable';
  return 'free';
}

function toProcessMap(pid: number, granules: Map<bigint, { pages: string[]; site: string }>, max: number): ProcessMap {
  const addresses = [...granules.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: ProcessMap = {
    pid,
    cells: [],
    granules: addresses.length,
    omitted: Math.max(0, addresses.length - max),
    committedPages: 0,
    reservedPages: 0,
    unusablePages: 0,
  };
  for (const g of granules.values()) {
    for (const p of g.pages) {
      if (p === PAGE_STATE.committed) out.committedPages++;
      else if (p === PAGE_STATE.reserved) out.reservedPages++;
      else if (p === PAGE_STATE.unusable) out.unusablePages++;
    }
  }
  let prev: bigint | undefined;
  for (const address of addresses.slice(0, max)) {
    if (prev !== undefined && address - prev > GRANULE) out.cells.push({ kind: 'gap', address: prev + GRANULE, granules: (address - prev) / GRANULE - 1n });
    const cell = granules.get(address)!;
    const pages = cell.pages.join('');
    out.cells.push({ kind: 'granule', address, pages, state: stateOf(pages), site: cell.site });
    prev = address;
  }
  return out;
}
