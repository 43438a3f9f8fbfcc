// Preprocessor facts of one translation unit: the #define/#undef timeline (headers included),
// which #if branches are live, dead or undecidable, and the #include graph.
// Dead branches are blanked before parsing, so their code is never analysed.

import { isPackHeader, PackTimeline, type PackChange, type PackPlace } from './pack.js';
import * as path from 'node:path';
import { evaluateText, type EvalEnv } from '../evaluate/evaluate.js';
import { checkTimeLimit } from '../model/limits.js';
import { MacroTable, parseDefine } from '../macros/macros.js';
import { predefinedTable } from '../macros/predefined.js';
import { standardLimits } from '../macros/std-macros.js';
import type { Compiler } from '../model/configuration.js';
import { targetModel, type TargetModel } from '../model/target.js';
import { findPreprocessorDirectives, type Directive } from './directives.js';
import type { IncludeEdge } from './include-edge.js';

export interface PreprocessOptions {
  model: TargetModel;
  /** Whose predefined macros apply (default msvc). */
  compiler?: Compiler;
  /** True for C++, false for C, undefined when a header could be either. */
  cplusplus: boolean | undefined;
  defines: Record<string, string>;
  undefines: string[];
  includePaths: string[];
  forceIncludes: string[];
  /** Reads a header; undefined when it cannot be read. Callers cache this across files. */
  readFile(file: string): string | undefined;
  /** Cached directive scan of a header. */
  directivesOf?(file: string, text: string): Directive[];
  /** Looks an include the include path misses up in the scanned tree (include-search.ts); absent: no search. */
  searchInclude?(spec: string, from: string): string | undefined;
}

export interface PreprocessResult {
  macros: MacroTable;
  /** Offset ranges of the main file to blank before parsing: dead branches and decided directive lines. */
  blank: [number, number][];
  includes: IncludeEdge[];
  /** Every header read, for cache invalidation. */
  dependencies: string[];
  /** Set when the file's includes entered more headers than MAX_HEADER_ENTRIES: those after were not read. */
  headerLimitReached?: number;
  /**
   * Every path an `#include` looked for and did not find, before the header it found or in vain: a file that
   * appears there later changes what the file includes (a new header, or one that shadows the old one on the
   * include path), so caches must check these too.
   */
  missing: string[];
  /** The `#pragma pack` timeline at main-file offsets (pack.ts); absent when the file changes no packing. */
  packs?: PackChange[];
  /** Each header's own `#pragma pack` timeline, at its offsets (pack.ts); absent when no header changes packing. */
  headerPacks?: ReadonlyMap<string, PackChange[]>;
}

type Activity = 'yes' | 'no' | 'maybe';

interface Group {
  /** Activity of the enclosing code. */
  parent: Activity;
  /** Activity of the current branch. */
  branch: Activity;
  /** Whether an earlier branch was taken. */
  taken: Activity;
  /** Some condition of this group could not be decided. */
  undecided: boolean;
  condition: string;
  directiveRanges: [number, number][];
  /** Start offset of the current branch's body. */
  bodyStart: number;
}

const MAX_INCLUDE_DEPTH = 64;
/**
 * How many times one file's includes may enter a header. Headers without include guards that include the next
 * one twice double the work at each level (2^20 entries at depth 20); real files enter a few hundred to a few
 * thousand headers, guarded ones included. Past the limit further includes are not followed, and the file says so.
 */
export const MAX_HEADER_ENTRIES = 50_000;

export function preprocess(file: string, text: string, options: PreprocessOptions): PreprocessResult {
  return new Preprocessor(file, options).run(text);
}

/** Where a file's directives are read: the file, the #include line that entered it, and what surrounds that. */
interface Visit {
  current: string;
  /** The line of the main file's #include that entered this header (undefined: this is the main file). */
  atLine: number | undefined;
  /** The end offset of that #include in the main file: where the header's `#pragma pack` takes effect. */
  atOffset?: number;
  outerActivity: Activity;
  outerCondition: string | undefined;
  depth: number;
  /** The files being read, outermost first: a header already on it is not entered again. */
  stack: string[];
}

