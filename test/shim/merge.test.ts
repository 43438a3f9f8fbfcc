import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceStep, Finding } from '../../src/engine/model/types.js';
import { defaultLintOptions, lintPaths } from '../../src/index.js';
import { applyRuntime, shimSarifRun } from '../../src/shim/index.js';
import { FileMatcher, mergeRuntime, normalizePath } from '../../src/shim/merge.js';
import { parseReport, type ShimRecord } from '../../src/shim/report.js';
import { unavailable } from '../helpers/requirements.js';
import { buildLinux, fixture, markers, removeDir, runOk, tempDir } from './helpers.js';

function finding(
  file: string,
  line: number,
  opts: { endLine?: number; size?: string; evidence?: EvidenceStep[]; ruleId?: string; callee?: string } = {},
): Finding {
  const range = { start: { line, column: 5, offset: 0 }, end: { line: opts.endLine ?? line, column: 30, offset: 0 } };
  return {
    ruleId: opts.ruleId ?? 'virtualalloc-granularity',
    severity: 'error',
    file,
    range,
    messageId: 'wastesGranule',
    message: 'static',
    api: 'VirtualAlloc',
    properties: { api: 'VirtualAlloc', callee: opts.callee ?? 'VirtualAlloc', ...(opts.size ? { size: opts.size } : {}) },
    evidence: opts.evidence ?? [],
    callText: 'VirtualAlloc(...)',
    enclosingFunction: 'main',
    suggestions: [],
  };
}

let seq = 0;
function recs(...objs: Record<string, unknown>[]): ShimRecord[] {
  const text = objs
    .map((o) =>
      JSON.stringify({
        api: 'VirtualAlloc',
        func: 'main',
        flags: 0x3000,
        protect: 4,
        address: '0x0',
        result: `0x${(0x100000 + ++seq * 0x10000).toString(16)}`,
        stack: [],
        pid: 1,
        ...o,
      }),
    )
    .join('\n');
  const p = parseReport(text);
  expect(p.badLines).toBe(0);
  return p.records;
}
const wasting = (file: string, line: number, size = 4096, extra: Record<string, unknown> = {}) => ({ file, line, size, ...extra });

describe('paths', () => {
  it('normalises', () => {
    expect(normalizePath('a\\b\\..\\c.c')).toBe('a/c.c');
    expect(normalizePath('C:\\Work\\Src\\A.c')).toBe('c:/work/src/a.c');
    expect(normalizePath('/x/./y/')).toBe('/x/y');
  });

  it('matches relative, absolute, Windows and foreign paths to the findings files', () => {
    const m = new FileMatcher(['/repo/src/a.c', '/repo/lib/a.c', '/repo/src/b.c'], ['/repo']);
    expect(m.resolve('src/a.c')).toBe('/repo/src/a.c');
    expect(m.resolve('./src/../src/a.c')).toBe('/repo/src/a.c');
    expect(m.resolve('src\\b.c')).toBe('/repo/src/b.c');
    expect(m.resolve('/repo/lib/a.c')).toBe('/repo/lib/a.c');
    expect(m.resolve('/build/checkout/src/b.c')).toBe('/repo/src/b.c');
    expect(m.resolve('C:\\ci\\src\\b.c')).toBe('/repo/src/b.c');
    expect(m.resolve('../../lib/a.c')).toBe('/repo/lib/a.c');
    // two candidates share only the base name: no guess, and a path outside the root has no location
    expect(m.resolve('/elsewhere/a.c')).toBeUndefined();
    expect(m.resolve('src/new.c')).toBe('/repo/src/new.c');
  });
});

