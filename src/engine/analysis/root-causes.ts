// One root cause, one group: the calls of a file whose waste comes from the same call in a wrapper's body of the
// same file (AllocationCall.rootCause, set by wrappers.ts) are gathered on the first of them, so that a rule
// reports the waste once, at that call, with the callers beside it. A root cause in another file is left as it is:
// a file's results depend on its own text and the run's wrappers, never on which other files call them.

import type { FoundCall, RootCause, RootCauseCaller } from './facts.js';

/** `calls` (in the order of the file) with each group of a root cause in `file` on its first call. */
export function groupRootCauses(calls: readonly FoundCall[], file: string): FoundCall[] {
  const groups = new Map<string, number[]>();
  calls.forEach((call, i) => {
    const root = call.rootCause;
    if (!root || root.file !== file) return;
    const key = `${call.api}|${root.range.start.offset}|${root.range.end.offset}`;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  if (groups.size === 0) return [...calls];
  const out = [...calls];
  for (const members of groups.values()) {
    const callers = members.map((i) => callerOf(calls[i]!));
    members.forEach((i, n) => {
      const call = calls[i]!;
      // (what an earlier grouping of the same calls left, as the language server's reuse may bring back, is replaced)
      const { callers: _callers, grouped: _grouped, ...root } = call.rootCause!;
      const rootCause: RootCause = n === 0 ? { ...root, callers } : { ...root, grouped: true };
      out[i] = { ...call, rootCause };
    });
  }
  return out;
}

function callerOf(call: FoundCall): RootCauseCaller {
  // the step that says what this call passes to the wrapper ("zend_mm_init calls zend_mm_chunk_alloc_int(2097152, 2097152)")
  const own = call.evidence.find((e) => e.kind === 'wrapper' && e.file === call.file && e.range.start.offset === call.range.start.offset);
  return {
    file: call.file,
    range: call.range,
    text: own?.message ?? call.callText,
    size: call.size.value.known ? call.size.value.value : 0n,
    ...(call.lifetime ? { lifetime: call.lifetime } : {}),
  };
}
