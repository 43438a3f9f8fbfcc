import { readFileSync } from 'node:fs';
import { packagePath } from './package-files.js';

/** The version once read: a cache of a fact that cannot change while the process runs. */
// eslint-disable-next-line no-restricted-syntax -- a cache: the version, read once; it cannot change while the process runs
let cached: string | undefined;

/** granule's version, from its package.json. */
export function toolVersion(): string {
  cached ??= (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
  return cached;
}
