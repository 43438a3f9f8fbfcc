// Macro definitions over time, and macro expansion (object-like, function-like, `#`, `##`, __VA_ARGS__).

import { checkTimeLimit } from '../model/limits.js';
import { splitArguments, tokenize, type Token } from '../text/tokens.js';
import type { MacroDef } from './definition.js';
import { addMentions, ConditionJoins, namesMentioning, type Condition, type MacroLayer } from './layer.js';

export type { MacroDef } from './definition.js';
export { ConditionJoins, JoinedCondition, MacroLayer, type Condition, type LayerEvent } from './layer.js';

interface MacroEvent {
  def?: MacroDef; // undefined for #undef
  /** Line of the main file from which the event is in force (the #define line, or the #include line for a header). */
  atLine: number;
  /** False when the directive sits in a branch whose condition could not be decided. */
  certain: boolean;
  condition?: Condition;
  /** How many events the table held before this one: the moment of its history it was made at. */
  moment: number;
  /** Taken from a layer (MacroTable.addLayer), whose own mention index has it. */
  layered?: true;
}

/** A name's events in a table, and how many of the table's layers they have taken in. */
interface NameEvents {
  readonly list: MacroEvent[];
  synced: number;
}

/**
 * A layer entered at a line of the main file, as its events read there: certain only if the #include entering it
 * was, and under that #include's undecided conditions too.
 */
interface PlacedLayer {
  readonly layer: MacroLayer;
  readonly atLine: number;
  readonly certain: boolean;
  readonly condition: Condition | undefined;
  /** The table's moment when it was added: its events' moments follow on from it. */
  readonly start: number;
}

/**
 * Below this many events a layer's are taken in one by one: each layer added is looked through by every name asked
 * about after it, and the headers replayed most (pshpackN.h, poppack.h, small headers of a few definitions) are
 * cheaper to copy than to keep apart.
 */
const LAYER_MIN_EVENTS = 64;

export type MacroLookup = { kind: 'defined'; def: MacroDef } | { kind: 'undefined' } | { kind: 'ambiguous'; reason: string };

/**
 * All #define / #undef events of one translation unit, looked up at a line of the main file. Events come one by one
 * (define, undefine) or a header's at once (addLayer); a name's events are kept in order either way, and what the
 * table answers does not depend on which way they came.
 */
export class MacroTable {
  /** Each name with events so far: its own, and those of the layers its list has taken in. */
  private readonly events = new Map<string, NameEvents>();
  private readonly layers: PlacedLayer[] = [];
  private readonly joins = new ConditionJoins();
  /** Events made so far, of every name: the table only grows, so this count names a moment of its history. */
  private count = 0;
  /** Definitions a standard header would make (SIZE_MAX, ...), for names the sources never #define or #undef. */
  private fallbacks: ReadonlyMap<string, MacroDef> = new Map();

  setFallbacks(defs: ReadonlyMap<string, MacroDef>): void {
    this.fallbacks = defs;
  }

  define(def: MacroDef, atLine: number, certain: boolean, condition?: Condition): void {
    this.push(def.name, { def, atLine, certain, condition, moment: this.count });
  }

  undefine(name: string, atLine: number, certain: boolean, condition?: Condition): void {
    this.push(name, { atLine, certain, condition, moment: this.count });
  }

  /**
   * A header's events at once, in force from `atLine`: each as define or undefine would have made it, with the
   * #include's certainty and conditions added (`certain`: the #include is certainly active).
   */
  addLayer(layer: MacroLayer, atLine: number, certain: boolean, condition: Condition | undefined): void {
    if (layer.size < LAYER_MIN_EVENTS) {
      for (const e of layer.events)
        this.push(e.name, { def: e.def, atLine, certain: certain && e.certain, condition: this.joins.join(condition, e.condition), moment: this.count });
      return;
    }
    this.releaseIndexes();
    this.layers.push({ layer, atLine, certain, condition, start: this.count });
    this.count += layer.size;
  }

  private push(name: string, event: MacroEvent): void {
    this.releaseIndexes();
    // (the layers before it come first)
    this.listOf(name);
    let entry = this.events.get(name);
    if (!entry) this.events.set(name, (entry = { list: [], synced: this.layers.length }));
    entry.list.push(event);
    this.count++;
  }

