// Links from a page to the source lines of its call sites. The report's `file` is the path the compiler was
// given (__FILE__), taken as relative to the directory `granule vmmap` runs in; the link is relative to the
// page's own directory, so the page and the sources can move together.

import path from 'node:path';

export interface SourceLinkBase {
  /** Directory the page is written to (links are relative to it). */
  pageDir: string;
  /** Directory relative source paths of the report start from (the working directory by default). */
  sourceRoot: string;
}

/**
 * The href of `file` at `line` seen from the page: a relative URL with each path segment percent-encoded and the
 * line in the fragment ("../src/pool.c#L42"). Undefined where the record names no file.
 * The result still needs escaping for an attribute.
 */
export function sourceHref(file: string, line: number, base: SourceLinkBase): string | undefined {
  if (!file) return undefined;
  const target = path.resolve(base.sourceRoot, file);
  const relative = path.relative(base.pageDir, target).split(path.sep).join('/');
  const url = relative.split('/').map(encodeURIComponent).join('/');
  return line > 0 ? `${url}#L${line}` : url;
}
