// The benchmark's report: the goals of the performance issue (23) checked against the medians, and BENCHMARKS.md written from
// bench/results.json (by bench/run.mjs after a run, or with --rewrite).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The wrapper-fixpoint case: trees of this many one-line wrapper files (bench/wrapper-tree.mjs). */
export const WRAPPER_FILES = [1000, 2000, 4000];
const TARGETS = {
  fullVsRg: 3,
  fullVsRgStretch: 2,
  astGrepVsFull: 20,
  singleVsNode: 1.5,
  cacheVsRg: 1,
  editedVsRg: 1.5,
  rssMiB: 300,
  fourCopiesRssMB: 250,
  fourCopiesVsOne: 4.2,
  threadSpeedup: 1.7,
  linearSlack: 1.25,
  lspEditMs: 10,
  twoTargetsVsOne: 1.3,
};

export function median(xs) {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function targets(r) {
  const m = (id) => r.medians[id];
  const out = [];
  const add = (name, measured, target, met, unit = '×') => out.push({ name, measured, target, unit, met });
  if (m('granule') && m('rg')) {
    const x = m('granule').wallMs / m('rg').wallMs;
    add('full wine scan vs rg -l (≤ 3×; stretch ≤ 2×)', x, TARGETS.fullVsRg, x <= TARGETS.fullVsRg);
  }
  if (m('granule') && m('granule --target x64')) {
    // (the configurations issue, 20: what the second default target costs, in CPU time; the wall time beside it)
    const cpu = m('granule').cpuS / m('granule --target x64').cpuS;
    add('two targets (the default) vs one (--target x64), CPU time (≤ 1.3×)', cpu, TARGETS.twoTargetsVsOne, cpu <= TARGETS.twoTargetsVsOne);
    const wall = m('granule').wallMs / m('granule --target x64').wallMs;
    out.push({ name: 'two targets vs one, wall time', measured: wall, target: TARGETS.twoTargetsVsOne, unit: '×', met: undefined });
  }
  if (m('granule') && m('ast-grep')) {
    const x = m('ast-grep').wallMs / m('granule').wallMs;
    add('faster than ast-grep scan (≥ 20×)', x, TARGETS.astGrepVsFull, x >= TARGETS.astGrepVsFull);
  }
  if (m('granule (1 file)') && m("node -e ''")) {
    const x = m('granule (1 file)').wallMs / m("node -e ''").wallMs;
    add("single file vs node -e '' (≤ 1.5×)", x, TARGETS.singleVsNode, x <= TARGETS.singleVsNode);
  }
  if (m('granule --cache') && m('rg')) {
    const x = m('granule --cache').wallMs / m('rg').wallMs;
    add('--cache on the unchanged tree vs rg -l (≤ 1×)', x, TARGETS.cacheVsRg, x <= TARGETS.cacheVsRg);
  }
  if (m('granule --cache, one file edited') && m('rg')) {
    const x = m('granule --cache, one file edited').wallMs / m('rg').wallMs;
    add('--cache with one file edited vs rg -l (≤ 1.5×)', x, TARGETS.editedVsRg, x <= TARGETS.editedVsRg);
  }
  const t1 = r.samples['granule --concurrency 1'];
  const t2 = r.samples['granule --concurrency 2'];
  if (t1 && t2) {
    const pass = (s) => median(s.map((x) => x.timings.find((t) => t.firstPassMs !== undefined)?.firstPassMs));
    const x = pass(t1) / pass(t2);
    add('2 threads vs 1 on the first pass (read, parse, analyse) (≥ 1.7×)', x, TARGETS.threadSpeedup, x >= TARGETS.threadSpeedup);
  }
  const p1 = r.samples['probe, 1 thread'];
  const p2 = r.samples['probe, 2 threads'];
  if (p1 && p2) {
    // not a target: what a second thread gave pure computation on this machine during the same runs
    const work = (s) => median(s.map((x) => x.timings.find((t) => t.firstPassMs !== undefined)?.firstPassMs));
    const x = work(p1) / work(p2);
    out.push({
      name: "the machine itself: 2 threads vs 1 for pure computation (bench/parallel-probe.mjs; granule's ceiling)",
      measured: x,
      target: 2,
      unit: '×',
      met: undefined,
    });
  }
  if (m('granule --concurrency 1') && m('two granules side by side')) {
    // not a target: the work of two single-threaded runs per unit of time, against one run alone
    const x = (2 * m('granule --concurrency 1').wallMs) / m('two granules side by side').wallMs;
    out.push({
      name: "the machine itself: two single-threaded granule runs at once vs one alone (throughput; granule's ceiling for its own work)",
      measured: x,
      target: 2,
      unit: '×',
      met: undefined,
    });
  }
  if (m('granule 1× tree') && m('granule 4× tree')) {
    const x = m('granule 4× tree').wallMs / m('granule 1× tree').wallMs;
    add('4 copies of the tree vs one copy, time (≤ 4.2×)', x, TARGETS.fourCopiesVsOne, x <= TARGETS.fourCopiesVsOne);
    const rss = m('granule 4× tree').maxRssMiB * 1.048576;
    add('peak RSS, 4 copies of the tree (≤ 250 MB)', rss, TARGETS.fourCopiesRssMB, rss <= TARGETS.fourCopiesRssMB, 'MB');
  }
  for (const n of [2, 4]) {
    const a = m('granule 1× tree');
    const b = m(`granule ${n}× tree`);
    if (a && b) {
      const x = b.wallMs / a.wallMs / n;
      add(`linear growth: time of ${n}× the tree ÷ (${n} × time of 1×) (≤ ${TARGETS.linearSlack})`, x, TARGETS.linearSlack, x <= TARGETS.linearSlack);
    }
  }
  const w1 = m(`granule ${WRAPPER_FILES[0].toLocaleString('en')} wrapper files`);
  const wN = m(`granule ${WRAPPER_FILES.at(-1).toLocaleString('en')} wrapper files`);
  if (w1 && wN) {
    const k = WRAPPER_FILES.at(-1) / WRAPPER_FILES[0];
    const x = wN.wallMs / w1.wallMs / k;
    add(
      `wrapper fixpoint: time of ${WRAPPER_FILES.at(-1).toLocaleString('en')} wrapper files ÷ (${k} × time of ${WRAPPER_FILES[0].toLocaleString('en')}) (≤ ${TARGETS.linearSlack})`,
      x,
      TARGETS.linearSlack,
      x <= TARGETS.linearSlack,
    );
  }
  for (const id of ['granule', 'granule --cache', 'granule (1 file)', 'granule 50 MB file']) {
    if (m(id)) add(`peak RSS, ${id} (≤ 300 MB)`, m(id).maxRssMiB * 1.048576, TARGETS.rssMiB, m(id).maxRssMiB * 1.048576 <= TARGETS.rssMiB, 'MB');
  }
  const lspMs = r.lsp?.overLsp?.edit?.median;
  if (typeof lspMs === 'number')
    add('LSP: diagnostics after a one-character edit, 5,000-line file (≤ 10 ms)', lspMs, TARGETS.lspEditMs, lspMs <= TARGETS.lspEditMs, 'ms');
  return out;
}

function fmtS(ms) {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

export function markdown(r) {
  const lines = [];
  const p = (s = '') => lines.push(s);
  p('# granule benchmarks');
  p();
  p(`Written by \`npm run bench\` (bench/run.mjs) on ${r.date.slice(0, 10)}; the raw samples are in \`bench/results.json\`. Every figure`);
  p(`below is the median of ${r.runs} runs (fewer where the table says), taken alternately with the commands it is compared with, after`);
  p("waiting up to 20 s for the machine to be under 15 % busy. Peak RSS is `/usr/bin/time -v`'s maximum resident set size (worker threads");
  p('included). "Others\' load" is the CPU other processes used during the runs, in cores: on a 2-core machine anything above');
  p('about 0.3 makes the numbers pessimistic.');
  if (r.partial) {
    p();
    for (const [group, run] of Object.entries(r.partial.runs)) {
      p(`The group \`${group}\` was measured later, on ${run.date.slice(0, 10)} (granule ${run.granule}, ${run.runs} runs each, load average at start`);
      p(`${run.loadAverageAtStart.join(', ')}); the rest comes from the run described here.`);
    }
  }
  p();
  p('## Machine and versions');
  p();
  p('| | |');
  p('|---|---|');
  const mm = r.machine;
  p(`| CPU | ${mm.cpu}, ${mm.cores} cores |`);
  p(`| memory | ${mm.memoryGiB} GiB |`);
  p(`| OS | ${mm.os}, Linux ${mm.kernel} |`);
  p(`| load average at start | ${mm.loadAverageAtStart.join(', ')} |`);
  for (const [k, v] of Object.entries(r.versions)) p(`| ${k} | ${v} |`);
  p();
  p('## Corpus');
  p();
  p(`Debian's \`wine 8.0~repack-4\` source (orig tarball \`${r.corpus.tarball}\`, sha256 \`${r.corpus.sha256}\`), downloaded once by`);
  p("`bench/fetch-wine.sh` (`apt-get source --download-only wine` through a private deb-src list on the machine's Debian mirror).");
  p(
    `granule scans **${r.corpus.files.toLocaleString('en')} files, ${(r.corpus.bytes / 1e6).toFixed(1)} MB**. The linearity runs use 2 and 4 hard-linked copies`,
  );
  p(
    `(${r.corpus.copies[2].files.toLocaleString('en')} and ${r.corpus.copies[4].files.toLocaleString('en')} files); the memory run uses one ${(r.corpus.bigFile.bytes / 1e6).toFixed(0)} MB file made of wine's`,
  );
  p(`own .c files (the callers of the APIs first). The single-file case is \`${r.corpus.singleFile}\`.`);
  p();
  p(
    `What the tools find: granule ${r.counts.granuleFindings} findings; \`rg -l\` ${r.counts.rgFiles} files${r.counts.astGrepMatches !== undefined ? `; ast-grep ${r.counts.astGrepMatches} call sites` : ''}.`,
  );
  p('(granule reports only the calls that waste address space, among all the calls it evaluates; rg lists files that mention a name.)');
  p();
  p('## Commands');
  p();
  const quote = (a) => (/^[\w@%+=:,./<>-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);
  for (const [id, c] of Object.entries(r.commands)) p(`- **${id}** (in \`${c.cwd}\`): \`${c.argv.map(quote).join(' ')}\``);
  p();
  p('## Results');
  p();
  p("| command | median | min – max | n | peak RSS (median / max) | CPU (median) | others' load |");
  p('|---|---:|---:|---:|---:|---:|---:|');
  for (const [id, s] of Object.entries(r.medians)) {
    p(
      `| ${id} | **${fmtS(s.wallMs)}** | ${fmtS(s.minMs)} – ${fmtS(s.maxMs)} | ${s.n} | ${s.rssMiB.toFixed(0)} / ${s.maxRssMiB.toFixed(0)} MiB | ${s.cpuS.toFixed(2)} s | ${s.otherLoad.toFixed(2)} |`,
    );
  }
  p();
  p('## Goals (the performance issue, 23)');
  p();
  p('| target | measured | goal | met |');
  p('|---|---:|---:|:---:|');
  for (const t of r.targets)
    p(
      `| ${t.name} | ${t.unit === '×' ? `${t.measured.toFixed(2)}×` : `${t.measured.toFixed(0)} ${t.unit}`} | ${t.unit === '×' ? `${t.target}×` : `${t.target} ${t.unit}`} | ${t.met === undefined ? '(for reference)' : t.met ? 'yes' : '**no**'} |`,
    );
  p();
  if (r.profile) {
    p('## Where the time goes');
    p();
    p(
      'One extra full scan under `node --cpu-prof`, loaded from dist/ module by module (`bench/unbundled.mjs`) so that the module of each function is known (all threads added up; self time by part of the program):',
    );
    p();
    const total = Object.values(r.profile.byCategoryMs).reduce((a, b) => a + b, 0);
    p('| part | CPU time | share |');
    p('|---|---:|---:|');
    for (const [k, v] of Object.entries(r.profile.byCategoryMs)) p(`| ${k} | ${fmtS(v)} | ${((100 * v) / total).toFixed(0)} % |`);
    const t = r.profile.timings.find((x) => x.firstPassMs !== undefined);
    if (t)
      p(
        `\nThe first pass (reading, prefilter, windowed parsing and analysis of ${t.candidates} candidate files on ${t.threads} threads) took ${fmtS(t.firstPassMs)} of wall time in that run.`,
      );
    p();
  }
  if (r.lsp) {
    p('## Language server');
    p();
    p('`bench/lsp-edit.mjs` (a one-character edit in a 5,000-line file, then diagnostics):');
    p();
    p('```json');
    p(JSON.stringify(r.lsp, null, 2));
    p('```');
    p();
  }
  const notes = path.join(ROOT, 'bench', 'notes.md');
  if (fs.existsSync(notes)) {
    p(fs.readFileSync(notes, 'utf8').trim());
    p();
  }
  p('## Running it');
  p();
  p('```sh');
  p('apt-get install -y ripgrep time   # once');
  p('npm install && npm install --no-save @ast-grep/cli@0.51.1 && npm run bench   # or: npm run bench -- --runs 10 --skip-ast-grep');
  p('```');
  p();
  return lines.join('\n');
}
