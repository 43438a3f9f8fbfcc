#!/usr/bin/env node
// granule's benchmark (npm run bench): the wine 8.0 source tree (4,900 C files, 177 MB) scanned by granule,
// side by side with ripgrep and ast-grep, plus the single-file (pre-commit), --cache, thread, linearity and
// memory and wrapper-fixpoint cases. Commands of a group run alternately, each one N times (default 5), after waiting for the
// machine to be quiet; medians are reported. Writes BENCHMARKS.md (with bench/notes.md, the written analysis,
// appended) and bench/results.json.
//
//   npm run bench [-- --runs N] [--no-build] [--skip-ast-grep] [--quiet-wait SECONDS] [--only GROUP,...]
//   npm run bench -- --rewrite     BENCHMARKS.md again from bench/results.json (after editing bench/notes.md)
//   npm run bench -- --only wrappers,...   only these groups; the other groups' results are kept from bench/results.json
//
// Needs: apt (to download the wine source once, ~83 MB, by scripts/fetch-corpus.sh into ~/.cache/granule-corpus),
// ripgrep, GNU time (/usr/bin/time, for peak memory), `npm install`, and ast-grep for the comparison:
// `npm install --no-save @ast-grep/cli@0.51.1` (not a devDependency: only this script uses it, and its
// postinstall fails wherever optional dependencies are left out), or --skip-ast-grep.

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { markdown, median, targets, WRAPPER_FILES } from './report.mjs';
import { wrapperTree } from './wrapper-tree.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const RUNS = Math.max(1, Number(value('--runs', '5')) || 5);
const QUIET_WAIT_S = Number(value('--quiet-wait', '20'));
const ONLY = value('--only', '') ? new Set(value('--only', '').split(',')) : undefined;
const CACHE = process.env.GRANULE_BENCH_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'granule-bench');
const GRANULE = path.join(ROOT, 'bin', 'granule.js');
const AST_GREP = path.join(ROOT, 'node_modules', '.bin', 'ast-grep');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-bench-'));
const SINGLE_FILE = 'dlls/kernelbase/memory.c';
// the file the "one file edited" case changes before each --cache run (a caller of the APIs)
const EDITED_FILE = 'dlls/kernel32/tests/virtual.c';
// the API names granule checks, as one regular expression (for rg and ast-grep)
const API_REGEX = '(VirtualAlloc(Ex|ExNuma|2|2FromApp|FromApp)?|[NZ][tw]AllocateVirtualMemory(Ex)?|MapViewOfFile(Ex|ExNuma|FromApp|2|3|3FromApp|Numa2)?)';

function log(line) {
  process.stderr.write(`bench: ${line}\n`);
}

