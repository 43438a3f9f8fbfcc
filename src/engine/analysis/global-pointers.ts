// The function pointers of a file that other files can call through: a global with external linkage (not
// `static`, not in a namespace without a name, not a C++ `const`) that every store of this file sets to one API
// (pointers.ts), `PFN_VA pVirtualAlloc;` with `pVirtualAlloc = (PFN_VA)GetProcAddress(k32, "VirtualAlloc")`. Each
// is offered to the run as a wrapper of its name (WrapperModel.pointer), so that it travels as wrappers do (the
// fixpoint, the prefilter's needles, the caches), and a call through it in another file binds to it only as
// linkage lets a call reach another file's pointer (Linkage.reachesPointer: through an `extern` declaration the
// caller sees). The call is then the API's, with the store as its evidence, as a call through a pointer of the
// caller's own file is.

import type { EvidenceStep } from '../model/types.js';
import type { WrapperModel } from './facts.js';
import type { FileIndex } from './file-index.js';
import { HEADER_FILE, type Linkage } from './linkage.js';
import type { PointerBinding } from './pointers.js';

/** The pointers of this file another file may call, as wrappers of their names. `step`: a pointer's evidence. */
export function globalPointers(
  pointers: readonly PointerBinding[],
  index: FileIndex,
  linkage: Linkage,
  step: (binding: PointerBinding) => EvidenceStep,
): WrapperModel[] {
  // (a header's globals are each includer's: a pointer a header stores in is its includers' own)
  if (HEADER_FILE.test(index.file)) return [];
  const out: WrapperModel[] = [];
  for (const p of pointers) {
    if (p.kind !== 'variable' || p.scope || linkage.hasInternalLinkage(p.name)) continue;
    const origin = step(p);
    out.push({
      name: p.name,
      params: [],
      file: index.file,
      range: origin.range,
      project: linkage.project,
      ...(linkage.builds.length ? { builds: linkage.builds } : {}),
      declaredIn: linkage.declaringHeaders(p.name),
      pointer: { api: p.api, origin },
      reaches: [{ kind: 'api', callee: p.api, parameters: [] }],
      // (a call through the pointer is the API's own: CallEvaluator makes it, with the caller's arguments)
      instantiate: () => [],
    });
  }
  return out;
}
