// Runs one fixture folder through granule's CLI and through ESLint with granule's plugin, in a private copy
// (flat config `files` patterns are relative to the config file, so the config sits beside the copied sources).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, runCli } from '../helpers/cli.js';

export interface FixtureSettings {
  target?: string;
  compiler?: string;
  includeSearch?: boolean;
  compileCommands?: string | string[];
  /** Visual Studio solutions and projects, and the configurations of them to check. */
  projects?: string[];
  projectConfigurations?: string[];
  wrappers?: { name: string; sizeArg: number }[];
  defines?: Record<string, string>;
  undefines?: string[];
  includePaths?: string[];
  forceIncludes?: string[];
  rules?: Record<string, string | [string, ...unknown[]]>;
}

export function fixtureSettings(dir: string): FixtureSettings {
  const file = path.join(dir, 'fixture.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as FixtureSettings) : {};
}

/**
 * Copies a fixture folder to a new temporary directory and returns the copy; the fixture's options become its
 * granule.config.json (the keys are the same), which is how a project gives them to the granule CLI.
 */
export function copyFixture(dir: string): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), `granule-eslint-${path.basename(dir)}-`));
  fs.cpSync(dir, copy, { recursive: true });
  if (fs.existsSync(path.join(copy, 'fixture.json'))) fs.renameSync(path.join(copy, 'fixture.json'), path.join(copy, 'granule.config.json'));
  return copy;
}

export const SOURCE_PATTERNS = ['**/*.c', '**/*.h', '**/*.cc', '**/*.cpp', '**/*.cxx', '**/*.c++', '**/*.hpp', '**/*.hh', '**/*.hxx', '**/*.inl', '**/*.ipp'];

/** The flat-config object that gives ESLint the same options the fixture gives granule. */
export function eslintOverrides(dir: string, settings: FixtureSettings): Record<string, unknown> {
  const languageOptions: Record<string, unknown> = {};
  if (settings.target) languageOptions.target = settings.target;
  if (settings.compiler) languageOptions.compiler = settings.compiler;
  if (settings.includeSearch !== undefined) languageOptions.includeSearch = settings.includeSearch;
  if (settings.defines) languageOptions.defines = settings.defines;
  if (settings.undefines) languageOptions.undefines = settings.undefines;
  if (settings.includePaths) languageOptions.includePaths = settings.includePaths.map((p) => path.resolve(dir, p));
  if (settings.forceIncludes) languageOptions.forceIncludes = settings.forceIncludes.map((p) => path.resolve(dir, p));
  if (settings.compileCommands)
    languageOptions.compileCommands =
      typeof settings.compileCommands === 'string' ? path.resolve(dir, settings.compileCommands) : settings.compileCommands.map((d) => path.resolve(dir, d));
  if (settings.projects) languageOptions.projects = settings.projects.map((p) => path.resolve(dir, p));
  if (settings.projectConfigurations) languageOptions.projectConfigurations = settings.projectConfigurations;
  if (settings.wrappers) languageOptions.wrappers = settings.wrappers;
  // wrappers defined in one file and called in another, as the CLI sees them across its run
  languageOptions.project = [dir];
  const rules = Object.fromEntries(Object.entries(settings.rules ?? {}).map(([id, level]) => [`granule/${id}`, level]));
  return { files: SOURCE_PATTERNS, languageOptions, rules };
}

/** One line per finding: where, what, and the autofix, comparable across both tools. */
export type Line = string;

interface CliFinding {
  ruleId: string;
  severity: 'error' | 'warn';
  path: string;
  range: { start: { line: number; column: number }; end: { line: number; column: number } };
  message: string;
  fix?: { edits: { range: [number, number]; text: string }[] };
  suppressed?: unknown;
}

export function cliLines(copy: string): Line[] {
  const r = runCli(['--format', 'json', '.'], { cwd: copy });
  if (r.status !== 0 && r.status !== 1) throw new Error(`granule exited ${r.status}: ${r.stderr}`);
  const report = JSON.parse(r.stdout) as { findings: CliFinding[] };
  return report.findings
    .filter((f) => !f.suppressed)
    .map((f) =>
      line(
        f.path,
        f.range.start.line,
        f.range.start.column,
        f.range.end.line,
        f.range.end.column,
        f.severity === 'error' ? 2 : 1,
        f.ruleId,
        f.message,
        f.fix?.edits[0],
      ),
    )
    .sort();
}

export interface EslintMessage {
  ruleId: string | null;
  severity: number;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  fix?: { range: [number, number]; text: string };
}

export function eslintLines(copy: string, results: { filePath: string; messages: EslintMessage[] }[]): Line[] {
  const out: Line[] = [];
  for (const result of results) {
    const rel = path.relative(copy, result.filePath).split(path.sep).join('/');
    for (const m of result.messages) {
      const ruleId = m.ruleId?.startsWith('granule/') ? m.ruleId.slice('granule/'.length) : `${m.ruleId}`;
      out.push(line(rel, m.line, m.column, m.endLine ?? 0, m.endColumn ?? 0, m.severity, ruleId, m.message, m.fix));
    }
  }
  return out.sort();
}

function line(
  file: string,
  l: number,
  c: number,
  el: number,
  ec: number,
  severity: number,
  ruleId: string,
  message: string,
  fix?: { range: [number, number]; text: string },
): Line {
  return `${file}:${l}:${c}-${el}:${ec} ${severity === 2 ? 'error' : 'warn'} ${ruleId}: ${message}${fix ? ` [fix ${fix.range[0]}-${fix.range[1]} ${JSON.stringify(fix.text)}]` : ''}`;
}

/** Writes an eslint.config.mjs that uses the built plugin, as a user's project would. */
export function writeEslintConfig(copy: string, overrides: Record<string, unknown>): string {
  const plugin = path.join(ROOT, 'dist', 'eslint', 'index.js');
  const file = path.join(copy, 'eslint.config.mjs');
  fs.writeFileSync(
    file,
    [`import granule from ${JSON.stringify(plugin)};`, `export default [...granule.configs.recommended, ${JSON.stringify(overrides)}];`, ''].join('\n'),
  );
  return file;
}

export const ESLINT_BIN = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
