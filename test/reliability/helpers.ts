// Workspaces for the bad-input matrix: every case puts a healthy file next to the bad input, runs the
// built binary as a user would, and checks that the healthy file's finding survives.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';
import { BIN, runCli, type CliResult } from '../helpers/cli.js';

/** A file with one known finding: line 3, column 5. */
export const HEALTHY = ['#include <windows.h>', 'void healthy(void) {', '    VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS);', '}', ''].join('\n');
export const HEALTHY_MESSAGE = 'VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable';

export interface JsonFinding {
  ruleId: string;
  severity: string;
  path: string;
  message: string;
  range: { start: { line: number; column: number; offset: number }; end: { line: number; column: number; offset: number } };
}

export interface JsonNotice {
  level: string;
  code: string;
  message: string;
  path?: string;
  line?: number;
}

export interface JsonReport {
  filesScanned: number;
  findings: JsonFinding[];
  notices: JsonNotice[];
}

export interface Scan extends CliResult {
  report: JsonReport;
}

/** A fresh directory (readable by every user, for the permission cases) holding `healthy.c` and `files`. */
export function workspace(files: Record<string, string | Buffer> = {}, healthy = true): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-reliability-'));
  fs.chmodSync(dir, 0o755);
  if (healthy) fs.writeFileSync(path.join(dir, 'healthy.c'), HEALTHY);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** Runs `granule --format json` in `dir`; the report must be valid JSON whatever happened. */
export function scan(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): Scan {
  const r = runCli(['--format', 'json', ...args], { cwd: dir, env });
  return { ...r, report: parseReport(r) };
}

/** The same as `scan`, run as the unprivileged user `nobody` (root reads any file, whatever its mode). */
export function scanAsNobody(dir: string, args: string[]): Scan {
  const result = runAsNobody(dir, ['--format', 'json', ...args]);
  return { ...result, report: parseReport(result) };
}

/** granule with `args` in `dir`, as the unprivileged user `nobody`; no report is expected. */
export function runAsNobody(dir: string, args: string[]): CliResult {
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', HOME: os.tmpdir() },
    encoding: 'utf8',
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** granule with `args` in `dir`, as this user or (when that is root, who reads anything) as `nobody`. */
export function runUnprivileged(dir: string, args: string[]): CliResult {
  return isRoot() ? runAsNobody(dir, args) : runCli(args, { cwd: dir });
}

function parseReport(r: CliResult): JsonReport {
  try {
    return JSON.parse(r.stdout) as JsonReport;
  } catch {
    throw new Error(`granule did not print a JSON report (exit ${r.status}):\n${r.stdout.slice(0, 2000)}\n${r.stderr.slice(0, 2000)}`);
  }
}

/** Findings as `path:line:column rule`, for exact comparisons. */
export function places(report: JsonReport): string[] {
  return report.findings.map((f) => `${f.path}:${f.range.start.line}:${f.range.start.column} ${f.ruleId}`);
}

/** Notices without the absolute `file`, for exact comparisons. */
export function notices(report: JsonReport): JsonNotice[] {
  return report.notices.map(({ level, code, message, path: p, line }) => ({
    level,
    code,
    message,
    ...(p !== undefined ? { path: p } : {}),
    ...(line !== undefined ? { line } : {}),
  }));
}

/** The healthy file's finding is in the report, exactly. */
export function expectHealthy(report: JsonReport): void {
  const f = report.findings.find((x) => x.path === 'healthy.c');
  expect(f, 'the healthy file lost its finding').toBeDefined();
  expect(f).toMatchObject({ ruleId: 'virtualalloc-granularity', severity: 'error', message: HEALTHY_MESSAGE, range: { start: { line: 3, column: 5 } } });
}

/** One clear message per problem and never a JavaScript stack trace. */
export function expectNoStackTrace(r: CliResult): void {
  expect(r.stderr).not.toMatch(/\n\s+at .*(\.js|\.ts|node:internal)/);
  expect(r.stderr).not.toContain('internal error');
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}
