// `granule vmmap --html` opened in headless Chromium: it renders, and the
// totals, call sites and granule cells are in the page. Chromium is required: where it is missing the test
// is skipped with a line that says so (CI installs it, and GRANULE_TEST_REQUIRE_ALL=1 fails without it).

import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVmmapCommand } from '../../src/shim/cflags.js';
import { unavailable } from '../helpers/requirements.js';
import { removeDir, run, tempDir } from './helpers.js';

const missing = unavailable('chromium');

let dir: string;

function syntheticReport(): string {
  const lines: string[] = [];
  let ts = 1_700_000_000_000_000;
  const add = (o: Record<string, unknown>) =>
    lines.push(JSON.stringify({ api: 'VirtualAlloc', func: 'main', flags: 0x3000, protect: 4, address: '0x0', error: 0, thread: 1, ts: ts++, pid: 100, ...o }));
  for (let i = 0; i < 120; i++)
    add({
      file: 'src/pool.c',
      line: 42,
      size: 4096,
      result: `0x${(0x10000000 + i * 0x10000).toString(16)}`,
      reserve: true,
      unusable: 61440,
      stack: ['app.exe+0x1a2b', 'app.exe+0x1c00'],
    });
  for (let i = 0; i < 30; i++)
    add({
      file: 'src/cache.c',
      line: 7,
      size: 20000,
      result: `0x${(0x20000000 + i * 0x10000).toString(16)}`,
      reserve: true,
      unusable: 45056,
      stack: ['app.exe+0x2000'],
    });
  add({ file: 'src/big.c', line: 3, size: 1 << 20, flags: 0x2000, result: '0x30000000', reserve: true, unusable: 0, stack: [] });
  add({ file: 'src/big.c', line: 4, size: 65536, flags: 0x1000, address: '0x30000000', result: '0x30000000', reserve: false, unusable: 0, stack: [] });
  return lines.join('\n') + '\n';
}

beforeAll(() => {
  dir = tempDir('shim-vmmap');
});

afterAll(() => dir && removeDir(dir));

describe.skipIf(missing)('granule vmmap in a browser', () => {
  it('renders the page: screenshot non-empty, totals, call sites and granule cells present', async () => {
    const report = path.join(dir, 'report.jsonl');
    writeFileSync(report, syntheticReport());
    const html = path.join(dir, 'vmmap.html');
    const svg = path.join(dir, 'vmmap.svg');
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } };
    expect(await runVmmapCommand([report, '--html', html, '--svg', svg], io)).toBe(0);
    expect(err).toEqual([]);
    expect(out).toEqual([]);
    expect(readFileSync(svg, 'utf8')).toContain('<svg');

    const profile = path.join(dir, 'profile');
    const common = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      `--user-data-dir=${profile}`,
      '--window-size=1200,1000',
    ];
    const url = `file://${html}`;
    const shot = path.join(dir, 'shot.png');
    const s = await run('chromium', [...common, `--screenshot=${shot}`, url], { timeout: 120_000 });
    expect(s.code, s.stderr).toBe(0);
    const png = readFileSync(shot);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    // width and height from the IHDR chunk
    expect(png.readUInt32BE(16)).toBe(1200);
    expect(png.readUInt32BE(20)).toBeGreaterThan(500);

    const d = await run('chromium', [...common, '--dump-dom', url], { timeout: 120_000 });
    expect(d.code, d.stderr).toBe(0);
    const dom = d.stdout;
    expect(dom).toContain('id="total-unusable"');
    expect(dom).toMatch(/Unusable<\/td><td class="num">8,724,480 bytes \(8\.3 MB\)/);
    expect(dom).toContain('id="call-sites"');
    expect(dom.match(/<tr class="call-site/g)).toHaveLength(4);
    expect(dom).toContain('src/pool.c:42');
    // the call sites link to their source lines, relative to the page, most unusable first
    const hrefs = [...dom.matchAll(/<a class="source" href="([^"]*)">/g)].map((m) => new URL(m[1]!.replace(/&amp;/g, '&'), url).href);
    expect(hrefs.slice(0, 2)).toEqual([`file://${path.resolve('src/pool.c')}#L42`, `file://${path.resolve('src/cache.c')}#L7`]);
    expect(dom.match(/<g class="granule /g)!.length).toBe(120 + 30 + 16);
    expect(dom.match(/<g class="granule committed has-unusable"/g)).toHaveLength(150);
    expect(dom).toContain('class="gap"');
    expect(dom).toContain('<section class="process" data-pid="100">');

    // the SVG draws the same address space (the page's PNG) with the same table by type
    const svgShot = path.join(dir, 'svg.png');
    const v = await run('chromium', [...common, `--screenshot=${svgShot}`, `file://${svg}`], { timeout: 120_000 });
    expect(v.code, v.stderr).toBe(0);
    expect(statSync(svgShot).size).toBeGreaterThan(10_000);
    const svgText = readFileSync(svg, 'utf8');
    const pageImage = /<img class="space-map"[^>]* src="(data:image\/png;base64,[^"]+)"/.exec(dom)![1];
    const svgImage = /<image class="space-map"[^>]* href="(data:image\/png;base64,[^"]+)"/.exec(svgText)![1];
    expect(svgImage).toBe(pageImage);
    expect(svgText).toMatch(/<g class="type-unusable"[^>]*><text x="0" y="\d+" font-size="12">Unusable<\/text><text [^>]*>8,724,480 bytes \(8\.3 MB\)<\/text>/);
  });
});
