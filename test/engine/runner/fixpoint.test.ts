// The wrapper fixpoint's work grows linearly with the files: N one-line wrappers, each in its own file and each
// called once from a main file, must not make every file look at every wrapper name in every round. Measured by
// what the rounds report (files analysed, wrapper names offered to them), not by time.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultLintOptions, lintPaths } from '../../../src/engine/runner/lint.js';
import type { RoundStats } from '../../../src/engine/runner/options.js';
import { scanProject } from '../../../src/engine/runner/project-scan.js';
import { HeaderCache } from '../../../src/engine/preprocess/header-cache.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** N wrapper files `void *wrapK(SIZE_T n)` and a main.c that calls each once with 4096. */
function wrapperTree(n: number): { dir: string; files: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `granule-fixpoint-${n}-`));
  made.push(dir);
  const files: string[] = [];
  const calls: string[] = [];
  for (let k = 0; k < n; k++) {
    const file = path.join(dir, `wrap${k}.c`);
    fs.writeFileSync(file, `void *wrap${k}(SIZE_T n){return VirtualAlloc(NULL,n,MEM_RESERVE,PAGE_NOACCESS);}\n`);
    files.push(file);
    calls.push(`  wrap${k}(4096);`);
  }
  fs.writeFileSync(path.join(dir, 'main.c'), `void main(void){\n${calls.join('\n')}\n}\n`);
  files.push(path.join(dir, 'main.c'));
  return { dir, files };
}

/** Files analysed and wrapper names offered, summed over the rounds. */
function work(rounds: RoundStats[]): { analysed: number; offered: number } {
  return { analysed: rounds.reduce((s, r) => s + r.analysed, 0), offered: rounds.reduce((s, r) => s + r.namesOffered, 0) };
}

describe('the wrapper fixpoint', () => {
  // (past 32 wrappers the analysis once switched to listing each file's words: both sizes are beyond that)
  const sizes = [60, 120];

  it('in a CLI run, analyses each file about once and offers each only the names it mentions', async () => {
    const measured = [];
    for (const n of sizes) {
      const { dir } = wrapperTree(n);
      const rounds: RoundStats[] = [];
      // (one target: each target has its own fixpoint, with its own rounds)
      const report = await lintPaths([dir], { ...defaultLintOptions(dir), target: 'x64', concurrency: 'off', onRound: (r) => rounds.push(r) });
      expect(report.findings.length).toBe(n);
      measured.push(work(rounds));
    }
    for (const [i, n] of sizes.entries()) {
      // every wrapper file once, main.c once: no file is analysed again for its own wrapper
      expect(measured[i]!.analysed).toBe(n + 1);
      // main.c is offered the n names it calls; the wrapper files none (they define theirs)
      expect(measured[i]!.offered).toBe(n);
    }
  });

  it('in a project scan (language server, ESLint), the same', () => {
    for (const n of sizes) {
      const { dir, files } = wrapperTree(n);
      const rounds: RoundStats[] = [];
      const { scan } = scanProject(files, defaultLintOptions(dir), new HeaderCache(), (r) => rounds.push(r));
      expect(scan.wrappers.size).toBe(n);
      expect(work(rounds)).toEqual({ analysed: n + 1, offered: n });
    }
  });
});
