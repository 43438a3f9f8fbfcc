// Where granule's own files are: package.json, configs/, docs/rules/, shim/. Found by looking upwards from
// this module for granule's package.json rather than by counting levels, because the same code runs from
// dist/engine/model/ (the library, the language server, the ESLint plugin) and from dist/bundle/ (the
// command line, bundled into one file whose import.meta.url is the bundle's).

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root once found: a cache of a fact that cannot change while the process runs. */
// eslint-disable-next-line no-restricted-syntax -- a cache: the package root, found once; it cannot change while the process runs
let root: string | undefined;

/** The absolute path of `parts` inside granule's package. */
export function packagePath(...parts: string[]): string {
  root ??= findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));
  return path.join(root, ...parts);
}

function findPackageRoot(start: string): string {
  // bounded by the depth of the path: each step goes one directory up
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (isGranulePackage(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`granule's package.json was not found above ${start}`);
  }
}

function isGranulePackage(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === 'granule';
  } catch {
    return false;
  }
}
