// A header's macro events as one layer of a macro table (MacroTable.addLayer), and the undecided conditions
// events carry, joined only when a reason is worded.

import type { MacroDef } from './definition.js';

/**
 * The undecided conditions an event depends on, worded for the reason of an ambiguous lookup: a string, or an
 * includer's conditions and a header's own, joined with `&&` when first read.
 */
export type Condition = string | JoinedCondition;

/**
 * Two conditions, joined into text only when a lookup is ambiguous and says why. A header's definitions under its
 * own include guard, replayed where its includer's #include is undecided too, each have both: joined at once, they
 * made a new string per definition and per includer, for text that is almost never read. Made through
 * ConditionJoins, which gives the same pair the same object.
 */
export class JoinedCondition {
  private text: string | undefined;

  constructor(
    readonly outer: Condition,
    readonly inner: Condition,
  ) {}

  toString(): string {
    return (this.text ??= `${String(this.outer)} && ${String(this.inner)}`);
  }
}

/** Joins conditions, one object per pair (kept as long as the translation unit's preprocessing). */
export class ConditionJoins {
  private readonly joins = new Map<Condition, Map<Condition, JoinedCondition>>();

  /** The conditions of an #include that entered a file, and a condition within it. */
  join(outer: Condition | undefined, inner: Condition | undefined): Condition | undefined {
    if (outer === undefined) return inner;
    if (inner === undefined) return outer;
    let withOuter = this.joins.get(outer);
    if (!withOuter) this.joins.set(outer, (withOuter = new Map<Condition, JoinedCondition>()));
    let joined = withOuter.get(inner);
    if (!joined) withOuter.set(inner, (joined = new JoinedCondition(outer, inner)));
    return joined;
  }
}

/** One #define or #undef of a layer: `at` is its place among the layer's events. */
export interface LayerEvent {
  readonly name: string;
  readonly def?: MacroDef;
  readonly certain: boolean;
  readonly condition?: Condition;
  readonly at: number;
}

/**
 * The #define and #undef events of a header's kept effect, in order, made once and shared by every table that
 * replays it (every includer, every target whose record it is). A table adds a layer as one step
 * (MacroTable.addLayer) and turns a name's events into its own only when the name is asked about: on wine a file
 * replays thousands of definitions through <windows.h> and asks about a few hundred names, and the events pushed
 * one by one were most of what preprocessing allocated.
 */
export class MacroLayer {
  private names: Map<string, LayerEvent[]> | undefined;
  /** For each identifier in a definition's body, the names of the definitions that mention it; made when first asked. */
  private mentions: Map<string, string[]> | undefined;
  private readonly mentionsOf = new WeakMap<(word: string) => unknown, string[]>();

  /** `events`: in order, each `at` its index. */
  constructor(readonly events: readonly LayerEvent[]) {}

  get size(): number {
    return this.events.length;
  }

  /** Each name's events, in order; the map's order is that of the names' first events. Made when first asked. */
  get byName(): ReadonlyMap<string, readonly LayerEvent[]> {
    if (!this.names) {
      this.names = new Map();
      for (const e of this.events) {
        const list = this.names.get(e.name);
        if (list) list.push(e);
        else this.names.set(e.name, [e]);
      }
    }
    return this.names;
  }

  mentionIndex(): Map<string, string[]> {
    if (!this.mentions) {
      this.mentions = new Map();
      for (const [name, events] of this.byName) addMentions(this.mentions, name, events);
    }
    return this.mentions;
  }

  /** The names whose definitions mention a word passing `test` (kept per test while the test lives). */
  mentioningAny(test: (word: string) => unknown): readonly string[] {
    let found = this.mentionsOf.get(test);
    if (!found) this.mentionsOf.set(test, (found = namesMentioning(this.mentionIndex(), test)));
    return found;
  }
}

/** Adds to a mention index the words of a name's definitions (those a layer's own index has left out). */
export function addMentions(index: Map<string, string[]>, name: string, events: readonly { def?: MacroDef; layered?: true }[]): void {
  for (const e of events) {
    if (!e.def || e.layered) continue;
    for (const t of e.def.body) {
      if (t.kind !== 'ident') continue;
      const list = index.get(t.text);
      if (!list) index.set(t.text, [name]);
      else if (list[list.length - 1] !== name) list.push(name);
    }
  }
}

/** The names a mention index lists under the words passing `test`, each once. */
export function namesMentioning(index: Map<string, string[]>, test: (word: string) => unknown): string[] {
  const set = new Set<string>();
  for (const [word, macros] of index) if (test(word)) for (const m of macros) set.add(m);
  return [...set];
}
