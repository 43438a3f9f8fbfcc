// The ESLint language objects `granule/c` and `granule/cpp` (ESLint's languages API, as @eslint/json and
// @eslint/css implement it). `parse` runs granule's whole per-file analysis; rules then visit its AllocationCalls.

import type { File, Language, OkParseResult, ParseResult } from '@eslint/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileAnalysis } from '../engine/analysis/analyze.js';
import { DEFAULT_TARGETS, defaultLintOptions, type LintOptions } from '../engine/runner/options.js';
import { lintInConfigurations, type FileConfiguration } from '../engine/runner/configurations.js';
import { checkAnalysis } from '../engine/runner/pipeline.js';
import { activeRules } from '../engine/linter/run-rules.js';
import { ConfigurationMessages } from './configurations.js';
import { DEFAULT_FILE_TIMEOUT_MS, DEFAULT_MAX_FILE_SIZE, withTimeLimit } from '../engine/model/limits.js';
import { SOURCE_EXTENSIONS, type Language as Grammar } from '../engine/parse/parse.js';
import { type GranuleLanguageOptions, validateLanguageOptions } from './language-options.js';
import { RunReach } from '../engine/runner/reach.js';
import { databaseFiles } from '../engine/preprocess/build-configurations.js';
import type { Finding, Notice } from '../engine/model/types.js';
import { ProjectWrappers } from '../engine/runner/project-scan.js';
import { analyzeSingleFile, HeadersOnDisk, stampOf } from './single-file.js';
import { GranuleSourceCode } from './source-code.js';
import { toPlainTree, visitorKeysFor, type TranslationUnit } from './syntax-tree.js';

export type GranuleParseResult = OkParseResult<TranslationUnit> & { analysis: FileAnalysis; configurations?: ConfigurationMessages };

/**
 * What the plugin keeps between the files ESLint lints in one process (an editor's ESLint server lives long): the
 * header texts, the project scans and the compilation databases. ESLint gives a language object no place for
 * state across files, so the two language objects share this one session. Each part checks itself against the
 * disk before use (headers and project files by modification time and size, databases by their own stamp), so
 * what it holds is never stale; it is bounded by the headers, roots and databases the process's configs name.
 */
class PluginSession {
  /** Headers are shared by every file, and re-read when they change on disk. */
  readonly headers = new HeadersOnDisk();
  readonly projects = new ProjectWrappers();
  /** Compilation databases and Visual Studio projects by path and stamp. */
  private readonly builds = new Map<string, { reach: RunReach; notices: Notice[] }>();

  /** Compile flags and configurations per file from the databases and projects (none: the options apply as they are). */
  buildFor(options: LintOptions): { reach: RunReach; notices: Notice[] } {
    // keyed by modification times too: an editor's ESLint process outlives a rebuild or a change of a project
    const key = JSON.stringify([
      databaseFiles(options.compileCommands).map((f) => `${f}@${stampOf(f)}`),
      (options.projects ?? []).map((f) => `${f}@${stampOf(f)}`),
      options.projectConfigurations,
    ]);
    let entry = this.builds.get(key);
    if (!entry) {
      const notices: Notice[] = [];
      this.builds.set(key, (entry = { reach: new RunReach(options, notices), notices }));
    }
    return entry;
  }
}

/** The session of this process (see PluginSession). */
const session = new PluginSession();

export class GranuleLanguage implements Language<{ LangOptions: GranuleLanguageOptions; Code: GranuleSourceCode; RootNode: TranslationUnit; Node: object }> {
  readonly fileType = 'text' as const;
  /** Lines from 1 and columns from 0, as ESLint's JavaScript does (ESLint still prints columns from 1). */
  readonly lineStart = 1 as const;
  readonly columnStart = 0 as const;
  readonly nodeTypeKey = 'type';
  readonly defaultLanguageOptions: GranuleLanguageOptions = { target: [...DEFAULT_TARGETS] };
  readonly visitorKeys: Record<string, string[]>;

  constructor(readonly dialect: Grammar) {
    this.visitorKeys = visitorKeysFor(dialect);
  }

  validateLanguageOptions(options: GranuleLanguageOptions): void {
    validateLanguageOptions(options);
  }

