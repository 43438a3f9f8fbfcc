#!/usr/bin/env node
// The long fuzzing campaign: `npm run fuzz -- --count 10000 [--seed N] [--out DIR] [--threads N] [--no-build]`.
// Mutated fixture sources (test/fuzz/harness.mjs) are linted with the built engine (dist/); every input
// whose run throws, reports an internal error or a time limit, loses the healthy file's finding, writes an
// invalid report or disagrees with itself is saved to --out with the problems found. Exit 1 when any was.
// `--replay FILE.json` runs one saved input again and prints its problems.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { checkInput, inputArbitrary, ROOT, signature } from './harness.mjs';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: process.env.GRANULE_FUZZ_COUNT ?? '1000' },
    seed: { type: 'string' },
    out: { type: 'string' },
    'file-timeout': { type: 'string', default: '20' },
    threads: { type: 'string' },
    replay: { type: 'string' },
    'no-build': { type: 'boolean' },
  },
});

const count = Number(values.count);
if (!Number.isInteger(count) || count < 1) {
  console.error(`fuzz: --count expects a positive whole number, got "${values.count}"`);
  process.exit(2);
}
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const fileTimeout = Number(values['file-timeout']) * 1000;
// --threads N: each input is also linted on N worker threads, and must give the same report
const threads = values.threads !== undefined ? Number(values.threads) : undefined;

if (!values['no-build']) {
  // the campaign runs the built engine: build it from the current sources first
  const build = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
  if (build.status !== 0) console.error('fuzz: the build reported errors; fuzzing what was emitted');
}

const dist = (p) => import(path.join(ROOT, 'dist', p));
const [{ lintPaths, defaultLintOptions }, { formatters }, { decode, LineMap }] = await Promise.all([
  dist('engine/runner/lint.js'),
  dist('formats/index.js'),
  dist('engine/text/source.js'),
]);
const engine = { lintPaths, defaultLintOptions, formatters, decode, LineMap };
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-fuzz-'));

if (values.replay) {
  const input = JSON.parse(fs.readFileSync(values.replay, 'utf8')).input;
  const started = performance.now();
  const { problems } = await checkInput(engine, input, work, { fileTimeout, threads });
  console.log(JSON.stringify({ problems, ms: Math.round(performance.now() - started) }, null, 2));
  fs.rmSync(work, { recursive: true, force: true });
  process.exit(problems.length ? 1 : 0);
}

const out = values.out ?? fs.mkdtempSync(path.join(os.tmpdir(), 'granule-fuzz-failures-'));
fs.mkdirSync(out, { recursive: true });
console.log(`fuzz: ${count} inputs, seed ${seed}, file timeout ${fileTimeout / 1000} s${threads ? `, also on ${threads} threads` : ''}, failures to ${out}`);

const inputs = fc.sample(inputArbitrary(), { numRuns: count, seed });
const failures = new Map();
let failed = 0;
let slowest = { ms: 0, index: -1 };
const started = performance.now();
for (let i = 0; i < inputs.length; i++) {
  const t = performance.now();
  const { problems, bytes } = await checkInput(engine, inputs[i], work, { fileTimeout, threads });
  const ms = performance.now() - t;
  if (ms > slowest.ms) slowest = { ms, index: i };
  if (problems.length) {
    failed++;
    const name = `input-${i}`;
    fs.writeFileSync(path.join(out, `${name}.json`), JSON.stringify({ seed, index: i, input: inputs[i], problems }, null, 2));
    fs.writeFileSync(path.join(out, `${name}${path.extname(inputs[i].seed)}`), bytes);
    for (const p of problems) {
      const key = signature(p);
      const entry = failures.get(key) ?? { count: 0, first: name, example: p.split('\n').slice(0, 6).join('\n') };
      entry.count++;
      failures.set(key, entry);
    }
  }
  if ((i + 1) % 250 === 0 || i + 1 === inputs.length) {
    const s = ((performance.now() - started) / 1000).toFixed(0);
    console.log(`fuzz: ${i + 1}/${inputs.length} inputs, ${failed} failing, ${s} s`);
  }
}
fs.rmSync(work, { recursive: true, force: true });

const summary = {
  inputs: inputs.length,
  seed,
  threads: threads ?? 0,
  failing: failed,
  distinctProblems: failures.size,
  seconds: Math.round((performance.now() - started) / 1000),
  slowestInput: { index: slowest.index, ms: Math.round(slowest.ms) },
  problems: [...failures].map(([key, v]) => ({ signature: key, count: v.count, first: v.first, example: v.example })),
};
console.log(JSON.stringify(summary, null, 2));
if (failed === 0) fs.rmSync(out, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
