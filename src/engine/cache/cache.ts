// --cache: per-file results keyed by the file's content hash, granule's version and the file's
// options (config and command line), and checked against the hashes of the headers the file read, so
// a changed header invalidates every file that includes it. Stored as one JSON file, by default in
// .granule_cache/ in the current directory: a directory of granule's own, which ignores itself (as ruff's
// .ruff_cache/ does), since C repositories have no node_modules/ and git would show one granule made.

import type * as Crypto from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { Finding, Notice } from '../model/types.js';
import { replaceFileAtomically } from '../files/atomic-write.js';

const FORMAT = 1;
export const CACHE_FILE = 'lint-cache.json';

export interface CacheEntry {
  /** Hash of granule's version, the file's options and the file's content. */
  key: string;
  /** Headers the file read (absolute path → content hash; "" when the header was missing). */
  deps: Record<string, string>;
  /** Findings before inline disables are applied (the directives are read again each run). */
  findings: Finding[];
  notices: Notice[];
  /** Names that make other files worth analysing (macros that lead to API calls, the header's name). */
  needles: string[];
}

interface CacheFile {
  format: number;
  tool: string;
  entries: Record<string, CacheEntry>;
}

// node:crypto takes a few milliseconds to load: only runs that hash (--cache) pay for it
// eslint-disable-next-line no-restricted-syntax -- a cache: the node:crypto module, loaded once on first use
let crypto: typeof Crypto | undefined;

export function hashText(text: string | Uint8Array): string {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof Crypto;
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** A stable hash of JSON-like data (object keys sorted), for options and config. */
export function hashData(data: unknown): string {
  return hashText(stableStringify(data));
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined && typeof (value as Record<string, unknown>)[k] !== 'function')
      .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  if (typeof value === 'bigint') return `"${value}n"`;
  return JSON.stringify(value) ?? 'null';
}

export const CACHE_DIRECTORY = '.granule_cache';

/**
 * The per-file cache of one configuration of a run of several (`lint-cache.x86.json` beside `lint-cache.json`): a
 * file's results, like its wrappers, are the configuration's own, and one file per configuration keeps each from
 * replacing the other's entries. A name with characters a file name should not hold is made safe, with a hash of
 * the name so that two configurations never share a file.
 */
export function configurationCacheFile(cacheFile: string, configuration: string): string {
  // (a database's configuration is named by its path: only the end of it is kept, the hash tells it apart)
  const safe = configuration.replace(/[^A-Za-z0-9_-]/g, '_').slice(-48);
  const name = safe === configuration ? safe : `${safe}-${hashText(configuration).slice(0, 8)}`;
  return `${cacheFile.replace(/\.json$/, '')}.${name}.json`;
}

/** Where the cache lives: a directory (then lint-cache.json inside it) or a file path. */
export function cacheFilePath(cwd: string, location: string | undefined): string {
  return cacheLocation(cwd, location).file;
}

/**
 * The cache file, and (by default) the directory of granule's own that holds it. A --cache-location is the
 * user's choice: only the cache files are written there (a .gitignore outside a dot-directory would also send
 * the directory walk of a tree outside git to the slower .gitignore-aware listing, src/engine/files/walk.ts).
 */
export function cacheLocation(cwd: string, location: string | undefined): { file: string; ownDirectory?: string } {
  if (!location) return { file: path.join(cwd, CACHE_DIRECTORY, CACHE_FILE), ownDirectory: path.join(cwd, CACHE_DIRECTORY) };
  const resolved = path.resolve(cwd, location);
  const isDir = /[\\/]$/.test(location) || (fs.existsSync(resolved) && fs.statSync(resolved).isDirectory());
  return { file: isDir ? path.join(resolved, CACHE_FILE) : resolved };
}

/**
 * Creates a cache directory that is not there yet, with a `.gitignore` that ignores everything in it (so
 * `git status` stays clean with no entry in the project's own .gitignore) and a CACHEDIR.TAG (so backup
 * tools skip it). A directory that exists is left as it is: it may be the user's. Failing here is not an
 * error: the cache is written at the end of the run, and a failure there is reported.
 */
export function createCacheDirectory(dir: string): void {
  if (fs.existsSync(dir)) return;
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '.gitignore'), '# Created by granule --cache.\n*\n');
    fs.writeFileSync(
      path.join(dir, 'CACHEDIR.TAG'),
      'Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by granule.\n# For information about cache directory tags, see https://bford.info/cachedir/\n',
    );
  } catch {
    // (reported when the cache is written)
  }
}

export class LintCache {
  private entries: Record<string, CacheEntry>;
  private readonly changed = new Map<string, CacheEntry | undefined>();
  private readonly headerHashes = new Map<string, string>();
  hits = 0;
  misses = 0;

  constructor(
    readonly file: string,
    private readonly tool: string,
  ) {
    this.entries = readCacheFile(file, tool);
  }

  /** The key of a file's entry: version, options and content. */
  keyFor(optionsHash: string, content: Uint8Array | string): string {
    return hashText(`${this.tool}\u0000${optionsHash}\u0000${hashText(content)}`);
  }

  /** A valid entry for the file, or undefined (missing, stale, or a header it read has changed). */
  lookup(file: string, key: string): CacheEntry | undefined {
    const entry = this.entries[file];
    if (!entry || entry.key !== key) return undefined;
    for (const [header, hash] of Object.entries(entry.deps)) if (this.headerHash(header) !== hash) return undefined;
    return entry;
  }

  store(file: string, key: string, deps: readonly string[], entry: Omit<CacheEntry, 'key' | 'deps'>): void {
    const record: CacheEntry = { key, deps: Object.fromEntries(deps.map((d) => [d, this.headerHash(d)])), ...entry };
    this.entries[file] = record;
    this.changed.set(file, record);
  }

  /** Drops a file's entry (it could not be analysed). */
  forget(file: string): void {
    if (!(file in this.entries)) return;
    delete this.entries[file];
    this.changed.set(file, undefined);
  }

  /** Content hash of a header, once per run ("" when it cannot be read). */
  headerHash(file: string): string {
    let hash = this.headerHashes.get(file);
    if (hash === undefined) {
      try {
        hash = hashText(fs.readFileSync(file));
      } catch {
        hash = '';
      }
      this.headerHashes.set(file, hash);
    }
    return hash;
  }

  /**
   * Writes the entries this run changed into the cache file, merged with what is on disk now: pre-commit
   * runs several granule processes at once, and each must keep the others' entries.
   */
  save(): void {
    if (this.changed.size === 0) return;
    const current = readCacheFile(this.file, this.tool);
    for (const [file, entry] of this.changed) {
      if (entry) current[file] = entry;
      else delete current[file];
    }
    for (const file of Object.keys(current)) if (!fs.existsSync(file)) delete current[file];
    const data: CacheFile = { format: FORMAT, tool: this.tool, entries: current };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    replaceFileAtomically(this.file, JSON.stringify(data));
    this.changed.clear();
  }
}

function readCacheFile(file: string, tool: string): Record<string, CacheEntry> {
  const empty = Object.create(null) as Record<string, CacheEntry>;
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    // missing or damaged: start afresh (the cache is only ever an optimisation)
    return empty;
  }
  const cache = data as Partial<CacheFile>;
  if (!cache || cache.format !== FORMAT || cache.tool !== tool || !cache.entries || typeof cache.entries !== 'object') return empty;
  return Object.assign(empty, cache.entries);
}
