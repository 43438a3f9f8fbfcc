// The speed-ups keep every result, on a real tree (Debian's wine 8.0 source, 4,900 files): windowed
// parsing, headers' effects replayed and parses shared between targets find what whole-file parsing with nothing
// shared finds, threads report what one thread reports, and the four
// shards of --shard merge into the unsharded SARIF. (How fast is measured by npm run bench, not here.)

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLintOptions, lintPaths } from '../../src/engine/runner/lint.js';
import type { Notice } from '../../src/engine/model/types.js';
import { runCli } from '../helpers/cli.js';
import { corpusPath, unavailable } from '../helpers/requirements.js';

let wine: string;
let out: string;

// fetched once, outside the tests, by `npm run fetch-corpus`
const missing = unavailable('wine-corpus');

beforeAll(() => {
  wine = corpusPath('wine');
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-wine-'));
});

afterAll(() => out && fs.rmSync(out, { recursive: true, force: true }));

/** Parse-error notes count the regions tree-sitter could not parse, and a window parses less: those differ by design. */
const withoutParseErrors = (notices: Notice[]) => notices.filter((n) => n.code !== 'parse-error');

describe.skipIf(missing)('on the wine source tree', () => {
  it('windowed parsing and what files and targets share find exactly what whole-file parsing with nothing shared finds', async () => {
    const base = { ...defaultLintOptions(wine), concurrency: 'off' as const };
    const windowed = await lintPaths([], base);
    const whole = await lintPaths([], { ...base, windowed: false, shared: false });
    expect(whole.findings.length).toBeGreaterThan(80);
    expect(new Set(whole.findings.map((f) => f.file)).size).toBeGreaterThan(15);
    // every field: ranges, messages, values, evidence chains, fixes
    expect(windowed.findings).toEqual(whole.findings);
    expect(withoutParseErrors(windowed.notices)).toEqual(withoutParseErrors(whole.notices));
    // a window never finds parse errors that the whole file does not have
    const errorsOf = (notices: Notice[]) => new Map(notices.filter((n) => n.code === 'parse-error').map((n) => [n.file, Number(/^\d+/.exec(n.message)![0])]));
    const wholeErrors = errorsOf(whole.notices);
    for (const [file, n] of errorsOf(windowed.notices)) expect(n).toBeLessThanOrEqual(wholeErrors.get(file) ?? 0);
    expect(windowed.filesScanned).toBe(whole.filesScanned);
  }, 900_000);

  it('threads give the report one thread gives', () => {
    const run = (concurrency: string) => runCli(['--format', 'json', '--concurrency', concurrency, '.'], { cwd: wine });
    const one = run('off');
    const two = run('2');
    expect(one.status).toBe(1);
    expect(two.status).toBe(1);
    expect(JSON.parse(two.stdout).findings.length).toBeGreaterThan(80);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
    // the shared first pass on one thread too
    expect(run('1').stdout).toBe(one.stdout);
  }, 900_000);

  it('four shards merge into the unsharded SARIF, byte for byte', () => {
    const sarif = (name: string, ...extra: string[]) => runCli(['--format', 'sarif', '-o', path.join(out, name), ...extra, '.'], { cwd: wine });
    expect(sarif('all.sarif').status).toBe(1);
    const shards = [1, 2, 3, 4].map((k) => {
      const r = sarif(`shard${k}.sarif`, '--shard', `${k}/4`);
      expect([0, 1]).toContain(r.status);
      return path.join(out, `shard${k}.sarif`);
    });
    const counts = shards.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')).runs[0].results.length);
    // every shard has a share of the findings
    for (const n of counts) expect(n).toBeGreaterThan(0);
    const merged = runCli(['merge', ...shards, '-o', path.join(out, 'merged.sarif')]);
    expect(merged.status).toBe(0);
    const all = fs.readFileSync(path.join(out, 'all.sarif'), 'utf8');
    expect(counts.reduce((a, b) => a + b, 0)).toBe(JSON.parse(all).runs[0].results.length);
    expect(fs.readFileSync(path.join(out, 'merged.sarif'), 'utf8')).toBe(all);
  }, 900_000);
});
