// The wrapper fixpoint, the one both whole-project readers use (the CLI run, lint.ts, and the project scan of the
// editor integrations, project-scan.ts). A wrapper found in one file makes calls of it in other files
// relevant, and those files may define wrappers in turn: the candidate files are analysed in rounds, each with
// the wrappers the round before found, until a round finds the same wrapper names and no new candidate file.
//
// The work stays linear in the files: a round analyses again only the files that mention (in their text, or in a
// macro they can expand) a name whose wrappers another file changed in the round before, or a name that became a
// needle; every other file keeps its last analysis, which is the one a new analysis would give, since nothing it
// reads changed. (A file's own wrappers are followed within the file, FileAnalyzer.run, whatever the run knew of
// them: its own name coming back from the run is no reason to analyse it again.) And each analysis is offered
// only the wrappers whose names the file mentions (RunReach.analyze).
//
// The fixpoint is a generator: it yields between files so that the CLI can let the event loop turn (native trees
// are freed by finalizers); the project scan, which ESLint calls synchronously, runs it straight through.

import * as path from 'node:path';
import type { FileAnalysis, WrapperModel } from '../analysis/analyze.js';
import type { MacroTable } from '../macros/macros.js';
import { MANY_NAMES, wordOccurrences, wordsIn } from '../text/occurrences.js';
import type { Pause } from './collect.js';
import type { RoundStats } from './options.js';
import { definesCallMacro, macroNamesLeadingToCalls } from './pipeline.js';
import type { RunReach } from './reach.js';
import { ownCopy } from '../text/own-copy.js';

/** At most this many rounds (a chain of wrappers deeper than this is followed no further). */
export const MAX_ROUNDS = 10;

export interface FixpointFile {
  readonly file: string;
  /** The file's text (it may be read only when first asked for). */
  readonly text: string;
}

/** The parts of the fixpoint that differ between the CLI run and the project scan. */
export interface FixpointSteps {
  /** The candidate files, in the run's order (the list grows as `grow` adds to it). */
  candidates(): Iterable<FixpointFile>;
  /** Makes candidates of the files any of `needles` is found in; true when one was added. */
  grow(needles: ReadonlySet<string>): boolean;
  /** Files with a result that needs no analysis (from the cache, from a thread, or out of time). */
  settled?(file: string): boolean;
  /** Before each round after the first: `fresh` are the wrapper names no earlier round had. */
  beforeRound?(wrappers: ReadonlyMap<string, WrapperModel>, fresh: ReadonlySet<string>): void;
  /** Analyses a file with the wrappers known so far; undefined when it could not be analysed. */
  analyze(file: FixpointFile, wrappers: ReadonlyMap<string, WrapperModel>, round: number): Generator<Pause, FileAnalysis | undefined, void>;
}

export interface FixpointResult {
  /** The last analysis of each candidate file, in candidate order. */
  analyses: Map<string, FileAnalysis>;
  /** The wrappers of the last round, by name (the last file of the run to define a name wins). */
  wrappers: Map<string, WrapperModel>;
}

/**
 * Runs the rounds. `needles` (the names that make a file a candidate) grows as the rounds find wrappers that other
 * files can call, macros that lead to calls, and headers that define such macros.
 */
export function* wrapperFixpoint(
  steps: FixpointSteps,
  needles: Set<string>,
  reach: RunReach,
  onRound?: (stats: RoundStats) => void,
): Generator<Pause, FixpointResult, void> {
  let wrappers = new Map<string, WrapperModel>();
  let analyses = new Map<string, FileAnalysis>();
  /** Names whose wrappers changed in the last round, and needles it added: files that mention one are analysed again. */
  let changed = new Changes();
  const seen = new Set<string>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    steps.grow(needles);
    if (round > 0) steps.beforeRound?.(wrappers, freshNames(wrappers, seen));
    const needlesBefore = needles.size;
    const offeredBefore = reach.namesOffered;
    const next = new Map<string, WrapperModel>();
    const last = analyses;
    analyses = new Map();
    let analysed = 0;
    for (const c of steps.candidates()) {
      if (steps.settled?.(c.file)) continue;
      const previous = last.get(c.file);
      let analysis: FileAnalysis | undefined;
      if (previous && !mentionsAny(c, previous, changed.reaching(c.file))) analysis = previous;
      else {
        analysed++;
        analysis = yield* steps.analyze(c, wrappers, round);
      }
      if (!analysis) continue;
      analyses.set(c.file, analysis);
      for (const w of analysis.wrappers) next.set(w.name, w);
      // (needles live as long as the run: a name of its own, not a view of the file's parsed text, see ownCopy)
      for (const name of macroNamesLeadingToCalls(analysis)) needles.add(ownCopy(name));
      if (definesCallMacro(analysis)) needles.add(path.basename(c.file));
    }
    // a static function of a .c file reaches no other file: its name need not be looked for elsewhere
    for (const a of analyses.values()) for (const w of a.wrappers) if (!w.fileLocal) needles.add(ownCopy(w.name));
    // several files may define a wrapper of the same name (static helpers): each caller picks its own
    const before = reach.overloads;
    reach.setWrappers([...analyses.values()].flatMap((a) => a.wrappers));
    changed = Changes.between(before, reach.overloads);
    for (const n of [...needles].slice(needlesBefore)) changed.addNeedle(n);
    onRound?.({ round, analysed, kept: analyses.size - analysed, namesOffered: reach.namesOffered - offeredBefore, changed: changed.names.size });
    const grew = steps.grow(needles);
    const sameWrappers = next.size === wrappers.size && [...next.keys()].every((k) => wrappers.has(k));
    wrappers = next;
    if (sameWrappers && !grew) break;
  }
  return { analyses, wrappers };
}

