import { createRule } from './create-rule.js';
import type { AllocationCall, Lifetime, RootCause } from '../engine/analysis/facts.js';
import type { RelatedLocation } from '../engine/model/types.js';
import { formatLike } from '../engine/text/literal-style.js';
import { ALLOCATION_GRANULARITY, roundUp, unusableBytes, usesLargePages } from '../engine/model/windows-memory.js';
import { byteCount, hex } from './sizes.js';
import { lifetimeSentence } from './lifetime-sentence.js';
import { DEFAULT_TRANSIENT, TRANSIENT_OPTION_SCHEMA, type TransientOptions } from './transient.js';

export default createRule<
  | 'wastesGranule'
  | 'wastesLastGranule'
  | 'transientWastesGranule'
  | 'wastesGranuleOnPath'
  | 'wastesLastGranuleOnPath'
  | 'transientWastesGranuleOnPath'
  | 'wrapperWastesGranule'
  | 'wrapperWastesLastGranule'
  | 'transientWrapperWastesGranule'
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
      // {{lifetime}}: how long the address space is held, when the lifetime says more than the waste (lifetime-sentence.ts)
      wastesGranule: '{{api}} reserves {{size}} ({{hex}}); {{unusable}} bytes of its 64 KB granule become unusable{{lifetime}}',
      wastesLastGranule: '{{api}} reserves {{size}} ({{hex}}); {{unusable}} bytes of its last 64 KB granule become unusable{{lifetime}}',
      transientWastesGranule:
        '{{api}} reserves {{size}} ({{hex}}), {{unusable}} bytes of its 64 KB granule unusable while it lives; it is released on every path before the function returns, so it does not hold the address space',
      // a size that depends on the path to the call: the same, under the condition of the path that wastes
      wastesGranuleOnPath: '{{api}} reserves {{size}} ({{hex}}) when {{when}}; {{unusable}} bytes of its 64 KB granule become unusable{{lifetime}}',
      wastesLastGranuleOnPath: '{{api}} reserves {{size}} ({{hex}}) when {{when}}; {{unusable}} bytes of its last 64 KB granule become unusable{{lifetime}}',
      transientWastesGranuleOnPath:
        '{{api}} reserves {{size}} ({{hex}}) when {{when}}, {{unusable}} bytes of its 64 KB granule unusable while it lives; it is released on every path before the function returns, so it does not hold the address space',
      // the waste comes from a wrapper's own arithmetic: reported once, at the wrapper's call, for every caller of the file
      wrapperWastesGranule:
        '{{api}} reserves {{size}} ({{hex}}) here for {{callers}} that pass only multiples of 64 KB; {{unusable}} bytes of its 64 KB granule become unusable because of the arithmetic of this call{{lifetime}}',
      wrapperWastesLastGranule:
        '{{api}} reserves {{size}} ({{hex}}) here for {{callers}} that pass only multiples of 64 KB; {{unusable}} bytes of its last 64 KB granule become unusable because of the arithmetic of this call{{lifetime}}',
      transientWrapperWastesGranule:
        '{{api}} reserves {{size}} ({{hex}}) here for {{callers}} that pass only multiples of 64 KB, {{unusable}} bytes of its 64 KB granule unusable while it lives because of the arithmetic of this call; it is released on every path before the function returns, so it does not hold the address space',
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
        const root = call.rootCause;
        if (root && root.file === call.file) {
          // one root cause, one finding: the first call of the file with it reports it at the wrapper's call
          if (root.callers) reportAtRootCause(call, root, root.callers);
          return;
        }
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
          lifetime: isTransient ? '' : lifetimeSentence(call.lifetime, 'reserve'),
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
          // a root cause in another file's wrapper: reported here, pointing at the call whose arithmetic wastes
          ...(root ? { related: [rootCauseLocation(root)] } : {}),
        });
      },
    };

    /** The group's finding: at the wrapper's call, with its size(s), its callers as related locations. */
    function reportAtRootCause(call: AllocationCall, root: RootCause, callers: RootCause['callers'] & object): void {
      const lifetime = callers.map((c) => c.lifetime).reduce(longerLived);
      const isTransient = lifetime?.kind === 'transient';
      if (isTransient && transient === 'off') return;
      const sizes = [...new Set(callers.map((c) => c.size))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const least = sizes[0]!;
      const most = sizes[sizes.length - 1]!;
      const unusable = [...new Set(sizes.map((s) => unusableBytes(s)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const range = (values: bigint[], show: (v: bigint) => string) =>
        values.length === 1 ? show(values[0]!) : `${show(values[0]!)} to ${show(values[values.length - 1]!)}`;
      const data = {
        api: call.api,
        size: sizes.length === 1 ? byteCount(least) : `${least} to ${most} bytes`,
        hex: range(sizes, hex),
        unusable: range(unusable, String),
        callers: callers.length === 1 ? '1 call' : `${callers.length} calls`,
        // (the longest-lived caller's)
        lifetime: isTransient ? '' : lifetimeSentence(lifetime, 'reserve'),
      };
      const at: AllocationCall = {
        ...call,
        range: root.range,
        loc: root.loc,
        callText: root.callText,
        enclosingFunction: root.enclosingFunction,
        callee: root.callee,
        evidence: root.evidence,
        // (no fix: the callers' sizes are right, and the wrapper's arithmetic is not a constant to round)
        size: { value: call.size.value, text: call.size.text, macros: call.size.macros },
        lifetime,
      };
      context.report({
        node: at,
        messageId: isTransient ? 'transientWrapperWastesGranule' : least < ALLOCATION_GRANULARITY ? 'wrapperWastesGranule' : 'wrapperWastesLastGranule',
        ...(isTransient && transient === 'warn' ? { severity: 'warn' as const } : {}),
        data,
        related: callers.map((c) => ({ file: c.file, range: c.range, message: `${c.text}: ${call.api} reserves ${byteCount(c.size)} (${hex(c.size)})` })),
        fix: null,
        suggest: [],
      });
    }
  },
});

/** The call of another file's wrapper whose arithmetic makes this call's size waste. */
function rootCauseLocation(root: RootCause): RelatedLocation {
  const where = root.enclosingFunction ? ` in ${root.enclosingFunction}` : '';
  return {
    file: root.file,
    range: root.range,
    message: `the waste comes from the arithmetic of this call${where}, ${root.callText}, for the multiples of 64 KB passed here (a caller in another file is reported at its own call)`,
  };
}

const LIFETIME_ORDER = ['transient', 'unknown', 'escapes'] as const;

/** Of two callers' lifetimes, the one that holds the address space longer (none known: none). */
function longerLived(a: Lifetime | undefined, b: Lifetime | undefined): Lifetime | undefined {
  if (!a || !b) return undefined;
  return LIFETIME_ORDER.indexOf(b.kind) > LIFETIME_ORDER.indexOf(a.kind) ? b : a;
}
