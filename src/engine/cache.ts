// --cache: per-file results keyed by the file's content hash, granule's version and the file's
// options (config and command line), and checked against the hashes of the headers the file read, so
// a changed header invalidates every file that includes it. Stored as one JSON file, by default under
// node_modules/.cache/granule/.

import type * as Crypto from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { Finding, Notice } from './types.js';

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

/** Where the cache lives: a directory (then lint-cache.json inside it) or a file path. */
export function cacheFilePath(cwd: string, location: string | undefined): string {
  if (!location) return path.join(cwd, 'node_modules', '.cache', 'granule', CACHE_FILE);
  const resolved = path.resolve(cwd, location);
  const isDir = /[\\/]$/.test(location) || (fs.existsSync(resolved) && fs.statSync(resolved).isDirectory());
  return isDir ? path.join(resolved, CACHE_FILE) : resolved;
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
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(data));
    fs.renameSync(temp, this.file);
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
