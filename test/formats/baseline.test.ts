// --write-baseline records today's findings; --baseline reports only findings not recorded, so a project can
// adopt granule without fixing old code first. Run through the built CLI, as a user would.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBaseline } from '../../src/formats/baseline.js';
import { runCli } from '../helpers/cli.js';
import { unavailable } from '../helpers/requirements.js';
import { INPUT, schemaErrors, tempDir } from './helpers.js';

const ORIGINAL = fs.readFileSync(path.join(INPUT, 'app.c'), 'utf8');
const NEW_CALL = '    void *fresh = VirtualAlloc(NULL, 0x3000, MEM_RESERVE, PAGE_NOACCESS);\n';

/** A project folder holding app.c, with a baseline written for it. */
function project(): string {
  const dir = tempDir('baseline');
  fs.writeFileSync(path.join(dir, 'app.c'), ORIGINAL);
  const r = runCli(['--write-baseline', 'granule-baseline.sarif'], { cwd: dir });
  expect(r.status).toBe(0);
  expect(r.stderr).toBe('granule: wrote 4 findings to the baseline granule-baseline.sarif\n');
  return dir;
}

function edit(dir: string, change: (text: string) => string): void {
  const file = path.join(dir, 'app.c');
  fs.writeFileSync(file, change(fs.readFileSync(file, 'utf8')));
}

interface SarifResult {
  ruleId: string;
  locations: { physicalLocation: { region: { startLine: number } } }[];
  partialFingerprints: Record<string, string>;
}

