// The target model as an `#if` reads it, watched: a condition that reads something that differs by target (the
// width of a type: `sizeof`, a cast to `SIZE_T`, a `z` suffix) makes the header effects being recorded that
// target's own (header-effects.ts, HeaderRecord.target). Everything else a condition reads is a macro's state.

import type { TargetModel } from '../model/target.js';

/**
 * `model` with every read that can differ by target reported to `read` (the records' noteTarget), else the same.
 * Whether a name is a type (`has` on its tables of types) is the same on every target; what the type is is not.
 */
export function watchedModel(model: TargetModel, read: () => void): TargetModel {
  const tables = new Map<PropertyKey, unknown>();
  return new Proxy(model, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (!(value instanceof Map)) {
        read();
        return value;
      }
      let table = tables.get(property);
      if (!table) tables.set(property, (table = watchedTable(value, read)));
      return table;
    },
  });
}

/** A table of the model whose lookups other than `has` are reported to `read`. */
function watchedTable(table: Map<unknown, unknown>, read: () => void): Map<unknown, unknown> {
  return new Proxy(table, {
    get(target, property) {
      if (property !== 'has') read();
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
