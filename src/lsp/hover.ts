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

/** The hover for the call at `offset`, or undefined when no allocation call is there. */
export function hoverAt(offset: number, calls: readonly AllocationCall[], findings: readonly Finding[]): Hover | undefined {
  const call = calls.find((c) => c.range.start.offset <= offset && offset <= c.range.end.offset);
  if (!call) return undefined;
  const own = findings.filter((f) => f.range.start.offset === call.range.start.offset && f.range.end.offset === call.range.end.offset);
  const lines: string[] = [];
  for (const f of own) {
    const url = rulesById.get(f.ruleId)?.meta.docs.url;
    lines.push(
      `**granule** [${f.ruleId}](${url}) (${f.severity === 'error' ? 'error' : 'warning'}${f.suppressed ? ', disabled by a comment' : ''}): ${f.message}`,
      '',
    );
  }
  if (own.length === 0) lines.push(`**granule**: \`${call.callee}\` reaches \`${call.api}\``, '');
  lines.push(...sizeLines(call), '');
  if (call.evidence.length) {
    lines.push('**How granule got there**', '');
    call.evidence.forEach((step, i) => lines.push(`${i + 1}. ${step.message.replace(/\n/g, ' ')} — ${path.basename(step.file)}:${step.range.start.line}`));
  }
  const contents: MarkupContent = { kind: 'markdown', value: lines.join('\n').trim() };
  return { contents, range: toLspRange(call.range) };
}

function sizeLines(call: AllocationCall): string[] {
  const size = call.size.value;
  if (!size.known) return [`Size: not proven (${size.reason}).`];
  const value = size.value;
  const out = [`| | |`, `|---|---|`, `| size | ${byteCount(value)} (${hex(value)}) |`];
  if (call.size.text && call.size.text.trim() !== value.toString()) out.push(`| written as | \`${call.size.text.trim().replace(/\|/g, '\\|')}\` |`);
  if (call.size.macros.length) out.push(`| macros | ${call.size.macros.map((m) => `\`${m}\``).join(' → ')} |`);
  if (value > 0n) {
    const granules = roundUp(value, ALLOCATION_GRANULARITY) / ALLOCATION_GRANULARITY;
    out.push(`| address space | ${granules} × 64 KB granule${granules === 1n ? '' : 's'} (${granules * ALLOCATION_GRANULARITY} bytes) |`);
    const wasted = unusableBytes(value);
    out.push(`| unusable | ${wasted} bytes${wasted === 0n ? '' : ` (${hex(wasted)})`} |`);
  }
  if (call.family === 'reserve')
    out.push(`| reserves | ${call.reserves === undefined ? 'unknown (flags or address not proven)' : call.reserves ? 'yes' : 'no (commit or reset only)'} |`);
  return out;
}
