// One Visual Studio C/C++ project (.vcxproj) evaluated for one configuration and platform, the way MSBuild
// evaluates it: first the properties, in document order with property sheets (`<Import>`) read in place, then
// the item definitions (`<ItemDefinitionGroup>`), then the items (`<ClCompile>`) with their own metadata. Only
// what changes how a file is preprocessed is kept: defines, undefines, include directories, forced includes.
// Nothing is run; imports are followed only to regular files, a bounded number of levels deep.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluateCondition, type ConditionContext } from './condition.js';
import { expand, isKnown, PropertyTable, splitList, unknownParts } from './expand.js';
import { quoted, type ProjectNotices } from './notices.js';
import { onDisk } from './paths.js';
import { childrenNamed, type XmlElement } from './xml.js';

/** How a project's files are compiled in one configuration (paths absolute). */
export interface CompiledFile {
  file: string;
  defines: Record<string, string>;
  undefines: string[];
  includePaths: string[];
  forceIncludes: string[];
}

export interface ProjectEvaluation {
  /** `Release|Win32`. */
  configuration: string;
  platform: string;
  files: CompiledFile[];
}

/** The solution a project is built through: it sets `$(SolutionDir)` and the other `Solution*` properties. */
export interface SolutionContext {
  file: string;
}

/** Thrown by an XmlSource for a property sheet that is not under the scanned tree (it is skipped, with a note). */
export class ImportOutsideTree extends Error {}

/** Reads a project or property sheet (parsed once per run by the caller); throws with a message for the user. */
export type XmlSource = (file: string) => XmlElement;

/** Imports nest no deeper than this (Visual Studio's own sheets nest about 10 deep). */
const MAX_IMPORT_DEPTH = 16;
/** Files one evaluation may import in all. */
const MAX_IMPORTS = 256;

/** The configurations a project declares (`<ProjectConfiguration Include="Release|Win32">`), as MSBuild lists them. */
export function declaredConfigurations(root: XmlElement): { configuration: string; platform: string }[] {
  const out: { configuration: string; platform: string }[] = [];
  for (const group of childrenNamed(root, 'ItemGroup'))
    for (const item of childrenNamed(group, 'ProjectConfiguration')) {
      const [configuration, platform] = (item.attributes.Include ?? '').split('|');
      if (configuration && platform) out.push({ configuration: configuration.trim(), platform: platform.trim() });
    }
  return out;
}

interface Deferred {
  element: XmlElement;
  file: string;
}

/** The item-definition metadata of `ClCompile` so far, by lower-case name. */
type Metadata = Map<string, string>;

class Evaluation {
  readonly properties: PropertyTable;
  private readonly deferred: Deferred[] = [];
  private readonly chain: string[] = [];
  private imported = 0;
  /** Microsoft.Cpp.props was imported: its ClCompile defaults apply (see sdkClDefaults). */
  private cppProps = false;

  constructor(
    private readonly project: string,
    private readonly read: XmlSource,
    private readonly notices: ProjectNotices,
    configuration: string,
    platform: string,
    solution: SolutionContext | undefined,
  ) {
    this.properties = new PropertyTable(initialProperties(project, configuration, platform, solution));
  }

  run(): CompiledFile[] {
    this.readFile(this.project, this.read(this.project));
    const definitions: Metadata = this.cppProps ? sdkClDefaults(this.properties) : new Map<string, string>();
    for (const d of this.deferred) if (d.element.name === 'ItemDefinitionGroup') this.itemDefinitions(d, definitions);
    const files: CompiledFile[] = [];
    for (const d of this.deferred) if (d.element.name === 'ItemGroup') files.push(...this.items(d, definitions));
    return files;
  }

  /** Pass 1 over one file: properties and imports in order; item groups are kept for the later passes. */
  private readFile(file: string, root: XmlElement): void {
    this.chain.push(path.resolve(file));
    for (const element of root.children) {
      if (element.name === 'PropertyGroup') {
        if (this.holds(element, file)) for (const p of element.children) if (this.holds(p, file)) this.setProperty(p, file);
      } else if (element.name === 'Import') this.importSheet(element, file);
      else if (element.name === 'ImportGroup') {
        if (this.holds(element, file)) for (const i of childrenNamed(element, 'Import')) this.importSheet(i, file);
      } else if (element.name === 'ItemDefinitionGroup' || element.name === 'ItemGroup') this.deferred.push({ element, file });
    }
    this.chain.pop();
  }

