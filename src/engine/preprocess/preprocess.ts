// Preprocessor facts of one translation unit: the #define/#undef timeline (headers included),
// which #if branches are live, dead or undecidable, and the #include graph.
// Dead branches are blanked before parsing, so their code is never analysed.

import { isPackHeader, PackTimeline, type PackChange, type PackPlace } from './pack.js';
import * as path from 'node:path';
import { evaluateText, type EvalEnv } from '../evaluate/evaluate.js';
import { checkTimeLimit } from '../model/limits.js';
import { ConditionJoins, MacroTable, parseDefine, type Condition } from '../macros/macros.js';
import { predefinedTable } from '../macros/predefined.js';
import { standardLimits } from '../macros/std-macros.js';
import type { Compiler } from '../model/configuration.js';
import type { TargetModel } from '../model/target.js';
import { watchedModel } from './watched-model.js';
import { definitionOf, findPreprocessorDirectives, type Directive } from './directives.js';
import type { IncludeEdge } from './include-edge.js';
import { HeaderRecording, type ConfigurationEffects, type HeaderEffect, type HeaderEffects, type HeaderRecord } from './header-effects.js';

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
  /** The main file's directive scan, shared with the other configurations of the same text (HeaderCache). */
  mainDirectivesOf?(file: string, text: string): Directive[];
  /** Looks an include the include path misses up in the scanned tree (include-search.ts); absent: no search. */
  searchInclude?(spec: string, from: string): string | undefined;
  /**
   * The run's header effects (header-effects.ts): a header whose effect was kept for a state that agrees with this
   * file's is replayed instead of run. Absent: every header's directives are run.
   */
  headerEffects?: HeaderEffects;
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
  /** Activity of the enclosing code of this file (as if the file were entered where all is active). */
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

export const MAX_INCLUDE_DEPTH = 64;
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
  /** The activity of the #include that entered this header, and its undecided conditions joined with `&&`. */
  outerActivity: Activity;
  outerCondition: Condition | undefined;
  depth: number;
  /** The files being read, outermost first: a header already on it is not entered again. */
  stack: string[];
}

/** Where a file was entered, as its effects read it (a Visit, or a header replayed inside one). */
type EntryContext = Pick<Visit, 'atOffset' | 'outerActivity' | 'outerCondition'>;

/** The main file's own context: everything active, effects in place. */
const MAIN_FILE: EntryContext = { atOffset: undefined, outerActivity: 'yes', outerCondition: undefined };

/** An #include's activity and undecided condition within the file that has it. */
interface IncludeContext {
  activity: Activity;
  condition: string | undefined;
}

/** A file being read: where it was entered, and its open #if groups (innermost last). */
interface FileState {
  visit: Visit;
  isMain: boolean;
  groups: Group[];
  /** conditionText of the groups as they are, until one opens, changes branch or closes (each definition asks). */
  condition?: { text: string | undefined };
}

/** One translation unit's preprocessing: its macro table, what it finds, and the headers it has entered. */
class Preprocessor {
  private readonly macros = new MacroTable();
  private readonly conditions = new ConditionJoins();
  private readonly result: PreprocessResult;
  private readonly seen = new Set<string>();
  /** Headers a `#pragma once` closed, each with how many were closed before it (a header's start reads it back). */
  private readonly once = new Map<string, number>();
  private readonly missing = new Set<string>();
  /**
   * Names the sources #define only in branches known to be inactive so far. Such a name is the sources' own
   * switch, not a macro the build may pass: while no live definition exists it is undefined, not "either way".
   * Each with how many names were added before it, like `once`.
   */
  private readonly definedOnlyWhenInactive = new Map<string, number>();
  private headerEntries = 0;
  private readonly packs = new PackTimeline();
  /** This configuration's header effects kept in the run (undefined: none are kept or replayed). */
  private readonly records: ConfigurationEffects | undefined;
  /** The headers being entered whose effect is being recorded, outermost first. */
  private readonly recordings: HeaderRecording[] = [];
  /** The target model as `#if` sees it: reading it makes the records being made this target's own (noteTarget). */
  private readonly directiveModel: TargetModel;

