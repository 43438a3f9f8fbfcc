// Taking calls over from the analysis of the previous version of a buffer (language server). After a keystroke
// most calls of a long file are where they were and mean what they meant; finding and evaluating each again
// costs most of a re-analysis. A call is taken over when nothing it read can have changed: its own top-level
// item, the items holding the declarations its names resolved to, and the occurrences of those names all lie
// outside the edited line and outside every range whose syntax tree-sitter reports changed. What a call read is
// not tracked while it is analysed: it is the provenance the call keeps (FoundCall.resolvedFrom), flattened here.

import type { FoundCall, PreviousCalls, ProjectFacts, Provenance, TopLevelItem } from './facts.js';
import { wordOccurrences, type TextEdit } from '../text/occurrences.js';
import type { SyntaxNode, Tree } from '../parse/parse.js';
import type { EvidenceStep, Position, Range } from '../model/types.js';
import type { PathValue } from './path-values.js';

/** What the analysis of one call site read besides its own text: its provenance, flattened. */
interface CallReads {
  /** Names whose occurrences anywhere count: the callee, class names, typedefs. */
  names: Set<string>;
  /**
   * Names resolved as identifiers: of their occurrences inside a function body only those in the call's own
   * function count (and enumerators, which a function with `enum` in it rules out; see confinedItem).
   */
  scoped: Set<string>;
  /** Offsets of the occurrences that decided a value (declarations, writes, enumerators, typedefs). */
  spots: number[];
}

/** Everything a provenance was resolved from, however deep (a loop: an enum's chain can be thousands long). */
export function readsOf(from: Provenance): CallReads {
  const reads: CallReads = { names: new Set(), scoped: new Set(), spots: [] };
  const seen = new Set<Provenance>();
  const stack = [from];
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    for (const name of p.names) reads.names.add(name);
    for (const name of p.scoped) reads.scoped.add(name);
    for (const spot of p.spots) reads.spots.push(spot);
    for (const inner of p.via) stack.push(inner);
  }
  return reads;
}

/** Items whose bodies hold the items that matter: a namespace or `extern "C" { ... }` is looked into. */
const CONTAINERS = new Set(['namespace_definition', 'linkage_specification']);

/**
 * The previous calls still valid in the new tree, by the offset of their callee in the new text; undefined when
 * none can be taken over (the project's wrappers or the names that lead to calls differ).
 */
export function reusableCalls(
  previous: PreviousCalls,
  tree: Tree,
  text: string,
  file: string,
  project: ProjectFacts,
  callees: readonly string[],
): Map<number, { start: number; calls: FoundCall[] }> | undefined {
  const { state, edit, dirty } = previous;
  if (!state.reusable || !sameProject(state.project, project) || state.callees.join('\0') !== callees.join('\0')) return undefined;
  const move = mover(edit);
  const isDirty = (start: number, end: number) => dirty.some(([a, b]) => start <= b && a <= end);
  const items = previous.items ?? new Map<number, TopLevelItem>();
  const itemAt = (offset: number): TopLevelItem => {
    let item = items.get(offset);
    if (!item) items.set(offset, (item = topLevelItem(tree, offset)));
    return item;
  };
  const itemDirty = (offset: number): boolean => {
    const { start, end } = itemAt(offset);
    return isDirty(start, end);
  };
  const confinedTo = confinedItem(previous, text, itemAt);
  const names = new Map<string, boolean>();
  const nameTouched = (name: string): boolean => {
    let touched = names.get(name);
    if (touched === undefined) {
      touched =
        wordOccurrences(previous.lineBefore, name).length > 0 ||
        wordOccurrences(previous.lineAfter, name).length > 0 ||
        (state.occurrences.get(name) ?? []).some((at) => {
          const moved = move(at);
          return moved === undefined || isDirty(moved, moved + name.length);
        });
      names.set(name, touched);
    }
    return touched;
  };
  const bySite = new Map<number, FoundCall[]>();
  for (const call of state.calls) {
    const at = call.recipe.site.calleeStart;
    const list = bySite.get(at);
    if (list) list.push(call);
    else bySite.set(at, [call]);
  }
  const out = new Map<number, { start: number; calls: FoundCall[] }>();
  for (const [calleeStart, calls] of bySite) {
    const { site } = calls[0]!.recipe;
    const reads = readsOf(calls[0]!.resolvedFrom);
    const start = move(site.start);
    const end = move(site.end);
    const callee = move(calleeStart);
    if (start === undefined || end === undefined || callee === undefined) continue;
    if (isDirty(start, end) || itemDirty(start)) continue;
    if (reads.spots.some((spot) => move(spot) === undefined || itemDirty(move(spot)!))) continue;
    // names written inside another function's body decide nothing for this call (see confinedItem)
    const elsewhere = confinedTo !== undefined && itemAt(start).start !== confinedTo;
    if ([...reads.names].some(nameTouched) || (!elsewhere && [...reads.scoped].some(nameTouched))) continue;
    const moved = calls.map((c) => unmoved(c, edit) ?? moveCall(c, reads, file, move));
    if (moved.some((c) => c === undefined)) continue;
    out.set(callee, { start, calls: moved as FoundCall[] });
  }
  return out;
}

