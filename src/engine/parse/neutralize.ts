// Windows headers define calling conventions, `__declspec`, DECLSPEC_* and SAL annotations as macros.
// Without the headers, tree-sitter sees unknown words in declarations and builds ERROR nodes.
// We blank the known ones with spaces of the same length, so every position stays exact.

import { blankRanges, fillSpans, isWide } from '../text/blanking.js';

const WORDS = [
  'WINAPI',
  'WINAPIV',
  'APIENTRY',
  'CALLBACK',
  'NTAPI',
  'NTSYSAPI',
  'NTSYSCALLAPI',
  'WINBASEAPI',
  'WINUSERAPI',
  'WINADVAPI',
  'WINGDIAPI',
  'WINOLEAPI',
  'STDAPI_',
  'STDMETHODCALLTYPE',
  'STDAPICALLTYPE',
  'STDAPIVCALLTYPE',
  'PASCAL',
  'FAR',
  'NEAR',
  'CDECL',
  'IN',
  'OUT',
  'OPTIONAL',
  'CONST',
  '__stdcall',
  '_stdcall',
  '__cdecl',
  '_cdecl',
  '__fastcall',
  '_fastcall',
  '__vectorcall',
  '__thiscall',
  '__clrcall',
  '__ptr32',
  '__ptr64',
  '__unaligned',
  '__restrict',
  '__w64',
  'UNALIGNED',
  'RESTRICTED_POINTER',
  'DECLSPEC_HOTPATCH',
  'DECLSPEC_NORETURN',
  'DECLSPEC_IMPORT',
  'DECLSPEC_EXPORT',
  'DECLSPEC_NOINLINE',
  'DECLSPEC_NOTHROW',
  'DECLSPEC_NOVTABLE',
  'DECLSPEC_SELECTANY',
  'DECLSPEC_ALLOCATOR',
  'DECLSPEC_RESTRICT',
  'DECLSPEC_GUARDNOCF',
  'DECLSPEC_CACHEALIGN',
  'DECLSPEC_CHPE_GUEST',
  'DECLSPEC_EXPORT',
  'EXTERN_C',
  'NTKERNELAPI',
  'NTHALAPI',
  'WINE_DEFAULT_DEBUG_CHANNEL_UNUSED',
];

// words that take a parenthesised argument list, blanked with it
const CALL_WORDS = ['__declspec', '__attribute__', 'DECLSPEC_ALIGN', 'DECLSPEC_UUID', '__pragma', '_Pragma', 'alignas_'];

// SAL: _In_, _Out_opt_, _Inout_updates_(n), _Success_(x), __in, __out_bcount(n), ...
const SAL =
  /\b(?:_(?:In|Out|Inout|Outptr|Ret|Deref|Pre|Post|Success|Check|Must|Field|When|Frees|Reserved|COM|Use|Printf|Scanf|Null|Notnull|Maybenull|Const|Analysis|Acquires|Releases|Requires|Guarded|Interlocked|Kernel|IRQL|Dispatch|At|Struct|Readable|Writable|Translates|Strict|Always|Result|Return|Pre_|Post_|Outref|Points_to|Literal|Notliteral|Valid|Invalid|Evaluates|Param|Called|Function_class|Raises|Alloc|Enum|Has|Group)[A-Za-z0-9_]*_|__(?:in|out|inout|deref|reserved|checkReturn|bcount|ecount|success|typefix|override|callback|format_string|nullterminated|notnull|maybenull|allocator|drv_[A-Za-z0-9_]*)(?:_[A-Za-z0-9_]*)?)\b/g;

const WORD_RE = new RegExp(`\\b(?:${[...new Set(WORDS)].join('|')})\\b`, 'g');
const CALL_RE = new RegExp(`\\b(?:${CALL_WORDS.join('|')})\\s*\\(`, 'g');

function spaces(s: string): string {
  return s.replace(/[^\r\n]/g, ' ');
}

/** The annotation words to leave alone (asked only about the words met). */
export type KeptWords = Pick<ReadonlySet<string>, 'has'>;

/** True when a macro body is nothing but annotations (or empty): blanking the macro's name loses nothing. */
export function isAnnotation(body: string): boolean {
  return neutralizePiece(body, new Set()).trim() === '';
}

/** End index (exclusive) of the balanced parenthesis group that opens at `open`, or -1. */
function closeParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
    else if (c === ';' || c === '{' || c === '}') return -1;
  }
  return -1;
}

/** Texts longer than this are neutralised a piece at a time (see neutralize): pieces this small die young, in the garbage collector's cheapest space. */
const PIECE = 1 << 16;

/**
 * Blanks Windows annotation macros. Words the file itself #defines as something else (listed in `keep`) are
 * left alone, so a project's own meaning wins. `hidden`: spans to blank first (inactive `#if` branches, the
 * code a window hides), as blankRanges would.
 *
 * A big text is copied once into a buffer, blanked there, and neutralised a piece of about 64 KB at a
 * time, each piece ending just after a `;` or `}`: no match reaches past one (an argument list stops at
 * them), so the pieces give the same text as the whole, without the whole's five copies.
 */
export function neutralize(text: string, keep: KeptWords = new Set(), hidden: readonly (readonly [number, number])[] = []): string {
  if (text.length <= PIECE) return neutralizePiece(hidden.length ? blankRanges(text, hidden) : text, keep);
  const wide = isWide(text);
  const encoding = wide ? 'utf16le' : 'latin1';
  const unit = wide ? 2 : 1;
  const bytes = Buffer.from(text, encoding);
  let changed = fillSpans(bytes, hidden, wide) > 0;
  for (let start = 0; start < text.length;) {
    const end = pieceEnd(bytes, start + PIECE, unit);
    const piece = bytes.toString(encoding, start * unit, end * unit);
    const done = neutralizePiece(piece, keep);
    if (done !== piece) {
      bytes.write(done, start * unit, encoding);
      changed = true;
    }
    start = end;
  }
  return changed ? bytes.toString(encoding) : text;
}

