// The runtime shim's own SARIF run: what the recorded program did at each
// call site that left address space unusable. The static run carries the
// per-finding `runtime` properties; this run carries the observations.

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { Finding, RuntimeStatus } from '../engine/model/types.js';
import { FileMatcher } from './merge.js';
import type { CallSite, RuntimeSummary } from './summary.js';

export const SHIM_TOOL_NAME = 'granule-shim';

export interface ShimSarifInput {
  /** Static findings after mergeRuntime (with `runtime` set). */
  findings: Finding[];
  runtimeOnly: Finding[];
  summary: RuntimeSummary;
  root: string;
  toolVersion: string;
  informationUri?: string;
  /** How a file is written in the log; by default repo-relative under %SRCROOT%. */
  artifactLocation?: (file: string) => Sarif.ArtifactLocation;
}

const RULES: Sarif.ReportingDescriptor[] = [
  {
    id: 'virtualalloc-granularity',
    name: 'VirtualallocGranularity',
    shortDescription: { text: 'A recorded reservation left part of its 64 KB granule unusable.' },
  },
  {
    id: 'mapview-granularity',
    name: 'MapviewGranularity',
    shortDescription: { text: 'A recorded view left part of its 64 KB granule unusable.' },
  },
];

function defaultArtifact(root: string): (file: string) => Sarif.ArtifactLocation {
  return (file) => {
    const rel = path.relative(root, file);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return { uri: pathToFileURL(file).href };
    return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  };
}

function statusAt(file: string, line: number, findings: Finding[], runtimeOnly: Finding[]): RuntimeStatus | 'observed' {
  const at = (f: Finding) => f.file === file && line >= f.range.start.line && line <= f.range.end.line;
  const hit = findings.find((f) => at(f) && f.runtime);
  if (hit?.runtime) return hit.runtime.status;
  if (runtimeOnly.some(at)) return 'runtime-only';
  return 'observed';
}

function message(site: CallSite): string {
  const sizes = site.sizes
    .slice(0, 5)
    .map((s) => (s.count > 1 ? `${s.size} ×${s.count}` : `${s.size}`))
    .join(', ');
  return `${site.api} left ${site.unusableBytes} bytes of address space unusable in ${site.wastingCalls} of ${site.calls} recorded call${site.calls === 1 ? '' : 's'} (sizes: ${sizes}${site.sizes.length > 5 ? ', ...' : ''})`;
}

/** A second SARIF run, `tool.driver.name` "granule-shim": one result per wasting call site. */
export function shimSarifRun(input: ShimSarifInput): Sarif.Run {
  const root = path.resolve(input.root);
  const artifact = input.artifactLocation ?? defaultArtifact(root);
  const matcher = new FileMatcher(
    [...input.findings, ...input.runtimeOnly].map((f) => f.file),
    [root],
  );
  const results: Sarif.Result[] = [];
  for (const site of input.summary.callSites) {
    if (site.unusableBytes === 0n || !site.file || site.line <= 0) continue;
    const file = matcher.resolve(site.file);
    // a call site outside the project has no place in the log
    if (file === undefined) continue;
    const ruleId = site.api.startsWith('MapViewOfFile') ? 'mapview-granularity' : 'virtualalloc-granularity';
    const status = statusAt(file, site.line, input.findings, input.runtimeOnly);
    results.push({
      ruleId,
      ruleIndex: RULES.findIndex((r) => r.id === ruleId),
      level: status === 'runtime-only' ? 'warning' : 'note',
      message: { text: message(site) },
      locations: [{ physicalLocation: { artifactLocation: artifact(file), region: { startLine: site.line } } }],
      properties: {
        runtime: status,
        api: site.api,
        function: site.func,
        calls: site.calls,
        wastingCalls: site.wastingCalls,
        failedCalls: site.failedCalls,
        sizes: site.sizes.map((s) => s.size.toString()),
        unusable: site.unusableBytes.toString(),
        reserved: site.reservedBytes.toString(),
        stack: site.frames,
      },
    });
  }
  return {
    tool: {
      driver: {
        name: SHIM_TOOL_NAME,
        semanticVersion: input.toolVersion,
        ...(input.informationUri ? { informationUri: input.informationUri } : {}),
        rules: RULES,
      },
    },
    results,
    properties: {
      records: input.summary.records,
      reservations: input.summary.reservations,
      wastingCalls: input.summary.wastingCalls,
      reservedBytes: input.summary.reservedBytes.toString(),
      committedBytes: input.summary.committedBytes.toString(),
      unusableBytes: input.summary.unusableBytes.toString(),
      // only when releases were recorded: without them, what is live is unknown
      ...(input.summary.releases > 0
        ? {
            releases: input.summary.releases,
            peakUnusableBytes: input.summary.peakUnusableBytes.toString(),
            unusableAtExitBytes: input.summary.unusableAtExitBytes.toString(),
            leakedReservations: input.summary.leakedReservations,
            leakedBytes: input.summary.leakedBytes.toString(),
          }
        : {}),
    },
  };
}
