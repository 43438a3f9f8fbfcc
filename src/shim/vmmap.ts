// Pictures of a runtime summary in the manner of VMMap's fragmentation view:
// every 64 KB granule is a cell whose 16 pages are coloured committed,
// reserved, unusable or free. Pure functions of the summary.

import type { CallSite, GranuleCell, MapCell, ProcessMap, RuntimeSummary } from './summary.js';
import { printable } from '../formats/printable.js';
import { PAGE_STATE } from './summary.js';
import type { AddressSpace } from './address-space.js';
import { renderSpaces, SPACE_CSS, SPACE_WIDTH, spaceSvg } from './vmmap-space.js';
import { sourceHref, type SourceLinkBase } from './source-link.js';
import { formatBytes, groupDigits, PAGE_COLORS, PAGE_LABEL, plural, TYPE_COLUMNS, SITE_COLUMNS, TOP_SITES_HEADING, TOTAL, typeCells } from './vocabulary.js';
import { escapeXml } from './xml.js';

export { formatBytes, groupDigits, plural } from './vocabulary.js';

export interface RenderOptions {
  /** Call sites listed (default 10 in text, 25 in HTML). */
  top?: number;
  /** Granule cells drawn per process (default 4096). */
  maxCells?: number;
  /** Granules per row of the map (default 48 in pictures, 64 in text). */
  columns?: number;
  /** Title of the picture. */
  title?: string;
  /** Where the page goes and where the report's source paths start, for the call sites' links (default: both the working directory). */
  links?: SourceLinkBase;
}

export const COLORS = {
  committed: PAGE_COLORS.committed,
  reserved: PAGE_COLORS.reserved,
  unusable: PAGE_COLORS.unusable,
  free: '#ffffff',
  gap: '#e9edf2',
  border: '#c9cfd6',
  text: '#1f2328',
} as const;

const STATE_OF_CHAR: Record<string, keyof typeof COLORS> = {
  [PAGE_STATE.committed]: 'committed',
  [PAGE_STATE.reserved]: 'reserved',
  [PAGE_STATE.unusable]: 'unusable',
  [PAGE_STATE.free]: 'free',
};

export { escapeXml };

const hex = (n: bigint) => `0x${n.toString(16)}`;

function sizesText(site: CallSite, max = 3): string {
  const parts = site.sizes.slice(0, max).map((s) => (s.count > 1 ? `${s.size}×${s.count}` : `${s.size}`));
  if (site.sizes.length > max) parts.push(`+${site.sizes.length - max} more`);
  return parts.join(', ');
}

function siteLabel(site: CallSite): string {
  return site.func ? `${site.key} (${site.func})` : site.key;
}

function pageSummary(pages: string): string {
  const count = (c: string) => [...pages].filter((p) => p === c).length;
  const parts: string[] = [];
  for (const [char, name] of Object.entries(STATE_OF_CHAR)) {
    const n = count(char);
    if (n && name !== 'free') parts.push(`${n * 4} KB ${name}`);
  }
  const free = count(PAGE_STATE.free);
  if (free) parts.push(`${free * 4} KB free`);
  return parts.join(', ');
}

/* ------------------------------------------------------------------ text */

function granuleChar(cell: GranuleCell): string {
  const unusable = cell.pages.includes(PAGE_STATE.unusable);
  switch (cell.state) {
    case 'committed':
      return unusable ? '%' : '#';
    case 'reserved':
      return unusable ? '*' : '+';
    case 'unusable':
      return '-';
    default:
      return '.';
  }
}

/**
 * What the recorded releases tell: the peak and the final unusable bytes, and the reservations never released.
 * Empty for a report without releases (a shim that did not record them, or a program that frees nothing).
 */
export function liveTotals(summary: RuntimeSummary): { id: string; label: string; value: string }[] {
  if (summary.releases === 0) return [];
  return [
    { id: 'peak-unusable', label: TOTAL.peakUnusable, value: formatBytes(summary.peakUnusableBytes) },
    { id: 'unusable-at-exit', label: TOTAL.unusableAtExit, value: formatBytes(summary.unusableAtExitBytes) },
    {
      id: 'never-released',
      label: TOTAL.neverReleased,
      value: `${plural(summary.leakedReservations, 'reservation')}, ${formatBytes(summary.leakedBytes)} (${groupDigits(summary.releasedReservations)} of ${groupDigits(summary.reservations)} released)`,
    },
  ];
}

