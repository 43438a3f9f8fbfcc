// The Visual Studio projects of a run (`--project X.sln` or `X.vcxproj`, several allowed): every configuration of
// every project (narrowed by `--project-configuration`), evaluated once, and for each file the projects compile,
// the configurations it is compiled in.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Configuration } from '../../model/configuration.js';
import type { Notice, Target } from '../../model/types.js';
import { READ_LIMITS, readFailure, readRegularText } from '../../files/regular-file.js';
import { ProjectNotices, quoted } from './notices.js';
import { declaredConfigurations, evaluateProject, ImportOutsideTree, type CompiledFile, type SolutionContext } from './project.js';
import { parseSolution } from './solution.js';
import { parseXml, XmlError, type XmlElement } from './xml.js';

export class ProjectError extends Error {}

/** Visual Studio platform names and the targets granule checks them as. */
const PLATFORM_TARGETS: Record<string, Target> = { win32: 'x86', x86: 'x86', x64: 'x64', amd64: 'x64', arm64: 'arm64' };

export function targetOfPlatform(platform: string): Target | undefined {
  return PLATFORM_TARGETS[platform.toLowerCase()];
}

export class VisualStudioProjects {
  private readonly notices = new ProjectNotices();
  /** Parsed project files and property sheets of this run, by absolute path (each read once). */
  private readonly xml = new Map<string, XmlElement | Error>();
  private readonly byFile = new Map<string, Configuration[]>();
  /** The projects (absolute .vcxproj paths) whose ClCompile items list each file: what one link puts together. */
  private readonly projectsByFile = new Map<string, Set<string>>();
  /** Evaluations done, by project, configuration and solution (a project in two solutions may differ). */
  private readonly evaluated = new Set<string>();

  /** The directories (real paths) that projects and property sheets must be under: see isInTree. */
  private readonly tree: string[];

  /**
   * Reads the projects and solutions; `wanted` (from --project-configuration) keeps only the configurations named,
   * matched against the solution's or the project's own name (`Release|Win32`), case-insensitively. `tree`: the
   * directories the run scans; with the directory of each file given, the only places a project listed in a
   * solution or a property sheet is read from. Throws ProjectError when a file given cannot be read.
   */
  constructor(
    files: readonly string[],
    private readonly wanted: readonly string[] = [],
    tree: readonly string[] = [],
  ) {
    this.tree = [...tree, ...files.map((f) => path.dirname(path.resolve(f)))].map(realDirectory);
    for (const file of files) {
      if (/\.sln$/i.test(file)) this.readSolution(file);
      else this.readProject(file, this.rootOf(file, true)!, undefined, undefined);
    }
  }

  /** What reading the projects noticed (unknown properties, skipped imports, unevaluated conditions). */
  get noticeList(): readonly Notice[] {
    return this.notices.list;
  }

  /** The files the projects compile, in the order the projects list them. */
  get files(): string[] {
    return [...this.byFile.keys()];
  }

  /** The files compiled in configuration `name` (undefined: in any). */
  filesIn(name: string | undefined): string[] {
    return [...this.byFile].filter(([, list]) => name === undefined || list.some((c) => c.name === name)).map(([file]) => file);
  }

  /** Whether configuration `name` compiles `file`; undefined when no project compiles it at all. */
  isBuiltIn(file: string, name: string): boolean | undefined {
    const list = this.configurationsOf(file);
    return list.length === 0 ? undefined : list.some((c) => c.name === name);
  }

  /** The configuration names of all the files, in the order first met (`Debug|Win32`, `Release|x64`, ...). */
  get configurationNames(): string[] {
    return [...new Set([...this.byFile.values()].flatMap((list) => list.map((c) => c.name)))];
  }

  /** The configurations a file is compiled in (none: no project compiles it). */
  configurationsOf(file: string): Configuration[] {
    return this.byFile.get(path.resolve(file)) ?? [];
  }

  /** The projects (absolute paths) that compile `file`, in any configuration read; none: no project lists it. */
  projectsOf(file: string): string[] {
    return [...(this.projectsByFile.get(path.resolve(file)) ?? [])];
  }

  private isWanted(...names: string[]): boolean {
    if (this.wanted.length === 0) return true;
    return names.some((n) => this.wanted.some((w) => w.toLowerCase() === n.toLowerCase()));
  }

