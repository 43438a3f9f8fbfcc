// The wrappers a whole project defines, for analyses that see one file at a time (ESLint, the language server).
// granule's CLI finds them across the files of its run; here the files under the given roots are read the same
// way: a byte prefilter, then the CLI's wrapper fixpoint (fixpoint.ts, with its needle rules), since a wrapper
// found in one file makes calls of it in other files relevant.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WrapperModel } from '../analysis/analyze.js';
import { API_NEEDLES } from '../model/apis.js';
import type { HeaderCache } from '../preprocess/header-cache.js';
import { preprocessorSettings, type LintOptions } from './options.js';
import { SOURCE_EXTENSIONS } from '../parse/parse.js';
import { DEFAULT_MAX_FILE_SIZE } from '../model/limits.js';
import { RunReach } from './reach.js';
import { readRegularFile } from '../files/regular-file.js';
import { decode } from '../text/source.js';
import type { Notice } from '../model/types.js';
import type { RoundStats } from './options.js';
import { SourceScanner } from './prefilter.js';
import { analyzeText } from './pipeline.js';
import { runToEnd, wrapperFixpoint, type FixpointFile } from './fixpoint.js';

export interface ProjectScan {
  wrappers: ReadonlyMap<string, WrapperModel>;
  /** Compile flags per file, wrappers of the same name in several files, and the parses of the scan. */
  reach: RunReach;
  notices: Notice[];
  files: number;
}

/** How often the files under the roots are checked for changes (a long-lived editor process). */
const RECHECK_MS = 1000;
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);
/** A root this wide is a misconfiguration (an editor's ESLint started in / or ~), not a project: not read. */
const TOO_WIDE = new Set([path.parse(process.cwd()).root, os.homedir()]);
/** Past this many source files the rest are left out: the scan is for wrappers, not a full lint. */
const MAX_FILES = 20_000;

interface Entry {
  scan: ProjectScan;
  /** Names that make a file matter: API names, wrappers, macros that lead to calls. */
  needles: ReadonlySet<string>;
  /** The header cache the scan read through; a new one means headers changed. */
  headers: HeaderCache;
  stamps: Map<string, string>;
  checkedAt: number;
}

export class ProjectWrappers {
  private readonly entries = new Map<string, Entry>();

  /** `recheckMs`: how often the files are looked at again for changes (Infinity: only after `clear`). */
  constructor(private readonly recheckMs = RECHECK_MS) {}

  /**
   * The scan of the source files under `roots` (files or directories), redone when one of them changes. `only`:
   * the database or project configuration the scan reads the files in, as a CLI run over it (undefined: each file
   * in the first that builds it).
   */
  scan(roots: readonly string[], options: LintOptions, headers: HeaderCache, only?: string): ProjectScan {
    const key = JSON.stringify([
      roots,
      ...preprocessorSettings(options),
      options.compileCommands,
      options.projects,
      options.projectConfigurations,
      only,
      options.wrappers,
    ]);
    const entry = this.entries.get(key);
    const now = Date.now();
    if (entry && entry.headers === headers && now - entry.checkedAt < this.recheckMs) return entry.scan;
    const files = sourceFiles(roots);
    // the files of the project are the tree an include the include path misses is searched in
    headers.searchIn(files);
    const stamps = new Map(files.map((f) => [f, stampOf(f)]));
    if (entry && entry.headers === headers && sameStamps(entry.stamps, stamps)) {
      entry.checkedAt = now;
      return entry.scan;
    }
    const { scan, needles } = scanProject(files, options, headers, undefined, only);
    this.entries.set(key, { scan, needles, headers, stamps, checkedAt: now });
    return scan;
  }

  /**
   * A source file changed on disk: forgets the scans it can matter to (it mentions an API, a wrapper or a macro
   * leading to one, now or when it was scanned). Returns whether any was forgotten.
   */
  sourceChanged(file: string): boolean {
    let bytes: Buffer | undefined;
    try {
      bytes = readRegularFile(file, DEFAULT_MAX_FILE_SIZE);
    } catch {
      bytes = undefined;
    }
    let dropped = false;
    for (const [key, entry] of this.entries) {
      const wasRead = entry.stamps.has(file);
      const matters = bytes ? [...entry.needles].some((n) => bytes!.includes(n)) : wasRead;
      if (matters || (wasRead && !bytes)) {
        this.entries.delete(key);
        dropped = true;
      }
    }
    return dropped;
  }

  /** Forgets every scan (the language server calls this when files change on disk). */
  clear(): void {
    this.entries.clear();
  }
}

/** The fixpoint over the files under the roots: their wrappers, and the needles that made files candidates. */
export function scanProject(
  sources: string[],
  options: LintOptions,
  headers: HeaderCache,
  onRound?: (stats: RoundStats) => void,
  only?: string,
): { scan: ProjectScan; needles: Set<string> } {
  const notices: Notice[] = [];
  const reach = new RunReach(options, notices, undefined, only);
  // (in a database or project configuration, the files another one builds are not part of the program)
  const files = only === undefined ? sources : sources.filter((f) => reach.build.builds(f, only) !== false);
  const needles = new Set([...API_NEEDLES, ...(options.wrappers ?? []).map((w) => w.name)]);
  const candidates = new Map<string, FixpointFile>();
  // the CLI's prefilter: unreadable, binary and oversized files are left to whoever lints them
  const scanner = new SourceScanner(files, { maxSize: options.maxFileSize || DEFAULT_MAX_FILE_SIZE });
  const grow = (): boolean => {
    let added = false;
    for (const { file, bytes } of scanner.scan(needles)) {
      const decoded = decode(bytes!);
      if (!decoded.ok) continue;
      candidates.set(file, { file, text: decoded.text });
      added = true;
    }
    return added;
  };
  const { wrappers } = runToEnd(
    wrapperFixpoint(
      {
        candidates: () => candidates.values(),
        grow,
        // eslint-disable-next-line require-yield -- the fixpoint drives every step as a generator; this one needs no window from it
        analyze: function* (c, known) {
          try {
            return analyzeText(c.file, c.text, reach.optionsFor(c.file, options), known, headers, { reach });
          } catch {
            // a file granule cannot analyse defines no wrappers; linting it reports the problem
            return undefined;
          }
        },
      },
      needles,
      reach,
      onRound,
    ),
  );
  return { scan: { wrappers, reach, notices, files: files.length }, needles };
}

function sourceFiles(roots: readonly string[]): string[] {
  const out: string[] = [];
  const visit = (target: string, depth: number): void => {
    let st: fs.Stats;
    try {
      st = fs.statSync(target);
    } catch {
      return;
    }
    if (st.isFile()) {
      if (SOURCE_EXTENSIONS.includes(path.extname(target).toLowerCase())) out.push(target);
      return;
    }
    if (!st.isDirectory() || depth > 64 || out.length >= MAX_FILES) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(target, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory() && (SKIP_DIRS.has(e.name) || e.name.startsWith('.'))) continue;
      if (e.isDirectory() || e.isFile()) visit(path.join(target, e.name), depth + 1);
    }
  };
  for (const root of roots) {
    const resolved = path.resolve(root);
    if (!TOO_WIDE.has(resolved)) visit(resolved, 0);
  }
  return [...new Set(out)].sort().slice(0, MAX_FILES);
}

function sameStamps(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** A file's modification time and size, or 'missing': compared to tell whether it changed on disk. */
export function stampOf(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${st.mtimeMs}:${st.size}`;
  } catch {
    return 'missing';
  }
}