  /**
   * A name's events, every layer added so far taken in; undefined when it has none. (A name without events looks
   * through the layers each time it is asked about: a table has few layers, and most names asked about have none.)
   */
  private listOf(name: string): MacroEvent[] | undefined {
    let entry = this.events.get(name);
    const to = this.layers.length;
    for (let k = entry?.synced ?? 0; k < to; k++) {
      const placed = this.layers[k]!;
      const events = placed.layer.byName.get(name);
      if (!events) continue;
      if (!entry) this.events.set(name, (entry = { list: [], synced: to }));
      for (const e of events) {
        entry.list.push({
          def: e.def,
          atLine: placed.atLine,
          certain: placed.certain && e.certain,
          condition: this.joins.join(placed.condition, e.condition),
          moment: placed.start + e.at,
          layered: true,
        });
      }
    }
    if (entry) entry.synced = to;
    return entry?.list;
  }

  /** The moment the table is at now: events made later have this moment or a later one. */
  get moment(): number {
    return this.count;
  }

  /**
   * What the directives can learn of `name` from the table as it stood at `moment`, written as a string: equal
   * strings mean equal answers from a lookup at the end of the table, `certainlyUndefined` and `hasEvents`, also
   * after the same events are added to both tables. The empty string when the name had no event and the target
   * gives it no fallback; `fallback …` when a lookup would find the fallback (they differ by target). (Events added
   * later either end the lookup at a certain one or join the candidates, which then agree or not as the earlier
   * ones did; `certainlyUndefined` reads the last event only. A condition's text only words an ambiguity's
   * reason, which an `#if` does not read.)
   */
  stateKey(name: string, moment = Infinity): string {
    const list = this.listOf(name);
    let end = list?.length ?? 0;
    while (end > 0 && list![end - 1]!.moment >= moment) end--;
    if (!list || end === 0) {
      // (a name without events looks up its fallback, which differs by target: SIZE_MAX)
      const fallback = this.fallbacks.get(name);
      return fallback ? `fallback ${definitionKey(fallback)}` : '';
    }
    const last = list[end - 1]!;
    let first: MacroDef | undefined;
    for (let i = end - 1; i >= 0; i--) {
      const e = list[i]!;
      if (e.def) {
        if (!first) first = e.def;
        else if (!sameDefinition(e.def, first)) return 'ambiguous';
      }
      if (e.certain) break;
    }
    if (first) return `defined ${definitionKey(first)}`;
    return last.certain ? 'undefined' : 'undefined unless';
  }

  /** Whether the name was ever #defined or #undef'd (the built-ins included). */
  hasEvents(name: string): boolean {
    return this.listOf(name) !== undefined;
  }

  /** Every name with events, each once (in no particular order: `inOrder` gives the table's). */
  *names(): IterableIterator<string> {
    yield* this.events.keys();
    const seen = new Set<string>();
    for (const { layer } of this.layers) {
      for (const name of layer.byName.keys()) {
        if (this.events.has(name) || seen.has(name)) continue;
        seen.add(name);
        yield name;
      }
    }
  }

  /** The names given, in the order of their first events (the table's order); those without events left out. */
  inOrder(names: Iterable<string>): string[] {
    const first = new Map<string, number>();
    for (const name of names) {
      const list = this.listOf(name);
      if (list && !first.has(name)) first.set(name, list[0]!.moment);
    }
    return [...first.keys()].sort((a, b) => first.get(a)! - first.get(b)!);
  }

  /** For each identifier in the bodies of the events made one by one, the macros that mention it; built when first asked. */
  private mentions: Map<string, string[]> | undefined;
  /** The macros that mention a word passing a test, per test. */
  private readonly mentionsOf = new Map<(word: string) => unknown, string[]>();

  /**
   * The macros with a definition whose body mentions `word`. With thousands of macros from the Windows headers,
   * finding the few that lead to an API backwards from the API's name beats asking every macro.
   */
  macrosMentioning(word: string): readonly string[] {
    const own = this.ownMentionIndex().get(word) ?? [];
    if (this.layers.length === 0) return own;
    const found = new Set(own);
    for (const { layer } of this.layers) for (const name of layer.mentionIndex().get(word) ?? []) found.add(name);
    return [...found];
  }

  /** Every identifier the bodies of the table's definitions mention (the words of the mention index). */
  bodyWords(): string[] {
    const words = new Set(this.ownMentionIndex().keys());
    for (const { layer } of this.layers) for (const word of layer.mentionIndex().keys()) words.add(word);
    return [...words];
  }

