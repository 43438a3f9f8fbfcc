// What entering a header does to a translation unit, kept once per run and configuration (the targets share it, see
// HeaderRecord.target) and replayed by every includer whose state agrees on what the header reads. Running a header's directives again for each file that
// includes it (every wine candidate finds <windows.h>, and winnt.h's 240 KB behind it) was a third of a scan.
//
// A header's effect is everything running its directives changes: the macro events in order (with whether each
// is certain and under which undecided condition), the names it defines only in inactive branches, its `#pragma
// once`, its `#pragma pack` steps, the include edges and missed paths it records, and the headers it enters (each
// an effect of its own, kept and replayed alike). What decides that effect, besides the header's text and the
// configuration, is what the directives read of the state they start in:
// - each name an `#if` expands or asks `defined` about: its state as MacroTable.stateKey writes it, and whether
//   the sources defined it only in inactive branches so far (record absence too: the key of a name never
//   defined is empty, and an includer that defined it does not agree);
// - for each header it would include, whether a `#pragma once` already closed it, and whether it is already
//   being read further out (an include cycle);
// - how deep it is entered, when its includes reach the depth limit.
// Not where it is entered: its events are kept as if all around the #include were active, and the activity and
// undecided conditions of the #include (which the events carry: an event under an undecided #include is not
// certain) are added where the effect is applied. The directives run the same either way: an inactive #include
// enters nothing, and an undecided one makes no condition in the header undecided.
// An includer that agrees on all of these gets exactly the effect running the directives would give: a record is
// made only by running them, and nothing else it does depends on the state. So results never depend on which
// file entered a header first.

import { ConditionJoins, MacroLayer, type Condition, type LayerEvent } from '../macros/layer.js';
import type { MacroDef } from '../macros/definition.js';
import type { IncludeEdge } from './include-edge.js';

export type HeaderEffect =
  | { kind: 'define'; def: MacroDef; certain: boolean; condition: string | undefined }
  | { kind: 'undefine'; name: string; certain: boolean; condition: string | undefined }
  /** `#define` in a branch known inactive (Preprocessor.definedOnlyWhenInactive). */
  | { kind: 'inactive-define'; name: string }
  | { kind: 'pragma-once'; file: string }
  /** The header is read: counted among the file's dependencies, and its packing starts (PackTimeline.enter). */
  | { kind: 'enter'; file: string }
  /** `#pragma pack(...)` at `offset` of the header `file`. */
  | { kind: 'pragma-pack'; rest: string; file: string; offset: number }
  /** `#include` of `spec` at `offset` of `file`, which PackTimeline.header reads for pshpackN.h and poppack.h. */
  | { kind: 'include-pack'; spec: string; file: string; offset: number }
  | { kind: 'edge'; edge: IncludeEdge }
  | { kind: 'missing'; path: string }
  /** A header this one includes, entered; `activity` and `condition`: the #include's, within this header. */
  | { kind: 'header'; record: HeaderRecord; activity: 'yes' | 'maybe'; condition: string | undefined };

/** A header's effect, and what it read of the state it started in. Never changed once kept. */
export interface HeaderRecord {
  readonly file: string;
  readonly effects: readonly HeaderEffect[];
  /** Each name its conditions read, with its state when the header was entered (Preprocessor's nameState). */
  readonly names: ReadonlyMap<string, string>;
  /** Each header it would have included: whether a `#pragma once` had closed it when this one was entered. */
  readonly closed: ReadonlyMap<string, boolean>;
  /** Each header it would have included: whether it was on the includer's stack (being read further out). */
  readonly onStack: ReadonlyMap<string, boolean>;
  /** The depth it was entered at, and the deepest include it tried, relative to that (-1: none). */
  readonly depth: number;
  readonly reach: number;
  /** An include was refused for depth: the record holds at this depth only. */
  readonly depthLimited: boolean;
  /** Headers its includes entered, all levels (MAX_HEADER_ENTRIES counts them). */
  readonly entries: number;
  /**
   * The target whose model a condition of it (or of a header it entered) read: it holds for that target only.
   * Undefined: its conditions read macros alone, and it holds for every target whose macros agree.
   */
  readonly target?: string;
  /** What keeping its own effects costs (effectWeight; a nested header's record weighs on its own). */
  readonly weight: number;
}

/**
 * The record being made while a header's directives run. `start*`: the sizes of the translation unit's
 * append-only histories when the header was entered, from which the state it started in is read back.
 */
