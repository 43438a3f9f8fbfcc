// The option the granule-waste rules share for transient reservations and views: those every path of their
// function releases (src/engine/analysis/lifetime.ts). Their waste lasts only while the function runs, so they are
// reported under their own message, at most at `warn` by default; `off` drops them, `same` keeps the rule's level.

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