  /** Drops the mention index (it is built again when next asked): it costs memory a long run should not keep. */
  releaseIndexes(): void {
    this.mentions = undefined;
    if (this.mentionsOf.size) this.mentionsOf.clear();
  }

  /** The macros with a definition whose body mentions a word that passes `test` (remembered per test). */
  macrosMentioningAny(test: (word: string) => unknown): readonly string[] {
    let found = this.mentionsOf.get(test);
    if (!found) {
      const set = new Set(namesMentioning(this.ownMentionIndex(), test));
      for (const { layer } of this.layers) for (const name of layer.mentioningAny(test)) set.add(name);
      this.mentionsOf.set(test, (found = [...set]));
    }
    return found;
  }

  private ownMentionIndex(): Map<string, string[]> {
    if (this.mentions) return this.mentions;
    const index = new Map<string, string[]>();
    for (const [name, { list }] of this.events) addMentions(index, name, list);
    return (this.mentions = index);
  }

  /** Every definition the name ever had (for finding macros that lead to an API). */
  definitions(name: string): MacroDef[] {
    return (this.listOf(name) ?? []).flatMap((e) => (e.def ? [e.def] : []));
  }

  /**
   * The definition in force at `line` (Infinity: the end of the file). Definitions made under undecidable
   * conditions count when they all agree; when they disagree the macro is ambiguous.
   */
  lookup(name: string, line = Infinity): MacroLookup {
    const list = this.listOf(name);
    if (!list) {
      const fallback = this.fallbacks.get(name);
      return fallback ? { kind: 'defined', def: fallback } : { kind: 'undefined' };
    }
    const candidates: MacroEvent[] = [];
    for (let i = list.length - 1; i >= 0; i--) {
      const e = list[i]!;
      if (e.atLine > line) continue;
      candidates.push(e);
      if (e.certain) break;
    }
    const defs = candidates.filter((e) => e.def);
    if (defs.length === 0) return { kind: 'undefined' };
    const first = defs[0]!.def!;
    const agree = defs.every((e) => sameDefinition(e.def!, first));
    if (agree) return { kind: 'defined', def: first };
    const conditions = [...new Set(defs.flatMap((e) => (e.condition === undefined ? [] : [String(e.condition)])).filter(Boolean))];
    return {
      kind: 'ambiguous',
      reason: `${name} is defined differently depending on ${conditions.length ? conditions.join(', ') : 'a preprocessor condition'}`,
    };
  }

  /** True when the name is certainly undefined at the line (an #undef or no definition at all in a decided branch). */
  certainlyUndefined(name: string, line = Infinity): boolean {
    const list = this.listOf(name);
    if (!list) return false;
    for (let i = list.length - 1; i >= 0; i--) {
      const e = list[i]!;
      if (e.atLine > line) continue;
      if (e.certain) return !e.def;
      return false;
    }
    return false;
  }
}

/** A definition's parameters and tokens (with the spacing before each), without ambiguity: each text is counted. */
function definitionKey(def: MacroDef): string {
  let key = def.params ? `(${def.params.map((p) => `${p.length}:${p}`).join('')}${def.variadic ? '...' : ''})` : '=';
  for (const t of def.body) key += `${t.spaceBefore ? ' ' : ''}${t.kind}${t.text.length}:${t.text}`;
  return key;
}

function sameDefinition(a: MacroDef, b: MacroDef): boolean {
  return a.bodyText === b.bodyText && (a.params ?? []).join(',') === (b.params ?? []).join(',') && !!a.params === !!b.params;
}

/** Parses the text after `#define`. Returns undefined for a malformed definition. */
export function parseDefine(text: string, file: string, line: number): MacroDef | undefined {
  const m = /^\s*([A-Za-z_$][\w$]*)/.exec(text);
  if (!m) return undefined;
  const name = m[1]!;
  let rest = text.slice(m[0].length);
  let params: string[] | undefined;
  let variadic = false;
  if (rest.startsWith('(')) {
    const close = rest.indexOf(')');
    if (close < 0) return undefined;
    params = rest
      .slice(1, close)
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p.length > 0);
    const last = params[params.length - 1];
    if (last?.endsWith('...')) {
      variadic = true;
      const named = last.slice(0, -3).trim();
      params[params.length - 1] = named || '__VA_ARGS__';
    }
    rest = rest.slice(close + 1);
  }
  const body = tokenize(rest);
  if (body[0]) body[0] = { ...body[0], spaceBefore: false };
  return { name, params, variadic, body, bodyText: body.map((t) => t.text).join(' '), file, line };
}

