// One vocabulary in every output of `granule vmmap`: the text, the SVG and the HTML name the totals and VMMap's
// table by type with the same words (src/shim/vocabulary.ts) and write sizes in the same unit.

import { describe, expect, it } from 'vitest';
import { parseReport } from '../../src/shim/report.js';
import { summarize } from '../../src/shim/summary.js';
import { renderHtml, renderSvg, renderText } from '../../src/shim/vmmap.js';
import { formatBytes, PAGE_LABEL, SITE_COLUMNS, TOTAL, TYPE_COLUMNS } from '../../src/shim/vocabulary.js';

const line = (o: Record<string, unknown>, ts: number) =>
  JSON.stringify({
    api: 'VirtualAlloc',
    file: 'a.c',
    line: 10,
    func: 'main',
    size: 4096,
    flags: 0x3000,
    protect: 4,
    address: '0x0',
    error: 0,
    thread: 1,
    ts,
    stack: [],
    reserve: true,
    unusable: 61440,
    pid: 32,
    ...o,
  });
// a 32-bit process: three 4 KB reservations, one of them released
const report = [
  line({ result: '0x100000' }, 1),
  line({ result: '0x110000' }, 2),
  line({ result: '0x120000', line: 11 }, 3),
  line({ api: 'VirtualFree', size: 0, flags: 0x8000, protect: 0, address: '0x110000', result: '0x1', reserve: false, unusable: 0 }, 4),
].join('\n');
const summary = summarize(parseReport(report).records);

/** What a person reads: the SVG's and the HTML's text without tags and entities, whitespace folded. */
const visible = (markup: string) =>
  markup
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<title>[\s\S]*?<\/title>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('one vocabulary', () => {
  const outputs = { text: renderText(summary).replace(/\s+/g, ' '), svg: visible(renderSvg(summary)), html: visible(renderHtml(summary)) };

  it('has the words of VMMap', () => {
    expect(Object.values(PAGE_LABEL)).toEqual(['Committed', 'Reserved', 'Unusable', 'Free']);
    expect([...TYPE_COLUMNS]).toEqual(['Type', 'Size', 'Committed', 'Count']);
    expect([TOTAL.reserved, TOTAL.committed, TOTAL.unusable]).toEqual(['Reserved', 'Committed', 'Unusable']);
    expect(SITE_COLUMNS.unusable).toBe('Unusable bytes');
  });

  for (const [name, out] of Object.entries(outputs)) {
    it(`${name}: the totals, the table by type and the page states in the same words and units`, () => {
      expect(out).toContain(`${TOTAL.reserved} ${formatBytes(12288n)}`);
      expect(out).toContain(`${TOTAL.committed} ${formatBytes(12288n)}`);
      expect(out).toContain(`${TOTAL.unusable} ${formatBytes(184320n)}`);
      expect(out).toContain(`${TOTAL.peakUnusable} ${formatBytes(184320n)}`);
      expect(out).toContain(`${TOTAL.unusableAtExit} ${formatBytes(122880n)}`);
      expect(out).toContain('Type Size Committed Count');
      expect(out).toContain(`Private ${formatBytes(8192n)} ${formatBytes(8192n)} 2`);
      expect(out).toContain(`Unusable ${formatBytes(122880n)} 2`);
      expect(out).toMatch(/Free [\d,]+ bytes \([\d.]+ GB\) \d+/);
      expect(out).toContain('Image not recorded');
      expect(out).not.toMatch(/wast/i);
    });
  }

  it('the legends of the pictures name the page states alike', () => {
    for (const out of [outputs.svg, outputs.html]) for (const label of Object.values(PAGE_LABEL)) expect(out).toContain(` ${label} `);
  });
});
