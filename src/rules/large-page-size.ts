import { createRule } from './create-rule.js';
import { formatLike } from '../engine/text/literal-style.js';
import { LARGE_PAGE_MINIMUM, roundUp, usesLargePages } from '../engine/model/windows-memory.js';
import { byteCount, hex, humanBytes } from './sizes.js';

const TWO_MB = Number(LARGE_PAGE_MINIMUM);

export default createRule({
  name: 'large-page-size',
  meta: {
    type: 'problem',
    docs: {
      description: 'MEM_LARGE_PAGES allocations whose constant size is not a multiple of the large-page minimum',
      recommended: true,
    },
    messages: {
      notLargePageMultiple:
        '{{api}} with MEM_LARGE_PAGES asks for {{size}} ({{hex}}), not a multiple of the {{minimum}} large-page minimum; the call fails with ERROR_INVALID_PARAMETER',
      roundUp: 'Ask for {{rounded}} bytes ({{roundedHex}}), the next multiple of {{minimum}}',
    },
    schema: [
      {
        type: 'object',
        properties: {
          largePageMinimum: { type: 'integer', minimum: 4096, description: 'What GetLargePageMinimum() returns on the target (2 MB on x64 and ARM64).' },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ largePageMinimum: TWO_MB }],
    fixable: 'code',
    hasSuggestions: true,
    precision: 'very-high',
    tags: ['memory', 'correctness', 'windows', 'large-pages'],
    defaultLevel: 'error',
    code: 'GR2',
  },
  create(context) {
    const minimum = BigInt(context.options[0]?.largePageMinimum ?? TWO_MB);
    return {
      AllocationCall(call) {
        if (call.family !== 'reserve' || call.reserves === false || !call.size.value.known) return;
        if (!usesLargePages(call.flags?.value)) return;
        const size = call.size.value.value;
        if (size <= 0n || size % minimum === 0n) return;
        const rounded = roundUp(size, minimum);
        const data = {
          api: call.api,
          size: byteCount(size),
          hex: hex(size),
          minimum: humanBytes(minimum),
          rounded: rounded.toString(),
          roundedHex: hex(rounded),
        };
        const range = call.size.sourceRange;
        const literal = range && call.size.macros.length === 0 ? formatLike(call.size.text, rounded) : undefined;
        context.report({
          node: call,
          messageId: 'notLargePageMultiple',
          data,
          fix: range && literal ? (fixer) => fixer.replaceTextRange(range, literal) : null,
          suggest: range ? [{ messageId: 'roundUp', data, fix: (fixer) => fixer.replaceTextRange(range, literal ?? hex(rounded)) }] : [],
        });
      },
    };
  },
});