export interface ExpansionContext {
  lookup(name: string): MacroLookup;
  /** In #if expressions `defined X` must not be expanded. */
  inDirective?: boolean;
  /** Expansions made, outermost first, for evidence. */
  expansions: { name: string; def: MacroDef }[];
  /** Set when a macro could not be expanded faithfully. */
  problem?: string;
  /**
   * Tokens all the expansions of one file may still produce (see FILE_EXPANSION_BUDGET): shared by its
   * expansions, so that a few dozen uses of a macro that grows exponentially cannot cost the file its
   * time limit, and with it every finding.
   */
  fileBudget?: { left: number };
}

/** Tokens the expansions of one file may produce in all; past it, an expansion is a problem, not a value. */
export const FILE_EXPANSION_BUDGET = 500_000;

// (real macro expansions, windows.h's and Boost.Preprocessor's included, stay far below these)
const MAX_EXPANDED_TOKENS = 50_000;

// An expansion can reach MAX_EXPANDED_TOKENS tokens: spreading that many into push() or splice() as arguments
// overflows the stack ("Maximum call stack size exceeded" cost a 3.5 KB file all its findings), so they are
// copied in a loop.
function pushAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

function spliceTokens<T>(target: T[], start: number, deleteCount: number, items: readonly T[]): void {
  if (items.length <= 1024) {
    target.splice(start, deleteCount, ...items);
    return;
  }
  const tail = target.splice(start + deleteCount);
  target.length = start;
  pushAll(target, items);
  pushAll(target, tail);
}

/** Fully macro-expands a token list. Never throws; problems are recorded in `ctx.problem`. */
export function expand(tokens: readonly Token[], ctx: ExpansionContext): Token[] {
  const file = ctx.fileBudget;
  if (file && file.left <= 0) {
    ctx.problem ??= 'macro expansion is too large (the file has expanded too much already)';
    return tokens.slice();
  }
  const budget = { left: file ? Math.min(MAX_EXPANDED_TOKENS, file.left) : MAX_EXPANDED_TOKENS };
  const start = budget.left;
  const out = expandWithBudget(tokens, ctx, budget, 0);
  if (file) file.left -= start - Math.max(budget.left, 0);
  return out;
}

function expandWithBudget(tokens: readonly Token[], ctx: ExpansionContext, budget: { left: number }, depth: number): Token[] {
  const input = tokens.slice();
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const t = input[i]!;
    checkTimeLimit();
    if (--budget.left < 0 || depth > 200) {
      ctx.problem ??= 'macro expansion is too large';
      return out.concat(input.slice(i));
    }
    if (t.kind !== 'ident' || t.hide?.has(t.text)) {
      out.push(t);
      i++;
      continue;
    }
    if (ctx.inDirective && t.text === 'defined') {
      // copy `defined X` or `defined ( X )` untouched
      out.push(t);
      i++;
      const count = input[i]?.text === '(' ? 3 : 1;
      for (let k = 0; k < count && i < input.length; k++) out.push(input[i++]!);
      continue;
    }
    const found = ctx.lookup(t.text);
    if (found.kind === 'ambiguous') {
      ctx.problem ??= found.reason;
      out.push(t);
      i++;
      continue;
    }
    if (found.kind === 'undefined') {
      out.push(t);
      i++;
      continue;
    }
    const def = found.def;
    const hide = new Set(t.hide ?? []);
    hide.add(def.name);
    if (!def.params) {
      ctx.expansions.push({ name: def.name, def });
      const body = def.body.map((b, k) => ({ ...b, offset: t.offset, spaceBefore: k === 0 ? t.spaceBefore : b.spaceBefore, hide }));
      spliceTokens(input, i, 1, paste(body, ctx));
      continue;
    }
    // function-like: needs an argument list
    if (input[i + 1]?.text !== '(') {
      out.push(t);
      i++;
      continue;
    }
    const split = splitArguments(input, i + 1);
    if (!split) {
      ctx.problem ??= `unterminated arguments of macro ${def.name}`;
      out.push(t);
      i++;
      continue;
    }
    let args = split.args;
    if (args.length === 0 && def.params.length === 1) args = [[]];
    if (def.variadic && args.length > def.params.length) {
      const fixed = args.slice(0, def.params.length - 1);
      const rest = args.slice(def.params.length - 1);
      const joined: Token[] = [];
      rest.forEach((a, k) => {
        if (k > 0) joined.push({ kind: 'punct', text: ',', offset: t.offset, spaceBefore: false });
        pushAll(joined, a);
      });
      args = [...fixed, joined];
    }
    if (def.variadic && args.length === def.params.length - 1) args = [...args, []];
    if (args.length !== def.params.length) {
      ctx.problem ??= `macro ${def.name} expects ${def.params.length} argument${def.params.length === 1 ? '' : 's'}, got ${args.length}`;
      out.push(t);
      i++;
      continue;
    }
    ctx.expansions.push({ name: def.name, def });
    // (tokens of one expansion share a few hide sets: each union is made once, not once per token, which
    // on a 200,000-token expansion was most of the time and memory)
    const unions = new Map<ReadonlySet<string> | undefined, Set<string>>();
    const unionWith = (h: ReadonlySet<string> | undefined) => {
      let u = unions.get(h);
      if (!u) unions.set(h, (u = h ? new Set([...h, ...hide]) : hide));
      return u;
    };
    const body = substitute(def, args, ctx, budget, depth).map((b, k) => ({
      ...b,
      offset: t.offset,
      spaceBefore: k === 0 ? t.spaceBefore : b.spaceBefore,
      hide: unionWith(b.hide),
    }));
    spliceTokens(input, i, split.close - i + 1, body);
  }
  return out;
}

