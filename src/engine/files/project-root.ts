// Which project a file belongs to: the nearest directory above it that holds a project marker (a build file,
// a solution, a version-control root). A call binds to a function of another file only within what one build
// links together (analysis/linkage.ts), and a tree may hold several unrelated projects side by side: the
// project is the nearest such directory, not the tree that was scanned.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** File names that make their directory a project's root. */
export const PROJECT_MARKER_FILES: ReadonlySet<string> = new Set([
  'compile_commands.json',
  'CMakeLists.txt',
  'Makefile',
  'makefile',
  'GNUmakefile',
  // autotools templates a Makefile is generated from (Wine has one per module)
  'Makefile.in',
  'Makefile.am',
  'configure',
  'configure.ac',
  'meson.build',
  '.git',
]);

/** Extensions of Visual Studio solutions and projects, which mark their directory too. */
const PROJECT_MARKER_EXTENSIONS = /\.(?:sln|vcxproj|vcproj)$/i;

/** Whether a directory entry marks its directory as a project's root. */
export function isProjectMarker(name: string): boolean {
  return PROJECT_MARKER_FILES.has(name) || PROJECT_MARKER_EXTENSIONS.test(name);
}

/**
 * The project roots of a run (or an editor session): each directory is listed once, when a file in or below it
 * is first asked about. A file with no marker above it belongs to the root of its file system ('/' or a drive),
 * which all such files share.
 */
export class ProjectRoots {
  /** Each directory asked about, and its project's root. */
  private readonly roots = new Map<string, string>();

  /** The directory of the nearest project marker above `file` (an absolute path). */
  rootOf = (file: string): string => this.rootOfDirectory(path.dirname(path.resolve(file)));

  private rootOfDirectory(dir: string): string {
    const known = this.roots.get(dir);
    if (known !== undefined) return known;
    const visited: string[] = [];
    let at = dir;
    let root: string | undefined;
    for (;;) {
      const cached = this.roots.get(at);
      if (cached !== undefined) {
        root = cached;
        break;
      }
      visited.push(at);
      if (hasMarker(at)) {
        root = at;
        break;
      }
      const parent = path.dirname(at);
      if (parent === at) {
        root = at;
        break;
      }
      at = parent;
    }
    for (const d of visited) this.roots.set(d, root);
    return root;
  }
}

function hasMarker(dir: string): boolean {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return false;
  }
  return names.some(isProjectMarker);
}

/** Whether `file` lies in the directory `dir` or below it. */
export function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