describe('mergeRuntime', () => {
  let root: string;
  let a: string;
  beforeAll(() => {
    root = tempDir('shim-merge');
    mkdirSync(path.join(root, 'src'));
    a = path.join(root, 'src', 'a.c');
    const lines = Array.from({ length: 80 }, (_, i) => `  /* line ${i + 1} */`);
    lines[49] = '  void *d = VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_READWRITE);';
    writeFileSync(a, lines.join('\n') + '\n');
  });
  afterAll(() => removeDir(root));

  it('marks findings confirmed, refuted and not reached, and adds runtime-only findings', () => {
    const findings = [finding(a, 10, { size: '4096' }), finding(a, 20, { size: '65536' }), finding(a, 30), finding(a, 40, { endLine: 42 })];
    const records = recs(
      wasting('src/a.c', 10),
      wasting(a, 10),
      wasting('src/a.c', 20, 65536, { unusable: 0 }),
      wasting('src/a.c', 42, 8192),
      wasting('src/a.c', 50, 12345),
      wasting('src/a.c', 50, 20000),
      wasting('src/a.c', 60, 65536),
    );
    const frozen = JSON.stringify(findings);
    const { findings: out, runtimeOnly, unlocated } = mergeRuntime(findings, records, { root });
    expect(JSON.stringify(findings)).toBe(frozen);
    expect(out.map((f) => f.runtime?.status)).toEqual(['confirmed', 'refuted', 'not reached', 'confirmed']);
    expect(out[0]!.runtime).toEqual({ status: 'confirmed', calls: 2, sizes: ['4096'], unusable: '122880' });
    expect(out[1]!.runtime).toEqual({ status: 'refuted', calls: 1, sizes: ['65536'], unusable: '0' });
    expect(out[2]!.runtime).toEqual({ status: 'not reached', calls: 0, sizes: [], unusable: '0' });
    expect(unlocated).toBe(0);
    expect(runtimeOnly).toHaveLength(1);
    const ro = runtimeOnly[0]!;
    expect(ro).toMatchObject({ ruleId: 'virtualalloc-granularity', severity: 'error', file: a, messageId: 'runtimeOnly', api: 'VirtualAlloc' });
    expect(ro.range.start).toEqual({ line: 50, column: 13, offset: readFileSync(a, 'utf8').indexOf('VirtualAlloc(NULL, n') });
    expect(ro.range.end.line).toBe(50);
    expect(ro.callText).toBe('void *d = VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_READWRITE);');
    expect(ro.runtime).toEqual({ status: 'runtime-only', calls: 2, sizes: ['12345', '20000'], unusable: String(65536 - 16384 + 65536 - 20480) });
    expect(ro.message).toMatch(/^VirtualAlloc reserves 12345 bytes \(0x3039\); 49152 bytes of its 64 KB granule become unusable \(seen at run time in 2 calls/);
  });

  it('confirms a failed call by its size and ignores commits', () => {
    const findings = [finding(a, 10)];
    const failed = recs(wasting('src/a.c', 10, 4096, { result: '0x0', error: 8, unusable: 0 }));
    expect(mergeRuntime(findings, failed, { root }).findings[0]!.runtime?.status).toBe('confirmed');
    const commit = recs(wasting('src/a.c', 10, 4096, { flags: 0x1000, address: '0x120000', reserve: false, unusable: 0 }));
    expect(mergeRuntime(findings, commit, { root }).findings[0]!.runtime?.status).toBe('refuted');
  });

  it('confirms wrapper findings through the inner call and the size, or through the caller frame', () => {
    const inner: EvidenceStep = {
      file: a,
      range: { start: { line: 5, column: 3, offset: 0 }, end: { line: 5, column: 60, offset: 0 } },
      kind: 'call',
      message: 'arena(n = 8192) calls VirtualAlloc',
    };
    const wrap = (line: number, size: string) =>
      finding(a, line, {
        size,
        callee: 'arena',
        evidence: [
          {
            file: a,
            range: { start: { line, column: 1, offset: 0 }, end: { line, column: 9, offset: 0 } },
            kind: 'wrapper',
            message: `main calls arena(${size})`,
          },
          inner,
        ],
      });
    const findings = [wrap(60, '8192'), wrap(70, '8192'), wrap(75, '16384')];
    // without symbolised callers: by size at the inner call
    const plain = mergeRuntime(findings, recs(wasting('src/a.c', 5, 8192), wasting('src/a.c', 5, 65536), wasting('src/a.c', 5, 12288)), { root });
    expect(plain.findings.map((f) => f.runtime?.status)).toEqual(['confirmed', 'confirmed', 'not reached']);
    expect(plain.runtimeOnly.map((f) => [f.range.start.line, f.runtime?.sizes])).toEqual([[5, ['12288']]]);
    // with a symbolised caller frame: exactly the caller
    const framed = recs(wasting('src/a.c', 5, 8192, { stack: ['prog+0x10', 'prog+0x20'] }));
    framed[0]!.frames[1] = { ...framed[0]!.frames[1]!, file: a, line: 70, func: 'main' };
    expect(mergeRuntime(findings, framed, { root }).findings.map((f) => f.runtime?.status)).toEqual(['not reached', 'confirmed', 'not reached']);
  });

  it('uses the symbolised call site of IAT-hook records, and counts those without one', () => {
    const findings = [finding(a, 10)];
    const records = recs({ file: '', line: 0, size: 4096, stack: ['prog.exe+0x1000'] }, { file: '', line: 0, size: 4096, stack: ['prog.exe+0x2000'] });
    records[0]!.frames[0] = { ...records[0]!.frames[0]!, file: '/ci/build/src/a.c', line: 10 };
    const out = mergeRuntime(findings, records, { root });
    expect(out.findings[0]!.runtime?.status).toBe('confirmed');
    expect(out.unlocated).toBe(1);
  });

  it('makes mapping views mapview-granularity findings', () => {
    const out = mergeRuntime([], recs(wasting('src/a.c', 50, 8192, { api: 'MapViewOfFile' })), { root });
    expect(out.runtimeOnly.map((f) => [f.ruleId, f.severity])).toEqual([['mapview-granularity', 'warn']]);
  });

  it('checks large-page findings against the 2 MB rule', () => {
    const findings = [finding(a, 10, { ruleId: 'large-page-size' })];
    const big = recs(wasting('src/a.c', 10, 3 * 1024 * 1024, { flags: 0x20003000, result: '0x0', unusable: 0 }));
    expect(mergeRuntime(findings, big, { root }).findings[0]!.runtime?.status).toBe('confirmed');
    const ok = recs(wasting('src/a.c', 10, 4 * 1024 * 1024, { flags: 0x20003000, unusable: 0 }));
    expect(mergeRuntime(findings, ok, { root }).findings[0]!.runtime?.status).toBe('refuted');
  });
});

describe.skipIf(unavailable('gcc', 'binutils'))('static findings + Linux run, end to end', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('shim-e2e');
  });
  afterAll(() => removeDir(dir));

  it('confirms executed findings, leaves the unexecuted one not reached, and finds the run-time size', async () => {
    const src = fixture('e2e.c');
    const L = markers(src);
    const exe = path.join(dir, 'e2e');
    await buildLinux(exe, ['e2e.c'], { cwd: path.dirname(src) });
    const report = path.join(dir, 'e2e.jsonl');
    await runOk(exe, ['40000'], { env: { ...process.env, GRANULE_SHIM_REPORT: report, GRANULE_SHIM_STACK: '4' } });
    const root = path.dirname(src);
    const lint = await lintPaths([src], defaultLintOptions(root));
    const lines = (fs: Finding[]) => fs.map((f) => [f.range.start.line, f.runtime?.status]);

    const merged = await applyRuntime(lint.findings, { reports: report, root });
    expect(lines(merged.findings)).toEqual([
      [L.direct, 'confirmed'],
      [L.wrapped, 'confirmed'],
      [L.unreached, 'not reached'],
    ]);
    expect(merged.runtimeOnly.map((f) => [f.file, f.range.start.line, f.ruleId, f.runtime?.sizes])).toEqual([
      [src, L.dynamic, 'virtualalloc-granularity', ['40000']],
    ]);
    expect(merged.summary.wastingCalls).toBe(3);

    // with the binary, the wrapper finding is confirmed through the caller's frame
    const symbolised = await applyRuntime(lint.findings, { reports: report, root, binary: exe });
    expect(symbolised.notices).toEqual([]);
    const inner = symbolised.summary.callSites.find((s) => s.line === L.inner)!;
    expect(inner.frames[1]).toBe(`${src}:${L.wrapped} main`);
    expect(lines(symbolised.findings)).toEqual(lines(merged.findings));

    // the shim's own SARIF run: one result per wasting call site
    const run = shimSarifRun({ ...symbolised, root, toolVersion: '0.0.0-test' });
    expect(run.tool.driver.name).toBe('granule-shim');
    const results = run.results!.map((r) => [
      r.locations![0]!.physicalLocation!.artifactLocation!.uri,
      r.locations![0]!.physicalLocation!.region!.startLine,
      r.level,
      r.properties!.runtime,
    ]);
    expect(results).toEqual([
      ['e2e.c', L.inner, 'note', 'observed'],
      ['e2e.c', L.direct, 'note', 'confirmed'],
      ['e2e.c', L.dynamic, 'warning', 'runtime-only'],
    ]);
    expect(run.results![0]!.properties!.stack).toEqual(expect.arrayContaining([expect.stringMatching(/e2e\.c:\d+ main$/)]));
  });
});
