// Listing a directory's sources (src/engine/walk.ts): git's answer inside a work tree, a plain walk elsewhere,
// globby where a .gitignore has a say outside git; the same shape every way.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listSourceFiles } from '../../src/engine/walk.js';
import { unavailable } from '../helpers/requirements.js';

const made: string[] = [];

function tree(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'granule-walk-')));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

afterEach(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const rel = (dir: string, files: string[]) => files.map((f) => path.relative(dir, f).split(path.sep).join('/'));

const COMMON = {
  'a.c': '',
  'B.CPP': '',
  'src/x.h': '',
  'src/deep/y.hpp': '',
  'notes.txt': '',
  '.hidden/h.c': '',
  'src/.dot.c': '',
  'node_modules/pkg/m.c': '',
};

describe('listSourceFiles', () => {
  it('walks a plain directory: source extensions in any case, no dot entries, no node_modules, no symbolic links', async () => {
    const dir = tree(COMMON);
    fs.symlinkSync(path.join(dir, 'a.c'), path.join(dir, 'link.c'));
    fs.symlinkSync(path.join(dir, 'src'), path.join(dir, 'srclink'));
    expect(rel(dir, await listSourceFiles(dir))).toEqual(['B.CPP', 'a.c', 'src/deep/y.hpp', 'src/x.h']);
  });

  it('drops what the ignores globs match, files and whole directories', async () => {
    const dir = tree(COMMON);
    expect(rel(dir, await listSourceFiles(dir, ['src/deep', '*.CPP']))).toEqual(['a.c', 'src/x.h']);
    expect(rel(dir, await listSourceFiles(dir, ['**/*.h']))).toEqual(['B.CPP', 'a.c', 'src/deep/y.hpp']);
  });

  it('outside git, honours a .gitignore in the tree', async () => {
    const dir = tree({ ...COMMON, '.gitignore': 'src/deep/\n*.CPP\n' });
    expect(rel(dir, await listSourceFiles(dir))).toEqual(['a.c', 'src/x.h']);
  });

  it.skipIf(unavailable('git'))('in a git work tree, lists tracked and untracked files as git does: ignored and deleted ones left out', async () => {
    const dir = tree({ ...COMMON, '.gitignore': 'ignored/\n', 'ignored/i.c': '', 'gone.c': '', 'tracked-but-ignored.c': '' });
    const git = (...a: string[]) => execFileSync('git', ['-C', dir, ...a], { stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    git('init', '-q');
    git('add', 'a.c', 'gone.c', 'tracked-but-ignored.c', '.gitignore');
    git('commit', '-q', '-m', 'x');
    fs.appendFileSync(path.join(dir, '.gitignore'), 'tracked-but-ignored.c\n');
    fs.rmSync(path.join(dir, 'gone.c'));
    fs.symlinkSync(path.join(dir, 'a.c'), path.join(dir, 'link.c'));
    // a tracked file stays part of the project even when a later .gitignore names it
    expect(rel(dir, await listSourceFiles(dir))).toEqual(['B.CPP', 'a.c', 'src/deep/y.hpp', 'src/x.h', 'tracked-but-ignored.c']);
    // a subdirectory of the work tree lists only its own files
    expect(rel(dir, await listSourceFiles(path.join(dir, 'src')))).toEqual(['src/deep/y.hpp', 'src/x.h']);
  });

  it('fails for a directory that cannot be listed', async () => {
    await expect(listSourceFiles(path.join(os.tmpdir(), 'granule-walk-does-not-exist'))).rejects.toThrow(/ENOENT/);
  });
});