/** VMMap's table by type for one address space, as text lines. */
function typeTableText(space: AddressSpace): string[] {
  const cells = typeCells(space).map((c) => [c.type, c.size, c.committed, c.count]);
  const head = [...TYPE_COLUMNS];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.filter((r) => r[0] !== 'Image').map((r) => r[i]!.length)));
  const fmt = (r: string[]) =>
    ('  ' + r.map((c, i) => (i === 0 || (i === 1 && r[0] === 'Image') ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).trimEnd();
  return [`Address space of process ${space.pid} (${space.bits}-bit) by type, at the end of the run:`, fmt(head), ...cells.map(fmt)];
}

export function renderText(summary: RuntimeSummary, opts: RenderOptions = {}): string {
  const top = opts.top ?? 10;
  const columns = opts.columns ?? 64;
  const maxCells = opts.maxCells ?? 4096;
  const out: string[] = [];
  out.push(
    `${printable(opts.title ?? 'granule runtime report')}: ${plural(summary.records, 'call')}, ${plural(summary.reservations, 'reservation')}` +
      `${summary.failedCalls ? ` (${plural(summary.failedCalls, 'failed call')})` : ''}, ${groupDigits(summary.wastingCalls)} ${summary.wastingCalls === 1 ? 'leaves' : 'leave'} unusable space`,
  );
  const totals = [
    { label: TOTAL.reserved, value: formatBytes(summary.reservedBytes) },
    { label: TOTAL.committed, value: formatBytes(summary.committedBytes) },
    { label: TOTAL.unusable, value: formatBytes(summary.unusableBytes) },
    ...liveTotals(summary),
  ];
  const labelWidth = Math.max(...totals.map((t) => t.label.length)) + 2;
  for (const t of totals) out.push(`  ${t.label.padEnd(labelWidth)}${t.value}`);
  for (const space of summary.spaces.filter((sp) => sp.drawn > 0)) out.push('', ...typeTableText(space));
  const sites = summary.callSites.slice(0, top);
  if (sites.length) {
    out.push('');
    out.push(`${TOP_SITES_HEADING}${summary.callSites.length > top ? ` (${top} of ${summary.callSites.length})` : ''}:`);
    const rows = sites.map((s) => [
      groupDigits(s.unusableBytes),
      groupDigits(s.calls),
      groupDigits(s.wastingCalls),
      sizesText(s),
      printable(`${s.api} at ${siteLabel(s)}`),
    ]);
    const head = [SITE_COLUMNS.unusable, SITE_COLUMNS.calls, SITE_COLUMNS.leavingUnusable, SITE_COLUMNS.sizes, SITE_COLUMNS.site];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const fmt = (r: string[]) => '  ' + r.map((c, i) => (i < 3 ? c.padStart(widths[i]!) : i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
    out.push(fmt(head));
    for (const r of rows) out.push(fmt(r));
  }
  for (const p of summary.processes) {
    out.push('');
    out.push(
      `Granule map of process ${p.pid}: ${plural(p.granules, 'granule')} (one character each: # committed, + reserved, % or * with an unusable tail, . free)`,
    );
    let row = '';
    let rowStart: bigint | undefined;
    let drawn = 0;
    const flush = () => {
      if (rowStart !== undefined && row) out.push(`  ${hex(rowStart).padStart(14)}  ${row}`);
      row = '';
      rowStart = undefined;
    };
    for (const cell of p.cells) {
      if (drawn >= maxCells) break;
      if (cell.kind === 'gap') {
        flush();
        out.push(`  ${''.padStart(14)}  … ${groupDigits(cell.granules)} free granule${cell.granules === 1n ? '' : 's'} …`);
        continue;
      }
      if (rowStart === undefined) rowStart = cell.address;
      row += granuleChar(cell);
      drawn++;
      if (row.length >= columns) flush();
    }
    flush();
    const left = p.granules - drawn;
    if (left > 0) out.push(`  … ${groupDigits(left)} more granules not shown`);
  }
  return out.join('\n') + '\n';
}

/* ------------------------------------------------------------------- SVG */

const CELL = 16;
const GAP = 2;
const PAGE_PX = 4;

interface MapLayout {
  body: string;
  width: number;
  height: number;
  drawn: number;
}

function cellTitle(cell: GranuleCell): string {
  return `${hex(cell.address)}: ${pageSummary(cell.pages)} (${cell.site})`;
}

function drawGranule(cell: GranuleCell, x: number, y: number): string {
  // background in the commonest state, then the pages that differ (a 4 x 4 grid, row-major)
  const counts = new Map<string, number>();
  for (const c of cell.pages) counts.set(c, (counts.get(c) ?? 0) + 1);
  const bg = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  const parts = [
    `<g class="granule ${cell.state}${cell.pages.includes(PAGE_STATE.unusable) ? ' has-unusable' : ''}" data-address="${hex(cell.address)}" data-pages="${cell.pages}" transform="translate(${x},${y})">`,
    `<title>${escapeXml(cellTitle(cell))}</title>`,
    `<rect width="${CELL}" height="${CELL}" fill="${COLORS[STATE_OF_CHAR[bg]!]}" stroke="${COLORS.border}" stroke-width="0.5"/>`,
  ];
  for (let i = 0; i < cell.pages.length; i++) {
    const c = cell.pages[i]!;
    if (c === bg) continue;
    parts.push(
      `<rect x="${(i % 4) * PAGE_PX}" y="${Math.floor(i / 4) * PAGE_PX}" width="${PAGE_PX}" height="${PAGE_PX}" fill="${COLORS[STATE_OF_CHAR[c]!]}"/>`,
    );
  }
  parts.push('</g>');
  return parts.join('');
}

function drawGap(cell: Extract<MapCell, { kind: 'gap' }>, x: number, y: number): string {
  const title = `${groupDigits(cell.granules)} free granule${cell.granules === 1n ? '' : 's'} from ${hex(cell.address)} (${formatBytes(cell.granules * 0x10000n)})`;
  return (
    `<g class="gap" data-address="${hex(cell.address)}" transform="translate(${x},${y})"><title>${escapeXml(title)}</title>` +
    `<rect width="${CELL}" height="${CELL}" fill="${COLORS.gap}" stroke="${COLORS.border}" stroke-width="0.5" stroke-dasharray="2 2"/>` +
    `<text x="${CELL / 2}" y="${CELL - 4}" font-size="10" text-anchor="middle" fill="#6e7781">…</text></g>`
  );
}

function layoutMap(p: ProcessMap, columns: number, maxCells: number, top: number): MapLayout {
  const parts: string[] = [];
  let col = 0;
  let row = 0;
  let drawn = 0;
  for (const cell of p.cells) {
    if (drawn >= maxCells && cell.kind === 'granule') break;
    const x = col * (CELL + GAP);
    const y = top + row * (CELL + GAP);
    parts.push(cell.kind === 'gap' ? drawGap(cell, x, y) : drawGranule(cell, x, y));
    if (cell.kind === 'granule') drawn++;
    col++;
    if (col >= columns) {
      col = 0;
      row++;
    }
  }
  const rows = row + (col > 0 ? 1 : 0);
  return { body: parts.join('\n'), width: columns * (CELL + GAP), height: top + rows * (CELL + GAP), drawn };
}

function legendSvg(y: number): string {
  const items: [string, string][] = [
    [PAGE_LABEL.committed, COLORS.committed],
    [PAGE_LABEL.reserved, COLORS.reserved],
    [PAGE_LABEL.unusable, COLORS.unusable],
    [PAGE_LABEL.free, COLORS.free],
  ];
  return items
    .map(
      ([name, color], i) =>
        `<g class="legend-item" transform="translate(${i * 110},${y})"><rect width="12" height="12" fill="${color}" stroke="${COLORS.border}"/>` +
        `<text x="18" y="11" font-size="12">${name}</text></g>`,
    )
    .join('');
}

/** The granule map of one process, as an SVG fragment (no XML prolog). */
export function renderProcessSvg(p: ProcessMap, opts: RenderOptions = {}): string {
  const columns = opts.columns ?? 48;
  const maxCells = opts.maxCells ?? 4096;
  const map = layoutMap(p, columns, maxCells, 0);
  const more = p.granules - map.drawn;
  const note = more > 0 ? `<text class="omitted" x="0" y="${map.height + 14}" font-size="12">${groupDigits(more)} more granules not drawn</text>` : '';
  const height = map.height + (more > 0 ? 20 : 0);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="granule-map" data-pid="${p.pid}" width="${map.width}" height="${height}" viewBox="0 0 ${map.width} ${height}" role="img" aria-label="granule map of process ${p.pid}">` +
    map.body +
    note +
    '</svg>'
  );
}

/** A standalone SVG picture: totals, legend and the granule map of each process. */
export function renderSvg(summary: RuntimeSummary, opts: RenderOptions = {}): string {
  const columns = opts.columns ?? 48;
  const maxCells = opts.maxCells ?? 4096;
  const width = Math.max(columns * (CELL + GAP), summary.spaces.some((sp) => sp.drawn > 0) ? SPACE_WIDTH : 460);
  const lines = [
    opts.title ?? 'granule: reserved, committed and unusable address space',
    `${TOTAL.reserved} ${formatBytes(summary.reservedBytes)} · ${TOTAL.committed} ${formatBytes(summary.committedBytes)}`,
    `${TOTAL.unusable} ${formatBytes(summary.unusableBytes)} · ${TOTAL.callsLeavingUnusable} ${groupDigits(summary.wastingCalls)} of ${groupDigits(summary.records)}`,
  ];
  const live = liveTotals(summary);
  for (const t of live) lines.push(`${t.label} ${t.value}`);
  const parts: string[] = [];
  parts.push(`<text class="title" x="0" y="16" font-size="15" font-weight="600">${escapeXml(lines[0]!)}</text>`);
  lines.slice(1).forEach((l, i) => parts.push(`<text class="totals" x="0" y="${36 + i * 16}" font-size="12">${escapeXml(l)}</text>`));
  let y = 36 + (lines.length - 2) * 16 + 10;
  parts.push(legendSvg(y));
  y += 30;
  const spaces = summary.spaces.filter((sp) => sp.drawn > 0);
  for (const space of spaces) {
    const drawn = spaceSvg(space, y);
    parts.push(drawn.body);
    y += drawn.height + 12;
  }
  if (spaces.length) {
    parts.push(
      `<text class="map-title" x="0" y="${y + 12}" font-size="13" font-weight="600">Granule map: one cell a 64 KB granule, one square a 4 KB page</text>`,
    );
    y += 24;
  }
  if (summary.processes.length === 0) {
    parts.push(`<text class="empty" x="0" y="${y + 12}" font-size="12">No successful reservation was recorded.</text>`);
    y += 24;
  }
  for (const p of summary.processes) {
    parts.push(`<text class="process-title" x="0" y="${y + 12}" font-size="12" font-weight="600">process ${p.pid}: ${plural(p.granules, 'granule')}</text>`);
    y += 20;
    const map = layoutMap(p, columns, maxCells, 0);
    parts.push(`<g class="granule-map" data-pid="${p.pid}" transform="translate(0,${y})">${map.body}</g>`);
    y += map.height + 8;
    const more = p.granules - map.drawn;
    if (more > 0) {
      parts.push(`<text class="omitted" x="0" y="${y + 10}" font-size="12">${groupDigits(more)} more granules not drawn</text>`);
      y += 18;
    }
    y += 8;
  }
  const margin = 12;
  const w = width + 2 * margin;
  const h = y + 2 * margin;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="system-ui, sans-serif" fill="${COLORS.text}">\n` +
    `<rect class="background" width="100%" height="100%" fill="#ffffff"/>\n` +
    `<g transform="translate(${margin},${margin})">\n` +
    parts.join('\n') +
    '\n</g>\n</svg>\n'
  );
}

/* ------------------------------------------------------------------ HTML */

const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: ${COLORS.text}; margin: 24px; background: #fff; }
h1 { font-size: 20px; margin: 0 0 12px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
table { border-collapse: collapse; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e5e7eb; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
#totals td:first-child { font-weight: 600; }
#totals tr.unusable td { color: ${PAGE_COLORS.unusable}; }
.legend { display: flex; gap: 18px; margin: 8px 0 12px; }
.legend span { display: inline-flex; align-items: center; gap: 6px; }
.swatch { width: 12px; height: 12px; border: 1px solid ${COLORS.border}; display: inline-block; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
details summary { cursor: pointer; }
.granule-map .granule:hover rect:first-of-type { stroke: #0969da; stroke-width: 1.5; }
.note { color: #57606a; }
a.source { color: #0969da; text-decoration: none; }
a.source:hover { text-decoration: underline; }
`;

/** The call site as a link that opens its source file at the line, or as plain code where the report names no file. */
function siteLink(site: CallSite, links: SourceLinkBase): string {
  const href = sourceHref(site.file, site.line, links);
  const code = `<code>${escapeXml(site.key)}</code>`;
  return href === undefined ? code : `<a class="source" href="${escapeXml(href)}">${code}</a>`;
}

/** A standalone HTML page: totals, call sites with their stacks, and each process's granule map. */
export function renderHtml(summary: RuntimeSummary, opts: RenderOptions = {}): string {
  const top = opts.top ?? 25;
  const title = opts.title ?? 'granule: address space of the recorded run';
  const e = escapeXml;
  const rows: string[] = [];
  const total = (id: string, label: string, value: string, cls = '') =>
    `<tr id="${id}"${cls ? ` class="${cls}"` : ''}><td>${label}</td><td class="num">${e(value)}</td></tr>`;
  rows.push(total('total-reserved', TOTAL.reserved, formatBytes(summary.reservedBytes)));
  rows.push(total('total-committed', TOTAL.committed, formatBytes(summary.committedBytes)));
  rows.push(total('total-unusable', TOTAL.unusable, formatBytes(summary.unusableBytes), 'unusable'));
  rows.push(total('wasting-calls', TOTAL.callsLeavingUnusable, `${groupDigits(summary.wastingCalls)} of ${groupDigits(summary.records)}`));
  rows.push(total('total-reservations', TOTAL.reservations, groupDigits(summary.reservations)));
  if (summary.failedCalls) rows.push(total('failed-calls', TOTAL.failedCalls, groupDigits(summary.failedCalls)));
  for (const t of liveTotals(summary)) rows.push(total(t.id, t.label, t.value, t.id === 'never-released' ? '' : 'unusable'));

  const links = opts.links ?? { pageDir: process.cwd(), sourceRoot: process.cwd() };
  const sites = summary.callSites.slice(0, top);
  const siteRows = sites.map((s) => {
    const stack = s.frames.length
      ? `<details><summary>${s.frames.length} frame${s.frames.length === 1 ? '' : 's'}</summary><ol>${s.frames.map((f) => `<li><code>${e(f)}</code></li>`).join('')}</ol></details>`
      : '';
    return (
      `<tr class="call-site${s.unusableBytes > 0n ? ' wasting' : ''}" data-site="${e(s.key)}">` +
      `<td class="num">${groupDigits(s.unusableBytes)}</td><td class="num">${groupDigits(s.calls)}</td><td class="num">${groupDigits(s.wastingCalls)}</td>` +
      `<td>${e(sizesText(s, 5))}</td><td><code>${e(s.api)}</code></td><td>${siteLink(s, links)}${s.func ? ` <span class="note">in ${e(s.func)}</span>` : ''}</td><td>${stack}</td></tr>`
    );
  });

  const legend = (['committed', 'reserved', 'unusable', 'free'] as const)
    .map((k) => `<span><i class="swatch" style="background:${COLORS[k]}"></i>${PAGE_LABEL[k]}</span>`)
    .join('');
  const processes = summary.processes.map(
    (p) =>
      `<section class="process" data-pid="${p.pid}"><h2>Process ${p.pid}</h2>` +
      `<p class="note">${plural(p.granules, 'granule')}: ${PAGE_LABEL.committed} ${formatBytes(BigInt(p.committedPages) * 4096n)}, ${PAGE_LABEL.reserved} ${formatBytes(BigInt(p.reservedPages) * 4096n)}, ${PAGE_LABEL.unusable} ${formatBytes(BigInt(p.unusablePages) * 4096n)}. Each cell is one 64 KB granule, each small square one 4 KB page; dashed cells stand for free address space between recorded reservations.</p>` +
      renderProcessSvg(p, opts) +
      '</section>',
  );

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${CSS}${SPACE_CSS}</style>
</head>
<body>
<h1>${e(title)}</h1>
<p class="note">Windows reserves address space in 64 KB granules. The part of a granule behind a smaller reservation can never be used: VMMap calls it Unusable. Totals count every recorded reservation call; releases are counted apart.</p>
<table id="totals"><tbody>
${rows.join('\n')}
</tbody></table>
${renderSpaces(summary.spaces, summary.timeline)}
<h2>${TOP_SITES_HEADING}</h2>
${
  siteRows.length
    ? `<table id="call-sites"><thead><tr><th class="num">${SITE_COLUMNS.unusable}</th><th class="num">${SITE_COLUMNS.calls}</th><th class="num">${SITE_COLUMNS.leavingUnusable}</th><th>${SITE_COLUMNS.sizes}</th><th>${SITE_COLUMNS.api}</th><th>${SITE_COLUMNS.site}</th><th>${SITE_COLUMNS.stack}</th></tr></thead><tbody>
${siteRows.join('\n')}
</tbody></table>${summary.callSites.length > top ? `<p class="note">${summary.callSites.length - top} more call sites not listed.</p>` : ''}`
    : '<p class="note" id="call-sites">No calls were recorded.</p>'
}
<h2>Granule map</h2>
<div class="legend">${legend}</div>
${processes.length ? processes.join('\n') : '<p class="note">No successful reservation was recorded.</p>'}
</body>
</html>
`;
}
