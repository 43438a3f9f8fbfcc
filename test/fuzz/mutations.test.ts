// Property: whatever is done to a fixture source (byte flips, deletions, spliced C tokens, copied pieces,
// deep nesting, other encodings and line endings), linting it never throws, reports no internal error,
// keeps the healthy file's finding, writes schema-valid JSON and SARIF whose positions match the text,
// and gives the same report when run twice. A modest count for CI; `npm run fuzz` runs the long campaign.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultLintOptions, lintPaths } from '../../src/engine/runner/lint.js';
import { decode, LineMap } from '../../src/engine/text/source.js';
import { formatters } from '../../src/formats/index.js';
import { unavailable } from '../helpers/requirements.js';
import { checkInput, HEALTHY, inputArbitrary, mutate, seedFiles } from './harness.mjs';

const engine = { lintPaths, defaultLintOptions, formatters, decode, LineMap };
const CORPUS = path.join(import.meta.dirname, 'corpus');
/** Inputs the fuzzer once failed on (test/fuzz/corpus): each stays a regression test. */
const corpus = fs
  .readdirSync(CORPUS)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f.replace(/\.json$/, ''), JSON.parse(fs.readFileSync(path.join(CORPUS, f), 'utf8'))] as const);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-fuzz-'));
const RUNS = Number(process.env.GRANULE_FUZZ_RUNS ?? 60);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.skipIf(unavailable('sarif-schema'))('mutated fixtures', () => {
  it('the seeds are the fixture sources', () => {
    const seeds = seedFiles();
    expect(seeds.length).toBeGreaterThanOrEqual(20);
    expect(seeds).toContain('test/fixtures/reserve-semantics/calls.c');
    expect(seeds.every((s) => /^test\/fixtures\/.+\.(c|h|cc|cpp|cxx|hpp|hh|hxx|inl|ipp)$/i.test(s))).toBe(true);
  });

  it('mutations change the bytes as described', () => {
    const seed = 'test/fixtures/reserve-semantics/calls.c';
    const input = (mutations: object[], encoding = 'utf8') => ({ seed, mutations, encoding, target: 'x64' });
    const abc = Buffer.from('abc\ndef\n');
    expect(mutate(abc, input([{ kind: 'flip', at: 4, byte: 0x20 }])).toString()).toBe('abc\nDef\n');
    expect(mutate(abc, input([{ kind: 'delete', at: 1, length: 2 }])).toString()).toBe('a\ndef\n');
    expect(mutate(abc, input([{ kind: 'splice', at: 3, token: '(', times: 2 }])).toString()).toBe('abc((\ndef\n');
    expect(mutate(abc, input([{ kind: 'copy', from: 4, length: 3, at: 0 }])).toString()).toBe('defabc\ndef\n');
    expect(mutate(abc, input([{ kind: 'deep', at: 3, open: '(', depth: 2 }])).toString()).toBe('abc((\ndef\n))');
    expect(mutate(abc, input([{ kind: 'splice', at: 0, token: '', times: 1 }], 'crlf')).toString()).toBe('abc\r\ndef\r\n');
    expect([...mutate(Buffer.from('a'), input([{ kind: 'splice', at: 0, token: '', times: 1 }], 'utf16be'))]).toEqual([0xfe, 0xff, 0, 0x61]);
  });

  it('the harness catches a lost finding and a changed report', async () => {
    // an engine that drops the healthy file's finding, and answers differently the second time
    let calls = 0;
    const broken = {
      ...engine,
      lintPaths: async (paths: string[], options: Parameters<typeof lintPaths>[1]) => {
        const report = await lintPaths(paths, options);
        calls++;
        return { ...report, findings: report.findings.filter((f) => !f.file.endsWith('healthy.c')), filesScanned: report.filesScanned + calls };
      },
    };
    const { problems } = await checkInput(
      broken,
      { seed: 'test/fixtures/reserve-semantics/calls.c', mutations: [{ kind: 'flip', at: 0, byte: 1 }], encoding: 'utf8', target: 'x64' },
      dir,
    );
    expect(problems).toEqual(['the healthy file lost its finding', 'a second run gave a different JSON report']);
    expect(fs.readFileSync(path.join(dir, 'healthy.c'), 'utf8')).toBe(HEALTHY);
  });

  it.each(corpus)('replays the input that once failed: %s', async (_name, entry) => {
    expect(entry.found).toMatch(/seed \d+/);
    const { problems } = await checkInput(engine, entry.input, dir);
    expect(problems).toEqual([]);
  });

  it(`never throws, never loses results, always writes valid reports, agrees with itself (${RUNS} inputs)`, async () => {
    await fc.assert(
      fc.asyncProperty(inputArbitrary(), async (input) => {
        const { problems } = await checkInput(engine, input, dir);
        expect(problems).toEqual([]);
      }),
      { numRuns: RUNS, seed: Number(process.env.GRANULE_FUZZ_SEED ?? 20251125), endOnFailure: true },
    );
  });
});
