// Listing the C/C++ sources under a directory, fast, and without running anything: granule never runs git (a
// scanned repository's own git config can name programs that git runs, such as core.fsmonitor). A plain
// directory walk answers unless a .gitignore has a say (one in the tree, or above it up to the repository's
// root); then globby does, which reads .gitignore files as git does (tracked files a .gitignore names are
// left out, as are .git/info/exclude and the user's global excludes file, which are not read). Every way gives
// the same shape: absolute paths of regular files with a source extension (any case), no dot-files or
// dot-directories, nothing under node_modules, no symbolic links, minus the `ignores` globs (relative to the
// directory).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileIgnorePatterns } from './ignore-pattern.js';
import { SOURCE_EXTENSIONS } from '../model/languages.js';
import { readRegularFile } from './regular-file.js';

const EXTENSIONS = new Set(SOURCE_EXTENSIONS);
const GLOB = `**/*.{${SOURCE_EXTENSIONS.map((e) => e.slice(1)).join(',')}}`;

/** A subdirectory that could not be listed (relative to the directory walked, with '/'), and why. */
export type UnlistedDirectory = (relative: string, reason: string) => void;

/**
 * A source file whose name is not valid UTF-8 (relative, with the bytes that are not shown as `\xNN`): a path
 * granule could name in no report, and so does not lint, but says it skipped.
 */
export type UnnamedFile = (shown: string) => void;

/**
 * Sorted absolute paths of the source files under `dir`. Throws only when `dir` cannot be listed at all; a
 * subdirectory that cannot be is skipped and told to `unlisted` (by the walk; globby does not say).
 */
export async function listSourceFiles(dir: string, ignores: readonly string[] = [], unlisted?: UnlistedDirectory, unnamed?: UnnamedFile): Promise<string[]> {
  // (a pattern that matches a directory drops everything under it, as in a .gitignore)
  const ignored = ignores.length ? compileIgnorePatterns(ignores) : undefined;
  const keep = (rel: string) => !ignored?.(rel);
  const walked = walk(dir, unlisted, unnamed);
  if (walked) return finish(dir, walked.filter(keep));
  const found = (await globbed(dir)).filter((file) => keep(path.relative(dir, file).split(path.sep).join('/')));
  // a name that is not UTF-8 reaches globby's results with U+FFFD in place of its bytes: no such file exists
  const named = found.filter((file) => !file.includes('\uFFFD'));
  if (named.length < found.length) {
    for (const sub of new Set(found.filter((f) => f.includes('\uFFFD')).map((f) => path.dirname(f))))
      reportUnnamed(dir, path.relative(dir, sub).split(path.sep).join('/'), unnamed);
  }
  return named;
}

function finish(dir: string, relative: string[]): string[] {
  // the relative paths are already normal (from directory entries): where the separator is '/',
  // joining is concatenation, which costs a tenth of path.join on a tree of thousands of files
  const prefix = path.sep === '/' ? (dir.endsWith('/') ? dir : `${dir}/`) : undefined;
  return relative.map((r) => (prefix !== undefined ? prefix + r : path.join(dir, r))).sort();
}

function isSource(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && EXTENSIONS.has(name.slice(dot).toLowerCase());
}

/** Relative (posix) paths from a directory walk, or undefined when a .gitignore has a say. */
function walk(dir: string, unlisted?: UnlistedDirectory, unnamed?: UnnamedFile): string[] | undefined {
  for (let d = path.dirname(dir); ;) {
    if (fs.existsSync(path.join(d, '.gitignore'))) return undefined;
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  const out: string[] = [];
  const pending: string[] = [''];
  let first = true;
  while (pending.length) {
    const rel = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(rel ? path.join(dir, rel) : dir, { withFileTypes: true });
    } catch (e) {
      // the directory asked for must be listable; a subdirectory that is not is skipped, and said
      if (first) throw e;
      unlisted?.(rel, (e as Error).message);
      continue;
    }
    first = false;
    let lossy = false;
    for (const entry of entries) {
      const name = entry.name;
      if (name === '.gitignore') return undefined;
      if (name.includes('\uFFFD')) {
        // (a name that is not UTF-8, decoded with replacement characters: no file has this name)
        lossy = true;
        continue;
      }
      if (name.startsWith('.')) continue;
      if (entry.isDirectory()) {
        if (name !== 'node_modules') pending.push(rel ? `${rel}/${name}` : name);
      } else if (entry.isFile() && isSource(name)) {
        out.push(rel ? `${rel}/${name}` : name);
      }
    }
    if (lossy) reportUnnamed(dir, rel, unnamed);
  }
  return out;
}

async function globbed(dir: string): Promise<string[]> {
  const { globby } = await import('globby');
  const found = await globby(GLOB, {
    cwd: dir,
    absolute: true,
    gitignore: true,
    // (the caller's ignores are applied to the result: fast-glob's patterns backtrack, see ignore-pattern.ts)
    ignore: ['**/node_modules/**', '**/.git/**'],
    onlyFiles: true,
    followSymbolicLinks: false,
    caseSensitiveMatch: false,
    suppressErrors: true,
    // .gitignore files are read as every file granule reads on its own: regular files only, not followed
    // through a symbolic link (as git), and of a bounded size
    fs: GITIGNORE_FS,
  });
  return found.map((f) => path.normalize(f)).sort();
}

/** Tells `unnamed` of the source files in `dir/rel` whose names are not valid UTF-8 (read again as bytes). */
function reportUnnamed(dir: string, rel: string, unnamed?: UnnamedFile): void {
  let names: Buffer[];
  try {
    names = fs.readdirSync(rel ? path.join(dir, rel) : dir, { encoding: 'buffer' });
  } catch {
    return;
  }
  for (const name of names) {
    const text = name.toString('utf8');
    if (!text.includes('\uFFFD') || Buffer.from(text, 'utf8').equals(name) || !isSource(text)) continue;
    const shown = [...name].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
    unnamed?.(rel ? `${rel}/${shown}` : shown);
  }
}

/** A .gitignore larger than this is not read (git's own limit is 100 MB; real ones are a few kilobytes). */
const MAX_GITIGNORE_BYTES = 1 << 20;

function readIgnoreFile(file: string): string {
  try {
    return readRegularFile(file, MAX_GITIGNORE_BYTES, { noFollow: true }).toString('utf8');
  } catch {
    // not a regular file, too large or unreadable: it ignores nothing (git skips such a file too)
    return '';
  }
}

const GITIGNORE_FS = {
  ...fs,
  readFileSync: (file: fs.PathLike) => readIgnoreFile(String(file)),
  readFile: (file: fs.PathLike, ...rest: unknown[]) => {
    const callback = rest[rest.length - 1] as (error: Error | null, text?: string) => void;
    queueMicrotask(() => callback(null, readIgnoreFile(String(file))));
  },
  // (a promise that rejects, not a throw, when the file cannot be read, as fs.promises.readFile does)
  promises: { ...fs.promises, readFile: (file: fs.PathLike) => new Promise<string>((resolve) => resolve(readIgnoreFile(String(file)))) },
};
