// The option the granule-waste rules share for transient reservations and views: those every path of their
// function releases (src/engine/analysis/lifetime.ts). Their waste lasts only while the function runs, so they are
// reported under their own message, at most at `warn` by default; `off` drops them, `same` keeps the rule's level.

import type { Lifetime, LifetimeReason } from '../engine/analysis/facts.js';

export type TransientLevel = 'warn' | 'off' | 'same';

export interface TransientOptions {
  transient?: TransientLevel;
}

export const DEFAULT_TRANSIENT: TransientLevel = 'warn';

export const TRANSIENT_OPTION_SCHEMA = {
  type: 'object',
  properties: {
    transient: {
      enum: ['warn', 'off', 'same'],
      description:
        "Reservations released on every path before their function returns: reported at most as warnings (warn), not reported (off), or at the rule's level (same).",
    },
  },
  additionalProperties: false,
};

/** What the lifetime of a reservation or view costs, said after the rule's message (empty when not followed). */
export function lifetimeText(lifetime: Lifetime | undefined): string {
  if (!lifetime || lifetime.kind === 'transient') return '';
  return ` (lifetime ${lifetime.kind}: ${LIFETIME_REASONS[lifetime.reason]})`;
}

const LIFETIME_REASONS: Record<LifetimeReason, string> = {
  released: 'released on every path',
  returned: 'returned to the caller',
  global: 'stored in a global',
  field: 'stored in a field',
  'out-parameter': 'written through an out-parameter',
  element: 'stored in an array or container',
  static: 'stored in a static variable',
  'not-held': 'the address is not kept',
  'leaked-on-a-path': 'some path leaves the function without releasing it',
  'entry-point': "released by the program's entry point, which runs as long as the program",
  'not-followed': 'the function is not followed',
};
