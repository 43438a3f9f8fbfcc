// MSBuild's `$(Property)`, `%(Metadata)` and `@(Item)` references. A value that granule cannot know (an
// environment variable, a property function, an item list) is kept in the text as a marker carrying the
// reason, so that one unknown entry of a `;`-separated list costs that entry only; conditions and paths that
// contain a marker are unknown.

/** Marks an unknown part of an expanded value (XML cannot carry U+0001, so no project text contains it). */
const MARK = '\u0001';

/** Why part of a value is unknown: a property granule has no value for, or an expression it does not evaluate. */
export type UnknownPart = { kind: 'property'; name: string } | { kind: 'expression'; text: string };

/** Property names are case-insensitive in MSBuild; the table keeps each name's first spelling for messages. */
export class PropertyTable {
  private readonly values = new Map<string, string>();

  constructor(initial: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(initial)) this.set(k, v);
  }

  get(name: string): string | undefined {
    return this.values.get(name.toLowerCase());
  }

  set(name: string, value: string): void {
    this.values.set(name.toLowerCase(), value);
  }

  has(name: string): boolean {
    return this.values.has(name.toLowerCase());
  }
}

export interface ExpandContext {
  properties: PropertyTable;
  /** Item metadata for `%(Name)` (an item definition's or an item's value so far); absent: `%(...)` stays as written. */
  metadata?: (name: string) => string | undefined;
}

const REFERENCE = /([$%@])\(/g;

/** Expands the references of `text`; unknown parts become markers (see unknownParts). */
export function expand(text: string, context: ExpandContext): string {
  let out = '';
  let at = 0;
  REFERENCE.lastIndex = 0;
  for (let m = REFERENCE.exec(text); m; m = REFERENCE.exec(text)) {
    const end = closingParen(text, m.index + 2);
    if (end < 0) break;
    out += text.slice(at, m.index);
    const inner = text.slice(m.index + 2, end);
    out += reference(m[1]!, inner, text.slice(m.index, end + 1), context);
    at = end + 1;
    REFERENCE.lastIndex = at;
  }
  // (escapes such as %3B stay until the value is split: splitList undoes them)
  return out + text.slice(at);
}

function reference(sigil: string, inner: string, whole: string, context: ExpandContext): string {
  const name = inner.trim();
  const simple = /^[A-Za-z_][\w.-]*$/.test(name) && !name.includes('.');
  if (sigil === '$') {
    if (!simple) return marker({ kind: 'expression', text: whole });
    const value = context.properties.get(name);
    return value ?? marker({ kind: 'property', name });
  }
  if (sigil === '%') {
    if (!context.metadata || !simple) return whole;
    return context.metadata(name) ?? '';
  }
  return marker({ kind: 'expression', text: whole });
}

/** The index of the `)` closing a reference whose text starts at `from`, counting nested parentheses. */
function closingParen(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

function marker(part: UnknownPart): string {
  return `${MARK}${part.kind === 'property' ? `$${part.name}` : `=${part.text.replace(/\u0001/g, '')}`}${MARK}`;
}

/** The unknown parts a value expanded by `expand` contains (none: the value is known). */
export function unknownParts(value: string): UnknownPart[] {
  const parts: UnknownPart[] = [];
  const re = /\u0001([$=])([^\u0001]*)\u0001/g;
  for (let m = re.exec(value); m; m = re.exec(value)) parts.push(m[1] === '$' ? { kind: 'property', name: m[2]! } : { kind: 'expression', text: m[2]! });
  return parts;
}

export function isKnown(value: string): boolean {
  return !value.includes(MARK);
}

/** A `;`-separated list, split and unescaped as MSBuild does (empty entries dropped, each trimmed; `%3B` is a `;` inside an entry). */
export function splitList(value: string): string[] {
  return value
    .split(';')
    .map((s) => s.trim().replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))))
    .filter((s) => s !== '');
}
