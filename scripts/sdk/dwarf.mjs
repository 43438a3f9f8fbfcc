// Reads the debug information the compiler wrote for the Windows SDK headers (`objdump --dwarf=info`, and the
// line table's file names from `--dwarf=rawline`) into plain objects: every typedef, struct, union and enum the
// headers declare, the header that declares it, and the member offsets the compiler laid out. Nothing here
// computes a layout; it only reads what the compiler decided.

const DIE = /^\s*<(\d+)><([0-9a-f]+)>: Abbrev Number: (\d+)(?: \((DW_TAG_\w+)\))?/;
const ATTRIBUTE = /^\s*<[0-9a-f]+>\s+(DW_AT_\w+)\s*:\s*(.*)$/;

/** The DIEs of `objdump --dwarf=info` output: `{ offset, tag, attrs, children }`, keyed by offset. */
export function parseDwarf(text) {
  const dies = new Map();
  const stack = [];
  let current;
  for (const line of text.split('\n')) {
    const die = DIE.exec(line);
    if (die) {
      const depth = Number(die[1]);
      stack.length = depth;
      current = undefined;
      if (die[3] === '0') continue;
      current = { offset: parseInt(die[2], 16), tag: die[4], attrs: {}, children: [] };
      dies.set(current.offset, current);
      if (depth > 0) stack[depth - 1]?.children.push(current);
      stack[depth] = current;
      continue;
    }
    const attr = current && ATTRIBUTE.exec(line);
    if (attr) current.attrs[attr[1]] = attributeValue(attr[1], attr[2]);
  }
  return dies;
}

function attributeValue(name, raw) {
  if (name === 'DW_AT_name') return raw.replace(/^\(indirect (?:line )?string, offset: (?:0x)?[0-9a-f]+\):\s*/, '').trim();
  const ref = /^<0x([0-9a-f]+)>/.exec(raw);
  if (ref) return parseInt(ref[1], 16);
  const number = /^(-?\d+|0x[0-9a-f]+)\b/.exec(raw);
  if (number) return BigInt(number[1]);
  return raw.trim();
}

/** The line table's file names by index (`objdump --dwarf=rawline`), as DW_AT_decl_file numbers them. */
export function parseFileTable(text) {
  const files = new Map();
  let inTable = false;
  for (const line of text.split('\n')) {
    if (/The File Name Table/.test(line)) inTable = true;
    else if (inTable && line.trim() === '') break;
    const entry = inTable && /^\s+(\d+)\s+\d+\s+(?:\(indirect line string, offset: (?:0x)?[0-9a-f]+\):\s*)?(\S+)\s*$/.exec(line);
    if (entry) files.set(BigInt(entry[1]), entry[2].split('/').pop());
  }
  return files;
}

/** GCC's DWARF spelling of the base types → C's. */
const BASE_NAMES = new Map([
  ['short int', 'short'],
  ['short unsigned int', 'unsigned short'],
  ['long int', 'long'],
  ['long unsigned int', 'unsigned long'],
  ['long long int', 'long long'],
  ['long long unsigned int', 'unsigned long long'],
  ['__int128 unsigned', 'unsigned __int128'],
]);

const RECORD_TAGS = new Set(['DW_TAG_structure_type', 'DW_TAG_union_type']);
const keywordOf = (die) => (die.tag === 'DW_TAG_union_type' ? 'union' : 'struct');

/**
 * The typedefs, records and enumerators of the debug information. `typedefs`: name → `{ file, text, record }`
 * (text: the C spelling of what the name stands for, one typedef deep; record: the key of the record it names
 * directly, if any). `records`: key (`struct TAG`, `union TAG`, or for an anonymous record the typedef name
 * that names it) → `{ key, file, size, members: [{ name, offset }], longDouble }`, anonymous members'
 * members flattened into their parent and bitfields left out (offsetof cannot take them). `enumerators`:
 * name → file.
 */
export function describe(dies, files) {
  const fileOf = (die) => files.get(die.attrs.DW_AT_decl_file) ?? '';
  const namingTypedef = new Map();
  const typedefDies = [...dies.values()].filter((d) => d.tag === 'DW_TAG_typedef' && d.attrs.DW_AT_name);
  for (const t of typedefDies) {
    const target = dies.get(t.attrs.DW_AT_type);
    if (target && RECORD_TAGS.has(target.tag) && !target.attrs.DW_AT_name && !namingTypedef.has(target.offset))
      namingTypedef.set(target.offset, t.attrs.DW_AT_name);
  }
  const render = renderer(dies, namingTypedef);
  const records = new Map();
  for (const die of dies.values()) {
    if (!RECORD_TAGS.has(die.tag) || die.attrs.DW_AT_declaration !== undefined) continue;
    const key = die.attrs.DW_AT_name ? `${keywordOf(die)} ${die.attrs.DW_AT_name}` : namingTypedef.get(die.offset);
    if (!key || records.has(key)) continue;
    records.set(key, {
      key,
      file: fileOf(die),
      size: die.attrs.DW_AT_byte_size,
      members: flatMembers(die, dies, 0n),
      longDouble: hasLongDouble(die, dies, new Set()),
    });
  }
  const typedefs = new Map();
  for (const t of typedefDies) {
    const target = dies.get(t.attrs.DW_AT_type);
    const anonymous = target && RECORD_TAGS.has(target.tag) && !target.attrs.DW_AT_name && namingTypedef.get(target.offset) === t.attrs.DW_AT_name;
    const text = anonymous ? `${keywordOf(target)} {...}` : render(t.attrs.DW_AT_type, '');
    typedefs.set(t.attrs.DW_AT_name, { file: fileOf(t), text, longDouble: hasLongDouble(t, dies, new Set()) });
  }
  const enumerators = new Map();
  for (const die of dies.values()) {
    if (die.tag !== 'DW_TAG_enumeration_type') continue;
    for (const e of die.children) if (e.tag === 'DW_TAG_enumerator') enumerators.set(e.attrs.DW_AT_name, fileOf(die));
  }
  return { typedefs, records, enumerators };
}

