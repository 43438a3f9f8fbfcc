// typescript-eslint's `RuleCreator` (@typescript-eslint/utils/eslint-utils), as it behaves at run time: the docs
// URL from the rule's name, and `create(context, optionsWithDefault)` with the default options merged into
// `context.options` (objects deeply, anything else replaced). test/eslint/rule-creator.test.ts holds it to the
// package's own behaviour.

type AnyRecord = Record<string, unknown>;

interface Spec {
  name: string;
  meta: { docs?: AnyRecord; defaultOptions?: unknown[] } & AnyRecord;
  /** (a function, not a method: it is taken off the spec and called on its own, as typescript-eslint's RuleCreator does) */
  create: (context: { options?: unknown[] }, options: unknown[]) => unknown;
  defaultOptions?: unknown[];
}

export function isObjectNotArray(value: unknown): value is AnyRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `second` over `first`, merging the objects both have under a key. */
export function deepMerge(first: AnyRecord = {}, second: AnyRecord = {}): AnyRecord {
  const keys = new Set([...Object.keys(first), ...Object.keys(second)]);
  return Object.fromEntries(
    [...keys].map((key) => {
      const a = first[key];
      const b = second[key];
      if (key in first && key in second) return [key, isObjectNotArray(a) && isObjectNotArray(b) ? deepMerge(a, b) : b];
      return [key, key in first ? a : b];
    }),
  );
}

/** The default options with the user's: only positions the defaults have; a copy, never the defaults themselves. */
export function applyDefault<O extends unknown[]>(defaults: O, user: readonly unknown[] | null | undefined): O {
  const options = structuredClone(defaults);
  if (user == null) return options;
  options.forEach((option, i) => {
    const given = user[i];
    if (given === undefined) return;
    options[i] = isObjectNotArray(given) && isObjectNotArray(option) ? deepMerge(option, given) : given;
  });
  return options;
}

export function RuleCreator(urlCreator: (name: string) => string) {
  return function createNamedRule({ meta, name, create, defaultOptions }: Spec) {
    const resolvedDefaults = meta.defaultOptions ?? defaultOptions ?? [];
    return {
      create(context: { options?: unknown[] }) {
        return create(context, applyDefault(resolvedDefaults, context.options));
      },
      defaultOptions,
      meta: { ...meta, docs: { ...meta.docs, url: urlCreator(name) } },
      name,
    };
  };
}