function substitute(def: MacroDef, args: Token[][], ctx: ExpansionContext, budget: { left: number }, depth: number): Token[] {
  const params = def.params ?? [];
  const index = (name: string) => params.indexOf(name);
  const expandedArgs = new Map<number, Token[]>();
  const result: Token[] = [];
  const body = def.body;
  for (let k = 0; k < body.length; k++) {
    const b = body[k]!;
    // #param: stringise
    if ((b.text === '#' || b.text === '%:') && body[k + 1] && index(body[k + 1]!.text) >= 0) {
      const arg = args[index(body[k + 1]!.text)]!;
      const text = arg.map((a, n) => (n > 0 && a.spaceBefore ? ' ' : '') + a.text).join('');
      result.push({ kind: 'string', text: JSON.stringify(text), offset: b.offset, spaceBefore: b.spaceBefore });
      k++;
      continue;
    }
    const p = b.kind === 'ident' ? index(b.text) : -1;
    if (p < 0) {
      result.push(b);
      continue;
    }
    const nextIsPaste = body[k + 1]?.text === '##';
    const prevIsPaste = body[k - 1]?.text === '##';
    if (nextIsPaste || prevIsPaste) {
      const raw = args[p]!.map((a, n) => (n === 0 ? { ...a, spaceBefore: b.spaceBefore } : a));
      // an empty argument next to ## becomes a placemarker
      pushAll(result, raw.length ? raw : [{ kind: 'punct' as const, text: '', offset: b.offset, spaceBefore: false }]);
      continue;
    }
    let expanded = expandedArgs.get(p);
    if (!expanded) {
      expanded = expandWithBudget(args[p]!, ctx, budget, depth + 1);
      expandedArgs.set(p, expanded);
    }
    pushAll(
      result,
      expanded.map((a, n) => (n === 0 ? { ...a, spaceBefore: b.spaceBefore } : a)),
    );
  }
  return paste(result, ctx);
}

/** Applies `##` token pasting. */
function paste(tokens: Token[], ctx: ExpansionContext): Token[] {
  if (!tokens.some((t) => t.text === '##' || t.text === '%:%:')) return tokens.filter((t) => t.text !== '' || t.kind !== 'punct');
  const out: Token[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if ((t.text === '##' || t.text === '%:%:') && out.length > 0 && k + 1 < tokens.length) {
      const left = out.pop()!;
      const right = tokens[++k]!;
      const joined = tokenize(left.text + right.text);
      if (joined.length > 1) ctx.problem ??= `pasting "${left.text}" and "${right.text}" does not give a valid token`;
      pushAll(
        out,
        joined.map((j, n) => ({ ...j, offset: left.offset, spaceBefore: n === 0 ? left.spaceBefore : false, hide: left.hide })),
      );
      continue;
    }
    out.push(t);
  }
  return out.filter((t) => t.text !== '' || t.kind !== 'punct');
}
