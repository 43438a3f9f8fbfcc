// The one atomic-write helper (src/engine/files/atomic-write.ts) behind reports, --fix and the caches.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { replaceFileAtomically } from '../../../src/engine/files/atomic-write.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-atomic-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('replaceFileAtomically', () => {
  it('replaces the file with a new one of the mode asked for, leaving no temporary file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.txt');
    fs.writeFileSync(file, 'old');
    const before = fs.statSync(file);
    expect(replaceFileAtomically(file, 'new', { mode: 0o640 })).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    expect(fs.statSync(file).ino).not.toBe(before.ino);
    expect(fs.readdirSync(dir)).toEqual(['a.txt']);
  });

  it('writes nothing and says so when the owner cannot be given', () => {
    if (process.getuid?.() === 0 || !process.getuid) return; // root may give any owner
    const dir = tempDir();
    const file = path.join(dir, 'a.txt');
    fs.writeFileSync(file, 'old');
    expect(replaceFileAtomically(file, 'new', { owner: { uid: 0, gid: 0 } })).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    expect(fs.readdirSync(dir)).toEqual(['a.txt']);
  });

  it('never writes through something put at the temporary name', () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.txt');
    const victim = path.join(dir, 'victim');
    fs.writeFileSync(victim, 'keep');
    fs.symlinkSync(victim, path.join(dir, `.a.txt.granule-${process.pid}.tmp`));
    expect(() => replaceFileAtomically(file, 'new')).toThrow();
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep');
    expect(fs.existsSync(file)).toBe(false);
  });
});
