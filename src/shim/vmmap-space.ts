// The address-space part of `granule vmmap --html`: each process's address space to scale as a picture (one
// pixel per 4 KB page, a 4×4 block per 64 KB granule, 256 granules to a row), VMMap's summary table by type,
// and the unusable bytes over the run. The picture is a PNG painted here from the encoded granules
// (address-space.ts), so the page needs no script and a report of any length draws at once.

import type { AddressSpace, TimelinePoint } from './address-space.js';
import { encodePng } from './png.js';
import { escapeXml as e } from './xml.js';
import { formatBytes, groupDigits, PAGE_COLORS, PAGE_LABEL, TYPE_COLUMNS, typeCells } from './vocabulary.js';

/** The view's colours: Unusable is the headline, so it is the loud one. */
export const SPACE_COLORS = { ...PAGE_COLORS, gap: '#57606a' } as const;

export const SPACE_CSS = `
.space { margin: 8px 0 20px; }
.space img { border: 1px solid #c9cfd6; image-rendering: pixelated; display: block; }
.space-legend span { margin-right: 14px; }
table.types td, table.types th { padding: 2px 10px; }
tr.type-unusable td { color: ${SPACE_COLORS.unusable}; font-weight: 600; }
#timeline polyline { fill: none; stroke: ${SPACE_COLORS.unusable}; stroke-width: 1.5; }
`;

const rgbOf = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
/** The pixel colour of each page letter of the encoding: the palette of the legends. */
const RGB: Record<string, [number, number, number]> = {
  c: rgbOf(SPACE_COLORS.committed),
  r: rgbOf(SPACE_COLORS.reserved),
  u: rgbOf(SPACE_COLORS.unusable),
  f: rgbOf(SPACE_COLORS.free),
  g: rgbOf(SPACE_COLORS.gap),
};
const WIDTH = 1024;
/** Width in pixels of the address-space picture. */
export const SPACE_WIDTH = WIDTH;

/** The picture of one address space: a 4×4 block of pages per granule, 256 granules a row, a dark band per gap. */
export function paintSpace(space: AddressSpace): { width: number; height: number; rgb: Uint8Array } {
  const rows = rowsOf(space);
  const height = rows * 4;
  // white, the page's background, where the last row runs past the end of the address space
  const rgb = new Uint8Array(WIDTH * height * 3).fill(255);
  const px = (x: number, y: number, c: [number, number, number]) => rgb.set(c, (y * WIDTH + x) * 3);
  let i = 0;
  for (const item of space.granules ? space.granules.split(';') : []) {
    const at = item.lastIndexOf('x');
    const token = item.slice(0, at);
    const count = Number(item.slice(at + 1));
    if (token === 'g') {
      i = Math.ceil(i / 256) * 256;
      const y0 = Math.floor(i / 256) * 4;
      for (let x = 0; x < WIDTH; x++) for (let y = 1; y < 3; y++) px(x, y0 + y, RGB.g!);
      i += 256;
      continue;
    }
    const pages: [number, number, number][] = [];
    for (const m of token.matchAll(/([crufg])(\d+)/g)) for (let j = 0; j < Number(m[2]); j++) pages.push(RGB[m[1]!]!);
    for (let n = 0; n < count; n++, i++) {
      const gx = (i % 256) * 4;
      const gy = Math.floor(i / 256) * 4;
      for (let p = 0; p < 16; p++) px(gx + (p % 4), gy + (p >> 2), pages[p]!);
    }
  }
  return { width: WIDTH, height, rgb };
}

/** Rows of 256 granules the picture needs, gaps taking one row each. */
function rowsOf(space: AddressSpace): number {
  let granules = 0;
  for (const item of space.granules ? space.granules.split(';') : []) {
    const at = item.lastIndexOf('x');
    if (item.slice(0, at) === 'g') granules = Math.ceil(granules / 256) * 256 + 256;
    else granules += Number(item.slice(at + 1));
  }
  return Math.max(1, Math.ceil(granules / 256));
}

const hex = (n: bigint) => `0x${n.toString(16)}`;