/** A file being read: where it was entered, and its open #if groups (innermost last). */
interface FileState {
  visit: Visit;
  isMain: boolean;
  groups: Group[];
}

/** One translation unit's preprocessing: its macro table, what it finds, and the headers it has entered. */
class Preprocessor {
  private readonly macros = new MacroTable();
  private readonly result: PreprocessResult;
  private readonly seen = new Set<string>();
  private readonly once = new Set<string>();
  private readonly missing = new Set<string>();
  /**
   * Names the sources #define only in branches known to be inactive so far. Such a name is the sources' own
   * switch, not a macro the build may pass: while no live definition exists it is undefined, not "either way".
   */
  private readonly definedOnlyWhenInactive = new Set<string>();
  private headerEntries = 0;
  private readonly packs = new PackTimeline();

  /** Where a `#pragma pack` at `end` of the visited file takes effect: in the main file, and in its header. */
  private packPlace(visit: Visit, end: number): PackPlace {
    return visit.atOffset === undefined ? { offset: end } : { offset: visit.atOffset, header: { file: visit.current, offset: end } };
  }

  constructor(
    private readonly file: string,
    private readonly options: PreprocessOptions,
  ) {
    this.macros.setFallbacks(standardLimits(options.model));
    this.result = { macros: this.macros, blank: [], includes: [], dependencies: [], missing: [] };
  }

  run(text: string): PreprocessResult {
    this.defineBuiltins();
    this.readForcedIncludes();
    const file = this.file;
    this.processFile(
      { current: file, atLine: undefined, outerActivity: 'yes', outerCondition: undefined, depth: 0, stack: [file] },
      findPreprocessorDirectives(text),
    );
    if (this.packs.changes.length) this.result.packs = this.packs.changes;
    if ([...this.packs.headers.values()].some((changes) => changes.some((c) => c.pack !== undefined))) this.result.headerPacks = this.packs.headers;
    return this.result;
  }

  /**
   * The compiler's predefined macros for the target and language, the names certainly undefined there (other
   * systems', architectures', compilers'), what the SDK headers derive from the target, and the -D and -U of the
   * options. Undefinitions come first: a definition after them is the event in force.
   */
  private defineBuiltins(): void {
    const { macros, options } = this;
    const table = predefinedTable(options.model, options.compiler ?? 'msvc', options.cplusplus);
    for (const name of table.undefined) macros.undefine(name, 0, true);
    // what another target's SDK headers define is certainly not defined on this one (_AMD64_ on x86, ...)
    for (const other of ['x64', 'x86', 'arm64'] as const) {
      for (const name of Object.keys(targetModel(other).predefined)) {
        if (!(name in options.model.predefined)) macros.undefine(name, 0, true);
      }
    }
    for (const def of table.definitions) macros.define(def, 0, true);
    for (const [name, value] of Object.entries(options.model.predefined)) {
      const def = parseDefine(`${name} ${value}`, '<built-in>', 0);
      if (def) macros.define(def, 0, true);
    }
    if (options.cplusplus === false) macros.undefine('__cplusplus', 0, true);
    for (const [name, value] of Object.entries(options.defines)) {
      const def = parseDefine(`${name} ${value}`, '<command line>', 0);
      if (def) macros.define(def, 0, true);
    }
    for (const name of options.undefines) macros.undefine(name, 0, true);
  }

  /** The headers of --include, read before the file as if it included them first. */
  private readForcedIncludes(): void {
    const { file, result } = this;
    for (const forced of this.options.forceIncludes) {
      const resolved = path.resolve(forced);
      const headerText = this.options.readFile(resolved);
      result.includes.push({ line: 0, from: file, spec: forced, angled: false, resolved: headerText === undefined ? undefined : resolved });
      if (headerText === undefined) {
        result.missing.push(resolved);
        continue;
      }
      result.dependencies.push(resolved);
      const visit: Visit = { current: resolved, atLine: 0, atOffset: 0, outerActivity: 'yes', outerCondition: undefined, depth: 1, stack: [file, resolved] };
      this.processFile(visit, findPreprocessorDirectives(headerText));
    }
  }

