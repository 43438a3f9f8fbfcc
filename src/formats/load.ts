// The CLI's way to a formatter: only the one a run asks for is loaded (SARIF's brings crypto, the rules'
// metadata and the size limits with it, which a pre-commit run printing stylish text does not need).

import type { Formatter } from './common.js';

const LOADERS: Record<string, () => Promise<Formatter>> = {
  stylish: async () => (await import('./stylish.js')).stylish,
  compact: async () => (await import('./compact.js')).compact,
  json: async () => (await import('./json.js')).json,
  sarif: async () => (await import('./sarif.js')).sarif,
  github: async () => (await import('./github.js')).github,
  msvc: async () => (await import('./msvc.js')).msvc,
  codeframe: async () => (await import('./codeframe.js')).codeframe,
};

/** The names `--format` accepts, in the order the help and errors list them. */
export const FORMAT_NAMES: readonly string[] = Object.keys(LOADERS);

export function isFormatName(name: string): boolean {
  return Object.hasOwn(LOADERS, name);
}

/** Loads the formatter of a known format name. */
export function loadFormatter(name: string): Promise<Formatter> {
  return LOADERS[name]!();
}

/**
 * Whether the run's notices (unreadable files, ...) are written to stderr besides the report: when the report is
 * a file or a format that does not list them itself, so that they are never lost.
 */
export function noticesOnStderr(format: string, toFile: boolean): boolean {
  if (format === 'compact' || format === 'msvc') return false;
  return toFile || (format !== 'stylish' && format !== 'codeframe');
}
