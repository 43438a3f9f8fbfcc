// Type names inside expressions (casts, sizeof, functional casts): which words name a type, and the integer
// type or byte size a written type has on the target.

import { INT, type IntType } from '../model/target.js';
import type { Token } from '../text/tokens.js';
import type { CType } from '../types/ctype.js';
import type { EvalEnv } from './env.js';

const TYPE_WORDS = new Set([
  'unsigned',
  'signed',
  'int',
  'long',
  'short',
  'char',
  'const',
  'volatile',
  'void',
  'float',
  'double',
  'bool',
  '_Bool',
  '__int64',
  '__int32',
  '__int16',
  '__int8',
  'struct',
  'union',
  'enum',
  'class',
  'typename',
]);

/** A type read from the tokens: its integer type and byte size when known, as written, and where it ends. */
export interface TypeName {
  type?: IntType;
  size?: number;
  text: string;
  /** The type as data, for sizeof, alignof and offsetof: undefined when the words name no type known here. */
  ctype?: CType;
  /** The index of the closing token. */
  end: number;
}

/** Reads a type name from `index` up to the `close` token; returns undefined if it is not a type. */
export function readTypeName(tokens: readonly Token[], index: number, close: string, env: EvalEnv): TypeName | undefined {
  const words: string[] = [];
  let pointer = false;
  let pointers = 0;
  let i = index;
  let sawType = false;
  for (; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.text === close) break;
    if (t.text === '*' || t.text === '&' || t.text === '&&') {
      if (!sawType) return undefined;
      pointer = true;
      pointers++;
      continue;
    }
    if (t.text === '::') continue;
    if (t.kind !== 'ident') return undefined;
    if (t.text === 'const' || t.text === 'volatile' || t.text === 'typename') continue;
    if (t.text === 'std' && tokens[i + 1]?.text === '::') continue;
    // a record or its typedef (`sizeof(THUNK)`, `(struct s *)p`) is a type here, though no integer cast takes it
    if (TYPE_WORDS.has(t.text) || isTypeName(t.text, env) || env.typeNamed?.(t.text) !== undefined) {
      words.push(t.text);
      sawType = true;
      if (t.text === 'struct' || t.text === 'union' || t.text === 'enum' || t.text === 'class') {
        const tag = tokens[i + 1];
        if (tag?.kind === 'ident') {
          words.push(tag.text);
          i++;
        }
      }
      continue;
    }
    return undefined;
  }
  if (!sawType || tokens[i]?.text !== close) return undefined;
  let ctype = ctypeOfWords(words, env);
  for (let p = 0; p < pointers && ctype; p++) ctype = { kind: 'pointer', to: ctype };
  return { ...typeOfWords(words, pointer, env), ctype, text: words.join(' ') + (pointer ? ' *' : ''), end: i };
}

/** The type of a type written as words (no declarator), as data. */
function ctypeOfWords(words: string[], env: EvalEnv): CType | undefined {
  const text = words.join(' ');
  if (['struct', 'union', 'class', 'enum'].includes(words[0]!)) {
    // a tag the declarations in view do not have: unknown, and why (an environment without them knows nothing)
    const unknown: CType = { kind: 'unknown', name: text, reason: { kind: 'type-not-declared', type: text } };
    return env.typeNamed ? (env.typeNamed(text) ?? unknown) : undefined;
  }
  const model = env.model;
  const key = words.filter((w) => w !== 'signed' || words.length === 1).join(' ');
  const builtin = model.types.get(text) ?? model.types.get(key) ?? (words.length === 1 ? undefined : model.types.get(normaliseIntWords(words)));
  if (builtin) return builtin.name === 'pointer' ? { kind: 'pointer', to: { kind: 'void' } } : { kind: 'int', int: builtin };
  if (text === 'void') return { kind: 'void' };
  if (text === 'float' || text === 'FLOAT') return { kind: 'float', name: 'float' };
  if (text === 'double' || text === 'DOUBLE') return { kind: 'float', name: 'double' };
  if (text === 'long double') return { kind: 'float', name: 'long double' };
  return words.length === 1 ? env.typeNamed?.(text) : undefined;
}

/** The integer type and size of a type written as `words` (a pointer to it when `pointer`). */
function typeOfWords(words: string[], pointer: boolean, env: EvalEnv): { type?: IntType; size?: number } {
  const model = env.model;
  if (pointer) return { type: { bits: model.pointerBits, unsigned: true, rank: 5, name: 'pointer' }, size: model.pointerBits / 8 };
  if (words[0] === 'enum') return { type: INT, size: 4 };
  if (words[0] === 'struct' || words[0] === 'union' || words[0] === 'class') return {};
  const key = words.filter((w) => w !== 'signed' || words.length === 1).join(' ');
  const builtin = model.types.get(words.join(' ')) ?? model.types.get(key) ?? (words.length === 1 ? undefined : model.types.get(normaliseIntWords(words)));
  if (builtin) return { type: builtin, size: builtin.bits / 8 };
  const other = model.otherSizes.get(words.join(' '));
  if (other !== undefined) return { size: other };
  if (words.length === 1) {
    const td = env.typedef?.(words[0]!);
    if (td) return { type: td.type, size: td.size ?? (td.type ? td.type.bits / 8 : undefined) };
  }
  return {};
}

export function isTypeName(name: string, env: EvalEnv): boolean {
  const model = env.model;
  return model.types.has(name) || model.otherSizes.has(name) || env.typedef?.(name) !== undefined;
}

/** The integer type a single type name stands for (a functional cast `SIZE_T(4096)`). */
export function integerTypeNamed(name: string, env: EvalEnv): IntType | undefined {
  return env.model.types.get(name) ?? env.typedef?.(name)?.type;
}

/** The words an integer type is written with (any order, `long long int unsigned`). */
const INTEGER_WORDS = new Set(['signed', 'unsigned', 'short', 'long', 'int', 'char']);

/** `unsigned long int` as `unsigned long`; '' (no type) when a word is not an integer's (`long double`). */
function normaliseIntWords(words: string[]): string {
  if (!words.every((w) => INTEGER_WORDS.has(w))) return '';
  const unsigned = words.includes('unsigned');
  const longs = words.filter((w) => w === 'long').length;
  const base = words.includes('short') ? 'short' : words.includes('char') ? 'char' : longs === 2 ? 'long long' : longs === 1 ? 'long' : 'int';
  return (unsigned ? 'unsigned ' : '') + base;
}