  private env(): EvalEnv {
    const { macros, options } = this;
    return {
      model: options.model,
      directive: true,
      cplusplus: options.cplusplus,
      macros: (name) => macros.lookup(name),
      defined: (name) => {
        const found = macros.lookup(name);
        if (found.kind === 'defined') return true;
        if (macros.certainlyUndefined(name)) return false;
        if (!macros.hasEvents(name) && this.definedOnlyWhenInactive.has(name)) return false;
        // no definition visible anywhere: the build may pass it, and both branches are analysed
        return undefined;
      },
    };
  }

  private resolveInclude(spec: string, angled: boolean, from: string): string | undefined {
    const { options } = this;
    // `<...>` searches the include paths; when none has it, the including file's directory (projects built
    // with `-I.` or MSVC's "additional include directories" set to the source folder write <local.h>)
    const dirs = angled ? [...options.includePaths, path.dirname(from)] : [path.dirname(from), ...options.includePaths];
    for (const dir of dirs) {
      const candidate = path.resolve(dir, spec);
      if (options.readFile(candidate) !== undefined) return candidate;
      if (!this.missing.has(candidate)) {
        this.missing.add(candidate);
        this.result.missing.push(candidate);
      }
    }
    return undefined;
  }

  private processFile(visit: Visit, directives: Directive[]): void {
    const f: FileState = { visit, isMain: visit.atLine === undefined, groups: [] };
    if (!f.isMain) this.packs.enter(visit.current);
    for (const d of directives) {
      checkTimeLimit();
      const line = visit.atLine ?? d.line;
      switch (d.name) {
        case 'if':
        case 'ifdef':
        case 'ifndef':
          this.openGroup(f, d);
          break;
        case 'elif':
        case 'elifdef':
        case 'elifndef':
        case 'else':
          this.nextBranch(f, d);
          break;
        case 'endif':
          this.closeGroup(f, d);
          break;
        case 'define': {
          const a = activity(f);
          if (a === 'no') {
            this.definedOnlyWhenInactive.add(firstWord(d.rest));
            break;
          }
          const def = parseDefine(d.rest, visit.current, d.line);
          if (def) this.macros.define(def, line, a === 'yes', conditionText(f));
          break;
        }
        case 'undef': {
          const a = activity(f);
          if (a === 'no') break;
          this.macros.undefine(firstWord(d.rest), line, a === 'yes', conditionText(f));
          break;
        }
        case 'pragma':
          if (/^once\b/.test(d.rest)) this.once.add(visit.current);
          else if (activity(f) !== 'no' && !isPackHeader(visit.current)) this.packs.pragma(d.rest, this.packPlace(visit, d.end));
          break;
        case 'include':
        case 'include_next':
        case 'import':
          this.include(f, d, line);
          break;
      }
    }
  }

  private decide(expr: string): Activity {
    const v = evaluateText(expr, this.env()).value;
    return v.known ? (v.value !== 0n ? 'yes' : 'no') : 'maybe';
  }

  /** The main file's dead branch bodies are blanked. */
  private blankBody(f: FileState, g: Group, until: number): void {
    if (f.isMain && g.branch === 'no' && g.parent !== 'no' && until > g.bodyStart) this.result.blank.push([g.bodyStart, until]);
  }

  /** #if, #ifdef, #ifndef. */
  private openGroup(f: FileState, d: Directive): void {
    const parent = activity(f);
    const cond = d.name === 'if' ? d.rest : d.name === 'ifdef' ? `defined(${firstWord(d.rest)})` : `!defined(${firstWord(d.rest)})`;
    const branch: Activity = parent === 'no' ? 'no' : this.decide(cond);
    f.groups.push({
      parent,
      branch,
      taken: branch,
      undecided: branch === 'maybe',
      condition: `#${d.name} ${d.rest}`.trim(),
      directiveRanges: [[d.start, d.end]],
      bodyStart: d.end,
    });
  }