describe('--write-baseline', () => {
  it.skipIf(unavailable('sarif-schema'))('writes a small SARIF log of the findings with their fingerprints, still printing the report, exit 0', () => {
    const dir = tempDir('baseline');
    fs.writeFileSync(path.join(dir, 'app.c'), ORIGINAL);
    const r = runCli(['--write-baseline', 'granule-baseline.sarif', '--format', 'compact'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(4);
    const log = JSON.parse(fs.readFileSync(path.join(dir, 'granule-baseline.sarif'), 'utf8'));
    expect(schemaErrors(log)).toEqual([]);
    const results = log.runs[0].results as SarifResult[];
    expect(results.map((x) => [x.ruleId, x.locations[0]!.physicalLocation.region.startLine])).toEqual([
      ['virtualalloc-granularity', 12],
      ['virtualalloc-granularity', 13],
      ['virtualalloc-granularity', 14],
      ['mapview-granularity', 15],
    ]);
    // the same fingerprints as the SARIF report, and nothing machine-specific
    const report = JSON.parse(runCli(['--format', 'sarif'], { cwd: dir }).stdout);
    expect(results.map((x) => x.partialFingerprints)).toEqual(report.runs[0].results.map((x: SarifResult) => x.partialFingerprints));
    expect(JSON.stringify(log)).not.toContain(dir);
    expect(JSON.stringify(log)).not.toContain('file://');
  });

  it('is byte-for-byte the same when nothing changed', () => {
    const dir = project();
    const first = fs.readFileSync(path.join(dir, 'granule-baseline.sarif'), 'utf8');
    runCli(['--write-baseline', 'granule-baseline.sarif'], { cwd: dir });
    expect(fs.readFileSync(path.join(dir, 'granule-baseline.sarif'), 'utf8')).toBe(first);
  });
});

describe('--baseline', () => {
  it('reports nothing, exit 0, when every finding is in the baseline', () => {
    const dir = project();
    const r = runCli(['--baseline', 'granule-baseline.sarif'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('note: 4 findings matched the baseline granule-baseline.sarif and are not reported\n✔ no problems in 1 file\n');
  });

  it('reports only the new finding after old code moved and new code arrived, exit 1', () => {
    const dir = project();
    edit(dir, (t) => '/* moved down */\n\n' + t.replace('    void *view =', NEW_CALL + '    void *view ='));
    const r = runCli(['--baseline', 'granule-baseline.sarif', '--format', 'compact'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      'app.c:17:19: error: VirtualAlloc reserves 12288 bytes (0x3000); 53248 bytes of its 64 KB granule become unusable [virtualalloc-granularity]\n',
    );
  });

  it('counts identical calls: a third copy of a recorded call is new, and keeps its whole-run fingerprint', () => {
    const dir = project();
    const copy = '    void *b = VirtualAlloc(NULL, 100, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);\n';
    edit(dir, (t) => t.replace(copy, copy + copy.replace('*b', '*c')));
    const full = JSON.parse(runCli(['--format', 'sarif'], { cwd: dir }).stdout).runs[0].results as SarifResult[];
    const r = runCli(['--baseline', 'granule-baseline.sarif', '--format', 'sarif'], { cwd: dir });
    expect(r.status).toBe(1);
    const results = JSON.parse(r.stdout).runs[0].results as SarifResult[];
    expect(results.map((x) => x.locations[0]!.physicalLocation.region.startLine)).toEqual([15]);
    // numbered over the whole run (":2"), not over the filtered results (":0", which the baseline holds)
    expect(results[0]!.partialFingerprints).toEqual(full[3]!.partialFingerprints);
    expect(results[0]!.partialFingerprints['granule/v1']).toMatch(/:2$/);
    const notes = JSON.parse(r.stdout).runs[0].invocations[0].toolExecutionNotifications;
    expect(notes).toContainEqual({
      level: 'note',
      message: { text: '4 findings matched the baseline granule-baseline.sarif and are not reported' },
      descriptor: { id: 'baseline' },
    });
  });

  it('accepts granule SARIF output as a baseline', () => {
    const dir = project();
    fs.writeFileSync(path.join(dir, 'last.sarif'), runCli(['--format', 'sarif'], { cwd: dir }).stdout);
    edit(dir, (t) => t.replace('    void *view =', NEW_CALL + '    void *view ='));
    const r = runCli(['--baseline', 'last.sarif', '--format', 'compact'], { cwd: dir });
    expect(r.stdout).toBe(
      'app.c:15:19: error: VirtualAlloc reserves 12288 bytes (0x3000); 53248 bytes of its 64 KB granule become unusable [virtualalloc-granularity]\n',
    );
  });

  it('rewriting the baseline accepts the new findings', () => {
    const dir = project();
    edit(dir, (t) => t.replace('    void *view =', NEW_CALL + '    void *view ='));
    const w = runCli(['--baseline', 'granule-baseline.sarif', '--write-baseline', 'granule-baseline.sarif', '--format', 'compact'], { cwd: dir });
    expect(w.status).toBe(0);
    expect(w.stderr).toBe('granule: wrote 5 findings to the baseline granule-baseline.sarif\n');
    expect(runCli(['--baseline', 'granule-baseline.sarif', '--format', 'compact'], { cwd: dir })).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('gives one clear message and exit 2 for a baseline it cannot use', () => {
    const dir = tempDir('bad-baseline');
    fs.writeFileSync(path.join(dir, 'app.c'), ORIGINAL);
    fs.writeFileSync(path.join(dir, 'broken.sarif'), '{ "runs": [');
    fs.writeFileSync(path.join(dir, 'other.json'), '{ "findings": [] }');
    fs.writeFileSync(
      path.join(dir, 'foreign.sarif'),
      JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'other' } }, results: [{ message: { text: 'x' } }] }] }),
    );
    const cases: [string, RegExp][] = [
      ['missing.sarif', /^granule: cannot read baseline missing\.sarif: no such file\n$/],
      ['broken.sarif', /^granule: baseline broken\.sarif is not JSON: .+\n$/],
      ['other.json', /^granule: baseline other\.json is not a SARIF log \(it has no "runs" array\)\n$/],
      ['foreign.sarif', /^granule: baseline foreign\.sarif has no granule fingerprints \("granule\/v1"\); write one with --write-baseline\n$/],
      ['.', /^granule: cannot read baseline \.: is a directory\n$/],
      // (read, it grew by a gigabyte a second)
      ['/dev/zero', /^granule: cannot read baseline \/dev\/zero: not a regular file\n$/],
    ];
    for (const [file, message] of cases) {
      const r = runCli(['--baseline', file], { cwd: dir });
      expect([r.status, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toMatch(message);
    }
  });

  it('reads an empty SARIF log as an empty baseline', () => {
    const dir = tempDir('empty-baseline');
    const file = path.join(dir, 'empty.sarif');
    fs.writeFileSync(file, JSON.stringify({ version: '2.1.0', runs: [] }));
    expect(readBaseline(file)).toEqual(new Set());
  });
});

describe('SARIF-only options', () => {
  it('refuses --category and --sarif-omit-suppressed with another format', () => {
    expect(runCli(['--category', 'granule/c', '--format', 'compact', INPUT])).toEqual({
      status: 2,
      stdout: '',
      stderr: 'granule: --category applies to --format sarif only\n',
    });
    expect(runCli(['--sarif-omit-suppressed', INPUT])).toEqual({
      status: 2,
      stdout: '',
      stderr: 'granule: --sarif-omit-suppressed applies to --format sarif only\n',
    });
  });

  it('writes the category into the SARIF', () => {
    const r = runCli(['--format', 'sarif', '--category', 'granule/c', INPUT]);
    expect(JSON.parse(r.stdout).runs[0].automationDetails).toEqual({ id: 'granule/c/' });
  });
});
