// How long a reservation or a view holds its address space, said at the end of the message of a finding about
// its waste (src/engine/analysis/lifetime.ts finds it). Transient ones have messages of their own; an escaping
// one says where its address goes, so a reader knows who keeps it; an unknown one says nothing, unless its
// address is provably lost (then where) or only the program's entry point releases it. "Not known" would add
// words to most findings and tell a reader nothing to act on: the waste the message states is then the whole
// story, as for a reservation that lives as long as the process.

import type { Lifetime } from '../engine/analysis/facts.js';

/** The clause a waste message ends with (it begins with "; "), or '' when the lifetime adds nothing. */
export function lifetimeSentence(lifetime: Lifetime | undefined, family: 'reserve' | 'mapview'): string {
  if (!lifetime) return '';
  if (lifetime.kind === 'escapes') return `; it is kept: its address is ${escapeWords(lifetime)}`;
  if (lifetime.kind !== 'unknown') return '';
  if (lifetime.lost)
    return `; its address is lost on line ${lifetime.lost.range.start.line} while ${family === 'mapview' ? 'the view is still mapped' : 'it is still reserved'}`;
  if (lifetime.reason === 'entry-point') return "; the program's entry point releases it only as it returns, so it lives as long as the program";
  return '';
}

function escapeWords({ reason, to }: Lifetime): string {
  switch (reason) {
    case 'returned':
      return 'returned to the caller';
    case 'global':
      return to ? `stored in global ${to}` : 'stored in a global';
    case 'field':
      return to ? `stored in ${to}` : 'stored in a field';
    case 'out-parameter':
      return `written to the caller through ${to ?? 'an out-parameter'}`;
    case 'element':
      return to ? `stored in ${to}` : 'stored in an array or a container';
    case 'static':
      return to ? `stored in static ${to}` : 'stored in a static variable';
    default:
      return 'kept beyond the function';
  }
}