/** The named members with their byte offsets, anonymous struct and union members' own members included. */
function flatMembers(record, dies, base) {
  const out = [];
  for (const m of record.children) {
    if (m.tag !== 'DW_TAG_member' || m.attrs.DW_AT_bit_size !== undefined) continue;
    const offset = base + (m.attrs.DW_AT_data_member_location ?? 0n);
    if (m.attrs.DW_AT_name) out.push({ name: m.attrs.DW_AT_name, offset });
    else {
      const type = dies.get(m.attrs.DW_AT_type);
      if (type && RECORD_TAGS.has(type.tag)) out.push(...flatMembers(type, dies, offset));
    }
  }
  return out;
}

/** Does the type contain a long double, through typedefs, qualifiers, arrays and members (not pointers)? */
function hasLongDouble(die, dies, seen) {
  if (!die || seen.has(die.offset)) return false;
  seen.add(die.offset);
  if (die.tag === 'DW_TAG_base_type') return die.attrs.DW_AT_name === 'long double';
  if (die.tag === 'DW_TAG_pointer_type' || die.tag === 'DW_TAG_subroutine_type') return false;
  if (RECORD_TAGS.has(die.tag)) return die.children.some((m) => m.tag === 'DW_TAG_member' && hasLongDouble(dies.get(m.attrs.DW_AT_type), dies, seen));
  return hasLongDouble(dies.get(die.attrs.DW_AT_type), dies, seen);
}

/**
 * `render(typeOffset, inner)`: the C spelling of a type around a declarator (`inner`, '' for an abstract one):
 * `unsigned long`, `void *`, `DWORD (*)(LPVOID)`, `WCHAR [260]`. Typedef names stay names; an anonymous record
 * is spelled by the typedef that names it.
 */
function renderer(dies, namingTypedef) {
  const join = (head, inner) => (inner ? `${head} ${inner}` : head);
  function render(offset, inner) {
    const die = offset === undefined ? undefined : dies.get(offset);
    if (!die) return join('void', inner);
    const a = die.attrs;
    switch (die.tag) {
      case 'DW_TAG_base_type':
        return join(BASE_NAMES.get(a.DW_AT_name) ?? a.DW_AT_name, inner);
      case 'DW_TAG_typedef':
        return join(a.DW_AT_name, inner);
      case 'DW_TAG_structure_type':
      case 'DW_TAG_union_type':
        return join(a.DW_AT_name ? `${keywordOf(die)} ${a.DW_AT_name}` : (namingTypedef.get(die.offset) ?? `${keywordOf(die)} {...}`), inner);
      case 'DW_TAG_enumeration_type':
        return join(a.DW_AT_name ? `enum ${a.DW_AT_name}` : 'enum {...}', inner);
      case 'DW_TAG_const_type':
      case 'DW_TAG_volatile_type': {
        const word = die.tag === 'DW_TAG_const_type' ? 'const' : 'volatile';
        const target = dies.get(a.DW_AT_type);
        return target?.tag === 'DW_TAG_pointer_type' ? render(a.DW_AT_type, join(word, inner)) : `${word} ${render(a.DW_AT_type, inner)}`;
      }
      case 'DW_TAG_restrict_type':
      case 'DW_TAG_atomic_type':
        return render(a.DW_AT_type, inner);
      case 'DW_TAG_pointer_type': {
        const target = dies.get(a.DW_AT_type);
        const wrap = target && (target.tag === 'DW_TAG_array_type' || target.tag === 'DW_TAG_subroutine_type');
        return render(a.DW_AT_type, wrap ? `(*${inner})` : `*${inner}`);
      }
      case 'DW_TAG_array_type': {
        const dims = die.children.filter((c) => c.tag === 'DW_TAG_subrange_type').map((s) => `[${countOf(s.attrs) ?? ''}]`);
        return render(a.DW_AT_type, `${inner}${dims.join('')}`);
      }
      case 'DW_TAG_subroutine_type': {
        const params = die.children.filter((c) => c.tag === 'DW_TAG_formal_parameter').map((p) => render(p.attrs.DW_AT_type, ''));
        if (die.children.some((c) => c.tag === 'DW_TAG_unspecified_parameters')) params.push('...');
        const list = params.length ? params.join(', ') : a.DW_AT_prototyped !== undefined ? 'void' : '';
        return render(a.DW_AT_type, `${inner}(${list})`);
      }
      default:
        return join('?', inner);
    }
  }
  return render;
}

function countOf(attrs) {
  if (attrs.DW_AT_count !== undefined) return attrs.DW_AT_count;
  if (attrs.DW_AT_upper_bound === undefined) return undefined;
  const upper = attrs.DW_AT_upper_bound;
  // an unsigned -1 (GCC writes it for a zero-length array): no elements
  return upper >= 0xffffffffn ? 0n : upper + 1n;
}
