// What the include search (src/engine/preprocess/include-search.ts) tells the user. Each file's analysis says
// which of its includes were found by searching the scanned tree and which were found nowhere; a run reports the
// folders found once, and each include found nowhere once, at the first file (by path and line) that has it.

import * as path from 'node:path';
import type { IncludeEdge } from '../preprocess/include-edge.js';
import { isSystemHeader } from '../model/system-headers.js';
import type { Notice } from '../model/types.js';
import { compareText } from '../model/order.js';

export const INCLUDE_SEARCH = 'include-search';
export const INCLUDE_MISSING = 'include-missing';

const FOUND_IN = ' was found by searching the scanned tree, in ';

function shown(edge: IncludeEdge): string {
  return edge.angled ? `<${edge.spec}>` : `"${edge.spec}"`;
}

/**
 * One file's notices about its includes (each include name once; a line when the file itself has the #include).
 * `searched`: whether the include search was on.
 */
export function includeNotices(file: string, includes: readonly IncludeEdge[], searched: boolean): Notice[] {
  const where = searched ? 'neither on the include path nor in the scanned tree' : 'on no include path (--no-include-search)';
  const notices = new Map<string, Notice>();
  for (const edge of includes) {
    const line = edge.from === file && edge.line > 0 ? { line: edge.line } : {};
    if (edge.searched && edge.resolved) {
      const message = `${shown(edge)}${FOUND_IN}${path.dirname(edge.resolved)}`;
      if (!notices.has(message)) notices.set(message, { level: 'note', file, code: INCLUDE_SEARCH, message, ...line });
    } else if (!edge.resolved && !isSystemHeader(edge.spec)) {
      const message = `${shown(edge)} was found ${where}: what it defines is unknown`;
      if (!notices.has(message)) notices.set(message, { level: 'note', file, code: INCLUDE_MISSING, message, ...line });
    }
  }
  return [...notices.values()];
}

function byPlace(a: Notice, b: Notice): number {
  return compareText(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0);
}

/**
 * A run's include notices, collapsed: one note naming every folder the search found headers in, and each include
 * found nowhere at its first file, with how many other files include it.
 */
export function collapseIncludeNotices(notices: readonly Notice[], cwd: string): Notice[] {
  const rest: Notice[] = [];
  const folders = new Set<string>();
  const missing = new Map<string, Notice[]>();
  for (const n of notices) {
    if (n.code === INCLUDE_SEARCH) folders.add(n.message.slice(n.message.indexOf(FOUND_IN) + FOUND_IN.length));
    else if (n.code === INCLUDE_MISSING) {
      const group = missing.get(n.message);
      if (group) group.push(n);
      else missing.set(n.message, [n]);
    } else rest.push(n);
  }
  if (folders.size > 0) {
    rest.push({ level: 'note', code: INCLUDE_SEARCH, message: searchedFoldersMessage([...folders].map((d) => path.relative(cwd, d) || '.')) });
  }
  for (const group of missing.values()) {
    const first = group.reduce((a, b) => (byPlace(b, a) < 0 ? b : a));
    rest.push({ ...first, message: withOtherFiles(first.message, new Set(group.map((n) => n.file)).size - 1) });
  }
  return rest;
}

const SEARCHED_IN =
  /^headers the include path does not have were found by searching the scanned tree, in \d+ folders?: (.*) \(--no-include-search turns this off\)$/;
const OTHER_FILES = / \((\d+) other files? includes? it too\)$/;

/** The run's note on the folders the search found headers in (relative to the run's directory). */
export function searchedFoldersMessage(folders: readonly string[]): string {
  const list = [...new Set(folders)].sort();
  return `headers the include path does not have were found by searching the scanned tree, in ${list.length} folder${list.length === 1 ? '' : 's'}: ${list.join(', ')} (--no-include-search turns this off)`;
}

/** The folders a run's include-search note names (for `granule merge`, which joins the notes of shards). */
export function foldersOfSearchMessage(message: string): string[] | undefined {
  return SEARCHED_IN.exec(message)?.[1]!.split(', ');
}

/** An include-missing note's message with how many other files include the header (none: the message alone). */
export function withOtherFiles(message: string, others: number): string {
  return others > 0 ? `${message} (${others} other file${others === 1 ? ' includes' : 's include'} it too)` : message;
}

/** An include-missing note's message without its count of other files, and how many files it stands for. */
export function filesOfMissingMessage(message: string): { message: string; files: number } {
  const m = OTHER_FILES.exec(message);
  return m ? { message: message.slice(0, m.index), files: Number(m[1]) + 1 } : { message, files: 1 };
}

/**
 * The order of a report's notices: by file and line, then by what they say (the order in which threads or shards
 * met them must not show).
 */
export function byNoticePlace(a: Notice, b: Notice): number {
  return compareText(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || compareText(a.code, b.code) || compareText(a.message, b.message);
}