/**
 * The start of the function definition that holds the edited line and every range whose syntax changed, when
 * neither its text nor the line before the edit says `enum` or `typedef`. A name's occurrences inside another
 * function's body can then give it no value a call outside that function sees: locals, parameters and writes
 * count only within their own function, and only enumerators and typedefs are read from anywhere. (Names whose
 * every occurrence counts, such as a callee that the edit might make a function defined here, are still checked.)
 */
function confinedItem(previous: PreviousCalls, text: string, itemAt: (offset: number) => TopLevelItem): number | undefined {
  const [line] = previous.dirty;
  if (!line) return undefined;
  const item = itemAt(line[0]);
  if (item.type !== 'function_definition' || !previous.dirty.every(([a, b]) => item.start <= a && b <= item.end)) return undefined;
  const scoped = /\b(?:enum|typedef)\b/;
  if (scoped.test(text.slice(item.start, item.end)) || scoped.test(previous.lineBefore)) return undefined;
  return item.start;
}

/** Maps an offset of the old text to the new one; undefined inside the replaced span. */
function mover(edit: TextEdit): (offset: number) => number | undefined {
  const delta = edit.newEndIndex - edit.oldEndIndex;
  return (offset) => (offset < edit.startIndex ? offset : offset >= edit.oldEndIndex ? offset + delta : undefined);
}

/** The top-level item (function, declaration, ...) around `offset`, looking into namespaces. */
function topLevelItem(tree: Tree, offset: number): TopLevelItem {
  let node: SyntaxNode = tree.rootNode;
  for (;;) {
    const child = node.firstChildForIndex(offset);
    if (!child || child.startIndex > offset)
      return node === tree.rootNode ? { start: offset, end: offset, type: '' } : { start: node.startIndex, end: node.endIndex, type: node.type };
    const item = { start: child.startIndex, end: child.endIndex, type: child.type };
    if (!CONTAINERS.has(item.type)) return item;
    const body = child.childForFieldName('body');
    if (!body || body.startIndex > offset || body.endIndex < offset) return item;
    node = body;
  }
}

/** Whether two analyses see the same wrappers from elsewhere (the same objects, so the same instantiations). */
function sameProject(a: ProjectFacts, b: ProjectFacts): boolean {
  const sameMap = <V>(x: ReadonlyMap<string, V> | undefined, y: ReadonlyMap<string, V> | undefined) =>
    (x?.size ?? 0) === (y?.size ?? 0) && [...(x ?? [])].every(([k, v]) => y?.get(k) === v);
  return sameMap(a.wrappers, b.wrappers) && sameMap(a.overloads, b.overloads) && JSON.stringify(a.declared ?? []) === JSON.stringify(b.declared ?? []);
}

/**
 * The call with its offsets in this file moved to the new text. Lines and columns stay: the edit is within one
 * line, and no call taken over is on it. The syntax node of the old tree is dropped.
 */
