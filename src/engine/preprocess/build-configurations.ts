// Where a file's build configurations come from: the compilation databases of the run (`-p`/`--compile-commands`,
// several allowed) and its Visual Studio projects (`--project`). Each database entry and each project
// configuration that compiles a file is one Configuration of it.

import * as path from 'node:path';
import type { Configuration } from '../model/configuration.js';
import type { Notice, Target } from '../model/types.js';
import { CompileCommandsError, loadCompilationDatabase, type CompilationDatabase } from './compile-commands.js';
import { ProjectError, VisualStudioProjects } from './msbuild/projects.js';

export interface BuildSources {
  cwd: string;
  /** compile_commands.json files (or one). */
  compileCommands?: string | readonly string[];
  /** .sln and .vcxproj files. */
  projects?: readonly string[];
  /** `Release|Win32`, ...: the project configurations to keep (none: all). */
  projectConfigurations?: readonly string[];
}

export class BuildConfigurations {
  readonly databases: CompilationDatabase[] = [];
  readonly projects?: VisualStudioProjects;
  /** A database or project could not be read: a configuration error (exit 2). */
  configError = false;

  /** `projects`: the run's projects when they were read already (see readProjects). */
  constructor(sources: BuildSources, notices: Notice[], projects?: ReadProjects) {
    for (const file of databaseFiles(sources.compileCommands)) {
      const absolute = path.resolve(sources.cwd, file);
      try {
        this.databases.push(loadCompilationDatabase(absolute));
      } catch (e) {
        if (!(e instanceof CompileCommandsError)) throw e;
        this.configError = true;
        notices.push({ level: 'error', file: absolute, code: 'config', message: e.message });
      }
    }
    const read = projects ?? readProjects(sources);
    this.projects = read.projects;
    notices.push(...read.notices);
    if (read.configError) this.configError = true;
  }

  get empty(): boolean {
    return this.databases.length === 0 && !this.projects;
  }

  /**
   * The configurations `file` is built in: one per compilation database that has an entry for it (checked as
   * `target`, which a database does not say), then one per project configuration that compiles it. Empty: no
   * database or project knows the file, and the run's own settings apply.
   */
  configurationsOfFile(file: string, target: Target): Configuration[] {
    const out: Configuration[] = [];
    for (const database of this.databases) {
      const flags = database.flagsFor(file);
      if (flags) out.push({ name: database.file, target, compiler: 'msvc', ...flags, targetOfRun: true });
    }
    if (this.projects) out.push(...this.projects.configurationsOf(file));
    return out;
  }

  /**
   * The names of the configurations a run checks one by one, in the order `configurationsOfFile` gives a file's:
   * each compilation database when there are several, or beside projects (a database is the configuration of the
   * files it lists), then every configuration of the projects. None: one run over the run's own targets.
   */
  get configurationNames(): string[] {
    const databases = this.databases.length > 1 || this.projects ? this.databases.map((d) => d.file) : [];
    return [...databases, ...(this.projects?.configurationNames ?? [])];
  }

  /**
   * Whether the configuration `name` (a database or a project configuration) builds `file`; undefined when no
   * database or project of the run lists the file (then every configuration checks it with the run's settings).
   */
  builds(file: string, name: string): boolean | undefined {
    // (the target only fills in a database's configurations; which configurations build the file does not depend on it)
    const list = this.configurationsOfFile(file, 'x64');
    return list.length === 0 ? undefined : list.some((c) => c.name === name);
  }

  /**
   * The target configuration `name` builds `file` for: a project configuration's platform. Undefined when the
   * configuration names no target (a database: the run's targets apply) or does not build the file.
   */
  targetIn(file: string, name: string): Target | undefined {
    const configuration = this.configurationsOfFile(file, 'x64').find((c) => c.name === name);
    return configuration && !configuration.targetOfRun ? configuration.target : undefined;
  }

  /** A configuration of configurationNames, as much as its name says: a database names no target of its own. */
  configurationNamed(name: string): Pick<Configuration, 'name' | 'targetOfRun'> {
    return this.databases.some((d) => d.file === name) ? { name, targetOfRun: true } : { name };
  }

  /**
   * The builds that list `file`: the compilation databases with an entry for it and the Visual Studio projects
   * that compile it, by absolute path and sorted (one set, whatever order the run names them in). Each is what
   * one link puts together, so linkage binds a call across files only within a build they share
   * (analysis/linkage.ts). Empty: no build of the run lists the file.
   */
  buildsOf(file: string): string[] {
    const absolute = path.resolve(file);
    return [...new Set([...this.databasesOf(absolute), ...(this.projects?.projectsOf(absolute) ?? [])])].sort();
  }

  /** The databases that list `file`: when there are several, each is named in the configurations it is checked in. */
  databasesOf(file: string): string[] {
    return this.databases.filter((d) => d.flagsFor(file)).map((d) => d.file);
  }
}

export interface ReadProjects {
  projects?: VisualStudioProjects;
  notices: Notice[];
  configError: boolean;
}

/** The Visual Studio projects and solutions of a run, read once; a file that cannot be read is a configuration error. */
export function readProjects(sources: BuildSources): ReadProjects {
  if (!sources.projects?.length) return { notices: [], configError: false };
  try {
    const projects = new VisualStudioProjects(
      sources.projects.map((p) => path.resolve(sources.cwd, p)),
      sources.projectConfigurations,
      [sources.cwd],
    );
    return { projects, notices: [...projects.noticeList], configError: false };
  } catch (e) {
    if (!(e instanceof ProjectError)) throw e;
    return { notices: [{ level: 'error', file: path.resolve(sources.cwd, sources.projects[0]!), code: 'config', message: e.message }], configError: true };
  }
}

/** The compilation database setting as a list (it may name one or several). */
export function databaseFiles(setting: string | readonly string[] | undefined): readonly string[] {
  if (setting === undefined) return [];
  return typeof setting === 'string' ? [setting] : setting;
}
