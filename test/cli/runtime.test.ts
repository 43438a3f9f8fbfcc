// The README's runtime section as a user pastes it: build examples/ with the shim (Linux emulation),
// run it, merge the report into the static run, and draw the picture.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { unavailable } from '../helpers/requirements.js';

let build: string;

beforeAll(() => {
  build = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-runtime-'));
  const words = (args: string[]) => runCli(args).stdout.trim().split(/\s+/);
  const sources = fs
    .readdirSync(path.join(ROOT, 'examples/fourkbleak'))
    .filter((f) => f.endsWith('.c'))
    .map((f) => `examples/fourkbleak/${f}`);
  execFileSync(
    'gcc',
    [
      '-g',
      '-O2',
      ...words(['shim', 'cflags', '--emulate-linux']),
      '-o',
      path.join(build, 'fourkbleak'),
      ...sources,
      ...words(['shim', 'sources', '--emulate-linux']),
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  execFileSync(path.join(build, 'fourkbleak'), ['40000'], { cwd: ROOT, env: { ...process.env, GRANULE_SHIM_REPORT: path.join(build, 'report-%p.jsonl') } });
}, 120_000);

// gcc builds the example; the file's beforeAll runs only when a test of it does
describe.skipIf(unavailable('gcc'))('granule --runtime on the example', () => {
  it('confirms executed findings, marks the unexecuted one, and adds the run-time size', () => {
    const r = runCli(['--format', 'compact', '--runtime', build, 'examples/']);
    expect(r.status).toBe(1);
    expect(r.stdout.trim().split('\n')).toEqual([
      // the 32-bit variant runs only under 32-bit wine (test/shim/fourkbleak-32bit.test.ts)
      'examples/fourkbleak-32bit/exhaust.c:22:12: error: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller [runtime: not reached] [virtualalloc-granularity]',
      'examples/fourkbleak/arena.c:34:12: error: VirtualAlloc reserves 20480 bytes (0x5000); 45056 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller [runtime: confirmed, 1 call, 45056 bytes unusable] [virtualalloc-granularity]',
      'examples/fourkbleak/fourkbleak.c:11:12: error: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller [runtime: confirmed, 100 calls, 6144000 bytes unusable] [virtualalloc-granularity]',
      // (released on the next line: a transient reservation, a warning)
      'examples/fourkbleak/fourkbleak.c:22:15: warning: VirtualAlloc reserves 16384 bytes (0x4000), 49152 bytes of its 64 KB granule unusable while it lives; it is released on every path before the function returns, so it does not hold the address space [runtime: not reached] [virtualalloc-granularity]',
      "examples/fourkbleak/fourkbleak.c:35:13: error: VirtualAlloc reserves 12288 bytes (0x3000); 53248 bytes of its 64 KB granule become unusable; the program's entry point releases it only as it returns, so it lives as long as the program [runtime: confirmed, 1 call, 53248 bytes unusable] [virtualalloc-granularity]",
      'examples/fourkbleak/fourkbleak.c:48:19: error: VirtualAlloc reserves 40000 bytes (0x9c40); 24576 bytes of its 64 KB granule become unusable (seen at run time in 1 call; the static analysis did not prove the size) [virtualalloc-granularity]',
    ]);
  });

  it('puts the runtime status in SARIF properties and adds the shim run', () => {
    const r = runCli(['--format', 'sarif', '--runtime', build, 'examples/']);
    const log = JSON.parse(r.stdout);
    expect(log.runs.map((run: { tool: { driver: { name: string } } }) => run.tool.driver.name)).toEqual(['granule', 'granule-shim']);
    const statuses = log.runs[0].results.map(
      (res: { locations: { physicalLocation: { region: { startLine: number } } }[]; properties: { runtime?: string } }) => [
        res.locations[0]!.physicalLocation.region.startLine,
        res.properties.runtime,
      ],
    );
    expect(statuses).toEqual([
      [22, 'not reached'],
      [34, 'confirmed'],
      [11, 'confirmed'],
      [22, 'not reached'],
      [35, 'confirmed'],
      [48, 'runtime-only'],
    ]);
  });

  it('draws the VMMap-style picture', () => {
    const out = path.join(build, 'vmmap.html');
    const r = runCli(['vmmap', build, '--html', out]);
    expect(r.status).toBe(0);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toContain('fourkbleak.c:11');
    expect(html).toContain('6,144,000');
    const text = runCli(['vmmap', build]);
    expect(text.stdout).toContain('VirtualAlloc at examples/fourkbleak/fourkbleak.c:11 (allocate_small)');
  });

  it('is a usage error when the report cannot be read', () => {
    const r = runCli(['--runtime', path.join(build, 'missing.jsonl'), 'examples/']);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/cannot read runtime report .*missing\.jsonl: no such file/);
  });
});
