// A file of thousands of one-line wrappers, each called once, is analysed with work that grows linearly: a
// 347 KB file of 4,000 wrappers once ran into the per-file time limit and lost its findings. Measured by the
// analyzer's own counts (rounds, sites looked at, calls evaluated), not by time.

import { describe, expect, it } from 'vitest';
import { analyzeFile, type AnalysisOptions } from '../../../src/engine/analysis/analyze.js';
import { targetModel } from '../../../src/engine/model/target.js';

const options: AnalysisOptions = { model: targetModel('x64'), defines: {}, undefines: [], includePaths: [], forceIncludes: [], readFile: () => undefined };

/** n wrappers `void *wrapK(SIZE_T n)` and one function calling each with 4096. */
function wrappersInOneFile(n: number): string {
  const lines: string[] = [];
  for (let k = 0; k < n; k++) lines.push(`void *wrap${k}(SIZE_T n) { return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_NOACCESS); }`);
  lines.push('void g(void) {');
  for (let k = 0; k < n; k++) lines.push(`    wrap${k}(4096);`);
  lines.push('}', '');
  return lines.join('\n');
}

describe("the analyzer's work on one file of many wrappers", () => {
  it('is linear in the wrappers: two rounds, each site looked at once per round, a fixed number of evaluations per wrapper', () => {
    const sizes = [250, 1000, 4000];
    const efforts = sizes.map((n) => {
      const analysis = analyzeFile('wrappers.c', wrappersInOneFile(n), options, { wrappers: new Map() });
      // every call through a wrapper is found, at its own line
      const throughWrappers = analysis.calls.filter((c) => c.range.start.line > n + 1);
      expect(throughWrappers.length).toBe(n);
      expect(throughWrappers.every((c) => c.size.value.known && c.size.value.value === 4096n)).toBe(true);
      expect(throughWrappers.map((c) => c.range.start.line)).toEqual(Array.from({ length: n }, (_, k) => n + 2 + k));
      return analysis.effort;
    });
    for (const [i, n] of sizes.entries()) {
      // round 1 finds the n API calls (the wrappers); round 2 the n calls through them, and nothing new
      expect(efforts[i]!.rounds).toBe(2);
      // round 1: the n API calls; round 2: those again, and each wrapper's name at its definition and its call
      expect(efforts[i]!.sitesExamined).toBe(n + 3 * n);
      // a fixed number of evaluations per wrapper, whatever their count (each call once per round, no wrapper per wrapper)
      expect(efforts[i]!.evaluations).toBe(4 * n);
    }
  }, 120_000);
});
