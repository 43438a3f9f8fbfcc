import { describe, expect, it } from 'vitest';
import { parseReport, type ShimRecord } from '../../src/shim/report.js';
import { summarize, type GranuleCell } from '../../src/shim/summary.js';
import { formatBytes, renderHtml, renderSvg, renderText } from '../../src/shim/vmmap.js';

let ts = 0;
function r(o: Partial<Record<string, unknown>>): string {
  return JSON.stringify({
    api: 'VirtualAlloc',
    file: 'a.c',
    line: 1,
    func: 'main',
    flags: 0x3000,
    protect: 4,
    address: '0x0',
    error: 0,
    thread: 1,
    ts: ++ts,
    stack: [],
    pid: 7,
    ...o,
  });
}
const records = (lines: string[]): ShimRecord[] => {
  const p = parseReport(lines.join('\n'));
  expect(p.badLines).toBe(0);
  return p.records;
};

const sample = records([
  r({ line: 10, size: 4096, result: '0x100000', reserve: true, unusable: 61440, stack: ['prog+0x10', 'prog+0x20'] }),
  r({ line: 10, size: 4096, result: '0x110000', reserve: true, unusable: 61440 }),
  r({ line: 11, size: 65536 * 2, flags: 0x2000, result: '0x120000', reserve: true, unusable: 0 }),
  r({ line: 12, size: 8192, flags: 0x1000, address: '0x120000', result: '0x120000', reserve: false, unusable: 0 }),
  r({ line: 13, size: 100000, flags: 0x2000, result: '0x900000', reserve: true, unusable: 28672 }),
  r({ line: 14, size: 0, result: '0x0', reserve: true, unusable: 0, error: 87 }),
  r({ line: 15, size: 4096, result: '0x100000', reserve: true, unusable: 61440, pid: 8 }),
]);

describe('summarize', () => {
  const s = summarize(sample);

  it('totals like VMMap', () => {
    expect(s.records).toBe(7);
    expect(s.reservations).toBe(6);
    expect(s.failedCalls).toBe(1);
    expect(s.wastingCalls).toBe(4);
    expect(s.unusableBytes).toBe(61440n * 3n + 28672n);
    expect(s.reservedBytes).toBe(4096n * 3n + 131072n + 102400n);
    expect(s.committedBytes).toBe(4096n * 3n + 8192n);
    expect(s.apis).toEqual({ VirtualAlloc: 7 });
  });

  it('lists call sites by unusable bytes', () => {
    expect(s.callSites.map((c) => c.key)).toEqual(['a.c:10', 'a.c:15', 'a.c:13', 'a.c:11', 'a.c:12', 'a.c:14']);
    const top = s.callSites[0]!;
    expect(top).toMatchObject({ calls: 2, wastingCalls: 2, unusableBytes: 122880n, func: 'main', api: 'VirtualAlloc' });
    expect(top.sizes).toEqual([{ size: 4096n, count: 2 }]);
    expect(top.stack).toEqual(['prog+0x10', 'prog+0x20']);
  });

  it('maps every granule page by page, per process', () => {
    expect(s.processes.map((p) => p.pid)).toEqual([7, 8]);
    const cells = s.processes[0]!.cells;
    const granules = cells.filter((c): c is GranuleCell => c.kind === 'granule');
    expect(granules.map((g) => g.address)).toEqual([0x100000n, 0x110000n, 0x120000n, 0x130000n, 0x900000n, 0x910000n]);
    expect(granules[0]!.pages).toBe('c' + 'u'.repeat(15));
    expect(granules[0]!.state).toBe('committed');
    expect(granules[2]!.pages).toBe('cc' + 'r'.repeat(14));
    expect(granules[3]!.pages).toBe('r'.repeat(16));
    expect(granules[5]!.pages).toBe('r'.repeat(9) + 'u'.repeat(7));
    expect(granules[5]!.state).toBe('reserved');
    const gap = cells.find((c) => c.kind === 'gap');
    expect(gap).toEqual({ kind: 'gap', address: 0x140000n, granules: (0x900000n - 0x140000n) / 0x10000n });
    expect(s.processes[0]!.unusablePages).toBe(15 + 15 + 7);
  });

  it('lets a later reservation replace an earlier one at the same address', () => {
    const again = summarize(
      records([r({ size: 4096, result: '0x100000', unusable: 61440 }), r({ size: 65536, result: '0x100000', unusable: 0, flags: 0x2000 })]),
    );
    const cell = again.processes[0]!.cells[0] as GranuleCell;
    expect(cell.pages).toBe('r'.repeat(16));
  });

  it('limits the map', () => {
    const many = summarize(
      records(Array.from({ length: 50 }, (_, i) => r({ size: 4096, result: `0x${(0x100000 + i * 0x20000).toString(16)}`, unusable: 61440 }))),
      { maxGranules: 10 },
    );
    expect(many.processes[0]!.granules).toBe(50);
    expect(many.processes[0]!.omitted).toBe(40);
    expect(many.processes[0]!.cells.filter((c) => c.kind === 'granule')).toHaveLength(10);
  });
});