  private setProperty(element: XmlElement, file: string): void {
    this.properties.set(
      element.name,
      this.withFile(file, () => expand(element.text.trim(), { properties: this.properties })),
    );
  }

  private importSheet(element: XmlElement, from: string): void {
    if (!this.holds(element, from)) return;
    const written = element.attributes.Project ?? '';
    const target = this.withFile(from, () => expand(written, { properties: this.properties }));
    if (element.attributes.Sdk !== undefined || !isKnown(target) || /[*?]/.test(target)) {
      this.notices.sdkImport(written, this.project);
      this.emulateSdkImport(written);
      return;
    }
    this.importFile(onDisk(path.resolve(path.dirname(from), toNative(target))), written, from);
  }

  /** Reads an imported file in place, within the limits; one that cannot be read is skipped with a notice. */
  private importFile(file: string, written: string, from: string): void {
    if (this.chain.includes(file)) return;
    if (this.chain.length >= MAX_IMPORT_DEPTH || this.imported >= MAX_IMPORTS) {
      this.notices.once(`import-limit:${this.project}`, {
        level: 'warning',
        code: 'project',
        file: this.project,
        message: `project: more than ${MAX_IMPORT_DEPTH} levels or ${MAX_IMPORTS} imported files; ${quoted(written)} and what it imports are not read`,
      });
      return;
    }
    let root: XmlElement;
    try {
      root = this.read(file);
    } catch (e) {
      const level = e instanceof ImportOutsideTree ? 'note' : 'warning';
      this.notices.once(`import:${file}`, {
        level,
        code: 'project',
        file: from,
        message: `project: cannot import ${quoted(written)}: ${(e as Error).message}`,
      });
      return;
    }
    this.imported++;
    this.readFile(file, root);
  }

