// Hover on an allocation call: what granule evaluated (size, granules, wasted bytes) and how it got there
// (macro expansions, pointers, wrapper chain).

import type { Hover, MarkupContent } from 'vscode-languageserver/node';
import type { AllocationCall } from '../engine/analysis/facts.js';
import type { Finding } from '../engine/model/types.js';
import { rulesById } from '../rules/index.js';
import { ALLOCATION_GRANULARITY, roundUp, unusableBytes } from '../engine/model/windows-memory.js';
import { byteCount, hex } from '../rules/sizes.js';
import * as path from 'node:path';
import { toLspRange } from './diagnostics.js';

/**
 * The hover for the call at `offset`, or undefined when no allocation call is there. One call site may reach an
 * API more than once (a wrapper that retries with another size): each finding there is shown with the size and
 * the chain of the call it was made for, the one the diagnostic speaks of.
 */
export function hoverAt(offset: number, calls: readonly AllocationCall[], findings: readonly Finding[]): Hover | undefined {
  const call = calls.find((c) => c.range.start.offset <= offset && offset <= c.range.end.offset);
  if (!call) return undefined;
  const atSite = calls.filter((c) => sameRange(c, call));
  const own = findings.filter((f) => sameRange(f, call));
  const lines: string[] = [];
  if (own.length === 0) lines.push(`**granule**: \`${call.callee}\` reaches \`${call.api}\``, '', ...callLines(call));
  own.forEach((f, i) => {
    const url = rulesById.get(f.ruleId)?.meta.docs.url;
    if (i > 0) lines.push('---', '');
    lines.push(
      `**granule** [${f.ruleId}](${url}) (${f.severity === 'error' ? 'error' : 'warning'}${f.suppressed ? ', disabled by a comment' : ''}): ${f.message}`,
      '',
    );
    lines.push(...callLines(callOf(f, atSite) ?? rootCauseCallOf(f, calls) ?? call, f));
  });
  const contents: MarkupContent = { kind: 'markdown', value: lines.join('\n').trim() };
  return { contents, range: toLspRange(call.range) };
}

/** The call a finding was made for: the one whose evidence it carries. */
export function callOf(finding: Finding, calls: readonly AllocationCall[]): AllocationCall | undefined {
  return (
    calls.find((c) => c.evidence === finding.evidence) ??
    calls.find((c) => c.api === finding.api && sizeOf(c) === finding.properties.size && JSON.stringify(c.evidence) === JSON.stringify(finding.evidence))
  );
}

/**
 * A finding at a wrapper's call whose arithmetic makes its callers waste (reported once for them): the first of
 * those callers' calls, seen from the wrapper's call (its size, the chain from there).
 */
function rootCauseCallOf(finding: Finding, calls: readonly AllocationCall[]): AllocationCall | undefined {
  const same = (c: AllocationCall) => {
    const root = c.rootCause;
    if (!root?.callers || c.api !== finding.api || root.range.start.offset !== finding.range.start.offset) return false;
    return root.evidence === finding.evidence || JSON.stringify(root.evidence) === JSON.stringify(finding.evidence);
  };
  const call = calls.find(same);
  return call && { ...call, range: call.rootCause!.range, evidence: call.rootCause!.evidence };
}

function sizeOf(call: AllocationCall): string | undefined {
  return call.size.value.known ? call.size.value.value.toString() : undefined;
}

function sameRange(a: { range: AllocationCall['range'] }, b: { range: AllocationCall['range'] }): boolean {
  return a.range.start.offset === b.range.start.offset && a.range.end.offset === b.range.end.offset;
}

/** The size table and the chain of one call (the path a finding speaks of, where the size depends on the path). */
function callLines(call: AllocationCall, finding?: Finding): string[] {
  const lines = [...sizeLines(call, finding), ''];
  if (call.evidence.length) {
    lines.push('**How granule got there**', '');
    call.evidence.forEach((step, i) => lines.push(`${i + 1}. ${step.message.replace(/\n/g, ' ')} — ${path.basename(step.file)}:${step.range.start.line}`));
  }
  lines.push('');
  return lines;
}

function sizeLines(call: AllocationCall, finding?: Finding): string[] {
  const size = call.size.value;
  const onPath = call.size.paths?.find((p) => p.when.join(' and ') === finding?.properties.when);
  if (!size.known && !onPath) return [`Size: not proven (${size.reason}).`];
  const value = onPath ? onPath.value : (size as Extract<typeof size, { known: true }>).value;
  const out = [`| | |`, `|---|---|`, `| size | ${byteCount(value)} (${hex(value)})${onPath ? ` when ${onPath.when.join(' and ')}` : ''} |`];
  if (onPath)
    out.push(
      `| other paths | ${call.size
        .paths!.filter((p) => p !== onPath)
        .map((p) => `${byteCount(p.value)} when ${p.when.join(' and ')}`)
        .join('; ')} |`,
    );
  if (call.size.text && call.size.text.trim() !== value.toString()) out.push(`| written as | \`${call.size.text.trim().replace(/\|/g, '\\|')}\` |`);
  if (call.size.macros.length) out.push(`| macros | ${call.size.macros.map((m) => `\`${m}\``).join(' → ')} |`);
  // (a VirtualFree's size is what it frees, not a reservation)
  if (value > 0n && call.family !== 'free') {
    const granules = roundUp(value, ALLOCATION_GRANULARITY) / ALLOCATION_GRANULARITY;
    out.push(`| address space | ${granules} × 64 KB granule${granules === 1n ? '' : 's'} (${granules * ALLOCATION_GRANULARITY} bytes) |`);
    const wasted = unusableBytes(value);
    out.push(`| unusable | ${wasted} bytes${wasted === 0n ? '' : ` (${hex(wasted)})`} |`);
  }
  if (call.family === 'reserve')
    out.push(`| reserves | ${call.reserves === undefined ? 'unknown (flags or address not proven)' : call.reserves ? 'yes' : 'no (commit or reset only)'} |`);
  return out;
}
