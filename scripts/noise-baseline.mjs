// How noisy granule is on real code: runs the built CLI (bin/granule.js, so `npm run build` first) on real
// open-source trees and prints, per tree, the number of findings by rule, level and lifetime, as a Markdown table
// for docs/noise.md. Run it before and after a change to see whether noise went up or down.
//
//   node scripts/noise-baseline.mjs                  the corpora of scripts/fetch-corpus.sh (wine, php, 7zip)
//   node scripts/noise-baseline.mjs DIR [DIR ...]    any trees
//   node scripts/noise-baseline.mjs --unresolved     also count unresolved sizes (unresolved-allocation-size on)
//
// Trees are read from $GRANULE_CORPUS_DIR (else ~/.cache/granule-corpus); a corpus that is missing is listed
// as missing, never silently left out (`sh scripts/fetch-corpus.sh wine php 7zip` fetches them).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = process.env.GRANULE_CORPUS_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'granule-corpus');
const DEFAULT_TREES = ['wine', 'php', '7zip'];

const args = process.argv.slice(2);
const unresolved = args.includes('--unresolved');
const named = args.filter((a) => a !== '--unresolved');
const trees = named.length > 0 ? named.map((d) => path.resolve(d)) : DEFAULT_TREES.map((name) => path.join(CORPUS, name));

/** One tree's findings counted by "rule · level · lifetime", or why the tree could not be scanned. */
function countTree(dir) {
  if (!fs.existsSync(dir)) return { missing: true };
  const argv = [path.join(ROOT, 'bin', 'granule.js'), dir, '--format', 'json'];
  if (unresolved) argv.push('--rule', 'unresolved-allocation-size:warn');
  const run = spawnSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 30 });
  // exit 1 means findings; anything else means the run did not check the tree
  if (run.status !== 0 && run.status !== 1) return { error: (run.stderr || `exit ${run.status}`).trim().split('\n')[0] };
  const report = JSON.parse(run.stdout);
  const counts = new Map();
  for (const f of report.findings) {
    const key = [f.ruleId, f.severity, f.properties?.lifetime ?? '-'].join(' · ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { counts, total: report.findings.length, files: report.filesScanned };
}

const rows = ['| tree | files | findings | rule · level · lifetime: count |', '| --- | ---: | ---: | --- |'];
for (const dir of trees) {
  const name = path.basename(dir);
  const result = countTree(dir);
  if (result.missing) rows.push(`| ${name} | | | missing: ${dir} |`);
  else if (result.error) rows.push(`| ${name} | | | not scanned: ${result.error} |`);
  else {
    const detail = [...result.counts].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => `${key}: ${n}`);
    rows.push(`| ${name} | ${result.files} | ${result.total} | ${detail.join('<br>') || 'none'} |`);
  }
}
console.log(rows.join('\n'));
