import { packageManifest } from './package-files.js';

/** granule's version, from its package.json (read once, with the package's root). */
export function toolVersion(): string {
  return packageManifest().version;
}