  private readSolution(file: string): void {
    let text: string;
    try {
      text = readRegularText(file, READ_LIMITS.config);
    } catch (e) {
      throw new ProjectError(`cannot read ${file}: ${readFailure(e)}`);
    }
    const solution = parseSolution(path.resolve(file), text);
    const context: SolutionContext = { file: solution.file };
    for (const name of solution.configurations) {
      const byProject = solution.built.get(name);
      for (const project of solution.projects) {
        const built = byProject?.get(project.guid);
        if (!built || !this.isWanted(name, `${built.configuration}|${built.platform}`)) continue;
        if (!this.isInTree(project.file)) {
          this.notices.once(`outside:${project.file}`, {
            level: 'note',
            code: 'project',
            file: solution.file,
            message: `project: ${quoted(project.file)} is outside the scanned tree; skipped`,
          });
          continue;
        }
        const root = this.rootOf(project.file, false);
        if (root) this.readProject(project.file, root, context, built);
      }
    }
  }

  /** Evaluates one project: in the given configuration, or (alone) in each it declares. */
  private readProject(
    file: string,
    root: XmlElement,
    solution: SolutionContext | undefined,
    only: { configuration: string; platform: string } | undefined,
  ): void {
    const project = path.resolve(file);
    const configurations = only ? [only] : declaredConfigurations(root).filter((c) => this.isWanted(`${c.configuration}|${c.platform}`));
    for (const { configuration, platform } of configurations) {
      const key = JSON.stringify([project, configuration, platform, solution?.file]);
      if (this.evaluated.has(key)) continue;
      this.evaluated.add(key);
      const target = targetOfPlatform(platform);
      if (!target) {
        this.notices.once(`platform:${platform.toLowerCase()}`, {
          level: 'note',
          code: 'project',
          file: project,
          message: `project: the platform ${quoted(platform)} is not one granule checks (Win32, x64, ARM64); its configurations are skipped`,
        });
        continue;
      }
      const evaluation = evaluateProject(project, configuration, platform, (f) => this.importedRoot(f), this.notices, solution);
      for (const compiled of evaluation.files) this.add(compiled, evaluation.configuration, target, project);
    }
  }

  private add(compiled: CompiledFile, name: string, target: Target, project: string): void {
    let projects = this.projectsByFile.get(compiled.file);
    if (!projects) this.projectsByFile.set(compiled.file, (projects = new Set()));
    projects.add(project);
    let list = this.byFile.get(compiled.file);
    if (!list) this.byFile.set(compiled.file, (list = []));
    const configuration: Configuration = {
      name,
      target,
      compiler: 'msvc',
      defines: compiled.defines,
      undefines: compiled.undefines,
      includePaths: compiled.includePaths,
      forceIncludes: compiled.forceIncludes,
    };
    const same = list.find((c) => c.name === name);
    if (same && JSON.stringify(same) === JSON.stringify(configuration)) return;
    // a file that two projects compile differently in the same configuration: both, told apart by project
    if (same) configuration.name = `${name} (${path.basename(project)})`;
    list.push(configuration);
  }

  /** An imported property sheet's root element: only a regular file under the tree is read (else ImportOutsideTree). */
  private importedRoot(file: string): XmlElement {
    if (!this.isInTree(file)) throw new ImportOutsideTree('it is outside the scanned tree; skipped');
    return this.rootOf(file, true)!;
  }

  /** Whether `file`, its symbolic links resolved, is under one of the tree's directories. */
  isInTree(file: string): boolean {
    let real: string;
    try {
      real = fs.realpathSync(file);
    } catch {
      // (a file that is not there fails when it is read, with its own message)
      real = path.resolve(file);
    }
    return this.tree.some((dir) => real === dir || real.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep));
  }

  /**
   * A project or property sheet's root element, parsed once per run. `required`: a failure throws (a file the user
   * named, or an import, whose caller reports it); otherwise it is a warning and the project is skipped.
   */
  private rootOf(file: string, required: boolean): XmlElement | undefined {
    const absolute = path.resolve(file);
    let root = this.xml.get(absolute);
    if (!root) {
      try {
        root = parseXml(readRegularText(absolute, READ_LIMITS.config));
      } catch (e) {
        root = new ProjectError(e instanceof XmlError ? `${file} is not well-formed XML: ${e.message}` : `cannot read ${file}: ${readFailure(e)}`);
      }
      this.xml.set(absolute, root);
    }
    if (!(root instanceof Error)) return root;
    if (required) throw root;
    this.notices.once(`unreadable:${absolute}`, { level: 'warning', code: 'project', file: absolute, message: `project: ${root.message}; skipped` });
    return undefined;
  }
}

function realDirectory(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}
