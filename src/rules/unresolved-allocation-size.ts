import { createRule } from './create-rule.js';

export default createRule({
  name: 'unresolved-allocation-size',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Reservations whose size granule could not prove (for audits and coverage)',
      recommended: false,
    },
    messages: {
      unresolved: "{{api}}'s size could not be proven: {{reason}}",
    },
    schema: [],
    defaultOptions: [],
    precision: 'high',
    tags: ['memory', 'audit', 'windows'],
    defaultLevel: 'off',
    code: 'GR4',
  },
  create(context) {
    return {
      AllocationCall(call) {
        if (call.family !== 'reserve' || call.reserves === false || call.size.value.known) return;
        // MEM_COMMIT alone at an address that is not known: a commit into a reservation made elsewhere
        if (call.reserves === undefined && call.flags?.value.known) return;
        context.report({ node: call, messageId: 'unresolved', data: { api: call.api, reason: call.size.value.reason } });
      },
    };
  },
});
