// The run's wrappers with one file's own over them: what a file's analysis sees while it finds the wrappers it
// defines itself.

import type { ProjectFacts, WrapperModel } from './facts.js';

export function withLocalWrappers(project: ProjectFacts, local: readonly WrapperModel[]): ProjectFacts {
  if (local.length === 0) return project;
  // layered over the run's facts, not copied: a run with thousands of wrappers copied them all once per file
  const own = new Map<string, WrapperModel>();
  const ownOverloads = new Map<string, readonly WrapperModel[]>();
  for (const w of local) {
    own.set(w.name, w);
    // this file's own definition replaces what an earlier round of the run found for it
    const others = (project.overloads?.get(w.name) ?? [project.wrappers.get(w.name)].filter((o): o is WrapperModel => !!o)).filter((o) => o.file !== w.file);
    ownOverloads.set(w.name, [w, ...others]);
  }
  const wrappers = new LayeredMap(own, project.wrappers);
  // every wrapper has an overload list: the run's, or the wrapper alone
  const overloads = new LayeredMap(
    ownOverloads,
    project.overloads ?? new Map<string, readonly WrapperModel[]>(),
    (name) => {
      const w = project.wrappers.get(name);
      return w && [w];
    },
    project.wrappers,
  );
  return { ...project, wrappers, overloads };
}

/**
 * A read-only map of `top` over `base`: `top` wins. `derive` gives values for the keys of `extra` that neither
 * has (the overload list of a wrapper found elsewhere is the wrapper alone).
 */
class LayeredMap<V> implements ReadonlyMap<string, V> {
  constructor(
    private readonly top: ReadonlyMap<string, V>,
    private readonly base: ReadonlyMap<string, V>,
    private readonly derive?: (key: string) => V | undefined,
    private readonly extra?: ReadonlyMap<string, unknown>,
  ) {}

  get(key: string): V | undefined {
    return this.top.get(key) ?? this.base.get(key) ?? (this.extra?.has(key) ? this.derive?.(key) : undefined);
  }

  has(key: string): boolean {
    return this.top.has(key) || this.base.has(key) || !!(this.derive && this.extra?.has(key));
  }

  *keys(): MapIterator<string> {
    for (const k of this.top.keys()) yield k;
    for (const k of this.base.keys()) if (!this.top.has(k)) yield k;
    if (this.derive && this.extra) for (const k of this.extra.keys()) if (!this.top.has(k) && !this.base.has(k)) yield k;
  }

  *entries(): MapIterator<[string, V]> {
    for (const k of this.keys()) yield [k, this.get(k)!];
  }

  *values(): MapIterator<V> {
    for (const k of this.keys()) yield this.get(k)!;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  get size(): number {
    let n = 0;
    for (const _ of this.keys()) n++;
    return n;
  }

  forEach(fn: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}
