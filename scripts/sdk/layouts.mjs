// Sizes and alignments of the SDK's typedefs and records as the compiler gives them: `sizeof` and `_Alignof`
// of each, in initialised data read back from the assembly. A name without a size (a function type, an
// incomplete record, void) is refused by the compiler and left out.

import { compileData } from './compile.mjs';

const sizeLine = (entry, label) => `const unsigned ${label}[2] = { sizeof(${entry}), _Alignof(${entry}) };`;

/** `{ size, align }` of each C type name (`DWORD`, `struct _SYSTEM_INFO`) the compiler can measure. */
export function measure(target, names) {
  const out = new Map();
  for (const [name, [size, align]] of compileData(target, names, sizeLine, 2)) out.set(name, { size: BigInt(size), align: BigInt(align) });
  return out;
}
