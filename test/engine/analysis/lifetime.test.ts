// The lifetime of each reservation and view (src/engine/analysis/lifetime.ts): every `@expect finding` marker of
// test/fixtures/lifetimes names the lifetime its finding must carry (`lifetime transient`), and transient ones
// are reported under their own message, at warn. (The folder's fixture.json sets `transient: same` for the runs
// that compare granule with ESLint, which has one level per rule; this test runs with the defaults.)

import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultLintOptions, lintPaths, type LintResult } from '../../../src/engine/runner/lint.js';
import { FIXTURES, sourceFiles } from '../../helpers/fixtures.js';

const dir = path.join(FIXTURES, 'lifetimes');
let report: LintResult;

beforeAll(async () => {
  report = await lintPaths([dir], defaultLintOptions(dir));
});

/** `file:line lifetime` of every marker that names a lifetime. */
function markedLifetimes(): string[] {
  const out: string[] = [];
  for (const file of sourceFiles(dir)) {
    fs.readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .forEach((line, i) => {
        const m = /@expect finding [^:]*:\s*lifetime (\w+)/.exec(line);
        if (m) out.push(`${path.basename(file)}:${i + 1} ${m[1]}`);
      });
  }
  return out.sort();
}

const findingsAt = (file: string, line: number) => report.findings.filter((f) => path.basename(f.file) === file && f.range.start.line === line);

describe('lifetimes', () => {
  it('carry the lifetime each marker names', () => {
    // (virtualfree-misuse reports the free calls, which have no lifetime)
    const actual = report.findings
      .filter((f) => f.ruleId !== 'virtualfree-misuse')
      .map((f) => `${path.basename(f.file)}:${f.range.start.line} ${String(f.properties.lifetime)}`);
    expect(actual.sort()).toEqual(markedLifetimes());
  });

  it('report a transient reservation under its own message, at warn', () => {
    const [freed] = findingsAt('paths.c', 10);
    expect(freed?.severity).toBe('warn');
    expect(freed?.message).toBe(
      'VirtualAlloc reserves 4096 bytes (0x1000), 61440 bytes of its 64 KB granule unusable while it lives; it is released on every path before the function returns, so it does not hold the address space',
    );
    const [view] = findingsAt('paths.c', 37);
    expect(view?.severity).toBe('warn');
    expect(view?.message).toBe(
      'MapViewOfFile maps a view of 16 bytes (0x10), 61440 bytes of its last 64 KB granule unusable while it is mapped; it is unmapped on every path before the function returns, so it does not hold the address space',
    );
  });

  it('report the others at the rule level, with the lifetime in their properties; an unknown one says nothing more', () => {
    const [leaked] = findingsAt('paths.c', 20);
    expect(leaked?.severity).toBe('error');
    expect(leaked?.message).toBe('VirtualAlloc reserves 8192 bytes (0x2000); 57344 bytes of its 64 KB granule become unusable');
    expect(leaked?.properties.lifetime).toBe('unknown');
    const [kept] = findingsAt('paths.c', 63);
    expect(kept?.severity).toBe('error');
    expect(kept?.message).toBe(
      'VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable; it is kept: its address is stored in global g_pool',
    );
    expect(kept?.properties.lifetime).toBe('escapes');
  });

  it('say where an escaping address goes, as the code writes it', () => {
    const ending = (file: string, line: number) => findingsAt(file, line).map((f) => f.message.slice(f.message.indexOf('; it is kept') + 2));
    expect(ending('paths.c', 68)).toEqual(['it is kept: its address is stored in global g_pool']);
    expect(ending('paths.c', 75)).toEqual(['it is kept: its address is stored in a->base']);
    expect(ending('paths.c', 80)).toEqual(['it is kept: its address is written to the caller through *out']);
    expect(ending('methods.cpp', 29)).toEqual(['it is kept: its address is returned to the caller']);
    expect(ending('paths.c', 212)).toEqual(['it is kept: its address is stored in global g_mapping']);
  });

  it('say that a reservation released only by main lives as long as the program', () => {
    expect(findingsAt('paths.c', 169).map((f) => f.message)).toEqual([
      "VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable; the program's entry point releases it only as it returns, so it lives as long as the program",
    ]);
  });
});
