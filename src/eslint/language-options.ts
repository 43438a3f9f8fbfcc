// The `languageOptions` granule's ESLint languages accept, and their validation.

import { isTarget } from '../engine/target.js';
import type { Target } from '../engine/types.js';

export interface GranuleLanguageOptions {
  [key: string]: unknown;
  /** Type sizes and pointer width: x64 (default), x86 or arm64. */
  target?: Target;
  /** Macros as `-D` defines them: `{ NAME: "value" }` (`"1"` for a bare `-D NAME`). */
  defines?: Record<string, string>;
  /** Macros as `-U` removes them. */
  undefines?: string[];
  /** Directories searched for `#include`, like `-I`; relative ones resolve against ESLint's working directory. */
  includePaths?: string[];
  /** Headers read before each file, like `-include`. */
  forceIncludes?: string[];
}

const KNOWN = new Set(['target', 'defines', 'undefines', 'includePaths', 'forceIncludes']);

/** Throws one clear message naming the bad key. */
export function validateLanguageOptions(options: GranuleLanguageOptions): void {
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new TypeError(`granule: unknown language option "${key}" (expected one of: ${[...KNOWN].join(', ')})`);
  }
  const { target, defines, undefines, includePaths, forceIncludes } = options;
  if (target !== undefined && (typeof target !== 'string' || !isTarget(target))) {
    throw new TypeError(`granule: languageOptions.target must be "x64", "x86" or "arm64", got ${JSON.stringify(target)}`);
  }
  if (defines !== undefined) {
    if (!defines || typeof defines !== 'object' || Array.isArray(defines)) throw new TypeError('granule: languageOptions.defines must be an object of macro names to values');
    for (const [name, value] of Object.entries(defines)) {
      if (!/^[A-Za-z_]\w*$/.test(name)) throw new TypeError(`granule: languageOptions.defines: "${name}" is not a macro name`);
      if (typeof value !== 'string') throw new TypeError(`granule: languageOptions.defines.${name} must be a string, got ${typeof value}`);
    }
  }
  for (const [key, list] of [['undefines', undefines], ['includePaths', includePaths], ['forceIncludes', forceIncludes]] as const) {
    if (list !== undefined && (!Array.isArray(list) || list.some((x) => typeof x !== 'string'))) {
      throw new TypeError(`granule: languageOptions.${key} must be an array of strings`);
    }
  }
}
