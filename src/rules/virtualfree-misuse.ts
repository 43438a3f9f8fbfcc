import { createRule } from './create-rule.js';
import type { AllocationCall, LostAddress } from '../engine/analysis/facts.js';
import { MEM_COALESCE_PLACEHOLDERS, MEM_DECOMMIT, MEM_PRESERVE_PLACEHOLDER, MEM_RELEASE } from '../engine/model/windows-memory.js';
import { byteCount, hex } from './sizes.js';

type MessageIds = 'releaseWithSize' | 'releaseWithDecommit' | 'decommitWithoutRelease' | 'lostByOverwrite' | 'lostAtReturn' | 'lostAtEnd';

export default createRule<MessageIds, []>({
  name: 'virtualfree-misuse',
  meta: {
    type: 'problem',
    docs: {
      description:
        'VirtualFree and VirtualFreeEx calls that fail or leave the reservation in place (MSVC C6250, C6331, C6333), and reservations whose address is lost before any release (as MSVC C6014)',
      recommended: true,
    },
    messages: {
      releaseWithSize:
        '{{api}} with MEM_RELEASE is given a size of {{size}} ({{hex}}); MEM_RELEASE needs size 0, so the call fails with ERROR_INVALID_PARAMETER and the address space stays reserved (MSVC C6333)',
      releaseWithDecommit:
        '{{api}} combines MEM_RELEASE with MEM_DECOMMIT; the call fails with ERROR_INVALID_PARAMETER and frees nothing (MSVC C6331). MEM_RELEASE alone decommits and releases',
      decommitWithoutRelease:
        '{{api}} decommits {{name}} but {{function}} never releases it: the reservation made on line {{line}} keeps its address space (MSVC C6250)',
      // the only copy of a reservation's address is lost on a path that never released it
      lostByOverwrite:
        "{{api}}'s {{what}} is not {{released}} on any path to line {{line}}, where {{name}}, the only copy of its address, is overwritten: its address space stays reserved until the process ends",
      lostAtReturn:
        "{{api}}'s {{what}} is not {{released}} on any path to the return on line {{line}}, where {{name}}, the only copy of its address, goes out of scope: its address space stays reserved until the process ends",
      lostAtEnd:
        "{{api}}'s {{what}} is not {{released}} on any path to the end of {{function}} on line {{line}}, where {{name}}, the only copy of its address, goes out of scope: its address space stays reserved until the process ends",
    },
    schema: [],
    defaultOptions: [],
    precision: 'high',
    tags: ['memory', 'correctness', 'windows'],
    defaultLevel: 'error',
    code: 'GR5',
  },
  create(context) {
    // the reservations seen so far in this file (calls arrive in the order of the source)
    const reservations: AllocationCall[] = [];
    return {
      AllocationCall(call) {
        if (call.family === 'reserve' || call.family === 'mapview') {
          if (call.family === 'reserve') reservations.push(call);
          const lost = lostAddress(call);
          if (lost) reportLost(call, lost);
          return;
        }
        if (call.family !== 'free' || !call.flags?.value.known) return;
        const flags = call.flags.value.value;
        if ((flags & MEM_RELEASE) !== 0n && (flags & MEM_DECOMMIT) !== 0n) {
          context.report({ node: call, messageId: 'releaseWithDecommit', data: { api: call.api } });
          return;
        }
        if ((flags & MEM_RELEASE) !== 0n) {
          // placeholder operations release a part of a placeholder: they take its size
          if ((flags & (MEM_COALESCE_PLACEHOLDERS | MEM_PRESERVE_PLACEHOLDER)) !== 0n || !call.size.value.known) return;
          const size = call.size.value.value;
          if (size !== 0n) context.report({ node: call, messageId: 'releaseWithSize', data: { api: call.api, size: byteCount(size), hex: hex(size) } });
          return;
        }
        if (flags === MEM_DECOMMIT) {
          const reservation = unreleasedReservation(call, reservations);
          if (reservation)
            context.report({
              node: call,
              messageId: 'decommitWithoutRelease',
              data: { api: call.api, name: call.freed!.name, function: call.enclosingFunction, line: String(reservation.loc.start.line) },
            });
        }
      },
    };

    function reportLost(call: AllocationCall, lost: LostAddress): void {
      const view = call.family === 'mapview';
      const name = call.lifetime!.holder!;
      const line = String(lost.range.start.line);
      const data = {
        api: call.api,
        what: view ? 'view' : 'reservation',
        released: view ? 'unmapped' : 'released',
        name,
        line,
        function: call.enclosingFunction,
        lost: lost.how,
      };
      context.report({
        node: call,
        messageId: LOST_MESSAGES[lost.how],
        data,
        related: [{ file: call.file, range: lost.range, message: LOST_PLACES[lost.how](name) }],
      });
    }
  },
});

const LOST_MESSAGES = { overwritten: 'lostByOverwrite', returns: 'lostAtReturn', ends: 'lostAtEnd' } as const;

/** What the related location of a lost address says of its place. */
const LOST_PLACES: Record<LostAddress['how'], (name: string) => string> = {
  overwritten: (name) => `${name} is overwritten here: the address is lost`,
  returns: (name) => `the function returns here: ${name} and the address go out of scope`,
  ends: (name) => `the function ends here: ${name} and the address go out of scope`,
};

/**
 * Where the address of a reservation or a view is lost, when the analysis proved it (lifetime.ts, lost-address.ts):
 * a direct call of the API whose address only a local holds, and a path that loses it with nothing released.
 */
function lostAddress(call: AllocationCall): LostAddress | undefined {
  if (call.callee !== call.api || (call.family === 'reserve' && call.reserves !== true)) return undefined;
  return call.lifetime?.holder ? call.lifetime.lost : undefined;
}

/**
 * The reservation a decommit leaves in place, when the same function provably made it and never releases it:
 * the free is a direct call on a local, no call of the function releases that local or a copy of it, and the
 * local holds a reservation made earlier in the function that does not escape it (lifetime.ts).
 */
function unreleasedReservation(call: AllocationCall, reservations: readonly AllocationCall[]): AllocationCall | undefined {
  const freed = call.freed;
  if (!freed || freed.releasedInFunction || call.callee !== call.api) return undefined;
  return reservations.find(
    (r) =>
      r.reserves === true &&
      r.callee === r.api &&
      r.file === call.file &&
      r.enclosingFunction === call.enclosingFunction &&
      r.range.start.offset < call.range.start.offset &&
      r.lifetime?.holder === freed.name &&
      // (escaping, it may be released elsewhere; the releases of the function itself were checked above)
      r.lifetime.kind === 'unknown',
  );
}
