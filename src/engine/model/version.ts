import { readFileSync } from 'node:fs';

// (an explicit cache: the version never changes while granule runs)
let cached: string | undefined;

/**
 * granule's version, from its package.json. This module runs from src/engine/model/, dist/engine/model/ and
 * the bundle (dist/bundle/): the nearest package.json named granule above it is the package's own.
 */
export function toolVersion(): string {
  if (cached !== undefined) return cached;
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'granule') return (cached = pkg.version);
    } catch {
      // not at this level
    }
  }
  throw new Error('granule: cannot find its own package.json');
}
