// Faults while a run is under way: one file's analysis throwing, and the process being interrupted while
// it writes its report. Neither may cost the other files their results or leave a broken report behind.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultLintOptions, lintPaths, type LintOptions, type RuleSetting } from '../../src/engine/runner/lint.js';
import { formatters } from '../../src/formats/index.js';
import { BIN, ROOT } from '../helpers/cli.js';
import { HEALTHY, HEALTHY_MESSAGE, workspace } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('a file whose analysis throws', () => {
  it('is reported with code internal-error, and every other file still produces its findings', async () => {
    const dir = workspace({ 'victim.c': HEALTHY.replace('4096', '8192'), 'other.c': HEALTHY.replace('4096', '12288') });
    dirs.push(dir);
    const base = defaultLintOptions(dir);
    // The run has no worker threads: the in-process equivalent of a worker crashing on one file is that
    // file's analysis throwing. Options whose macro table explodes when read make exactly that happen,
    // through the public options interface, for victim.c only.
    const hostile: LintOptions = {
      ...base,
      defines: new Proxy({} as Record<string, string>, {
        ownKeys() {
          throw new Error('the macro table cannot be read');
        },
      }),
    };
    const options: LintOptions = { ...base, optionsFor: (file) => ({ options: file.endsWith('victim.c') ? hostile : base, ignored: false }) };
    const report = await lintPaths([dir], options);
    expect(report.notices.map((n) => ({ level: n.level, code: n.code, file: n.file && path.relative(dir, n.file), message: n.message }))).toEqual([
      { level: 'error', code: 'internal-error', file: 'victim.c', message: 'could not analyse this file: the macro table cannot be read' },
    ]);
    expect(report.findings.map((f) => `${path.relative(dir, f.file)}:${f.range.start.line}:${f.range.start.column} ${f.message}`)).toEqual([
      `healthy.c:3:5 ${HEALTHY_MESSAGE}`,
      'other.c:3:5 VirtualAlloc reserves 12288 bytes (0x3000); 53248 bytes of its 64 KB granule become unusable',
    ]);
    // SARIF says the run was not wholly successful and names the file
    const log = JSON.parse(formatters.sarif!(report, { color: false }));
    const invocation = log.runs[0].invocations[0];
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications).toEqual([
      {
        level: 'error',
        message: { text: 'could not analyse this file: the macro table cannot be read' },
        descriptor: { id: 'internal-error' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'victim.c', uriBaseId: '%SRCROOT%' } } }],
      },
    ]);
    expect(
      log.runs[0].results.map(
        (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0]!.physicalLocation.artifactLocation.uri,
      ),
    ).toEqual(['healthy.c', 'other.c']);
  });
});

describe('a file on which a rule throws', () => {
  it("loses only that rule's findings on that file, with an internal-error notice", async () => {
    // rule options reach the engine unchecked through the API (and editor settings): a large-page minimum of 0
    // makes the rule divide by zero, on files with a MEM_LARGE_PAGES call only; the 4 KB reservation beside it
    // is still reported by the other rule
    const large =
      '#include <windows.h>\nvoid big(void) {\n    VirtualAlloc(NULL, 3 * 1024 * 1024, MEM_RESERVE | MEM_COMMIT | MEM_LARGE_PAGES, PAGE_READWRITE);\n    VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS);\n}\n';
    const dir = workspace({ 'large.c': large, 'other.c': HEALTHY.replace('4096', '12288') });
    dirs.push(dir);
    const options: LintOptions = { ...defaultLintOptions(dir), rules: { 'large-page-size': ['error', { largePageMinimum: 0 }] } };
    const report = await lintPaths([dir], options);
    expect(report.notices.map((n) => ({ level: n.level, code: n.code, file: n.file && path.relative(dir, n.file), message: n.message }))).toEqual([
      {
        level: 'error',
        code: 'internal-error',
        file: 'large.c',
        message: 'rule large-page-size failed on this file, and its findings here are missing: Division by zero',
      },
    ]);
    expect(report.findings.map((f) => `${path.relative(dir, f.file)}:${f.range.start.line} ${f.ruleId}`)).toEqual([
      'healthy.c:3 virtualalloc-granularity',
      'large.c:4 virtualalloc-granularity',
      'other.c:3 virtualalloc-granularity',
    ]);
  });
});

