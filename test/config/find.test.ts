// src/config/find.ts: the config that governs a file is the nearest granule.config.json, or package.json with a
// "granule" key, in the file's directory or above; a nearer one applies on its own.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { ConfigFinder } from '../../src/config/find.js';
import { json, makeTree } from '../helpers/tree.js';

describe('ConfigFinder', () => {
  it('finds the nearest config above each file, and none where there is none', () => {
    const root = makeTree({
      'project/granule.config.json': json({}),
      'project/src/a.c': '',
      'project/lib/granule.config.json': json({ target: 'x86' }),
      'project/lib/deep/b.c': '',
      'elsewhere/c.c': '',
    });
    const finder = new ConfigFinder();
    expect(finder.forFile(path.join(root, 'project/src/a.c'))).toBe(path.join(root, 'project/granule.config.json'));
    expect(finder.forFile(path.join(root, 'project/lib/deep/b.c'))).toBe(path.join(root, 'project/lib/granule.config.json'));
    expect(finder.forDir(path.join(root, 'elsewhere'))).toBe(finder.forDir(path.dirname(root)));
  });

  it('takes a package.json only when it has a "granule" key, and granule.config.json before it', () => {
    const root = makeTree({
      'with-key/package.json': json({ name: 'a', granule: { target: 'x86' } }),
      'with-key/a.c': '',
      'mentions-only/package.json': json({ name: 'b', description: 'not "granule" as a key', keywords: ['granule'] }),
      'mentions-only/granule.config.json/.keep': '',
      'mentions-only/b.c': '',
      'both/package.json': json({ granule: {} }),
      'both/granule.config.json': json({}),
      'both/c.c': '',
    });
    const finder = new ConfigFinder();
    expect(finder.forFile(path.join(root, 'with-key/a.c'))).toBe(path.join(root, 'with-key/package.json'));
    // a directory named granule.config.json is not a config, and neither is a package.json without the key
    expect(finder.forFile(path.join(root, 'mentions-only/b.c'))).toBe(finder.forDir(root));
    expect(finder.forFile(path.join(root, 'both/c.c'))).toBe(path.join(root, 'both/granule.config.json'));
  });

  it('a broken package.json that names granule is a config error, not something to walk past', () => {
    const root = makeTree({ 'package.json': '{ "granule": { } ', 'a.c': '' });
    const pkg = path.join(root, 'package.json');
    let error: unknown;
    try {
      new ConfigFinder().forFile(path.join(root, 'a.c'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).file).toBe(pkg);
    expect((error as ConfigError).message).toMatch(new RegExp(`^${pkg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid JSON: .* \\(line 1, column 18\\)$`));
  });

  it('remembers each directory: the same finder answers from what it read, a new one sees a config added since', () => {
    const root = makeTree({ 'src/a.c': '' });
    const finder = new ConfigFinder();
    const before = finder.forFile(path.join(root, 'src/a.c'));
    expect(before).toBe(finder.forDir(path.dirname(root)));
    fs.writeFileSync(path.join(root, 'granule.config.json'), json({}));
    expect(finder.forFile(path.join(root, 'src/a.c'))).toBe(before);
    expect(new ConfigFinder().forFile(path.join(root, 'src/a.c'))).toBe(path.join(root, 'granule.config.json'));
  });
});