export class HeaderRecording {
  readonly effects: HeaderEffect[] = [];
  readonly names = new Map<string, string>();
  readonly closed = new Map<string, boolean>();
  readonly onStack = new Map<string, boolean>();
  reach = -1;
  depthLimited = false;
  entries = 0;
  /** The weight of the effects pushed so far (see HeaderRecord.weight). */
  weight = 0;
  /** See HeaderRecord.target. */
  target: string | undefined;

  constructor(
    readonly file: string,
    readonly depth: number,
    /** The stack of the file that includes it (the header itself not on it). */
    readonly includerStack: readonly string[],
    readonly startMoment: number,
    readonly startInactive: number,
    readonly startClosed: number,
  ) {}

  /** An include tried at `depth`, refused or not. */
  tried(depth: number, refused: boolean): void {
    this.reach = Math.max(this.reach, depth - this.depth);
    if (refused) this.depthLimited = true;
  }

  /** An effect of the header itself (not of one it enters). */
  push(effect: Exclude<HeaderEffect, { kind: 'header' }>): void {
    this.effects.push(effect);
    this.weight += effectWeight(effect);
  }

  /** A header entered inside this one at `depth`, made or replayed: its effect is part of this one's. */
  entered(record: HeaderRecord, depth: number, include: { activity: string; condition: string | undefined }): void {
    this.effects.push({ kind: 'header', record, activity: include.activity === 'yes' ? 'yes' : 'maybe', condition: include.condition });
    this.weight += 1;
    this.entries += 1 + record.entries;
    if (record.reach >= 0) this.reach = Math.max(this.reach, depth - this.depth + record.reach);
    if (record.depthLimited) this.depthLimited = true;
    if (record.target !== undefined) this.target = record.target;
  }

  done(): HeaderRecord {
    return {
      file: this.file,
      effects: this.effects,
      names: this.names,
      closed: this.closed,
      onStack: this.onStack,
      depth: this.depth,
      reach: this.reach,
      depthLimited: this.depthLimited,
      entries: this.entries,
      weight: this.weight,
      ...(this.target !== undefined ? { target: this.target } : {}),
    };
  }
}

/**
 * The weight of an effect: one, and for a definition one more for each token of its body. Definitions are most of
 * what records hold (on wine, 78 % of the effects and, with their tokens, most of the memory), and their size
 * follows their tokens.
 */
export function effectWeight(effect: Exclude<HeaderEffect, { kind: 'header' }>): number {
  return effect.kind === 'define' ? 1 + effect.def.body.length : 1;
}

/**
 * How many records one header keeps per configuration: headers whose conditions read something every includer
 * sets differently would otherwise keep one per includer. Past it the header's directives are run (the result is
 * the same; only the saving is lost).
 */
const MAX_VARIANTS = 16;

/**
 * The weight a HeaderEffects holds at most (HeaderRecord.weight), unless given another: room for the records that
 * wine's includers replay, below which nothing is saved. What each budget costs in memory and saves in time is
 * measured in bench/notes.md.
 */
export const DEFAULT_EFFECTS_BUDGET = 400_000;

/**
 * The cache of header effects for one run (or one thread of it, or one editor session): per configuration key
 * (the preprocessor's settings, see Preprocessor), per header, the records made so far. Owned by a HeaderCache,
 * whose header texts never change while it lives; it forgets everything when a header changes or the scanned tree
 * does. Safe to share between files because a record is replayed only where its state agrees (see above).
 *
 * Its memory is bounded: the records it holds weigh at most `budget` together, and past it the least recently
 * used are dropped. A record holds the records of the headers nested in it (it replays them), so what is held is
 * every kept record and every record nested in one, each counted once however many hold it. Dropping a record only
 * makes the next includer run the header's directives, which give the same effect: the budget never changes a
 * result, only how much is saved.
 */
export class HeaderEffects {
  private readonly byConfiguration = new Map<string, ConfigurationEffects>();
  /** Every record kept, least recently used first, with the variants of its header it is kept among. */
  private readonly recency = new Map<HeaderRecord, HeaderRecord[]>();
  /** Every record held: kept, or nested in one held; with how many hold it (its place in `recency` is one). */
  private readonly holders = new Map<HeaderRecord, number>();
  private heldWeight = 0;
  /** Each replayed record's macro events as one layer (MacroTable.addLayer), made at its first replay; dropped with it. */
  private readonly layers = new WeakMap<HeaderRecord, MacroLayer>();

  constructor(readonly budget = DEFAULT_EFFECTS_BUDGET) {}

  /** A record's #define and #undef events, its nested headers' included, as one layer of a macro table. */
  layerOf(record: HeaderRecord): MacroLayer {
    let layer = this.layers.get(record);
    if (!layer) {
      const events: LayerEvent[] = [];
      macroEvents(record, events, new ConditionJoins(), true, undefined);
      this.layers.set(record, (layer = new MacroLayer(events)));
    }
    return layer;
  }