  constructor(
    private readonly file: string,
    private readonly options: PreprocessOptions,
  ) {
    this.macros.setFallbacks(standardLimits(options.model));
    this.result = { macros: this.macros, blank: [], includes: [], dependencies: [], missing: [] };
    // (every setting the directives read besides the macros, which the records check name by name, and the target,
    // which a record made where a condition measured something names: targets share the records of the rest)
    const { compiler, cplusplus, defines, undefines, includePaths, forceIncludes } = options;
    const configuration = [compiler ?? 'msvc', cplusplus ?? null, defines, undefines, includePaths, forceIncludes, !!options.searchInclude];
    this.records = options.headerEffects?.of(JSON.stringify(configuration));
    this.directiveModel = watchedModel(options.model, () => this.noteTarget());
  }

  run(text: string): PreprocessResult {
    this.defineBuiltins();
    this.readForcedIncludes();
    const file = this.file;
    this.processFile(
      { current: file, atLine: undefined, outerActivity: 'yes', outerCondition: undefined, depth: 0, stack: [file] },
      this.options.mainDirectivesOf?.(file, text) ?? findPreprocessorDirectives(text),
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
    for (const name of table.otherTargets) macros.undefine(name, 0, true);
    for (const def of table.definitions) macros.define(def, 0, true);
    for (const def of table.sdk) macros.define(def, 0, true);
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
      this.packs.enter(resolved);
      const visit: Visit = { current: resolved, atLine: 0, atOffset: 0, outerActivity: 'yes', outerCondition: undefined, depth: 1, stack: [file, resolved] };
      this.processFile(visit, findPreprocessorDirectives(headerText));
    }
  }

