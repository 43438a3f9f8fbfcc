// What the server knows about the files around the open documents: granule.config.json files, the compilation
// database, and header text. All of it is re-read when the client reports a change on disk.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigResolver } from '../config/resolver.js';
import { HeaderCache } from '../engine/preprocess/header-cache.js';
import { defaultLintOptions, type LintOptions } from '../engine/runner/options.js';
import { RunReach } from '../engine/runner/reach.js';
import { databaseFiles } from '../engine/preprocess/build-configurations.js';
import type { Notice } from '../engine/model/types.js';
import { targetConfigurations, type FileConfiguration } from '../engine/runner/configurations.js';
import type { WorkspaceWrappers } from './lint-document.js';
import { ProjectWrappers } from '../engine/runner/project-scan.js';
import type { GranuleSettings } from './settings.js';

export interface DocumentOptions {
  /** The options of the file's first configuration. */
  options: LintOptions;
  /** Every configuration the file is checked in (its targets; each database or project configuration that builds it). */
  configurations: FileConfiguration[];
  /** Wrappers the other files of the workspace define, read in one of `configurations`. */
  wrappersFor: (configuration: FileConfiguration) => WorkspaceWrappers;
  /** The config ignores this file: no diagnostics. */
  ignored: boolean;
  /** Config or compilation-database problems, for the user. */
  problems: string[];
}

const CONFIG_NAMES = new Set(['granule.config.json', 'package.json']);
const SOURCE_FILES = /\.(?:c|cc|cpp|cxx|c\+\+)$/i;
/** Visual Studio solutions, projects and property sheets: what the projects of the settings read. */
const BUILD_FILES = /\.(?:sln|vcxproj|props)$/i;

export class Workspace {
  /** Header text and facts; replaced when a header changes (facts derived from it are cached per cache). */
  headers = new HeaderCache();
  private roots: string[] = [];
  private readonly resolvers = new Map<string, ConfigResolver>();
  private readonly reaches = new Map<string, { reach: RunReach; notices: Notice[] }>();
  /** Read when first needed and again after a change on disk the client reports (never on a timer). */
  private readonly projects = new ProjectWrappers(Infinity);

  setRoots(roots: string[]): void {
    // longest first, so a nested folder wins over its parent
    this.roots = [...new Set(roots.map((r) => path.resolve(r)))].sort((a, b) => b.length - a.length);
    this.resolvers.clear();
  }

  /** The workspace folder that holds `file`, or the file's own directory. */
  rootFor(file: string): string {
    return this.roots.find((r) => file === r || file.startsWith(r + path.sep)) ?? path.dirname(file);
  }

  optionsFor(file: string, settings: GranuleSettings): DocumentOptions {
    const root = this.rootFor(file);
    const base = defaultLintOptions(root);
    if (settings.target) base.target = settings.target;
    if (settings.compiler) base.compiler = settings.compiler;
    base.defines = { ...settings.defines };
    base.includePaths = [...settings.includePaths];
    base.rules = { ...settings.rules };
    const key = JSON.stringify([root, settings.target, settings.compiler, settings.defines, settings.includePaths, settings.rules]);
    let resolver = this.resolvers.get(key);
    if (!resolver)
      this.resolvers.set(
        key,
        (resolver = new ConfigResolver(base, {
          targetFromCommandLine: settings.target !== undefined,
          compilerFromCommandLine: settings.compiler !== undefined,
        })),
      );
    const problems: string[] = [];
    let options = base;
    let ignored = false;
    const resolved = resolver.forFile(file);
    if ('error' in resolved) problems.push(resolved.error.message);
    else {
      options = resolved.options;
      ignored = resolved.ignored;
    }
    const build = buildSources(root, settings, options);
    let configurations: FileConfiguration[];
    if (build) {
      const key = JSON.stringify(build);
      let entry = this.reaches.get(key);
      if (!entry) {
        const notices: Notice[] = [];
        this.reaches.set(key, (entry = { reach: new RunReach({ ...options, ...build }, notices), notices }));
      }
      problems.push(...entry.notices.map((n) => n.message));
      options = { ...options, ...build };
      // each database or project configuration that builds the file, in its targets, as the CLI checks it
      configurations = entry.reach.configurationsFor(file, options);
    } else configurations = targetConfigurations(options);
    const headers = this.headers;
    const wrappersFor = (configuration: FileConfiguration): WorkspaceWrappers => {
      if (ignored) return {};
      const scan = this.projects.scan([root], configuration.run.options, headers, configuration.run.only);
      return { wrappers: scan.wrappers, overloads: scan.reach.overloads };
    };
    return { options: configurations[0]!.options, configurations, wrappersFor, ignored, problems };
  }

  /**
   * A file changed on disk. Returns true when it can change the findings of other documents (a header, a config
   * file or a compilation database).
   */
  fileChanged(file: string): boolean {
    const name = path.basename(file);
    if (SOURCE_FILES.test(name)) return this.projects.sourceChanged(file);
    this.projects.clear();
    if (CONFIG_NAMES.has(name)) {
      this.resolvers.clear();
      return true;
    }
    if (name === 'compile_commands.json' || BUILD_FILES.test(name)) {
      this.reaches.clear();
      return true;
    }
    // constants read from headers are cached per HeaderCache, so a changed header needs a fresh one
    this.headers = new HeaderCache();
    return true;
  }
}

/**
 * The compilation databases and Visual Studio projects of the settings (over the config file's), with paths
 * resolved against the workspace folder; undefined when there are none.
 */
function buildSources(
  root: string,
  settings: GranuleSettings,
  options: LintOptions,
): Pick<LintOptions, 'compileCommands' | 'projects' | 'projectConfigurations'> | undefined {
  const databases = databaseFiles(settings.compileCommands ?? options.compileCommands).map((d) => {
    const resolved = path.resolve(root, d);
    return isDirectory(resolved) ? path.join(resolved, 'compile_commands.json') : resolved;
  });
  const projects = (settings.projects ?? options.projects ?? []).map((p) => path.resolve(root, p));
  if (databases.length === 0 && projects.length === 0) return undefined;
  return {
    ...(databases.length ? { compileCommands: databases.length === 1 ? databases[0]! : databases } : {}),
    ...(projects.length ? { projects, projectConfigurations: settings.projectConfigurations ?? options.projectConfigurations ?? [] } : {}),
  };
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}