  /** #elif, #elifdef, #elifndef, #else. */
  private nextBranch(f: FileState, d: Directive): void {
    const g = f.groups[f.groups.length - 1];
    if (!g) return;
    this.blankBody(f, g, d.start);
    g.directiveRanges.push([d.start, d.end]);
    g.bodyStart = d.end;
    let branch: Activity;
    if (g.parent === 'no' || g.taken === 'yes') branch = 'no';
    else {
      const cond =
        d.name === 'else' ? '1' : d.name === 'elif' ? d.rest : d.name === 'elifdef' ? `defined(${firstWord(d.rest)})` : `!defined(${firstWord(d.rest)})`;
      const own = this.decide(cond);
      branch = own === 'no' ? 'no' : g.taken === 'maybe' || own === 'maybe' ? 'maybe' : 'yes';
    }
    if (branch === 'maybe') g.undecided = true;
    g.taken = g.taken === 'yes' || branch === 'yes' ? 'yes' : g.taken === 'maybe' || branch === 'maybe' ? 'maybe' : 'no';
    g.branch = branch;
    g.condition = `#${d.name} ${d.rest}`.trim();
  }

  /** #endif: in the main file, a group decided throughout loses its directive lines too. */
  private closeGroup(f: FileState, d: Directive): void {
    const g = f.groups.pop();
    if (!g) return;
    this.blankBody(f, g, d.start);
    g.directiveRanges.push([d.start, d.end]);
    if (f.isMain && !g.undecided && g.parent !== 'no') this.result.blank.push(...g.directiveRanges);
  }

  /** #include, #include_next, #import: the edge is recorded, and a header found is read in place. */
  private include(f: FileState, d: Directive, line: number): void {
    const { result, options } = this;
    const { visit } = f;
    const a = activity(f);
    if (a === 'no' || result.headerLimitReached) return;
    checkTimeLimit();
    const m = /^(?:"([^"]+)"|<([^>]+)>)/.exec(d.rest);
    if (!m) return; // computed includes (#include MACRO) are not followed
    const spec = (m[1] ?? m[2])!;
    const angled = m[2] !== undefined;
    this.packs.header(spec, this.packPlace(visit, d.end));
    const onPath = this.resolveInclude(spec, angled, visit.current);
    const resolved = onPath ?? options.searchInclude?.(spec, visit.current);
    result.includes.push({ line: d.line, from: visit.current, spec, angled, resolved, ...(resolved !== onPath ? { searched: true as const } : {}) });
    if (!resolved || visit.depth >= MAX_INCLUDE_DEPTH || visit.stack.includes(resolved) || this.once.has(resolved)) return;
    if (++this.headerEntries > MAX_HEADER_ENTRIES) {
      result.headerLimitReached = MAX_HEADER_ENTRIES;
      return;
    }
    const headerText = options.readFile(resolved)!;
    if (!this.seen.has(resolved)) {
      this.seen.add(resolved);
      result.dependencies.push(resolved);
    }
    const headerDirectives = options.directivesOf?.(resolved, headerText) ?? findPreprocessorDirectives(headerText);
    const inner: Visit = {
      current: resolved,
      atLine: line,
      atOffset: visit.atOffset ?? d.end,
      outerActivity: a,
      outerCondition: conditionText(f),
      depth: visit.depth + 1,
      stack: [...visit.stack, resolved],
    };
    this.processFile(inner, headerDirectives);
  }
}

/**
 * The activity of a file's code here. (A group's `parent` is the activity of everything around it when it opened,
 * and only the innermost group changes branch: the activity is the innermost group's, in constant time however
 * deep the nesting.)
 */
function activity(f: FileState): Activity {
  const top = f.groups[f.groups.length - 1];
  return top ? combine(top.parent, top.branch) : f.visit.outerActivity;
}

/** The undecided conditions a definition here depends on, joined with `&&`. */
function conditionText(f: FileState): string | undefined {
  const parts = f.groups.filter((g) => g.branch === 'maybe').map((g) => g.condition);
  if (f.visit.outerCondition) parts.unshift(f.visit.outerCondition);
  return parts.length ? parts.join(' && ') : undefined;
}

function combine(a: Activity, b: Activity): Activity {
  if (a === 'no' || b === 'no') return 'no';
  if (a === 'maybe' || b === 'maybe') return 'maybe';
  return 'yes';
}

function firstWord(text: string): string {
  return /^[A-Za-z_$][\w$]*/.exec(text.trim())?.[0] ?? '';
}
