// Listing a directory's sources (src/engine/files/walk.ts): a plain walk, or globby where a .gitignore has a say; the
// same shape every way, and git is never run (a repository's config can make git run its programs).

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listSourceFiles } from '../../../src/engine/files/walk.js';
import { unavailable } from '../../helpers/requirements.js';

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

  it.skipIf(unavailable('git'))('in a git work tree, applies the .gitignore files up to the repository root, and never runs git', async () => {
    const dir = tree({ ...COMMON, '.gitignore': 'ignored/\n', 'ignored/i.c': '', 'src/.gitignore': '/deep/\n', 'tracked-but-ignored.c': '' });
    const git = (...a: string[]) =>
      execFileSync('git', ['-C', dir, ...a], {
        stdio: 'ignore',
        env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
      });
    git('init', '-q');
    git('add', 'a.c', 'tracked-but-ignored.c', '.gitignore');
    git('commit', '-q', '-m', 'x');
    fs.appendFileSync(path.join(dir, '.gitignore'), 'tracked-but-ignored.c\n');
    fs.symlinkSync(path.join(dir, 'a.c'), path.join(dir, 'link.c'));
    // every key of the repository's config that names a program git may run
    const pwned = path.join(dir, 'PWNED');
    const command = `touch ${pwned}; false #`;
    for (const key of [
      'core.fsmonitor',
      'core.hooksPath',
      'core.pager',
      'core.sshCommand',
      'core.askPass',
      'core.editor',
      'diff.external',
      'filter.x.clean',
      'filter.x.process',
      'credential.helper',
      'gpg.program',
      'sequence.editor',
      'uploadpack.packObjectsHook',
      'pager.ls-files',
    ]) {
      git('config', key, command);
    }
    fs.writeFileSync(path.join(dir, '.gitattributes'), '* filter=x\n');
    // a file a .gitignore names is left out, tracked or not (git's index is not read)
    expect(rel(dir, await listSourceFiles(dir))).toEqual(['B.CPP', 'a.c', 'src/x.h']);
    // a subdirectory of the work tree lists only its own files, with the .gitignore files above it applied
    expect(rel(dir, await listSourceFiles(path.join(dir, 'src')))).toEqual(['src/x.h']);
    expect(fs.existsSync(pwned)).toBe(false);
  });

  it.skipIf(process.platform === 'win32' || unavailable('mkfifo'))(
    'reads only a regular .gitignore of a bounded size: a FIFO, a link to a device and a huge one ignore nothing',
    async () => {
      const dir = tree({
        'a.c': '',
        'one/b.c': '',
        'two/c.c': '',
        'three/d.c': '',
        'three/.gitignore': `d.c\n${'#'.repeat(2 << 20)}\n`,
        'four/e.c': '',
        'four/.gitignore': 'e.c\n',
      });
      execFileSync('mkfifo', [path.join(dir, 'one', '.gitignore')]);
      fs.symlinkSync('/dev/zero', path.join(dir, 'two', '.gitignore'));
      // (the test would hang on the FIFO, or run out of memory on /dev/zero, if either were opened for reading)
      expect(rel(dir, await listSourceFiles(dir))).toEqual(['a.c', 'one/b.c', 'three/d.c', 'two/c.c']);
    },
  );

  it('matches ignores in time linear in the name: patterns that make a backtracking matcher take minutes', async () => {
    const dir = tree({ [`${'a'.repeat(44)}.c`]: '', [`${'a'.repeat(40)}b.c`]: '', 'keep.c': '' });
    const started = Date.now();
    const found = rel(dir, await listSourceFiles(dir, ['((((((((((a*)*)*)*)*)*)*)*)*)*)!', '*a*a*a*a*a*a*a*a*a*a*a*a*b.c']));
    // (picomatch took 2.5 s on the first pattern at 24 characters, and 105 s on the second at 40)
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(found).toEqual([`${'a'.repeat(44)}.c`, 'keep.c']);
  });

  it('fails for a directory that cannot be listed', async () => {
    await expect(listSourceFiles(path.join(os.tmpdir(), 'granule-walk-does-not-exist'))).rejects.toThrow(/ENOENT/);
  });
});

describe('file names that are not UTF-8', () => {
  it.skipIf(process.platform !== 'linux')('are not linted, and are told with their bytes escaped, by the walk and by globby alike', async () => {
    for (const gitignore of [false, true]) {
      const dir = tree({ 'a.c': '', 'sub/b.c': '', ...(gitignore ? { '.gitignore': 'nothing/\n' } : {}) });
      fs.writeFileSync(Buffer.concat([Buffer.from(`${dir}/sub/bad`), Buffer.from([0xff, 0xfe]), Buffer.from('.c')]), 'x');
      const unnamed: string[] = [];
      const found = rel(dir, await listSourceFiles(dir, [], undefined, (shown) => unnamed.push(shown)));
      expect([found, unnamed]).toEqual([['a.c', 'sub/b.c'], ['sub/bad\\xff\\xfe.c']]);
    }
  });
});