  /**
   * Directory.Build.props, which Microsoft.Common.props (imported by Microsoft.Cpp.Default.props) imports: the
   * nearest one in the project's directory or above it, unless the project turns it off.
   */
  private importDirectoryBuildProps(): void {
    if (/^false$/i.test(this.properties.get('ImportDirectoryBuildProps')?.trim() ?? '')) return;
    for (let dir = path.dirname(this.project); ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'Directory.Build.props');
      if (fs.existsSync(candidate)) {
        this.importFile(candidate, candidate, this.project);
        return;
      }
      if (path.dirname(dir) === dir) return;
    }
  }

  /** What the Visual C++ property sheets outside the tree set that matters here. */
  private emulateSdkImport(written: string): void {
    const name = written.replace(/\\/g, '/').split('/').pop()!.toLowerCase();
    if (name === 'microsoft.cpp.default.props') {
      this.importDirectoryBuildProps();
      for (const [k, v] of Object.entries(cppDefaultProps(this.properties))) if (!this.properties.has(k)) this.properties.set(k, v);
    }
    if (name === 'microsoft.cpp.props') this.cppProps = true;
  }

  /** Pass 2: `<ItemDefinitionGroup><ClCompile>` metadata, each value able to use the one before (`%(PreprocessorDefinitions)`). */
  private itemDefinitions(d: Deferred, definitions: Metadata): void {
    if (!this.holds(d.element, d.file)) return;
    for (const cl of childrenNamed(d.element, 'ClCompile')) {
      if (!this.holds(cl, d.file)) continue;
      for (const m of cl.children) if (this.holds(m, d.file, definitions)) this.setMetadata(definitions, m, d.file);
    }
  }

  /** Pass 3: the `ClCompile` items of a group, each with the item definitions and its own metadata. */
  private items(d: Deferred, definitions: Metadata): CompiledFile[] {
    if (!this.holds(d.element, d.file)) return [];
    const out: CompiledFile[] = [];
    for (const cl of childrenNamed(d.element, 'ClCompile')) {
      if (!this.holds(cl, d.file)) continue;
      const include = cl.attributes.Include;
      if (include === undefined) {
        this.notices.once(`update:${d.file}`, {
          level: 'note',
          code: 'project',
          file: d.file,
          message: 'project: ClCompile items without Include (Update, Remove) are not read',
        });
        continue;
      }
      for (const entry of splitList(this.withFile(d.file, () => expand(include, { properties: this.properties })))) {
        if (!isKnown(entry)) {
          this.notices.unknown(unknownParts(entry), this.project);
          continue;
        }
        if (/[*?]/.test(entry)) {
          this.notices.once(`wildcard:${d.file}`, {
            level: 'note',
            code: 'project',
            file: d.file,
            message: `project: wildcard items such as ${quoted(entry)} are not listed`,
          });
          continue;
        }
        const metadata = new Map(definitions);
        for (const m of cl.children) if (this.holds(m, d.file, metadata)) this.setMetadata(metadata, m, d.file);
        if (/^true$/i.test(metadata.get('excludedfrombuild')?.trim() ?? '')) continue;
        out.push(this.compiledFile(onDisk(path.resolve(path.dirname(this.project), toNative(entry))), metadata));
      }
    }
    return out;
  }

  private setMetadata(metadata: Metadata, element: XmlElement, file: string): void {
    const value = this.withFile(file, () => expand(element.text.trim(), { properties: this.properties, metadata: (n) => metadata.get(n.toLowerCase()) ?? '' }));
    metadata.set(element.name.toLowerCase(), value);
  }

  private compiledFile(file: string, metadata: Metadata): CompiledFile {
    const directory = path.dirname(this.project);
    const list = (name: string) => {
      const entries = splitList(metadata.get(name) ?? '');
      for (const e of entries) if (!isKnown(e)) this.notices.unknown(unknownParts(e), this.project);
      return entries.filter(isKnown);
    };
    const defines: Record<string, string> = {};
    const undefines = list('undefinepreprocessordefinitions');
    for (const spec of list('preprocessordefinitions')) {
      const eq = spec.indexOf('=');
      const name = (eq < 0 ? spec : spec.slice(0, eq)).trim();
      if (!/^[A-Za-z_]\w*(\(.*\))?$/.test(name) || undefines.includes(name)) continue;
      defines[name] = eq < 0 ? '1' : spec.slice(eq + 1);
    }
    const paths = (name: string) => list(name).map((p) => onDisk(path.resolve(directory, toNative(p))));
    const vcIncludePath = splitList(this.properties.get('IncludePath') ?? '').filter(isKnown);
    return {
      file,
      defines,
      undefines,
      includePaths: [...paths('additionalincludedirectories'), ...vcIncludePath.map((p) => onDisk(path.resolve(directory, toNative(p))))],
      forceIncludes: paths('forcedincludefiles'),
    };
  }

  /** Whether an element's Condition holds; an unknown one does not, and says why once. */
  private holds(element: XmlElement, file: string, metadata?: Metadata): boolean {
    const condition = element.attributes.Condition;
    if (condition === undefined) return true;
    const context: ConditionContext = {
      properties: this.properties,
      metadata: metadata && ((n) => metadata.get(n.toLowerCase()) ?? ''),
      exists: (p) => fs.existsSync(path.resolve(path.dirname(file), toNative(p))),
    };
    const result = this.withFile(file, () => evaluateCondition(condition, context));
    if (result.value !== undefined) return result.value;
    if (result.unsupported !== undefined)
      this.notices.once(`condition:${result.unsupported}`, {
        level: 'note',
        code: 'project',
        file,
        message: `project: the condition ${quoted(result.unsupported)} is not evaluated (granule reads ==, !=, and, or, !, Exists and HasTrailingSlash); what it guards is left out`,
      });
    else this.notices.unknown(result.unknown, this.project);
    return false;
  }

  /** Runs `fn` with the `MSBuildThisFile*` properties of `file` (the file whose text is being evaluated). */
  private withFile<T>(file: string, fn: () => T): T {
    const dir = path.dirname(file);
    this.properties.set('MSBuildThisFileDirectory', dir.endsWith(path.sep) ? dir : dir + path.sep);
    this.properties.set('MSBuildThisFileFullPath', file);
    this.properties.set('MSBuildThisFile', path.basename(file));
    this.properties.set('MSBuildThisFileName', path.basename(file, path.extname(file)));
    return fn();
  }
}