function have(cmd, argv = ['--version']) {
  try {
    execFileSync(cmd, argv, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function firstLine(cmd, argv = ['--version']) {
  try {
    return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')[0]
      .trim();
  } catch {
    return 'not available';
  }
}

// ---- preparation ----

function prepare() {
  const missing = [];
  // (ripgrep is the full-tree comparison: a run of other groups only does without it)
  if (!have('rg') && (!ONLY || ONLY.has('full'))) missing.push('ripgrep (apt-get install ripgrep)');
  if (!fs.existsSync('/usr/bin/time')) missing.push('GNU time (apt-get install time)');
  if (missing.length) {
    log(`missing tools: ${missing.join(', ')}`);
    process.exit(2);
  }
  if (!flag('--no-build')) {
    log('building (npm run build)');
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  const fetched = spawnSync('sh', [path.join(ROOT, 'bench', 'fetch-wine.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (fetched.status === 3) {
    log('skipped: the wine source cannot be downloaded on this machine (no apt)');
    process.exit(0);
  }
  if (fetched.status !== 0) {
    log('could not get the wine source');
    process.exit(2);
  }
  const wine = fetched.stdout.trim();
  const copies = (n) => {
    if (n === 1) return wine;
    const dir = path.join(CACHE, `copies-${n}`);
    if (!fs.existsSync(path.join(dir, '.complete'))) {
      log(`making ${n} copies of the tree (hard links) in ${dir}`);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      for (let i = 1; i <= n; i++) execFileSync('cp', ['-al', wine, path.join(dir, `copy${i}`)]);
      fs.writeFileSync(path.join(dir, '.complete'), '');
    }
    return dir;
  };
  // (the 50 MB file is made only for a run that measures it, or one that reports everything)
  return { wine, copies, big: !ONLY || ONLY.has('memory') ? bigFile(wine) : undefined };
}

/** One 50 MB C file: wine's own sources (the API callers first) concatenated, as a generated file might be. */
function bigFile(wine) {
  const file = path.join(CACHE, 'big', 'wine-50mb.c');
  if (fs.existsSync(file) && fs.statSync(file).size >= 50 * 1024 * 1024) return file;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sources = execFileSync('find', [wine, '-name', '*.c', '-type', 'f'], { encoding: 'utf8', maxBuffer: 1 << 26 })
    .split('\n')
    .filter(Boolean)
    .sort();
  const callers = sources.filter((f) => fs.readFileSync(f).includes('VirtualAlloc'));
  const out = fs.openSync(`${file}.partial`, 'w');
  let size = 0;
  for (const f of [...callers, ...sources.filter((s) => !callers.includes(s))]) {
    if (size >= 50 * 1024 * 1024) break;
    const bytes = fs.readFileSync(f);
    fs.writeSync(out, `\n/* ---- ${path.relative(wine, f)} ---- */\n`);
    fs.writeSync(out, bytes);
    size += bytes.length;
  }
  fs.closeSync(out);
  fs.renameSync(`${file}.partial`, file);
  return file;
}

// ---- measuring ----

/** Busy and total CPU jiffies of the whole machine. */
function cpuTimes() {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = line[3] + (line[4] || 0);
  const total = line.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

function sleepMs(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Waits (up to --quiet-wait seconds) until the machine is under 15 % busy; returns the last busy fraction. */
function waitForQuiet() {
  const deadline = Date.now() + QUIET_WAIT_S * 1000;
  let busy;
  do {
    const a = cpuTimes();
    sleepMs(500);
    const b = cpuTimes();
    busy = (b.busy - a.busy) / Math.max(1, b.total - a.total);
    if (busy < 0.15) break;
  } while (Date.now() < deadline);
  return busy;
}

const HZ = 100;

/** Runs a command once under /usr/bin/time -v: wall time, peak RSS, CPU, exit status, the others' load. */
function sample(cmd) {
  const busyBefore = waitForQuiet();
  const a = cpuTimes();
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-v', ...cmd.argv], {
    cwd: cmd.cwd,
    env: { ...process.env, ...cmd.env },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const b = cpuTimes();
  const err = r.stderr || '';
  const num = (re) => {
    const m = re.exec(err);
    return m ? Number(m[1]) : NaN;
  };
  const cpuS = num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/);
  const machineBusyS = (b.busy - a.busy) / HZ;
  const timings = [...err.matchAll(/^granule-timings (\{.*\})$/gm)].map((m) => JSON.parse(m[1]));
  return {
    wallMs,
    rssMiB: num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024,
    cpuS,
    exit: num(/Exit status: (\d+)/),
    // CPU that other processes used during the run, in cores (0 = the machine was ours)
    otherLoad: Math.max(0, (machineBusyS - cpuS) / (wallMs / 1000)),
    busyBefore,
    timings,
  };
}

function summary(samples) {
  const wall = samples.map((s) => s.wallMs);
  return {
    n: samples.length,
    wallMs: median(wall),
    minMs: Math.min(...wall),
    maxMs: Math.max(...wall),
    rssMiB: median(samples.map((s) => s.rssMiB)),
    maxRssMiB: Math.max(...samples.map((s) => s.rssMiB)),
    cpuS: median(samples.map((s) => s.cpuS)),
    otherLoad: median(samples.map((s) => s.otherLoad)),
    exits: [...new Set(samples.map((s) => s.exit))],
  };
}

/** Runs the commands of a group alternately (the order rotates each round). */
function measureGroup(name, commands, runs = RUNS) {
  log(`group ${name}: ${commands.map((c) => c.id).join(', ')} × ${runs}`);
  const samples = Object.fromEntries(commands.map((c) => [c.id, []]));
  for (let round = 0; round < runs; round++) {
    const order = commands.map((_, i) => commands[(i + round) % commands.length]);
    for (const cmd of order) {
      const s = sample(cmd);
      samples[cmd.id].push(s);
      log(`  ${cmd.id}: ${(s.wallMs / 1000).toFixed(3)} s, ${s.rssMiB.toFixed(0)} MiB, exit ${s.exit}, others' load ${s.otherLoad.toFixed(2)}`);
    }
  }
  return samples;
}

// ---- the profile: where granule's time goes ----

function categorize(frame) {
  const url = frame.url || '';
  const fn = frame.functionName || '';
  // the engine's layer folder (dist/engine/<layer>/<module>.js) and module
  const [, layer = '', mod = ''] = /engine\/(\w+)\/([\w-]+)\.js/.exec(url) ?? [];
  if (fn === '(garbage collector)') return 'garbage collection';
  if (fn === '(idle)') return 'idle (waiting for threads)';
  if (url.includes('tree-sitter/index.js')) return fn.includes('parse') ? 'tree-sitter: parsing' : 'tree-sitter: tree access';
  if (layer === 'files' || ['prefilter', 'candidates'].includes(mod)) return 'discovery, reading, prefilter';
  if (!url && /^(read|open|close|fstat|readdir|lstat|indexOfBuffer|indexOfString|latin1Slice)$/.test(fn)) return 'discovery, reading, prefilter';
  if (!url && fn.startsWith('RegExp:') && /VirtualAlloc|AllocateVirtualMemory|MapViewOfFile/.test(fn) && fn.includes('|'))
    return 'discovery, reading, prefilter';
  if (mod === 'window' || mod === 'outline' || mod === 'blanking') return 'windows (outline, blanking)';
  if (['preprocess', 'macros'].includes(layer) || ['neutralize', 'tokens', 'lexer'].includes(mod)) return 'preprocessor and macros';
  if (layer === 'types' || ['declared-types', 'type-builder', 'header-types', 'sdk-types'].includes(mod)) return 'types (sizeof, layouts, SDK)';
  if (['lifetime', 'lifetime-paths', 'releases', 'path-values', 'root-causes'].includes(mod)) return 'lifetimes and paths';
  if (layer === 'analysis' || layer === 'evaluate' || layer === 'parse' || layer === 'text' || layer === 'model') return 'analysis (calls, values, wrappers)';
  if (['workers', 'worker', 'threads', 'collect'].includes(mod)) return 'threads';
  if (/\/(rules|formats|cli|config)\//.test(url) || layer === 'linter' || layer === 'cache' || layer === 'runner') return 'rules, report, pipeline';
  if (url.startsWith('node:') || !url) return 'Node.js (start-up, modules, buffers)';
  return 'other';
}

function profile(wine) {
  const dir = path.join(TMP, 'profile');
  fs.mkdirSync(dir);
  // (unbundled, so that each function's module is known)
  const r = spawnSync(
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${dir}`, path.join(ROOT, 'bench', 'unbundled.mjs'), '--format', 'sarif', '-o', path.join(TMP, 'profile.sarif'), '.'],
    {
      cwd: wine,
      env: { ...process.env, GRANULE_TIMINGS: '1' },
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const byCategory = {};
  const threads = [];
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.cpuprofile'))) {
    const p = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    const self = new Map();
    for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) || 0) + (p.timeDeltas[i] || 0));
    let total = 0;
    for (const node of p.nodes) {
      const us = self.get(node.id) || 0;
      total += us;
      const c = categorize(node.callFrame);
      byCategory[c] = (byCategory[c] || 0) + us / 1000;
    }
    threads.push({ profile: f, sampledMs: total / 1000 });
  }
  const timings = [...(r.stderr || '').matchAll(/^granule-timings (\{.*\})$/gm)].map((m) => JSON.parse(m[1]));
  return { byCategoryMs: Object.fromEntries(Object.entries(byCategory).sort((a, b) => b[1] - a[1])), threads, timings };
}

// ---- facts about the machine and the corpus ----

function machine() {
  const cpu = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const osName = fs.existsSync('/etc/os-release') ? fs.readFileSync('/etc/os-release', 'utf8').match(/PRETTY_NAME="?([^"\n]*)/)?.[1] : os.type();
  return {
    cpu,
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: osName,
    kernel: os.release(),
    loadAverageAtStart: os.loadavg().map((x) => Number(x.toFixed(2))),
  };
}

function versions() {
  const pkg = (name) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      return 'not installed';
    }
  };
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (execFileSync('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim())
      commit += ' (with uncommitted changes)';
  } catch {
    // not a git checkout
  }
  return {
    granule: `${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version} (${commit})`,
    node: process.version,
    'tree-sitter': pkg('granule-tree-sitter'),
    'tree-sitter-c': pkg('tree-sitter-c'),
    'tree-sitter-cpp': pkg('tree-sitter-cpp'),
    ripgrep: firstLine('rg'),
    'ast-grep': fs.existsSync(AST_GREP) ? firstLine(AST_GREP) : 'not installed',
    'GNU time': firstLine('/usr/bin/time', ['--version']),
  };
}

async function corpus(dir) {
  const { listSourceFiles } = await import(path.join(ROOT, 'dist', 'engine', 'files', 'walk.js'));
  const files = await listSourceFiles(dir);
  let bytes = 0;
  for (const f of files) bytes += fs.statSync(f).size;
  return { files: files.length, bytes };
}

// ---- the run ----

async function main() {
  const { wine, copies, big } = prepare();
  const startedAt = new Date().toISOString();
  const source = fs.existsSync(path.join(wine, '.source')) ? fs.readFileSync(path.join(wine, '.source'), 'utf8').trim().split('\n') : [];
  const tree = await corpus(wine);
  log(`wine: ${tree.files} files, ${(tree.bytes / 1e6).toFixed(1)} MB in ${wine}`);
  const cmds = commands(wine, copies, big);
  fs.writeFileSync(
    path.join(TMP, 'rule.yml'),
    `id: granule-api-call\nlanguage: c\nrule:\n  kind: call_expression\n  has:\n    field: function\n    regex: '^${API_REGEX}$'\n`,
  );
  const { counts, astGrepOk } = countFindings(cmds, wine);
  const samples = measureAll(cmds, astGrepOk);
  const lsp = want('lsp') ? lspEdit() : undefined;
  const prof = want('profile') ? profile(wine) : undefined;

  const results = {
    date: startedAt,
    machine: machine(),
    versions: versions(),
    corpus: {
      name: 'Debian wine 8.0~repack-4 (orig tarball)',
      path: wine,
      tarball: source[0],
      sha256: source[1],
      ...tree,
      copies: want('linear') ? { 2: await corpus(copies(2)), 4: await corpus(copies(4)) } : undefined,
      bigFile: big && { path: big, bytes: fs.statSync(big).size },
      singleFile: SINGLE_FILE,
    },
    runs: RUNS,
    commands: commandsUsed(cmds, wine),
    counts,
    medians: Object.fromEntries(Object.entries(samples).map(([id, s]) => [id, summary(s)])),
    samples,
    lsp,
    profile: prof,
  };
  if (ONLY) keepEarlierResults(results);
  results.targets = targets(results);
  fs.writeFileSync(path.join(ROOT, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  fs.writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), markdown(results));
  fs.rmSync(TMP, { recursive: true, force: true });
  log('wrote BENCHMARKS.md and bench/results.json');
}

/** Whether this run measures the group (--only). */
function want(group) {
  return !ONLY || ONLY.has(group);
}

const out = (name) => path.join(TMP, name);

/**
 * The tree the "one file edited" case changes: the wine tree hard-linked, except the edited file, which is a copy of
 * its own (so the corpus and the other cases' trees never change).
 */
function editedTree(wine) {
  const dir = path.join(CACHE, 'edited');
  if (!fs.existsSync(path.join(dir, '.granule-bench-edited'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    // (on a fresh machine the bench's cache folder is made here first: `--only full` makes no other tree before it)
    fs.mkdirSync(CACHE, { recursive: true });
    execFileSync('cp', ['-al', wine, dir]);
    fs.rmSync(path.join(dir, EDITED_FILE));
    fs.copyFileSync(path.join(wine, EDITED_FILE), path.join(dir, EDITED_FILE));
    fs.writeFileSync(path.join(dir, '.granule-bench-edited'), '');
  }
  return dir;
}

/** Every command the groups time, by key. */
function commands(wine, copies, big) {
  const granule = (id, argv, extra = {}) => ({ id, argv: [process.execPath, GRANULE, ...argv], cwd: wine, ...extra });
  const cmds = {
    granule: granule('granule', ['--format', 'sarif', '-o', out('full.sarif'), '.']),
    // the default checks two targets (x64 and x86); this is what one of them costs alone
    oneTarget: granule('granule --target x64', ['--target', 'x64', '--format', 'sarif', '-o', out('x64.sarif'), '.']),
    rg: { id: 'rg', argv: ['rg', '-l', '-g', '*.{c,h,cc,cpp,cxx,hpp}', '-e', API_REGEX, '.'], cwd: wine },
    astGrep: { id: 'ast-grep', argv: [AST_GREP, 'scan', '-r', path.join(TMP, 'rule.yml'), '--json=compact', '.'], cwd: wine },
    cache: granule('granule --cache', ['--cache', '--cache-location', out('cache/'), '--format', 'sarif', '-o', out('cached.sarif'), '.']),
    // one file edited since the cached run: the file is the original with one more comment line each time (a new
    // text every run; the bench puts the original back at the end)
    edited: {
      id: 'granule --cache, one file edited',
      argv: [
        'sh',
        '-c',
        'cp "$0" "$1" && echo "/* edit $$ */" >> "$1" && exec "$2" "$3" --cache --cache-location "$4" --format sarif -o "$5" .',
        out('edited-original.c'),
        EDITED_FILE,
        process.execPath,
        GRANULE,
        // (a cache of its own: the unchanged-tree runs must find the tree as their cache last saw it)
        out('edited-cache/'),
        out('edited.sarif'),
      ],
      cwd: editedTree(wine),
    },
    // the pre-commit case: one staged file, the default report on standard output
    single: granule('granule (1 file)', [SINGLE_FILE]),
    node: { id: "node -e ''", argv: [process.execPath, '-e', ''], cwd: wine },
    threads1: granule('granule --concurrency 1', ['--concurrency', '1', '--format', 'sarif', '-o', out('t1.sarif'), '.'], { env: { GRANULE_TIMINGS: '1' } }),
    threads2: granule('granule --concurrency 2', ['--concurrency', '2', '--format', 'sarif', '-o', out('t2.sarif'), '.'], { env: { GRANULE_TIMINGS: '1' } }),
    // granule's own work on the machine's second core, with nothing shared: two single-threaded runs at once
    pair: {
      id: 'two granules side by side',
      argv: [
        'sh',
        '-c',
        '"$0" "$1" --concurrency 1 --format sarif -o "$2" . & "$0" "$1" --concurrency 1 --format sarif -o "$3" . & wait',
        process.execPath,
        GRANULE,
        out('pair-a.sarif'),
        out('pair-b.sarif'),
      ],
      cwd: wine,
    },
    probe1: { id: 'probe, 1 thread', argv: [process.execPath, path.join(ROOT, 'bench', 'parallel-probe.mjs'), '1'], cwd: wine },
    probe2: { id: 'probe, 2 threads', argv: [process.execPath, path.join(ROOT, 'bench', 'parallel-probe.mjs'), '2'], cwd: wine },
    copies1: granule('granule 1× tree', ['--format', 'sarif', '-o', out('c1.sarif'), '.']),
    copies2: { ...granule('granule 2× tree', ['--format', 'sarif', '-o', out('c2.sarif'), '.']), cwd: copies(2) },
    copies4: { ...granule('granule 4× tree', ['--format', 'sarif', '-o', out('c4.sarif'), '.']), cwd: copies(4) },
    big: big && {
      ...granule('granule 50 MB file', ['--max-file-size', '0', '--file-timeout', '0', '--format', 'sarif', '-o', out('big.sarif'), path.basename(big)]),
      cwd: path.dirname(big),
    },
  };
  for (const n of WRAPPER_FILES)
    cmds[`wrappers${n}`] = {
      ...granule(`granule ${n.toLocaleString('en')} wrapper files`, ['--format', 'sarif', '-o', out(`w${n}.sarif`), '.']),
      cwd: wrapperTree(CACHE, n),
    };
  return cmds;
}

/** What each tool finds, counted once outside the timed runs; whether ast-grep is there to compare with. */
function countFindings(cmds, wine) {
  const counts = {};
  if (want('full')) {
    spawnSync(cmds.granule.argv[0], cmds.granule.argv.slice(1), { cwd: wine, stdio: 'ignore' });
    counts.granuleFindings = JSON.parse(fs.readFileSync(out('full.sarif'), 'utf8')).runs[0].results.length;
    counts.rgFiles = execFileSync('rg', cmds.rg.argv.slice(1), { cwd: wine, encoding: 'utf8', maxBuffer: 1 << 26 })
      .split('\n')
      .filter(Boolean).length;
    // fill the cache once: the timed --cache runs are on an unchanged tree
    spawnSync(cmds.cache.argv[0], cmds.cache.argv.slice(1), { cwd: wine, stdio: 'ignore' });
    fs.copyFileSync(path.join(wine, EDITED_FILE), out('edited-original.c'));
    fs.copyFileSync(out('edited-original.c'), path.join(editedTree(wine), EDITED_FILE));
    spawnSync(process.execPath, [GRANULE, '--cache', '--cache-location', out('edited-cache/'), '--format', 'sarif', '-o', out('edited.sarif'), '.'], {
      cwd: editedTree(wine),
      stdio: 'ignore',
    });
  }
  const astGrepOk = !flag('--skip-ast-grep') && fs.existsSync(AST_GREP);
  if (!flag('--skip-ast-grep') && !astGrepOk) {
    console.error(`ast-grep is not installed (${AST_GREP}): npm install --no-save @ast-grep/cli@0.51.1, or pass --skip-ast-grep`);
    process.exit(2);
  }
  if (astGrepOk) {
    const r = spawnSync(AST_GREP, cmds.astGrep.argv.slice(1), { cwd: wine, encoding: 'utf8', maxBuffer: 1 << 28 });
    try {
      counts.astGrepMatches = JSON.parse(r.stdout).length;
    } catch {
      counts.astGrepMatches = NaN;
    }
  }
  return { counts, astGrepOk };
}

/** The timed runs of every group asked for, by command id. */
function measureAll(cmds, astGrepOk) {
  const samples = {};
  if (want('full')) {
    try {
      Object.assign(samples, measureGroup('full tree', [cmds.granule, cmds.oneTarget, cmds.rg, cmds.cache, cmds.edited, ...(astGrepOk ? [cmds.astGrep] : [])]));
    } finally {
      // the edited file back as it was
      fs.copyFileSync(out('edited-original.c'), path.join(cmds.edited.cwd, EDITED_FILE));
    }
  }
  if (want('single')) Object.assign(samples, measureGroup('single file', [cmds.single, cmds.node]));
  if (want('threads')) Object.assign(samples, measureGroup('threads', [cmds.threads1, cmds.threads2, cmds.pair, cmds.probe1, cmds.probe2]));
  if (want('linear')) Object.assign(samples, measureGroup('linearity', [cmds.copies1, cmds.copies2, cmds.copies4]));
  if (want('memory')) Object.assign(samples, measureGroup('50 MB file', [cmds.big], Math.min(RUNS, 3)));
  if (want('wrappers'))
    Object.assign(
      samples,
      measureGroup(
        'wrapper fixpoint',
        WRAPPER_FILES.map((n) => cmds[`wrappers${n}`]),
      ),
    );
  return samples;
}

/** bench/lsp-edit.mjs's result (an error when it failed); undefined without the script. */
function lspEdit() {
  if (!fs.existsSync(path.join(ROOT, 'bench', 'lsp-edit.mjs'))) return undefined;
  log('bench/lsp-edit.mjs');
  const file = out('lsp.json');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bench', 'lsp-edit.mjs'), '--json', file], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : { error: (r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' ') };
}

/** The commands as the results record them: paths of granule, the temporary folder and node in words. */
function commandsUsed(cmds, wine) {
  return Object.fromEntries(
    Object.values(cmds)
      .filter(Boolean)
      .map((c) => [
        c.id,
        {
          cwd: c.cwd === wine ? '<wine>' : c.cwd,
          argv: c.argv.map((a) => a.replace(ROOT, '<granule>').replace(TMP, '<tmp>').replace(process.execPath, 'node')),
        },
      ]),
  );
}

/**
 * A run of some groups only: the other groups' samples (and what was counted for them) come from the last full run,
 * whose date, runs, machine and versions head the report; this run's own go in `partial`.
 */
function keepEarlierResults(results) {
  const file = path.join(ROOT, 'bench', 'results.json');
  if (!fs.existsSync(file)) return;
  const earlier = JSON.parse(fs.readFileSync(file, 'utf8'));
  const base = earlier.partial?.base ?? { date: earlier.date, runs: earlier.runs, machine: earlier.machine, versions: earlier.versions };
  const runs = {
    ...earlier.partial?.runs,
    ...Object.fromEntries(
      [...ONLY].map((g) => [
        g,
        { date: results.date, runs: results.runs, loadAverageAtStart: results.machine.loadAverageAtStart, granule: results.versions.granule },
      ]),
    ),
  };
  for (const key of ['samples', 'medians', 'counts', 'commands']) results[key] = { ...earlier[key], ...results[key] };
  results.corpus.bigFile ??= earlier.corpus?.bigFile;
  results.corpus.copies ??= earlier.corpus?.copies;
  results.lsp ??= earlier.lsp;
  results.profile ??= earlier.profile;
  Object.assign(results, base, { partial: { base, runs } });
}

if (flag('--rewrite')) {
  const results = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'results.json'), 'utf8'));
  fs.writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), markdown(results));
  fs.rmSync(TMP, { recursive: true, force: true });
} else {
  await main();
}