type Spans = readonly (readonly [number, number])[];

/** An edit of a text: [start, oldEnd) of the text before became [start, newEnd) of the text after. */
export interface TextSpanEdit {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/**
 * neutralize(after, keep, hidden), from the neutralised text before an edit, when the kept words are the same
 * and the hidden spans are those before the edit moved over it (a span holding the edit grows or shrinks with it):
 * what the language server has when an edit left the preprocessor facts as they were. Only the piece around the
 * edit, from just after the last `;` or `}` before it to just after the first one after it, is neutralised
 * again: neither is ever blanked by neutralising, and pieces split there give the same text as the whole (see
 * neutralize). Undefined when the hidden spans do not correspond; `piece` is where the texts can differ.
 */
export function neutralizeAfterEdit(
  before: { text: string; neutralized: string; hidden: Spans },
  after: string,
  edit: TextSpanEdit,
  keep: KeptWords,
  hidden: Spans,
): { text: string; piece: TextSpanEdit } | undefined {
  const { neutralized } = before;
  const delta = edit.newEnd - edit.oldEnd;
  if (neutralized.length !== before.text.length || after.length !== before.text.length + delta || !movedSpans(before.hidden, hidden, edit)) return undefined;
  const start = edit.start === 0 ? 0 : Math.max(neutralized.lastIndexOf(';', edit.start - 1), neutralized.lastIndexOf('}', edit.start - 1)) + 1;
  const ends = [neutralized.indexOf(';', edit.oldEnd), neutralized.indexOf('}', edit.oldEnd)].filter((at) => at >= 0);
  const oldEnd = ends.length ? Math.min(...ends) + 1 : neutralized.length;
  const newEnd = oldEnd + delta;
  const inPiece: [number, number][] = [];
  for (const [a, b] of hidden) if (a < newEnd && b > start) inPiece.push([Math.max(a, start) - start, Math.min(b, newEnd) - start]);
  const piece = neutralizePiece(blankRanges(after.slice(start, newEnd), inPiece), keep);
  return { text: neutralized.slice(0, start) + piece + neutralized.slice(oldEnd), piece: { start, oldEnd, newEnd } };
}

/** Whether `after` are the spans `before` moved over the edit (as preprocess/incremental facts move them), in order. */
function movedSpans(before: Spans, after: Spans, edit: TextSpanEdit): boolean {
  if (before.length !== after.length) return false;
  const delta = edit.newEnd - edit.oldEnd;
  for (let i = 0; i < before.length; i++) {
    const [a, b] = before[i]!;
    const [x, y] = after[i]!;
    if (a <= edit.start && edit.oldEnd <= b && edit.start < b) {
      if (x !== a || y !== b + delta) return false;
    } else if (b <= edit.start) {
      if (x !== a || y !== b) return false;
    } else if (a >= edit.oldEnd) {
      if (x !== a + delta || y !== b + delta) return false;
    } else return false;
  }
  return true;
}

/** The offset just after the first `;` or `}` at or after `from` (the end of the text when there is none). */
function pieceEnd(bytes: Buffer, from: number, unit: number): number {
  const length = bytes.length / unit;
  if (from >= length) return length;
  let best = length;
  for (const c of [SEMICOLON, CLOSE_BRACE]) {
    // (in UTF-16 a match must start on a code unit)
    for (let at = bytes.indexOf(c[unit - 1]!, from * unit); at >= 0; at = bytes.indexOf(c[unit - 1]!, at + 1)) {
      if (at % unit === 0) {
        best = Math.min(best, at / unit + 1);
        break;
      }
    }
  }
  return best;
}

const SEMICOLON = [Buffer.from(';', 'latin1'), Buffer.from(';', 'utf16le')];
const CLOSE_BRACE = [Buffer.from('}', 'latin1'), Buffer.from('}', 'utf16le')];

/** neutralize without pieces (exported for the test that compares the two). */
export function neutralizePiece(text: string, keep: KeptWords): string {
  if (!/[A-Z_]/.test(text)) return text;
  let out = text.replace(WORD_RE, (w) => (keep.has(w) ? w : spaces(w)));
  // a SAL word with an argument list: the list is blanked too
  const lists: number[] = [];
  out = out.replace(SAL, (w, offset: number) => {
    if (keep.has(w)) return w;
    if (out[offset + w.length] === '(') lists.push(offset + w.length);
    return spaces(w);
  });
  if (lists.length) {
    let result = '';
    let i = 0;
    for (const open of lists) {
      // (a list inside one already blanked is blank)
      if (open < i) continue;
      const end = closeParen(out, open);
      if (end < 0) continue;
      result += out.slice(i, open) + spaces(out.slice(open, end));
      i = end;
    }
    out = result + out.slice(i);
  }
  CALL_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  let result = '';
  let last = 0;
  while ((m = CALL_RE.exec(out))) {
    const end = closeParen(out, m.index + m[0].length - 1);
    if (end < 0) continue;
    result += out.slice(last, m.index) + spaces(out.slice(m.index, end));
    last = end;
    CALL_RE.lastIndex = end;
  }
  out = result + out.slice(last);
  // MSVC inline keywords: keep the meaning, same length
  return out.replace(/\b(__forceinline|FORCEINLINE|__inline)\b/g, (w) => 'inline' + ' '.repeat(w.length - 6));
}