describe('worker threads', () => {
  // threads run only in the compiled engine (dist/), as users run it
  const compiled = () => import(path.join(ROOT, 'dist', 'engine', 'runner', 'lint.js')) as Promise<typeof import('../../src/engine/runner/lint.js')>;
  const summary = (dir: string, report: Awaited<ReturnType<typeof lintPaths>>) => ({
    notices: report.notices.map((n) => `${n.code} ${n.file && path.relative(dir, n.file)}: ${n.message}`),
    findings: report.findings.map((f) => `${path.relative(dir, f.file)}:${f.range.start.line} ${f.ruleId} ${f.message}`),
  });

  function tree(): string {
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++)
      files[`f${i}.c`] = `#include <windows.h>\nvoid f${i}(void) {\n    VirtualAlloc(NULL, ${(i % 15) + 1} * 4096, MEM_RESERVE, PAGE_NOACCESS);\n}\n`;
    files['large.c'] =
      '#include <windows.h>\nvoid big(void) {\n    VirtualAlloc(NULL, 3 * 1024 * 1024, MEM_RESERVE | MEM_COMMIT | MEM_LARGE_PAGES, PAGE_READWRITE);\n}\n';
    const dir = workspace(files);
    dirs.push(dir);
    return dir;
  }

  it('a file that fails inside a thread is reported, and the run gives what a single thread gives', async () => {
    const engine = await compiled();
    const dir = tree();
    const options = { ...engine.defaultLintOptions(dir), rules: { 'large-page-size': ['error', { largePageMinimum: 0 }] as RuleSetting } };
    const single = summary(dir, await engine.lintPaths([dir], { ...options, concurrency: 'off' }));
    expect(single.notices).toEqual(['internal-error large.c: rule large-page-size failed on this file, and its findings here are missing: Division by zero']);
    expect(single.findings).toHaveLength(61);
    for (const concurrency of [2, 4]) expect(summary(dir, await engine.lintPaths([dir], { ...options, concurrency }))).toEqual(single);
  });

  it('when threads cannot run at all, the run goes on one thread and still loses only the failing file', async () => {
    const engine = await compiled();
    const dir = tree();
    const base = engine.defaultLintOptions(dir);
    // options that cannot be sent to a thread, and that make victim.c's analysis throw
    const hostile = {
      ...base,
      defines: new Proxy({} as Record<string, string>, {
        ownKeys: () => {
          throw new Error('the macro table cannot be read');
        },
      }),
    };
    fs.writeFileSync(path.join(dir, 'victim.c'), HEALTHY);
    const report = await engine.lintPaths([dir], {
      ...base,
      concurrency: 4,
      optionsFor: (file) => ({ options: file.endsWith('victim.c') ? hostile : base, ignored: false }),
    });
    const s = summary(dir, report);
    expect(s.notices).toEqual(['internal-error victim.c: could not analyse this file: the macro table cannot be read']);
    expect(s.findings).toEqual(summary(dir, await engine.lintPaths([dir], { ...base, concurrency: 'off' })).findings.filter((f) => !f.startsWith('victim.c')));
  });
});

describe('an interrupted run (SIGINT)', () => {
  /** Runs the CLI writing SARIF to out.sarif and interrupts it after `delay` ms (never, when undefined). */
  function run(dir: string, delay?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
    return new Promise((resolve) => {
      const started = performance.now();
      const child = spawn(process.execPath, [BIN, '--format', 'sarif', '--output', 'out.sarif', 'src'], { cwd: dir, stdio: 'ignore' });
      const timer = delay === undefined ? undefined : setTimeout(() => child.kill('SIGINT'), delay);
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, ms: performance.now() - started });
      });
    });
  }

  it('leaves either the previous report or a complete new one, and no temporary file', async () => {
    // enough work that an interrupt lands while files are analysed or the report is written
    const files: Record<string, string> = {};
    for (let i = 0; i < 1500; i++)
      files[`src/f${i}.c`] = `#include <windows.h>\nvoid f${i}(void) {\n    VirtualAlloc(NULL, ${(i % 15) + 1} * 4096, MEM_RESERVE, PAGE_NOACCESS);\n}\n`;
    const dir = workspace(files, false);
    dirs.push(dir);
    const out = path.join(dir, 'out.sarif');
    const previous = '{"previous": "report"}\n';
    const complete = await run(dir);
    expect(complete.code).toBe(1);
    const fresh = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(fresh.runs[0].results).toHaveLength(1500);

    const outcomes = new Set<string>();
    // interrupt at points spread over the whole run: start-up, discovery, analysis, formatting, writing
    const fractions = [0.05, 0.2, 0.35, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.96, 0.98, 1.0, 1.02];
    for (const f of fractions) {
      fs.writeFileSync(out, previous);
      const r = await run(dir, Math.round(complete.ms * f));
      const text = fs.readFileSync(out, 'utf8');
      if (text === previous) {
        expect(r.signal, `kept the previous report but was not interrupted (at ${f})`).toBe('SIGINT');
        outcomes.add('previous');
      } else {
        const log = JSON.parse(text);
        expect(log.runs[0].results).toHaveLength(1500);
        expect(text).toBe(fs.readFileSync(out, 'utf8'));
        outcomes.add('complete');
      }
      expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    }
    // at least one interrupt landed mid-scan; whether a late one also lands after the write depends on the
    // machine's load, so that is not required (each outcome above is checked either way)
    expect(outcomes.has('previous')).toBe(true);
  });
});
