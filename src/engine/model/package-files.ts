// Where granule's own files are: package.json, configs/, data/, docs/rules/, shim/. Found by looking upwards from
// this module for granule's package.json rather than by counting levels, because the same code runs from
// dist/engine/model/ (the library, the language server, the ESLint plugin) and from dist/bundle/ (the
// command line, bundled into one file whose import.meta.url is the bundle's).

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What granule's package.json says, of what granule reads from it. */
export interface PackageManifest {
  name: string;
  version: string;
}

interface FoundPackage {
  root: string;
  manifest: PackageManifest;
}

/** The package once found: a cache of a fact that cannot change while the process runs. */
// eslint-disable-next-line no-restricted-syntax -- a cache: the package root and manifest, found once; they cannot change while the process runs
let found: FoundPackage | undefined;

/** The absolute path of `parts` inside granule's package. */
export function packagePath(...parts: string[]): string {
  return path.join(granulePackage().root, ...parts);
}

/** granule's package.json, as read when its root was found (it is read once). */
export function packageManifest(): PackageManifest {
  return granulePackage().manifest;
}

function granulePackage(): FoundPackage {
  found ??= findPackage(path.dirname(fileURLToPath(import.meta.url)));
  return found;
}

function findPackage(start: string): FoundPackage {
  // bounded by the depth of the path: each step goes one directory up
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = granuleManifest(path.join(dir, 'package.json'));
    if (manifest) return { root: dir, manifest };
    if (path.dirname(dir) === dir) throw new Error(`granule's package.json was not found above ${start}`);
  }
}

function granuleManifest(file: string): PackageManifest | undefined {
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
    return json.name === 'granule' && typeof json.version === 'string' ? { name: json.name, version: json.version } : undefined;
  } catch {
    return undefined;
  }
}