function moveCall(call: FoundCall, reads: CallReads, file: string, move: (offset: number) => number | undefined): FoundCall | undefined {
  let lost = false;
  let extent = -1;
  const offset = (at: number): number => {
    const moved = move(at);
    if (moved === undefined) lost = true;
    extent = Math.max(extent, moved ?? at);
    return moved ?? at;
  };
  const position = (p: Position): Position => ({ ...p, offset: offset(p.offset) });
  const range = (r: Range): Range => ({ start: position(r.start), end: position(r.end) });
  const span = (s: [number, number] | undefined): [number, number] | undefined => (s ? [offset(s[0]), offset(s[1])] : undefined);
  const steps = (list: EvidenceStep[]) => list.map((step) => (step.file === file ? { ...step, range: range(step.range) } : step));
  const argValue = <T extends { sourceRange?: [number, number]; paths?: PathValue[] } | undefined>(v: T): T => {
    if (!v) return v;
    const out = { ...v };
    if (v.sourceRange) out.sourceRange = span(v.sourceRange);
    // (each path's condition is written in this file)
    if (v.paths) out.paths = v.paths.map((p) => (p.at ? { ...p, at: span(p.at)! } : p));
    return out;
  };
  const { recipe } = call;
  const site = {
    ...recipe.site,
    start: offset(recipe.site.start),
    end: offset(recipe.site.end),
    calleeStart: offset(recipe.site.calleeStart),
    node: undefined,
  };
  site.args = recipe.site.args.map((a) => ({ ...a, range: span(a.range)! }));
  if (recipe.site.templateArgs) site.templateArgs = recipe.site.templateArgs.map((a) => ({ ...a, range: span(a.range)! }));
  if (recipe.site.classTemplate)
    site.classTemplate = { ...recipe.site.classTemplate, args: recipe.site.classTemplate.args.map((a) => ({ ...a, range: span(a.range)! })) };
  const moved: FoundCall = {
    ...call,
    range: range(call.range),
    size: argValue(call.size),
    flags: argValue(call.flags),
    address: argValue(call.address),
    offset: argValue(call.offset),
    evidence: steps(call.evidence),
    // (where a path loses the address is in the call's own function)
    ...(call.lifetime?.lost ? { lifetime: { ...call.lifetime, lost: { ...call.lifetime.lost, range: range(call.lifetime.lost.range) } } } : {}),
    recipe: {
      ...recipe,
      site,
      args: recipe.args.map((a) => (a.range ? { ...a, range: span(a.range) } : a)),
      ...(recipe.templateArgs ? { templateArgs: recipe.templateArgs.map((a) => (a.range ? { ...a, range: span(a.range) } : a)) } : {}),
      ...(recipe.classArgs ? { classArgs: recipe.classArgs.map((a) => (a.range ? { ...a, range: span(a.range) } : a)) } : {}),
      base: { ...recipe.base, range: range(recipe.base.range) },
      evidence: steps(recipe.evidence),
    },
    // what the site read, flattened: the records it was resolved from held offsets of the old text
    resolvedFrom: { names: [...reads.names], scoped: [...reads.scoped], spots: reads.spots.map(offset), via: [] },
  };
  if (lost) return undefined;
  extents.set(moved, extent);
  return moved;
}

/** The largest offset in this file that a call moveCall made holds. */
// eslint-disable-next-line no-restricted-syntax -- a cache: keyed by the call (immutable, so its extent never changes), weakly, so it goes with the call
const extents = new WeakMap<FoundCall, number>();

/**
 * The call itself when moving it over the edit would give the same call: moveCall made it (its syntax node is
 * dropped, its provenance flattened), and every offset it holds lies before the edit, where nothing moves. Most
 * calls of a long file are before a keystroke or after it; those before need no copy.
 */
function unmoved(call: FoundCall, edit: TextEdit): FoundCall | undefined {
  const extent = extents.get(call);
  return extent !== undefined && extent < edit.startIndex && call.recipe.site.node === undefined ? call : undefined;
}
