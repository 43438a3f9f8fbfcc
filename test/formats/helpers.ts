// Validators for SARIF logs: Microsoft's SARIF Multitool (the real binary) and ajv with the official
// SARIF 2.1.0 schema that ships inside the Multitool's npm package.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll } from 'vitest';
import { defaultLintOptions, type LintOptions } from '../../src/engine/runner/lint.js';
import type { Finding, Range, Report } from '../../src/engine/model/types.js';
import { ROOT } from '../helpers/cli.js';
import { sarifSchemaFile } from '../helpers/requirements.js';

export const MULTITOOL = path.join(ROOT, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool');
export const INPUT = path.join(import.meta.dirname, 'data', 'input');

/** Per-folder options, as test/e2e/fixtures.test.ts reads them: `fixture.json` may set any LintOptions field. */
export function fixtureOptions(dir: string): LintOptions {
  const options = defaultLintOptions(dir);
  const file = path.join(dir, 'fixture.json');
  if (fs.existsSync(file)) Object.assign(options, JSON.parse(fs.readFileSync(file, 'utf8')));
  return options;
}

const made: string[] = [];

/** A fresh folder under the system temp directory, removed when the test file is done. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `granule-sarif-${prefix}-`));
  made.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

let validator: ((log: unknown) => string[]) | undefined;

/** Validates against the official SARIF 2.1.0 JSON schema; returns one line per violation. */
export function schemaErrors(log: unknown): string[] {
  if (!validator) {
    const schemaFile = sarifSchemaFile();
    if (!schemaFile) throw new Error('the SARIF 2.1.0 schema of @microsoft/sarif-multitool is missing (run npm ci)');
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    // the schema's formats, checked as the JSON Schema spec defines them
    ajv.addFormat('uri', (s: string) => URL.canParse(s));
    ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///base/') && !/\s/.test(s));
    ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(s) && !Number.isNaN(Date.parse(s)));
    ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
    validator = (log) => (validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`));
  }
  return validator(log);
}

interface MultitoolResult {
  ruleId?: string;
  level?: string;
  message: { id?: string; text?: string; arguments?: string[] };
  locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[];
}

/**
 * Runs `Sarif.Multitool validate` with the SARIF and GitHub rule sets on the files, in one process, and
 * returns one line per error or warning, sorted. The Multitool exits 0 even when it finds errors, so its output
 * log is what counts; a missing log, a failed run or an error notification is a problem too.
 */
export function multitoolProblems(files: string[]): string[] {
  if (!fs.existsSync(MULTITOOL)) throw new Error(`the SARIF Multitool is missing: ${MULTITOOL} (run npm ci on Linux x64)`);
  const out = path.join(tempDir('multitool'), 'validation.sarif');
  // the binary is called directly: the npm wrapper runs it through a shell, which splits "Sarif;Gh"
  const r = spawnSync(MULTITOOL, ['validate', ...files, '-o', out, '--log', 'ForceOverwrite', '--rule-kind', 'Sarif;Gh', '--level', 'Error;Warning'], {
    encoding: 'utf8',
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
  });
  if (r.error) throw r.error;
  if (r.status !== 0 || !fs.existsSync(out)) throw new Error(`Sarif.Multitool failed (exit ${r.status}): ${r.stdout}\n${r.stderr}`);
  const log = JSON.parse(fs.readFileSync(out, 'utf8')) as {
    runs: {
      results?: MultitoolResult[];
      tool: { driver: { rules?: { id: string; messageStrings?: Record<string, { text: string }> }[] } };
      invocations?: { executionSuccessful: boolean; toolExecutionNotifications?: { level?: string; message: { text?: string } }[] }[];
    }[];
  };
  const problems: string[] = [];
  for (const run of log.runs) {
    const rules = new Map((run.tool.driver.rules ?? []).map((rule) => [rule.id, rule]));
    for (const res of run.results ?? []) {
      if (res.level !== 'error' && res.level !== 'warning') continue;
      const template = res.message.text ?? rules.get(res.ruleId ?? '')?.messageStrings?.[res.message.id ?? '']?.text ?? res.message.id ?? '';
      const text = template.replace(/\{(\d+)\}/g, (_, i: string) => res.message.arguments?.[Number(i)] ?? '');
      const file = path.basename(decodeURI(res.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? ''));
      problems.push(`${file}: ${res.level} ${res.ruleId}: ${text}`);
    }
    for (const inv of run.invocations ?? []) {
      if (!inv.executionSuccessful) problems.push('the Multitool reports an unsuccessful run');
      for (const n of inv.toolExecutionNotifications ?? [])
        if (n.level === 'error' || n.level === 'warning') problems.push(`Multitool ${n.level}: ${n.message.text}`);
    }
  }
  // the Multitool checks files in parallel: sort for a stable comparison
  return problems.sort();
}

/** A report built by hand, for shapes a lint run does not produce (suppressions, thousands of results). */
export function syntheticReport(root: string, findings: Finding[], notices: Report['notices'] = []): Report {
  return {
    root,
    findings,
    notices,
    filesScanned: new Set(findings.map((f) => f.file)).size,
    rules: [
      { id: 'virtualalloc-granularity', level: 'error' },
      { id: 'large-page-size', level: 'error' },
      { id: 'mapview-granularity', level: 'warn' },
      { id: 'unresolved-allocation-size', level: 'off' },
    ],
    toolVersion: '0.1.0',
  };
}

export function range(line: number, column: number, length: number, offset = 0): Range {
  return { start: { line, column, offset }, end: { line, column: column + length, offset: offset + length } };
}

export function syntheticFinding(root: string, i: number, overrides: Partial<Finding> = {}): Finding {
  const size = 4096 + (i % 15) * 4096;
  return {
    ruleId: 'virtualalloc-granularity',
    severity: 'error',
    file: path.join(root, `src/file${Math.floor(i / 100)}.c`),
    range: range((i % 100) + 1, 5, 40),
    messageId: 'wastesGranule',
    message: `VirtualAlloc reserves ${size} bytes; ${65536 - size} bytes of its 64 KB granule become unusable`,
    api: 'VirtualAlloc',
    properties: { api: 'VirtualAlloc', callee: 'VirtualAlloc', size: String(size), unusable: String(65536 - size) },
    evidence: [],
    callText: `VirtualAlloc(NULL, ${size}, MEM_RESERVE, PAGE_NOACCESS)`,
    enclosingFunction: `function${i}`,
    suggestions: [],
    ...overrides,
  };
}
