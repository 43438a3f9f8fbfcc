import { createRule } from './create-rule.js';
import { formatLike } from '../engine/text/literal-style.js';
import { ALLOCATION_GRANULARITY, roundUp, unusableBytes, usesLargePages } from '../engine/model/windows-memory.js';
import { byteCount, hex } from './sizes.js';
import { DEFAULT_TRANSIENT, TRANSIENT_OPTION_SCHEMA, type TransientOptions } from './transient.js';

export default createRule<
  | 'wastesGranule'
  | 'wastesLastGranule'
  | 'transientWastesGranule'
  | 'wastesGranuleOnPath'
  | 'wastesLastGranuleOnPath'
  | 'transientWastesGranuleOnPath'
  | 'roundUp',
  [TransientOptions]
>({
  name: 'virtualalloc-granularity',
  meta: {
    type: 'problem',
    docs: {
      description: 'Reservations whose constant size is not a multiple of the 64 KB allocation granularity',
      recommended: true,
    },
    messages: {
      wastesGranule: '{{api}} reserves {{size}} ({{hex}}); {{unusable}} bytes of its 64 KB granule become unusable',
      wastesLastGranule: '{{api}} reserves {{size}} ({{hex}}); {{unusable}} bytes of its last 64 KB granule become unusable',
      transientWastesGranule:
        '{{api}} reserves {{size}} ({{hex}}), {{unusable}} bytes of its 64 KB granule unusable while it lives; it is released on every path before the function returns, so it does not hold the address space',
      // a size that depends on the path to the call: the same, under the condition of the path that wastes
      wastesGranuleOnPath: '{{api}} reserves {{size}} ({{hex}}) when {{when}}; {{unusable}} bytes of its 64 KB granule become unusable',
      wastesLastGranuleOnPath: '{{api}} reserves {{size}} ({{hex}}) when {{when}}; {{unusable}} bytes of its last 64 KB granule become unusable',
      transientWastesGranuleOnPath:
        '{{api}} reserves {{size}} ({{hex}}) when {{when}}, {{unusable}} bytes of its 64 KB granule unusable while it lives; it is released on every path before the function returns, so it does not hold the address space',
      roundUp: 'Reserve {{rounded}} bytes ({{roundedHex}}), the next multiple of 64 KB',
    },
    schema: [TRANSIENT_OPTION_SCHEMA],
    defaultOptions: [{ transient: DEFAULT_TRANSIENT }],
    fixable: 'code',
    hasSuggestions: true,
    precision: 'very-high',
    tags: ['memory', 'performance', 'windows', 'address-space'],
    defaultLevel: 'error',
    code: 'GR1',
  },
  create(context, [options]) {
    const transient = options.transient ?? DEFAULT_TRANSIENT;
    return {
      AllocationCall(call) {
        if (call.family !== 'reserve' || call.reserves !== true) return;
        // a size that depends on the path: the first path whose value wastes is reported, under its condition
        const path = call.size.value.known ? undefined : call.size.paths?.find((p) => p.value > 0n && unusableBytes(p.value) !== 0n);
        if (!call.size.value.known && !path) return;
        const isTransient = call.lifetime?.kind === 'transient';
        if (isTransient && transient === 'off') return;
        // MEM_LARGE_PAGES calls have their own, stricter rule (large-page-size)
        if (usesLargePages(call.flags?.value)) return;
        const size = path ? path.value : call.size.value.known ? call.size.value.value : 0n;
        // the region ends at a page boundary: 65532 bytes still fill the granule exactly
        const unusable = size > 0n ? unusableBytes(size) : 0n;
        if (unusable === 0n) return;
        const rounded = roundUp(size, ALLOCATION_GRANULARITY);
        const data = {
          api: call.api,
          size: byteCount(size),
          hex: hex(size),
          unusable: unusable.toString(),
          rounded: rounded.toString(),
          roundedHex: hex(rounded),
          ...(path ? { when: path.when.join(' and '), pathSize: path.value.toString() } : {}),
        };
        const range = call.size.sourceRange;
        const literal = range && call.size.macros.length === 0 ? formatLike(call.size.text, rounded) : undefined;
        context.report({
          node: call,
          messageId:
            `${isTransient ? 'transientWastesGranule' : size < ALLOCATION_GRANULARITY ? 'wastesGranule' : 'wastesLastGranule'}${path ? 'OnPath' : ''}` as const,
          ...(isTransient && transient === 'warn' ? { severity: 'warn' as const } : {}),
          data,
          fix: range && literal ? (fixer) => fixer.replaceTextRange(range, literal) : null,
          suggest: range ? [{ messageId: 'roundUp', data, fix: (fixer) => fixer.replaceTextRange(range, literal ?? hex(rounded)) }] : [],
        });
      },
    };
  },
});
