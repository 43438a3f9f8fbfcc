// What reading Visual Studio projects tells the user: each kind of thing granule could not follow is said once
// per run (one notice per unknown property name, one for the SDK imports that are not in the tree), with every
// name from the project quoted and escaped.

import type { Notice } from '../../model/types.js';
import type { UnknownPart } from './expand.js';

/** A name from a project file, as a notice shows it: quoted, control characters escaped, long names cut. */
export function quoted(name: string): string {
  const cut = name.length > 200 ? `${name.slice(0, 200)}…` : name;
  return JSON.stringify(cut);
}

export class ProjectNotices {
  readonly list: Notice[] = [];
  private readonly said = new Set<string>();
  private readonly sdkImports = new Set<string>();
  private sdkNotice?: Notice;

  /** Adds a notice unless one with the same key was added before. */
  once(key: string, notice: Notice): void {
    if (this.said.has(key)) return;
    this.said.add(key);
    this.list.push(notice);
  }

  /** A value that uses unknown parts was left out. */
  unknown(parts: readonly UnknownPart[], file: string): void {
    for (const part of parts) {
      if (part.kind === 'property')
        this.once(`property:${part.name.toLowerCase()}`, {
          level: 'note',
          code: 'project',
          file,
          message: `project: $(${quoted(part.name).slice(1, -1)}) is not set by the project or its property sheets (an environment variable or a Visual Studio property); the values that use it are left out`,
        });
      else
        this.once(`expression:${part.text}`, {
          level: 'note',
          code: 'project',
          file,
          message: `project: ${quoted(part.text)} is not evaluated (property functions and item lists are not read); the values that use it are left out`,
        });
    }
  }

  /** An import that is not in the tree (Microsoft.Cpp.props, $(UserRootDir)...): one notice for all of them. */
  sdkImport(project: string, file: string): void {
    if (this.sdkImports.has(project) || this.sdkImports.size >= 20) return;
    this.sdkImports.add(project);
    const message = `project: imports that are not in the tree are skipped (Visual Studio's own property sheets): ${[...this.sdkImports].map(quoted).join(', ')}`;
    if (this.sdkNotice) this.sdkNotice.message = message;
    else this.list.push((this.sdkNotice = { level: 'note', code: 'project', file, message }));
  }
}