  private env(): EvalEnv {
    const { macros, options } = this;
    return {
      model: this.directiveModel,
      directive: true,
      cplusplus: options.cplusplus,
      macros: (name) => {
        this.noteName(name);
        return macros.lookup(name);
      },
      defined: (name) => {
        this.noteName(name);
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
      this.effect({ kind: 'missing', path: candidate }, 0, MAIN_FILE);
    }
    return undefined;
  }

  private processFile(visit: Visit, directives: Directive[]): void {
    const f: FileState = { visit, isMain: visit.atLine === undefined, groups: [] };
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
            this.effect({ kind: 'inactive-define', name: firstWord(d.rest) }, line, visit);
            break;
          }
          const def = definitionOf(d, visit.current);
          if (def) this.effect({ kind: 'define', def, certain: a === 'yes', condition: conditionText(f) }, line, visit);
          break;
        }
        case 'undef': {
          const a = activity(f);
          if (a === 'no') break;
          this.effect({ kind: 'undefine', name: firstWord(d.rest), certain: a === 'yes', condition: conditionText(f) }, line, visit);
          break;
        }
        case 'pragma':
          if (/^once\b/.test(d.rest)) this.effect({ kind: 'pragma-once', file: visit.current }, line, visit);
          else if (activity(f) !== 'no' && !isPackHeader(visit.current)) {
            this.effect({ kind: 'pragma-pack', rest: d.rest, file: visit.current, offset: d.end }, line, visit);
          }
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
    f.condition = undefined;
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
    f.condition = undefined;
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
    f.condition = undefined;
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
    this.effect({ kind: 'include-pack', spec, file: visit.current, offset: d.end }, line, visit);
    const onPath = this.resolveInclude(spec, angled, visit.current);
    const resolved = onPath ?? options.searchInclude?.(spec, visit.current);
    const edge: IncludeEdge = { line: d.line, from: visit.current, spec, angled, resolved, ...(resolved !== onPath ? { searched: true as const } : {}) };
    this.effect({ kind: 'edge', edge }, line, visit);
    if (!resolved || !this.mayEnter(visit, resolved)) return;
    if (++this.headerEntries > MAX_HEADER_ENTRIES) {
      result.headerLimitReached = MAX_HEADER_ENTRIES;
      return;
    }
    const inner: Visit = {
      current: resolved,
      atLine: line,
      atOffset: visit.atOffset ?? d.end,
      outerActivity: combine(visit.outerActivity, a),
      outerCondition: this.conditions.join(visit.outerCondition, conditionText(f)),
      depth: visit.depth + 1,
      stack: [...visit.stack, resolved],
    };
    this.enterHeader(inner, visit.stack, { activity: a, condition: conditionText(f) });
  }

  /** Whether an include found may be followed: not too deep, not a header being read, not one `#pragma once` closed. */
  private mayEnter(visit: Visit, resolved: string): boolean {
    const refused = visit.depth >= MAX_INCLUDE_DEPTH;
    const recording = this.recordings[this.recordings.length - 1];
    if (recording) {
      recording.tried(visit.depth, refused);
      if (refused) return false;
      this.noteOnStack(resolved);
      this.noteClosed(resolved);
    }
    return !refused && !visit.stack.includes(resolved) && !this.once.has(resolved);
  }

  /**
   * A header entered: its kept effect replayed when one agrees with the state here, else its directives run.
   * `local`: the activity and undecided condition of the #include within the file that has it.
   */
  private enterHeader(inner: Visit, includerStack: readonly string[], local: IncludeContext): void {
    const { records, options } = this;
    const kept = records?.find(inner.current, (r) => this.agrees(r, inner.depth, includerStack));
    if (kept) {
      this.replay(kept, inner, local);
      return;
    }
    const recording =
      records && new HeaderRecording(inner.current, inner.depth, includerStack, this.macros.moment, this.definedOnlyWhenInactive.size, this.once.size);
    if (recording) this.recordings.push(recording);
    this.effect({ kind: 'enter', file: inner.current }, inner.atLine!, inner);
    const headerText = options.readFile(inner.current)!;
    this.processFile(inner, options.directivesOf?.(inner.current, headerText) ?? findPreprocessorDirectives(headerText));
    if (!recording) return;
    this.recordings.pop();
    const record = recording.done();
    // (past the entry limit a header's effect is cut short: it is not the header's)
    if (this.result.headerLimitReached) return;
    records.keep(record);
    this.recordings[this.recordings.length - 1]?.entered(record, inner.depth, local);
  }

  /** Whether a kept effect is what running the header here would give (header-effects.ts says what it reads). */
  private agrees(record: HeaderRecord, depth: number, includerStack: readonly string[]): boolean {
    if (record.target !== undefined && record.target !== this.options.model.name) return false;
    if (record.depthLimited ? depth !== record.depth : depth + record.reach >= MAX_INCLUDE_DEPTH) return false;
    if (this.headerEntries + record.entries > MAX_HEADER_ENTRIES) return false;
    for (const [file, closed] of record.closed) if (this.once.has(file) !== closed) return false;
    for (const [file, on] of record.onStack) if (includerStack.includes(file) !== on) return false;
    for (const [name, state] of record.names) if (this.nameState(name) !== state) return false;
    return true;
  }

  /** A kept effect applied where the header is entered, and what it read noted by the headers being recorded. */
  private replay(record: HeaderRecord, inner: Visit, local: IncludeContext): void {
    const recording = this.recordings[this.recordings.length - 1];
    if (recording) {
      for (const name of record.names.keys()) this.noteName(name);
      for (const file of record.closed.keys()) this.noteClosed(file);
      for (const file of record.onStack.keys()) this.noteOnStack(file);
      recording.entered(record, inner.depth, local);
    }
    this.headerEntries += record.entries;
    // (its definitions and undefinitions, and those of the headers it entered, as one layer of the table)
    this.macros.addLayer(this.records!.layerOf(record), inner.atLine!, inner.outerActivity === 'yes', inner.outerCondition);
    this.applyOthers(record.effects, inner.atLine!, inner);
  }

  /** A kept effect's effects other than macro events (the layer has those), and those of the headers it entered. */
  private applyOthers(effects: readonly HeaderEffect[], line: number, at: EntryContext): void {
    for (const e of effects) {
      checkTimeLimit();
      // (what the others read of where they were entered is the #include's offset, the same at every level)
      if (e.kind === 'header') this.applyOthers(e.record.effects, line, at);
      else if (e.kind !== 'define' && e.kind !== 'undefine') this.apply(e, line, at);
    }
  }

  /** Makes an effect of the file being read, and records it for the header being recorded. */
  private effect(e: Exclude<HeaderEffect, { kind: 'header' }>, line: number, at: EntryContext): void {
    this.recordings[this.recordings.length - 1]?.push(e);
    this.apply(e, line, at);
  }

  /**
   * What an effect changes, whether the directive runs or a kept effect is replayed. `line`: the main file's line
   * the effect is in force from; `at`: where the file having it was entered (its activity and condition are the
   * effect's too, and its `#pragma pack` takes effect at the main file's #include).
   */
  private apply(e: Exclude<HeaderEffect, { kind: 'header' }>, line: number, at: EntryContext): void {
    const { result } = this;
    const atOffset = at.atOffset;
    switch (e.kind) {
      case 'define':
        return this.macros.define(e.def, line, at.outerActivity === 'yes' && e.certain, this.conditions.join(at.outerCondition, e.condition));
      case 'undefine':
        return this.macros.undefine(e.name, line, at.outerActivity === 'yes' && e.certain, this.conditions.join(at.outerCondition, e.condition));
      case 'inactive-define':
        if (!this.definedOnlyWhenInactive.has(e.name)) this.definedOnlyWhenInactive.set(e.name, this.definedOnlyWhenInactive.size);
        return;
      case 'pragma-once':
        if (!this.once.has(e.file)) this.once.set(e.file, this.once.size);
        return;
      case 'enter':
        if (!this.seen.has(e.file)) {
          this.seen.add(e.file);
          result.dependencies.push(e.file);
        }
        return this.packs.enter(e.file);
      case 'pragma-pack':
        return this.packs.pragma(e.rest, packPlace(e.file, e.offset, atOffset));
      case 'include-pack':
        this.packs.header(e.spec, packPlace(e.file, e.offset, atOffset));
        return;
      case 'edge':
        result.includes.push(e.edge);
        return;
      case 'missing':
        if (!this.missing.has(e.path)) {
          this.missing.add(e.path);
          result.missing.push(e.path);
        }
    }
  }

  /** A name a condition reads: each header being recorded keeps its state from when that header was entered. */
  private noteName(name: string): void {
    // (a header that has the name has it from a moment when the headers around it were being recorded too)
    for (let i = this.recordings.length - 1; i >= 0; i--) {
      const r = this.recordings[i]!;
      if (r.names.has(name)) break;
      r.names.set(name, this.nameState(name, r.startMoment, r.startInactive));
    }
  }

  /** A condition read what differs by target (watched-model.ts): the headers being recorded hold for this one only. */
  private noteTarget(): void {
    for (const r of this.recordings) r.target = this.options.model.name;
  }

  private noteClosed(file: string): void {
    for (let i = this.recordings.length - 1; i >= 0; i--) {
      const r = this.recordings[i]!;
      if (r.closed.has(file)) break;
      r.closed.set(file, (this.once.get(file) ?? Infinity) < r.startClosed);
    }
  }

  private noteOnStack(file: string): void {
    for (let i = this.recordings.length - 1; i >= 0; i--) {
      const r = this.recordings[i]!;
      if (r.onStack.has(file)) break;
      r.onStack.set(file, r.includerStack.includes(file));
    }
  }

  /**
   * What the directives can learn of a name, as it stood at a moment of the file's history (now by default): its
   * macro events (MacroTable.stateKey), and, while it has none, whether the sources had defined it only in
   * inactive branches (`defined` asks that only of a name without events).
   */
  private nameState(name: string, moment = Infinity, inactive = Infinity): string {
    const events = this.macros.stateKey(name, moment);
    if (events !== '') return events;
    const added = this.definedOnlyWhenInactive.get(name);
    return added !== undefined && added < inactive ? 'defined only in inactive branches' : '';
  }
}

