// Listing the C/C++ sources under a directory, fast. Inside a git work tree git itself answers
// (`git ls-files`: tracked and untracked files, .gitignore, .git/info/exclude and the global excludes
// applied exactly as git applies them). Elsewhere a plain directory walk does, unless a .gitignore
// is found in the tree or above it; that rare case goes to globby, which reads .gitignore files the
// way it always has. Every way gives the same shape: absolute paths of regular files with a source
// extension (any case), no dot-files or dot-directories, nothing under node_modules, no symbolic
// links, minus the `ignores` globs (relative to the directory).

import type * as ChildProcess from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type Picomatch from 'picomatch';
import { SOURCE_EXTENSIONS } from './parse.js';

const require = createRequire(import.meta.url);

const EXTENSIONS = new Set(SOURCE_EXTENSIONS);
const GLOB = `**/*.{${SOURCE_EXTENSIONS.map((e) => e.slice(1)).join(',')}}`;

/** A subdirectory that could not be listed (relative to the directory walked, with '/'), and why. */
export type UnlistedDirectory = (relative: string, reason: string) => void;

/**
 * Sorted absolute paths of the source files under `dir`. Throws only when `dir` cannot be listed at all; a
 * subdirectory that cannot be is skipped and told to `unlisted` (by the walk and by git; globby does not say).
 */
export async function listSourceFiles(dir: string, ignores: readonly string[] = [], unlisted?: UnlistedDirectory): Promise<string[]> {
  // picomatch is loaded only when there are globs: the single-file run should not pay for it
  const ignored = ignores.length ? (require('picomatch') as typeof Picomatch)([...ignores], { dot: true }) : undefined;
  // like globby's `ignore`, a pattern that matches a directory drops everything under it
  const keep = (rel: string) => {
    if (!ignored) return true;
    for (let i = rel.indexOf('/'); i >= 0; i = rel.indexOf('/', i + 1)) if (ignored(rel.slice(0, i))) return false;
    return !ignored(rel);
  };
  const fromGit = gitFiles(dir, unlisted);
  if (fromGit) return finish(dir, fromGit.filter(keep));
  const walked = walk(dir, unlisted);
  if (walked) return finish(dir, walked.filter(keep));
  return globbed(dir, ignores);
}

function finish(dir: string, relative: string[]): string[] {
  // the relative paths are already normal (from git or from directory entries): where the separator is '/',
  // joining is concatenation, which costs a tenth of path.join on a tree of thousands of files
  const prefix = path.sep === '/' ? (dir.endsWith('/') ? dir : `${dir}/`) : undefined;
  return relative.map((r) => (prefix !== undefined ? prefix + r : path.join(dir, r))).sort();
}

function isSource(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && EXTENSIONS.has(name.slice(dot).toLowerCase());
}

/** Relative (posix) paths from git, or undefined when `dir` is not in a work tree or git is unavailable. */
function gitFiles(dir: string, unlisted?: UnlistedDirectory): string[] | undefined {
  if (!insideGitWorkTree(dir)) return undefined;
  // (loaded here: most runs are on named files or outside a work tree)
  const { spawnSync } = require('node:child_process') as typeof ChildProcess;
  const list = (args: string[]) => {
    const r = spawnSync('git', ['-C', dir, 'ls-files', '-z', ...args], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
    // git skips a directory it cannot open with a warning: "could not open directory 'sub/': Permission denied"
    for (const m of (r.stderr ?? '').matchAll(/could not open directory '(.+?)\/?': (.+)$/gm)) unlisted?.(m[1]!, m[2]!);
    return r.status === 0 && typeof r.stdout === 'string' ? r.stdout.split('\0').filter(Boolean) : undefined;
  };
  const present = list(['--cached', '--others', '--exclude-standard']);
  if (!present) return undefined;
  const deleted = new Set(list(['--deleted']) ?? []);
  const out: string[] = [];
  for (const rel of present) {
    if (deleted.has(rel) || !isSource(rel)) continue;
    if (rel.split('/').some((part) => part.startsWith('.') || part === 'node_modules')) continue;
    // git lists symbolic links as files; the walk (and globby) never take them
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(path.join(dir, rel));
    } catch {
      continue;
    }
    if (stat.isFile()) out.push(rel);
  }
  return out;
}

function insideGitWorkTree(dir: string): boolean {
  for (let d = dir; ; ) {
    if (fs.existsSync(path.join(d, '.git'))) return true;
    const up = path.dirname(d);
    if (up === d) return false;
    d = up;
  }
}

/** Relative (posix) paths from a directory walk, or undefined when a .gitignore has a say. */
function walk(dir: string, unlisted?: UnlistedDirectory): string[] | undefined {
  for (let d = path.dirname(dir); ; ) {
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
    for (const entry of entries) {
      const name = entry.name;
      if (name === '.gitignore') return undefined;
      if (name.startsWith('.')) continue;
      if (entry.isDirectory()) {
        if (name !== 'node_modules') pending.push(rel ? `${rel}/${name}` : name);
      } else if (entry.isFile() && isSource(name)) {
        out.push(rel ? `${rel}/${name}` : name);
      }
    }
  }
  return out;
}

async function globbed(dir: string, ignores: readonly string[]): Promise<string[]> {
  const { globby } = await import('globby');
  const found = await globby(GLOB, {
    cwd: dir,
    absolute: true,
    gitignore: true,
    ignore: ['**/node_modules/**', '**/.git/**', ...ignores],
    onlyFiles: true,
    followSymbolicLinks: false,
    caseSensitiveMatch: false,
    suppressErrors: true,
  });
  return found.map((f) => path.normalize(f)).sort();
}
