// A file's project is the nearest directory above it with a build file, a solution or .git: the unit linkage
// (analysis/linkage.ts) keeps calls inside.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInside, isProjectMarker, ProjectRoots } from '../../../src/engine/files/project-root.js';

let dir: string;

beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'granule-roots-')));
  const files = [
    'tree/app/Makefile',
    'tree/app/src/deep/a.c',
    'tree/app/lib/CMakeLists.txt',
    'tree/app/lib/l.c',
    'tree/vs/Tool.VCXPROJ',
    'tree/vs/t.c',
    'tree/dlls/kernel32/Makefile.in',
    'tree/dlls/kernel32/k.c',
    'tree/loose/x.c',
  ];
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), '');
  }
  fs.mkdirSync(path.join(dir, 'tree', 'repo', '.git'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'tree', 'repo', 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'tree', 'repo', 'src', 'r.c'), '');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('ProjectRoots', () => {
  it('finds the nearest directory with a project marker above a file', () => {
    const roots = new ProjectRoots();
    const rootOf = (f: string) => path.relative(dir, roots.rootOf(path.join(dir, f)));
    expect(rootOf('tree/app/src/deep/a.c')).toBe(path.join('tree', 'app'));
    // a nested build file makes a project of its own
    expect(rootOf('tree/app/lib/l.c')).toBe(path.join('tree', 'app', 'lib'));
    expect(rootOf('tree/vs/t.c')).toBe(path.join('tree', 'vs'));
    expect(rootOf('tree/dlls/kernel32/k.c')).toBe(path.join('tree', 'dlls', 'kernel32'));
    expect(rootOf('tree/repo/src/r.c')).toBe(path.join('tree', 'repo'));
    // asked again (from the cache), the same answer
    expect(rootOf('tree/app/src/deep/a.c')).toBe(path.join('tree', 'app'));
  });

  it('gives files with no marker above them one shared root (the file system root or a marker far above)', () => {
    const roots = new ProjectRoots();
    const loose = roots.rootOf(path.join(dir, 'tree', 'loose', 'x.c'));
    expect(isInside(path.join(dir, 'tree', 'loose', 'x.c'), loose)).toBe(true);
    expect(isInside(dir, loose)).toBe(true);
  });
});

describe('isProjectMarker', () => {
  it('knows build files, solutions and projects of any case, and .git', () => {
    for (const name of [
      'CMakeLists.txt',
      'Makefile',
      'Makefile.in',
      'meson.build',
      'configure',
      'compile_commands.json',
      '.git',
      'a.sln',
      'B.vcxproj',
      'c.VCPROJ',
    ]) {
      expect(isProjectMarker(name)).toBe(true);
    }
    for (const name of ['main.c', 'Makefile.bak', 'README.md', 'package.json', 'sln', 'x.vcxproj.filters']) expect(isProjectMarker(name)).toBe(false);
  });
});

describe('isInside', () => {
  it('is true for the directory itself and what is below it, never for a sibling of a similar name', () => {
    expect(isInside('/a/b/c.c', '/a/b')).toBe(true);
    expect(isInside('/a/b', '/a/b')).toBe(true);
    expect(isInside('/a/bc/d.c', '/a/b')).toBe(false);
    expect(isInside('/a/c.c', '/a/b')).toBe(false);
  });
});