  /** The records of one configuration. */
  of(configuration: string): ConfigurationEffects {
    let records = this.byConfiguration.get(configuration);
    if (!records) this.byConfiguration.set(configuration, (records = new ConfigurationEffects(this)));
    return records;
  }

  /** The weight of the records held now, and how many are kept where an includer finds them (for tests). */
  get kept(): { weight: number; records: number } {
    return { weight: this.heldWeight, records: this.recency.size };
  }

  forget(): void {
    this.byConfiguration.clear();
    this.recency.clear();
    this.holders.clear();
    this.heldWeight = 0;
  }

  /** A record replayed: now the most recently used. */
  used(record: HeaderRecord): void {
    const variants = this.recency.get(record);
    if (!variants) return;
    this.recency.delete(record);
    this.recency.set(record, variants);
  }

  /**
   * Keeps a record among its header's variants, dropping the least recently used records to make room; not kept
   * when it is full of variants, or when the record and those nested in it weigh more than the whole budget.
   */
  keep(record: HeaderRecord, variants: HeaderRecord[]): void {
    if (variants.length >= MAX_VARIANTS) return;
    const own = new Set<HeaderRecord>();
    if (subtreeWeight(record, own) > this.budget) return;
    this.hold(record);
    for (const [old, list] of this.recency) {
      if (this.heldWeight <= this.budget) break;
      // (the records nested in the new one stay held by it: dropping them frees nothing)
      if (!own.has(old)) this.drop(old, list);
    }
    variants.push(record);
    this.recency.set(record, variants);
  }

  private drop(record: HeaderRecord, variants: HeaderRecord[]): void {
    variants.splice(variants.indexOf(record), 1);
    this.recency.delete(record);
    this.release(record);
  }

  private hold(record: HeaderRecord): void {
    const count = this.holders.get(record) ?? 0;
    this.holders.set(record, count + 1);
    if (count > 0) return;
    this.heldWeight += record.weight;
    for (const e of record.effects) if (e.kind === 'header') this.hold(e.record);
  }

  private release(record: HeaderRecord): void {
    const count = this.holders.get(record)! - 1;
    if (count > 0) {
      this.holders.set(record, count);
      return;
    }
    this.holders.delete(record);
    this.heldWeight -= record.weight;
    for (const e of record.effects) if (e.kind === 'header') this.release(e.record);
  }
}

/**
 * A record's macro events in order, as replaying it would make them: a nested header's under its #include's
 * activity (certain only where every #include around is) and undecided conditions (joined outermost first).
 */
function macroEvents(record: HeaderRecord, out: LayerEvent[], joins: ConditionJoins, certain: boolean, condition: Condition | undefined): void {
  for (const e of record.effects) {
    const at = out.length;
    if (e.kind === 'define') out.push({ name: e.def.name, def: e.def, certain: certain && e.certain, condition: joins.join(condition, e.condition), at });
    else if (e.kind === 'undefine') out.push({ name: e.name, certain: certain && e.certain, condition: joins.join(condition, e.condition), at });
    else if (e.kind === 'header') macroEvents(e.record, out, joins, certain && e.activity === 'yes', joins.join(condition, e.condition));
  }
}

/** The weight of a record and of the records nested in it, each once; `seen` gets them all. */
function subtreeWeight(record: HeaderRecord, seen: Set<HeaderRecord>): number {
  if (seen.has(record)) return 0;
  seen.add(record);
  let weight = record.weight;
  for (const e of record.effects) if (e.kind === 'header') weight += subtreeWeight(e.record, seen);
  return weight;
}

/** The records of one configuration: per header, its variants, each kept for a state it was made in. */
export class ConfigurationEffects {
  private readonly byHeader = new Map<string, HeaderRecord[]>();

  constructor(private readonly owner: HeaderEffects) {}

  /** A kept record of `file` that `agrees` accepts (any: those that agree give the same effect), or undefined. */
  find(file: string, agrees: (record: HeaderRecord) => boolean): HeaderRecord | undefined {
    const found = this.byHeader.get(file)?.find(agrees);
    if (found) this.owner.used(found);
    return found;
  }

  /** See HeaderEffects.layerOf. */
  layerOf(record: HeaderRecord): MacroLayer {
    return this.owner.layerOf(record);
  }

  /** Keeps a new record among its header's variants, while there is room (HeaderEffects.keep). */
  keep(record: HeaderRecord): void {
    let variants = this.byHeader.get(record.file);
    if (!variants) this.byHeader.set(record.file, (variants = []));
    this.owner.keep(record, variants);
  }
}
