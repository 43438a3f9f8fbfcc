// Windows headers define calling conventions, `__declspec`, DECLSPEC_* and SAL annotations as macros.
// Without the headers, tree-sitter sees unknown words in declarations and builds ERROR nodes.
// We blank the known ones with spaces of the same length, so every position stays exact.

const WORDS = [
  'WINAPI', 'WINAPIV', 'APIENTRY', 'CALLBACK', 'NTAPI', 'NTSYSAPI', 'NTSYSCALLAPI', 'WINBASEAPI', 'WINUSERAPI',
  'WINADVAPI', 'WINGDIAPI', 'WINOLEAPI', 'STDAPI_', 'STDMETHODCALLTYPE', 'STDAPICALLTYPE', 'STDAPIVCALLTYPE',
  'PASCAL', 'FAR', 'NEAR', 'CDECL', 'IN', 'OUT', 'OPTIONAL', 'CONST',
  '__stdcall', '_stdcall', '__cdecl', '_cdecl', '__fastcall', '_fastcall', '__vectorcall', '__thiscall', '__clrcall',
  '__ptr32', '__ptr64', '__unaligned', '__restrict', '__w64', 'UNALIGNED', 'RESTRICTED_POINTER',
  'DECLSPEC_HOTPATCH', 'DECLSPEC_NORETURN', 'DECLSPEC_IMPORT', 'DECLSPEC_EXPORT', 'DECLSPEC_NOINLINE',
  'DECLSPEC_NOTHROW', 'DECLSPEC_NOVTABLE', 'DECLSPEC_SELECTANY', 'DECLSPEC_ALLOCATOR', 'DECLSPEC_RESTRICT',
  'DECLSPEC_GUARDNOCF', 'DECLSPEC_CACHEALIGN', 'DECLSPEC_CHPE_GUEST', 'DECLSPEC_EXPORT',
  'EXTERN_C', 'NTKERNELAPI', 'NTHALAPI', 'WINE_DEFAULT_DEBUG_CHANNEL_UNUSED',
];

// words that take a parenthesised argument list, blanked with it
const CALL_WORDS = ['__declspec', '__attribute__', 'DECLSPEC_ALIGN', 'DECLSPEC_UUID', '__pragma', '_Pragma', 'alignas_'];

// SAL: _In_, _Out_opt_, _Inout_updates_(n), _Success_(x), __in, __out_bcount(n), ...
const SAL = /\b(?:_(?:In|Out|Inout|Outptr|Ret|Deref|Pre|Post|Success|Check|Must|Field|When|Frees|Reserved|COM|Use|Printf|Scanf|Null|Notnull|Maybenull|Const|Analysis|Acquires|Releases|Requires|Guarded|Interlocked|Kernel|IRQL|Dispatch|At|Struct|Readable|Writable|Translates|Strict|Always|Result|Return|Pre_|Post_|Outref|Points_to|Literal|Notliteral|Valid|Invalid|Evaluates|Param|Called|Function_class|Raises|Alloc|Enum|Has|Group)[A-Za-z0-9_]*_|__(?:in|out|inout|deref|reserved|checkReturn|bcount|ecount|success|typefix|override|callback|format_string|nullterminated|notnull|maybenull|allocator|drv_[A-Za-z0-9_]*)(?:_[A-Za-z0-9_]*)?)\b/g;

const WORD_RE = new RegExp(`\\b(?:${[...new Set(WORDS)].join('|')})\\b`, 'g');
const CALL_RE = new RegExp(`\\b(?:${CALL_WORDS.join('|')})\\s*\\(`, 'g');

function spaces(s: string): string {
  return s.replace(/[^\r\n]/g, ' ');
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

/**
 * Blanks Windows annotation macros. Words the file itself #defines as something else
 * (listed in `keep`) are left alone, so a project's own meaning wins.
 */
export function neutralize(text: string, keep: ReadonlySet<string> = new Set()): string {
  if (!/[A-Z_]/.test(text)) return text;
  let out = text.replace(WORD_RE, (w) => (keep.has(w) ? w : spaces(w)));
  out = out.replace(SAL, (w, offset: number) => {
    if (keep.has(w)) return w;
    return spaces(w) + (out[offset + w.length] === '(' ? '\u0000' : '');
  });
  // a SAL word with an argument list: blank the list too (marked with a NUL above)
  if (out.includes('\u0000')) {
    let result = '';
    let i = 0;
    for (let j = out.indexOf('\u0000'); j >= 0; j = out.indexOf('\u0000', i)) {
      result += out.slice(i, j);
      const end = closeParen(out, j + 1);
      if (end < 0) {
        i = j + 1;
        continue;
      }
      result += spaces(out.slice(j + 1, end));
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
