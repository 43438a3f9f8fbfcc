import { createRule } from './create-rule.js';
import { ALLOCATION_GRANULARITY, unusableBytes } from '../engine/model/windows-memory.js';
import { byteCount, hex } from './sizes.js';
import { lifetimeSentence } from './lifetime-sentence.js';
import { DEFAULT_TRANSIENT, TRANSIENT_OPTION_SCHEMA, type TransientOptions } from './transient.js';

export default createRule<'viewWastesGranule' | 'transientViewWastesGranule' | 'misalignedOffset', [TransientOptions]>({
  name: 'mapview-granularity',
  meta: {
    type: 'problem',
    docs: {
      description: 'File views whose constant size or offset is not a multiple of the 64 KB allocation granularity',
      recommended: true,
    },
    messages: {
      // {{lifetime}}: how long the address space is held, when the lifetime says more than the waste (lifetime-sentence.ts)
      viewWastesGranule: '{{api}} maps a view of {{size}} ({{hex}}); {{unusable}} bytes of its last 64 KB granule become unusable{{lifetime}}',
      transientViewWastesGranule:
        '{{api}} maps a view of {{size}} ({{hex}}), {{unusable}} bytes of its last 64 KB granule unusable while it is mapped; it is unmapped on every path before the function returns, so it does not hold the address space',
      misalignedOffset:
        '{{api}} maps at file offset {{offset}} ({{offsetHex}}), not a multiple of the 64 KB allocation granularity; the call fails with ERROR_MAPPED_ALIGNMENT',
    },
    schema: [TRANSIENT_OPTION_SCHEMA],
    defaultOptions: [{ transient: DEFAULT_TRANSIENT }],
    precision: 'high',
    tags: ['memory', 'performance', 'windows', 'file-mapping'],
    defaultLevel: 'warn',
    code: 'GR3',
  },
  create(context, [options]) {
    const transient = options.transient ?? DEFAULT_TRANSIENT;
    return {
      AllocationCall(call) {
        if (call.family !== 'mapview') return;
        if (call.offset?.value.known && call.offset.value.value % ALLOCATION_GRANULARITY !== 0n) {
          const offset = call.offset.value.value;
          context.report({ node: call, messageId: 'misalignedOffset', data: { api: call.api, offset: offset.toString(), offsetHex: hex(offset) } });
        }
        if (!call.size.value.known) return;
        const size = call.size.value.value;
        // size 0 maps the whole section; a view ending on the granule's last page wastes nothing
        const unusable = size > 0n ? unusableBytes(size) : 0n;
        if (unusable === 0n) return;
        const isTransient = call.lifetime?.kind === 'transient';
        if (isTransient && transient === 'off') return;
        context.report({
          node: call,
          messageId: isTransient ? 'transientViewWastesGranule' : 'viewWastesGranule',
          ...(isTransient && transient === 'warn' ? { severity: 'warn' as const } : {}),
          data: {
            api: call.api,
            size: byteCount(size),
            hex: hex(size),
            unusable: unusable.toString(),
            lifetime: isTransient ? '' : lifetimeSentence(call.lifetime, 'mapview'),
          },
        });
      },
    };
  },
});