/** Evaluates `project` for one configuration and platform: the files it compiles and how. */
export function evaluateProject(
  project: string,
  configuration: string,
  platform: string,
  read: XmlSource,
  notices: ProjectNotices,
  solution?: SolutionContext,
): ProjectEvaluation {
  const files = new Evaluation(project, read, notices, configuration, platform, solution).run();
  return { configuration: `${configuration}|${platform}`, platform, files };
}

/** MSBuild paths use backslashes; on other systems they become the native separator. */
export function toNative(p: string): string {
  return path.sep === '/' ? p.replace(/\\/g, '/') : p;
}

function withSlash(dir: string): string {
  return dir.endsWith(path.sep) ? dir : dir + path.sep;
}

/** The properties MSBuild and Visual Studio set before the project's first line (reserved and solution properties). */
function initialProperties(project: string, configuration: string, platform: string, solution: SolutionContext | undefined): Record<string, string> {
  const dir = path.dirname(project);
  const ext = path.extname(project);
  const name = path.basename(project, ext);
  const props: Record<string, string> = {
    Configuration: configuration,
    Platform: platform,
    MSBuildProjectDirectory: dir,
    MSBuildProjectFullPath: project,
    MSBuildProjectFile: path.basename(project),
    MSBuildProjectName: name,
    MSBuildProjectExtension: ext,
    ProjectDir: withSlash(dir),
    ProjectPath: project,
    ProjectName: name,
    ProjectFileName: path.basename(project),
    ProjectExt: ext,
  };
  if (solution) {
    const sext = path.extname(solution.file);
    Object.assign(props, {
      SolutionDir: withSlash(path.dirname(solution.file)),
      SolutionPath: solution.file,
      SolutionName: path.basename(solution.file, sext),
      SolutionFileName: path.basename(solution.file),
      SolutionExt: sext,
    });
  }
  return props;
}

/**
 * What Microsoft.Cpp.Default.props sets that projects use in paths: `$(IntDir)` and `$(OutDir)` (under the
 * solution's directory when there is one), `$(TargetName)`, `$(PlatformTarget)`. Applied where the project imports
 * that sheet, to the properties the project has not set before.
 */
function cppDefaultProps(properties: PropertyTable): Record<string, string> {
  const configuration = properties.get('Configuration') ?? '';
  const platform = properties.get('Platform') ?? '';
  const win32 = platform.toLowerCase() === 'win32';
  const intDir = win32 ? `${configuration}\\` : `${platform}\\${configuration}\\`;
  const solutionDir = properties.get('SolutionDir');
  const out: Record<string, string> = {
    IntDir: intDir,
    OutDir: solutionDir === undefined ? intDir : `${solutionDir}${intDir}`,
    TargetName: properties.get('ProjectName') ?? '',
  };
  const platformTarget = { win32: 'x86', x64: 'x64', arm64: 'ARM64' }[platform.toLowerCase()];
  if (platformTarget) out.PlatformTarget = platformTarget;
  return out;
}

/**
 * The ClCompile item definitions of Microsoft.Cpp.props (Microsoft.Cl.Common.props) that change macros: the
 * character set's `_UNICODE;UNICODE` or `_MBCS`, and `_WINDLL` for a DLL. A project's own
 * `%(PreprocessorDefinitions)` inherits them.
 */
function sdkClDefaults(properties: PropertyTable): Metadata {
  const defines: string[] = [];
  const characterSet = (properties.get('CharacterSet') ?? '').toLowerCase();
  if (characterSet === 'unicode') defines.push('_UNICODE', 'UNICODE');
  if (characterSet === 'multibyte') defines.push('_MBCS');
  if ((properties.get('ConfigurationType') ?? '').toLowerCase() === 'dynamiclibrary') defines.push('_WINDLL');
  return new Map([['preprocessordefinitions', defines.join(';')]]);
}