  parse(file: File, context: { languageOptions?: GranuleLanguageOptions }): ParseResult<TranslationUnit> {
    const text = typeof file.body === 'string' ? file.body : new TextDecoder().decode(file.body);
    const name = file.physicalPath || file.path;
    try {
      const languageOptions = context.languageOptions ?? {};
      const options = lintOptions(languageOptions);
      const file = path.resolve(name);
      const cache = session.headers.current();
      const { reach, notices } = session.buildFor(options);
      const problem = notices.find((n) => n.level === 'error');
      if (problem) return { ok: false, errors: [{ message: `granule: ${problem.message}`, line: 1, column: 0 }] };
      // the CLI's limits: a huge or pathological file becomes one parse error instead of a hang
      if (text.length > DEFAULT_MAX_FILE_SIZE) {
        return { ok: false, errors: [{ message: `granule: larger than ${DEFAULT_MAX_FILE_SIZE / (1024 * 1024)} MB; not analysed`, line: 1, column: 0 }] };
      }
      // every configuration the CLI checks the file in: its targets, each database or project configuration that
      // builds it
      const configurations = reach.configurationsFor(file, options);
      const analyze = (configuration: FileConfiguration) => {
        // the project as this configuration reads it (a header's wrapper may call another API on x86)
        const scan = languageOptions.project?.length
          ? session.projects.scan(
              languageOptions.project.map((p) => path.resolve(p)),
              configuration.run.options,
              cache,
              configuration.run.only,
            )
          : undefined;
        return withTimeLimit(DEFAULT_FILE_TIMEOUT_MS, () =>
          analyzeSingleFile({
            file,
            text,
            options: configuration.options,
            headers: cache,
            // the file is parsed afresh (not from the scan's parses: ESLint passes the text it lints, which may differ)
            wrappers: scan?.wrappers,
            overloads: scan?.reach.overloads,
            // the extension decides the grammar as in the CLI; a name without one takes this language's
            language: SOURCE_EXTENSIONS.includes(path.extname(name).toLowerCase()) ? undefined : this.dialect,
          }),
        );
      };
      const first = configurations[0]!;
      const analysis = analyze(first);
      const ast = toPlainTree(analysis.tree, text, analysis.lines);
      const result: GranuleParseResult = { ok: true, ast, analysis };
      if (configurations.length > 1) {
        // every configuration through the engine's own rules, merged as the CLI merges them
        let own: readonly Finding[] = [];
        const merged = lintInConfigurations(configurations, (configuration, isFirst) => {
          const { options: o } = configuration;
          const lint = checkAnalysis(isFirst ? analysis : analyze(configuration), o, activeRules(o.rules));
          if (isFirst) own = lint.findings;
          return lint;
        });
        result.configurations = new ConfigurationMessages(merged.findings, own, first.name);
      }
      return result;
    } catch (e) {
      return { ok: false, errors: [{ message: `granule could not analyse this file: ${(e as Error).message}`, line: 1, column: 0 }] };
    }
  }

  createSourceCode(file: File, parseResult: OkParseResult<TranslationUnit>): GranuleSourceCode {
    const text = typeof file.body === 'string' ? file.body : new TextDecoder().decode(file.body);
    const { analysis, configurations } = parseResult as GranuleParseResult;
    return new GranuleSourceCode({ text, ast: parseResult.ast, analysis, configurations, visitorKeys: this.visitorKeys });
  }
}

function lintOptions(languageOptions: GranuleLanguageOptions): LintOptions {
  const options = defaultLintOptions(process.cwd());
  if (languageOptions.target) options.target = languageOptions.target;
  if (languageOptions.compiler) options.compiler = languageOptions.compiler;
  if (languageOptions.includeSearch === false) options.includeSearch = false;
  if (languageOptions.defines) options.defines = { ...languageOptions.defines };
  if (languageOptions.undefines) options.undefines = [...languageOptions.undefines];
  if (languageOptions.includePaths) options.includePaths = [...languageOptions.includePaths];
  if (languageOptions.forceIncludes) options.forceIncludes = [...languageOptions.forceIncludes];
  if (languageOptions.wrappers) options.wrappers = languageOptions.wrappers.map((w) => ({ name: w.name, sizeArg: w.sizeArg }));
  if (languageOptions.compileCommands) {
    const databases = databaseFiles(languageOptions.compileCommands).map((d) => {
      const database = path.resolve(d);
      return isDirectory(database) ? path.join(database, 'compile_commands.json') : database;
    });
    options.compileCommands = databases.length === 1 ? databases[0]! : databases;
  }
  if (languageOptions.projects?.length) {
    options.projects = languageOptions.projects.map((p) => path.resolve(p));
    options.projectConfigurations = [...(languageOptions.projectConfigurations ?? [])];
  }
  return options;
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}
