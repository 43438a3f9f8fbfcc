// The Windows SDK's typedefs, record layouts and integer constants per target, built in because users' code
// rarely ships windows.h: `sizeof(SYSTEM_INFO)`, `MAX_PATH` or `sizeof(SIZE_T)` are known without the headers.
// The values are data/windows-sdk.json, generated from the mingw-w64 headers by the real cross compilers
// (scripts/generate-sdk.mjs says how and which headers are kept); this module only reads it. A header the user
// gives wins over this table: callers ask here only for a name their own sources and headers do not define.

import { readFileSync } from 'node:fs';
import { packagePath } from '../model/package-files.js';
import type { Target } from '../model/types.js';
import { ownCopy } from '../text/own-copy.js';

/** A typedef: what it stands for (`ULONG_PTR`, `void *`, `DWORD (*)(LPVOID)`, `struct _SYSTEM_INFO`), measured. */
export interface SdkTypedef {
  size: bigint;
  align: bigint;
  /** The C spelling of the typedef's definition, one name deep: typedef names in it are SDK typedefs too. */
  text: string;
}

/** A struct or union: its size, alignment and the byte offset of each named member. */
export interface SdkRecord {
  size: bigint;
  align: bigint;
  /** Members of anonymous struct and union members are the record's own; bitfields have none (offsetof refuses them). */
  offsets: ReadonlyMap<string, bigint>;
}

/**
 * A value the same on every target; or one per target in `targets` order (x86, x64, arm64), the last left out when
 * arm64 has x64's value (both are LLP64: the common case). null: the target lacks the name.
 */
type PerTarget = string | (string | null)[];

interface SdkFile {
  targets: Target[];
  typedefs: Record<string, PerTarget>;
  records: Record<string, PerTarget>;
  constants: Record<string, PerTarget>;
}

/** Entries of one target decoded on first use of each name (undefined: asked for and absent). */
interface Decoded {
  typedefs: Map<string, SdkTypedef | undefined>;
  records: Map<string, SdkRecord | undefined>;
}

/**
 * The table, read on first use (a run that never asks pays nothing) and kept with the entries decoded so far per
 * target: a cache of a shipped file that cannot change while the process runs.
 */
// eslint-disable-next-line no-restricted-syntax -- a cache: the shipped SDK table, read once; it cannot change while the process runs
let table: { file: SdkFile; decoded: Map<Target, Decoded> } | undefined;

function loaded(): { file: SdkFile; decoded: Map<Target, Decoded> } {
  table ??= { file: JSON.parse(readFileSync(packagePath('data', 'windows-sdk.json'), 'utf8')) as SdkFile, decoded: new Map() };
  return table;
}

function sdkFile(): SdkFile {
  return loaded().file;
}

function decodedFor(target: Target): Decoded {
  const { decoded } = loaded();
  let entry = decoded.get(target);
  if (!entry) {
    entry = { typedefs: new Map(), records: new Map() };
    decoded.set(target, entry);
  }
  return entry;
}

function raw(entries: Record<string, PerTarget>, name: string, target: Target): string | undefined {
  if (!Object.hasOwn(entries, name)) return undefined;
  const value = entries[name]!;
  if (typeof value === 'string') return value;
  // a two-value array stands for [x86, x64, x64]: the last value is arm64's too
  return value[Math.min(sdkFile().targets.indexOf(target), value.length - 1)] ?? undefined;
}

/** The value of an SDK integer constant (`MAX_PATH`, `MEM_RESERVE`, `PAGE_READWRITE`, an enumerator). */
export function sdkConstant(name: string, target: Target): bigint | undefined {
  const text = sdkConstantText(name, target);
  if (text === undefined) return undefined;
  // BigInt() takes a sign only on a decimal literal: `-0x3ffffffbl` is negated after
  const magnitude = BigInt(text.replace(/^-/, '').replace(/[ul]+$/, ''));
  return text.startsWith('-') ? -magnitude : magnitude;
}

/**
 * The constant as a C literal whose suffix gives its type as the compiler typed it (`0x80000000ul`, `260`, `-1`):
 * what arithmetic on it needs (`~MEM_COMMIT` is unsigned long).
 */
export function sdkConstantText(name: string, target: Target): string | undefined {
  return raw(sdkFile().constants, name, target);
}

/** An SDK typedef (`DWORD`, `SIZE_T`, `HANDLE`, `LPTHREAD_START_ROUTINE`, `SYSTEM_INFO`) on the target. */
export function sdkTypedef(name: string, target: Target): SdkTypedef | undefined {
  const cache = decodedFor(target).typedefs;
  if (cache.has(name)) return cache.get(name);
  const entry = raw(sdkFile().typedefs, name, target);
  let typedef: SdkTypedef | undefined;
  if (entry !== undefined) {
    const [text, size, align] = splitLast(entry, 2);
    typedef = { text, size: BigInt(size), align: BigInt(align) };
  }
  // (the table lives as long as the process: its keys must not keep the text a name was read from, see ownCopy)
  cache.set(ownCopy(name), typedef);
  return typedef;
}

/**
 * An SDK struct or union on the target: `struct TAG` / `union TAG` by its tag, or a typedef name that stands for
 * one (`SYSTEM_INFO`, `MEMORY_BASIC_INFORMATION`, through typedef chains such as `CONTEXT`). A bare name that is
 * not a typedef is tried as a tag.
 */
export function sdkRecord(name: string, target: Target): SdkRecord | undefined {
  const key = recordKey(name, target);
  if (key === undefined) return undefined;
  const cache = decodedFor(target).records;
  if (cache.has(key)) return cache.get(key);
  const entry = raw(sdkFile().records, key, target);
  let record: SdkRecord | undefined;
  if (entry !== undefined) {
    const [size, align, members] = entry.split('|') as [string, string, string];
    const offsets = new Map<string, bigint>();
    for (const member of members ? members.split(',') : []) {
      const at = member.indexOf('@');
      offsets.set(member.slice(0, at), BigInt(member.slice(at + 1)));
    }
    record = { size: BigInt(size), align: BigInt(align), offsets };
  }
  cache.set(ownCopy(key), record);
  return record;
}

/** The records table's key for a name: the tag written, or what a typedef chain ends at. */
function recordKey(name: string, target: Target): string | undefined {
  if (/^(?:struct|union) /.test(name)) return name;
  // bounded: each step follows one typedef, and a chain is at most as long as the table
  for (let current = name, steps = 0; steps < 64; steps++) {
    const typedef = sdkTypedef(current, target);
    if (!typedef) return current === name ? bareTag(name, target) : undefined;
    if (/^(?:struct|union) \{\.\.\.\}$/.test(typedef.text)) return current;
    if (/^(?:struct|union) \w+$/.test(typedef.text)) return typedef.text;
    if (!/^\w+$/.test(typedef.text)) return undefined;
    current = typedef.text;
  }
  return undefined;
}

function bareTag(name: string, target: Target): string | undefined {
  return ['struct', 'union'].map((keyword) => `${keyword} ${name}`).find((key) => raw(sdkFile().records, key, target) !== undefined);
}

/** `text|a|b` split at its last `count` bars (the text may hold none, but never trust it not to). */
function splitLast(entry: string, count: number): string[] {
  const parts = entry.split('|');
  return [parts.slice(0, parts.length - count).join('|'), ...parts.slice(parts.length - count)];
}
