// The Windows SDK's types as the analysis sees them: the generated table (types/sdk.ts) turned into CTypes for
// the target, asked for a type name only after the file and its headers (analysis/declared-types.ts), which win.
// A record comes with the layout the compilers gave it; a typedef is what it stands for (a pointer, an integer of
// the target's model, a record of the table), or when nothing more is known, its measured size and alignment.

import type { SdkLookup } from '../evaluate/env.js';
import type { TargetModel } from '../model/target.js';
import type { CType } from '../types/ctype.js';
import { sdkRecord, sdkTypedef } from '../types/sdk.js';

/** Typedefs of typedefs followed at most this deep (the table's chains are a few links long). */
const MAX_TYPEDEF_DEPTH = 16;

export function sdkTypes(model: TargetModel): SdkLookup {
  return { type: (words) => sdkType(words.trim(), model, 0) };
}

function sdkType(words: string, model: TargetModel, depth: number): CType | undefined {
  if (depth > MAX_TYPEDEF_DEPTH) return undefined;
  const target = model.name;
  const record = sdkRecord(words, target);
  const tagged = /^(struct|union) (\w+)$/.exec(words);
  if (record && (tagged || !sdkTypedef(words, target)?.text.includes('*'))) {
    return {
      kind: 'record',
      record: {
        keyword: tagged?.[1] === 'union' ? 'union' : 'struct',
        tag: tagged?.[2] ?? words,
        known: { size: record.size, align: record.align, offsets: record.offsets },
      },
    };
  }
  const typedef = sdkTypedef(words, target);
  if (!typedef) return undefined;
  const text = typedef.text.trim();
  // a pointer to what the rest names (`struct _SYSTEM_INFO *`), or a function pointer (`DWORD (*)(LPVOID)`)
  const pointer = /^(.*?)\s*\*$/.exec(text);
  if (pointer) return { kind: 'pointer', to: sdkType(pointer[1]!.replace(/\bconst\b/g, '').trim(), model, depth + 1) ?? { kind: 'void' } };
  if (text.includes('(*')) return { kind: 'pointer', to: { kind: 'function' } };
  const int = model.types.get(text);
  if (int) return { kind: 'int', int };
  return (
    sdkType(text, model, depth + 1) ?? {
      kind: 'record',
      record: { keyword: 'struct', tag: words, known: { size: typedef.size, align: typedef.align, offsets: new Map() } },
    }
  );
}