/** Where a `#pragma pack` at `offset` of `file` takes effect: in the main file, and in its header (atOffset: see apply). */
function packPlace(file: string, offset: number, atOffset: number | undefined): PackPlace {
  return atOffset === undefined ? { offset } : { offset: atOffset, header: { file, offset } };
}

/**
 * The activity of a file's code here, within the file: what the #include that entered it adds is combined where
 * an effect is applied, so that a header's effect is the same wherever it is entered. (A group's `parent` is the
 * activity of everything around it when it opened, and only the innermost group changes branch: the activity is
 * the innermost group's, in constant time however deep the nesting.)
 */
function activity(f: FileState): Activity {
  const top = f.groups[f.groups.length - 1];
  return top ? combine(top.parent, top.branch) : 'yes';
}

/** The undecided conditions of the file's own groups a definition here depends on, joined with `&&`. */
function conditionText(f: FileState): string | undefined {
  if (f.condition) return f.condition.text;
  const parts = f.groups.filter((g) => g.branch === 'maybe').map((g) => g.condition);
  f.condition = { text: parts.length ? parts.join(' && ') : undefined };
  return f.condition.text;
}

function combine(a: Activity, b: Activity): Activity {
  if (a === 'no' || b === 'no') return 'no';
  if (a === 'maybe' || b === 'maybe') return 'maybe';
  return 'yes';
}

const firstWord = (text: string): string => /^[A-Za-z_$][\w$]*/.exec(text.trim())?.[0] ?? '';