describe('renderers', () => {
  const s = summarize(sample);

  it('formats bytes', () => {
    expect(formatBytes(100n)).toBe('100 bytes');
    expect(formatBytes(61440n)).toBe('61,440 bytes (60 KB)');
    expect(formatBytes(6266880n)).toBe('6,266,880 bytes (6.0 MB)');
  });

  it('renders a text summary with a granule map', () => {
    const text = renderText(s);
    expect(text).toContain('granule runtime report: 7 calls, 6 reservations (1 failed call), 4 leave unusable space');
    expect(text).toContain('  Unusable   212,992 bytes (208 KB)\n');
    expect(text).toMatch(/122,880 +2 +2 +4096×2 +VirtualAlloc at a\.c:10 \(main\)/);
    expect(text).toContain('Granule map of process 7');
    expect(text).toMatch(/0x100000 {2}%%#\+\n/);
    expect(text).toMatch(/… 124 free granules …/);
    expect(text).toContain('Granule map of process 8: 1 granule (');
    expect(text).toMatch(/0x900000 {2}\+\*/);
  });

  it('renders a standalone SVG', () => {
    const svg = renderSvg(s);
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg.match(/<g class="granule /g)).toHaveLength(7);
    expect(svg).toContain('class="granule committed has-unusable" data-address="0x100000" data-pages="cuuuuuuuuuuuuuuu"');
    expect(svg).toContain('<g class="gap"');
    expect(svg).toContain('Unusable 212,992 bytes (208 KB)');
    // balanced tags
    expect(svg.match(/<g[ >]/g)!.length).toBe(svg.match(/<\/g>/g)!.length);
  });

  it('renders an HTML page with totals, call sites and maps', () => {
    const html = renderHtml(s);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<tr id="total-unusable" class="unusable"><td>Unusable</td><td class="num">212,992 bytes (208 KB)</td></tr>');
    expect(html).toContain('<table id="call-sites">');
    expect(html.match(/<tr class="call-site/g)).toHaveLength(6);
    expect(html.match(/<section class="process"/g)).toHaveLength(2);
    expect(html).toContain('<li><code>prog+0x10</code></li>');
  });

  it('links the call sites to their source lines, relative to the page, most unusable first', () => {
    const html = renderHtml(s, { links: { pageDir: '/w/out', sourceRoot: '/w' } });
    const links = [...html.matchAll(/<a class="source" href="([^"]*)"><code>([^<]*)<\/code><\/a>/g)].map((m) => [m[1], m[2]]);
    expect(links[0]).toEqual(['../a.c#L10', 'a.c:10']);
    expect(html).toMatch(/<tr class="call-site wasting" data-site="a\.c:10"><td class="num">122,880<\/td>/);
    const odd = summarize(records([r({ file: 'src dir/a#"b<.c', size: 4096, result: '0x100000', unusable: 61440 })]));
    expect(renderHtml(odd, { links: { pageDir: '/w', sourceRoot: '/w' } })).toContain('<a class="source" href="src%20dir/a%23%22b%3C.c#L1">');
  });

  it('escapes what the program recorded', () => {
    const evil = summarize(records([r({ file: '<script>alert(1)</script>.c', func: 'a&b', size: 4096, result: '0x100000', unusable: 61440 })]));
    const html = renderHtml(evil);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(renderSvg(evil)).not.toContain('<script>');
  });

  it('renders an empty report', () => {
    const empty = summarize([]);
    expect(renderText(empty)).toContain('0 calls');
    expect(renderHtml(empty)).toContain('No calls were recorded.');
    expect(renderSvg(empty)).toContain('No successful reservation was recorded.');
  });
});

describe('releases', () => {
  const free = (address: string, o: Partial<Record<string, unknown>> = {}) =>
    r({ api: 'VirtualFree', line: 20, size: 0, flags: 0x8000, protect: 0, address, result: '0x1', reserve: false, unusable: 0, ...o });
  const run = records([
    r({ line: 10, size: 4096, result: '0x100000', reserve: true, unusable: 61440 }),
    r({ line: 10, size: 4096, result: '0x110000', reserve: true, unusable: 61440 }),
    free('0x100000'),
    r({ line: 10, size: 4096, result: '0x120000', reserve: true, unusable: 61440 }),
    free('0x120000', { flags: 0x4000 }), // a decommit keeps the reservation
    free('0x130000', { result: '0x0', error: 487 }), // failed: nothing ends
    r({ api: 'UnmapViewOfFile', line: 21, size: 0, flags: 0x8000, protect: 0, address: '0x110000', result: '0x1', reserve: false, unusable: 0 }),
  ]);
  const s = summarize(run);

  it('are counted apart: the call totals and call sites are the reservations only', () => {
    expect(s.records).toBe(3);
    expect(s.releases).toBe(4);
    expect(s.apis).toEqual({ VirtualAlloc: 3 });
    expect(s.callSites.map((c) => c.key)).toEqual(['a.c:10']);
    expect(s.unusableBytes).toBe(61440n * 3n);
  });

  it('tell the peak and the end: what was live at once, and what was never released', () => {
    expect(s.releasedReservations).toBe(2);
    expect(s.peakUnusableBytes).toBe(61440n * 2n);
    expect(s.unusableAtExitBytes).toBe(61440n);
    expect(s.leakedReservations).toBe(1);
    expect(s.leakedBytes).toBe(4096n);
  });

  it('add lines to the text and rows to the HTML, only when recorded', () => {
    const text = renderText(s);
    expect(text).toContain('  Peak unusable     122,880 bytes (120 KB)\n');
    expect(text).toContain('  Unusable at exit  61,440 bytes (60 KB)\n');
    expect(text).toContain('  Never released    1 reservation, 4,096 bytes (4 KB) (2 of 3 released)\n');
    expect(renderHtml(s)).toContain('<tr id="peak-unusable" class="unusable"><td>Peak unusable</td>');
    expect(renderText(summarize(sample))).not.toContain('Peak unusable');
    expect(renderHtml(summarize(sample))).not.toContain('peak-unusable');
  });
});