/** Runs a fixpoint (or any generator of pauses) straight through. */
export function runToEnd<T>(steps: Generator<Pause, T, void>): T {
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/** The wrapper names of `wrappers` not in `seen` (which they are added to). */
function freshNames(wrappers: ReadonlyMap<string, WrapperModel>, seen: Set<string>): Set<string> {
  const fresh = new Set<string>();
  for (const name of wrappers.keys()) if (!seen.has(name)) fresh.add(name);
  for (const name of fresh) seen.add(name);
  return fresh;
}

/**
 * The names that changed in a round: names whose list of wrappers is not the same (the same models, in the same
 * order) before and after it, with the files that define them; and names that became needles.
 */
class Changes {
  readonly names = new Set<string>();
  /** For a name whose wrappers only one file defines (before and after), that file. */
  private readonly soleDefiner = new Map<string, string>();

  static between(a: ReadonlyMap<string, readonly WrapperModel[]>, b: ReadonlyMap<string, readonly WrapperModel[]>): Changes {
    const changes = new Changes();
    for (const [name, list] of b) {
      const old = a.get(name);
      if (!old || old.length !== list.length || old.some((w, i) => w !== list[i])) changes.add(name, [...(old ?? []), ...list]);
    }
    for (const [name, old] of a) if (!b.has(name)) changes.add(name, old);
    return changes;
  }

  private add(name: string, definitions: readonly WrapperModel[]): void {
    this.names.add(name);
    const files = new Set(definitions.map((w) => w.file));
    if (files.size === 1) this.soleDefiner.set(name, [...files][0]!);
    else this.soleDefiner.delete(name);
  }

  /** A name that became a needle (a wrapper's name is already there, with the files that define it). */
  addNeedle(name: string): void {
    if (!this.names.has(name)) this.names.add(name);
  }

  /** The changes that can reach `file`: all but the names only it defines. */
  reaching(file: string): { has(name: string): boolean; readonly size: number; keys(): Iterable<string> } {
    const has = (name: string) => this.names.has(name) && this.soleDefiner.get(name) !== file;
    return { has, size: this.names.size, keys: () => [...this.names].filter(has) };
  }
}

/** Whether a file mentions one of `names` in its text, or in a macro it can expand. */
function mentionsAny(c: FixpointFile, analysis: FileAnalysis, names: NameTest): boolean {
  if (names.size === 0) return false;
  return textMentions(c.text, names) || macrosMention(analysis.pre.macros, names);
}

type NameTest = { has(name: string): boolean; readonly size: number; keys(): Iterable<string> };

/** As mentionsAnyWord: with many names the text's words are listed once, with few each is searched for. */
function textMentions(text: string, names: NameTest): boolean {
  if (names.size > MANY_NAMES) {
    for (const word of wordsIn(text)) if (names.has(word)) return true;
    return false;
  }
  for (const name of names.keys()) if (wordOccurrences(text, name).length > 0) return true;
  return false;
}

function macrosMention(macros: MacroTable, names: NameTest): boolean {
  let found = false;
  for (const name of macros.names()) if (names.has(name)) return true;
  macros.macrosMentioningAny((word) => (found ||= names.has(word)));
  // (the mention index was built for this question only: a run keeps every file's analysis)
  macros.releaseIndexes();
  return found;
}