/** VMMap's table by type, with the same cells as the text and the SVG. */
function typeTable(space: AddressSpace): string {
  const rows = typeCells(space).map((c) =>
    c.type === 'Image'
      ? `<tr class="type-image"><td>Image</td><td class="num" colspan="3">${e(c.size)}</td></tr>`
      : `<tr class="type-${c.type.toLowerCase()}"><td>${c.type}</td><td class="num">${e(c.size)}</td><td class="num">${e(c.committed)}</td><td class="num">${c.count}</td></tr>`,
  );
  const head = TYPE_COLUMNS.map((h, i) => `<th${i ? ' class="num"' : ''}>${h}</th>`).join('');
  return `<table class="types"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The address space of one process as a PNG. */
export function spacePng(space: AddressSpace): Buffer {
  const { width, height, rgb } = paintSpace(space);
  return encodePng(width, height, rgb);
}

function spaceSection(space: AddressSpace): string {
  const rows = rowsOf(space);
  const what =
    space.bits === 32
      ? `the whole user address space of a 32-bit process, ${e(formatBytes(space.end - space.start))} from ${hex(space.start)} to ${hex(space.end)}`
      : `the used ranges of a 64-bit process, from ${hex(space.start)} to ${hex(space.end)}; dark bands fold long free stretches`;
  return (
    `<section class="space" data-pid="${space.pid}"><h3>Process ${space.pid}: ${space.bits}-bit</h3>` +
    `<p class="note">At the end of the run: ${what}. Each row holds 256 granules of 64 KB (16 MB); each pixel is one 4 KB page. Address space without a recorded reservation is drawn free, also where the program's modules and the runtime's own memory are.` +
    `${space.omitted ? ` ${groupDigits(space.omitted)} more granules are not drawn.` : ''}</p>` +
    `<img class="space-map" width="${WIDTH}" height="${rows * 4}" alt="the address space of process ${space.pid}, one pixel per 4 KB page" src="data:image/png;base64,${spacePng(space).toString('base64')}">` +
    typeTable(space) +
    '</section>'
  );
}

/** VMMap's table by type as SVG text, the same cells as the HTML's: Type left, the numbers right-aligned. */
function typeTableSvg(space: AddressSpace, y: number): { body: string; height: number } {
  const right = [0, 330, 560, 630];
  const row = (cells: string[], at: number, cls: string, weight = '') =>
    `<g class="${cls}"${weight}>` +
    cells.map((c, i) => (c ? `<text x="${right[i]}" y="${at}" font-size="12"${i ? ' text-anchor="end"' : ''}>${e(c)}</text>` : '')).join('') +
    '</g>';
  const parts = [row([...TYPE_COLUMNS], y + 12, 'type-head', ' font-weight="600"')];
  let at = y + 12;
  for (const c of typeCells(space)) {
    at += 18;
    if (c.type === 'Image')
      parts.push(`<g class="type-image"><text x="0" y="${at}" font-size="12">Image</text><text x="90" y="${at}" font-size="12">${e(c.size)}</text></g>`);
    else
      parts.push(
        row(
          [c.type, c.size, c.committed, c.count],
          at,
          `type-${c.type.toLowerCase()}`,
          c.type === 'Unusable' ? ` font-weight="600" fill="${SPACE_COLORS.unusable}"` : '',
        ),
      );
  }
  return { body: `<g class="types">${parts.join('')}</g>`, height: at - y + 8 };
}

/**
 * The address space of one process for the SVG picture: the same PNG as the page's, to scale, and the same table
 * by type below it. `y` is where it starts; the height is what it takes.
 */
export function spaceSvg(space: AddressSpace, y: number): { body: string; height: number } {
  const rows = rowsOf(space);
  const title = `Process ${space.pid}: ${space.bits}-bit, ${space.bits === 32 ? 'the whole user address space' : 'the used ranges'} from ${hex(space.start)} to ${hex(space.end)}`;
  const png = spacePng(space).toString('base64');
  const table = typeTableSvg(space, y + 24 + rows * 4 + 8);
  return {
    body:
      `<g class="space" data-pid="${space.pid}"><text class="space-title" x="0" y="${y + 14}" font-size="12" font-weight="600">${e(title)}</text>` +
      `<image class="space-map" x="0" y="${y + 24}" width="${WIDTH}" height="${rows * 4}" style="image-rendering:pixelated" href="data:image/png;base64,${png}"><title>one pixel per 4 KB page, 256 granules of 64 KB a row</title></image>` +
      `<rect x="0" y="${y + 24}" width="${WIDTH}" height="${rows * 4}" fill="none" stroke="#c9cfd6"/>` +
      table.body +
      '</g>',
    height: 24 + rows * 4 + 8 + table.height,
  };
}

/** The unusable bytes over the run as a line, from the first to the last recorded change. */
function timelineSvg(points: TimelinePoint[]): string {
  if (points.length < 2) return '';
  const W = 1024;
  const H = 120;
  const t0 = points[0]!.ts;
  const span = Math.max(1, points.at(-1)!.ts - t0);
  const max = points.reduce((m, p) => (p.unusable > m ? p.unusable : m), 1n);
  const xy = points.map((p) => `${(((p.ts - t0) / span) * W).toFixed(1)},${(H - Number((p.unusable * 1000n) / max) * (H / 1000)).toFixed(1)}`);
  return (
    `<h2>Unusable bytes over the run</h2><p class="note">From 0 to ${e(formatBytes(max))} (the peak), over ${(span / 1e6).toFixed(3)} s of recorded calls.</p>` +
    `<svg id="timeline" width="${W}" height="${H + 2}" viewBox="0 -1 ${W} ${H + 2}" role="img" aria-label="unusable bytes over the run"><rect x="0" y="-1" width="${W}" height="${H + 2}" fill="#f6f8fa"/><polyline points="${xy.join(' ')}"/></svg>`
  );
}

/** The address-space part of the HTML page; empty when no reservation is live at the end. */
export function renderSpaces(spaces: AddressSpace[], timeline: TimelinePoint[]): string {
  const drawn = spaces.filter((s) => s.drawn > 0);
  if (drawn.length === 0 && timeline.length < 2) return '';
  const legend = (['committed', 'reserved', 'unusable', 'free'] as const)
    .map((k) => `<span><i class="swatch" style="background:${SPACE_COLORS[k]}"></i>${PAGE_LABEL[k]}</span>`)
    .join('');
  return `<h2>Address space</h2><div class="space-legend legend">${legend}</div>` + drawn.map(spaceSection).join('\n') + timelineSvg(timeline);
}
