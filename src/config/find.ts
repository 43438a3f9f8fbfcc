// Finds the config that governs a file: the nearest granule.config.json, or package.json with a
// "granule" key, in the file's directory or above. The nearest one applies on its own (as in ruff);
// it can pull in a parent's settings with `"extends": "../granule.config.json"`.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { READ_LIMITS, readRegularText } from '../engine/files/regular-file.js';
import { ConfigError } from './errors.js';
import { parseJsonText } from './json.js';

export const CONFIG_FILE = 'granule.config.json';

export class ConfigFinder {
  /** Directory → config file that governs it (undefined: none up to the root). */
  private readonly byDir = new Map<string, string | undefined>();

  /** Directory as given (not resolved) → its config file: a tree's files share few directories. */
  private readonly byGivenDir = new Map<string, string | undefined>();

  /** The config file for a source file, or undefined when there is none. */
  forFile(file: string): string | undefined {
    // the text before the last separator stands for the directory (path.dirname and path.resolve cost
    // microseconds, which add up over a tree's thousands of files); a relative one is not kept, as it means
    // another directory when the process's directory changes
    const cut = Math.max(file.lastIndexOf('/'), path.sep === '\\' ? file.lastIndexOf('\\') : -1);
    const given = cut > 0 && path.isAbsolute(file) ? file.slice(0, cut) : undefined;
    if (given !== undefined && this.byGivenDir.has(given)) return this.byGivenDir.get(given);
    const found = this.forDir(path.dirname(path.resolve(file)));
    if (given !== undefined) this.byGivenDir.set(given, found);
    return found;
  }

  forDir(dir: string): string | undefined {
    const visited: string[] = [];
    let current = dir;
    let found: string | undefined;
    for (;;) {
      if (this.byDir.has(current)) {
        found = this.byDir.get(current);
        break;
      }
      visited.push(current);
      const own = configIn(current);
      if (own) {
        found = own;
        break;
      }
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
    for (const d of visited) this.byDir.set(d, found);
    return found;
  }
}

/** The config file of one directory: granule.config.json first, then a package.json with a "granule" key. */
function configIn(dir: string): string | undefined {
  // (dir is absolute and normal: joining is concatenation, except at the root)
  const base = dir.endsWith(path.sep) ? dir : dir + path.sep;
  const own = base + CONFIG_FILE;
  if (isFile(own)) return own;
  const pkg = base + 'package.json';
  if (isFile(pkg) && hasGranuleKey(pkg)) return pkg;
  return undefined;
}

function isFile(file: string): boolean {
  // most directories have neither file: a missing one must not cost an exception (~20 µs each, 2 per directory)
  try {
    return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    // not a directory on the way, no permission...
    return false;
  }
}

function hasGranuleKey(pkg: string): boolean {
  let text: string;
  try {
    text = readRegularText(pkg, READ_LIMITS.config);
  } catch {
    return false;
  }
  // cheap test first: most package.json files never mention granule
  if (!text.includes('"granule"')) return false;
  let data: unknown;
  try {
    data = parseJsonText(pkg, text, { comments: false });
  } catch (e) {
    // a broken package.json that names granule is a config error, not something to walk past
    if (e instanceof ConfigError) throw e;
    return false;
  }
  return !!data && typeof data === 'object' && !Array.isArray(data) && Object.hasOwn(data, 'granule');
}
