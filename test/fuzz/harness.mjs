// The fuzzing harness shared by the property test (test/fuzz/mutations.test.ts, against src/) and the
// long campaign (`npm run fuzz`, test/fuzz/run.mjs, against dist/). It mutates the fixture sources (byte
// flips, deletions, splices of C tokens, copies of pieces of the file, re-encodings) and checks that a
// run over the result never throws, never loses the healthy file's finding, reports no internal error,
// writes schema-valid JSON and SARIF with positions that match the text, and gives the same report twice.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');
// the official schema ships in the Multitool build npm installed for this platform
const SARIF_SCHEMA = ['linux', 'darwin', 'win32']
  .map((p) => path.join(ROOT, 'node_modules', '@microsoft', `sarif-multitool-${p}`, 'sarif-2.1.0.json'))
  .find((f) => fs.existsSync(f));
const SOURCE = /\.(c|h|cc|cpp|cxx|hpp|hh|hxx|inl|ipp)$/i;

/** A file with one known finding (line 3, column 5), linted next to every mutated input. */
export const HEALTHY = '#include <windows.h>\nvoid healthy(void) {\n    VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS);\n}\n';

/** Every C/C++ source under test/fixtures: the inputs the mutations start from. */
export function seedFiles() {
  const out = [];
  const visit = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.isFile() && SOURCE.test(entry.name)) out.push(path.relative(ROOT, full).split(path.sep).join('/'));
    }
  };
  visit(FIXTURES);
  return out.sort();
}

/** Pieces of C and C++ (and of hostile text) spliced into the sources. */
export const TOKENS = [
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ',',
  ';',
  '#',
  '##',
  '#@',
  '\\',
  '?',
  ':',
  '=',
  '&',
  '*',
  '->',
  '::',
  '...',
  '<',
  '>',
  '#if 0\n',
  '#if 1\n',
  '#ifdef X\n',
  '#else\n',
  '#elif X > 1\n',
  '#endif\n',
  '#if (((\n',
  '#if 1 / 0\n',
  '#if 1 << 99\n',
  '#define A B\n',
  '#define B A\n',
  '#define X (X + 1)\n',
  '#define F(a, b) a ## b\n',
  '#define G(...) __VA_ARGS__\n',
  '#define VirtualAlloc(a, b, c, d) VirtualAlloc(a, (b) * 2, c, d)\n',
  '#undef MEM_RESERVE\n',
  '#define MEM_RESERVE 0\n',
  '#include "fuzz.h"\n',
  '#include <windows.h>\n',
  '#include "',
  '#pragma once\n',
  '#error stop\n',
  '#line 99999999\n',
  '"',
  "'",
  '/*',
  '*/',
  '//',
  '\\\n',
  '\n',
  '\r\n',
  '\r',
  '\t',
  '\f',
  '\v',
  '\0',
  '\u00a0',
  '\ufeff',
  '\u2028',
  '\ud83d\ude00',
  'é',
  'VirtualAlloc(',
  'VirtualAlloc',
  'VirtualAllocEx(',
  'VirtualAlloc2(',
  'MapViewOfFile(',
  'MapViewOfFileEx(',
  'NtAllocateVirtualMemory(',
  'MEM_RESERVE',
  'MEM_COMMIT',
  'MEM_LARGE_PAGES',
  'PAGE_NOACCESS',
  'NULL',
  'nullptr',
  '&size',
  '0x',
  '0',
  '4096',
  '65536',
  '-1',
  '0xFFFFFFFFFFFFFFFFFFFF',
  '1e309',
  "1'000'000",
  '4096ull',
  '0b1010',
  '077',
  '1 << 70',
  '/ 0',
  '% 0',
  '>> -1',
  '<< -1',
  '* 0x7FFFFFFF',
  'sizeof(',
  'sizeof(void *)',
  'sizeof "abc"',
  'alignof(int)',
  '(int)',
  '(SIZE_T)',
  'static_cast<SIZE_T>(',
  'reinterpret_cast<',
  'enum { E0 = 4096, E1 = E0 * 2 };',
  'typedef',
  'const int n = ',
  'constexpr size_t k = ',
  'static const SIZE_T s = 4096;',
  'struct S {',
  'class C {',
  'template <typename T>',
  'namespace n {',
  'extern "C" {',
  'return',
  'if (',
  'else',
  'for (;;)',
  'while (1)',
  'goto',
  'case 1:',
  'void *wrap(SIZE_T n) { return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_NOACCESS); }\n',
  'wrap(4096);',
  'R"x(',
  ')x"',
  'L"',
  "u8'",
  "'\\x",
  '"\\',
  '__declspec(',
  '_In_',
  'WINAPI',
  '__attribute__((',
  '// granule-disable-next-line virtualalloc-granularity -- reason\n',
  '/* granule-disable-line */',
  'granule-enable',
];

/** One change to a file's bytes; positions are taken modulo the current length, so any value is valid. */
const mutation = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('flip'), at: fc.nat(), byte: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete'), at: fc.nat(), length: fc.integer({ min: 1, max: 80 }) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('splice'), at: fc.nat(), token: fc.constantFrom(...TOKENS), times: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('copy'), from: fc.nat(), length: fc.integer({ min: 1, max: 400 }), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('deep'),
      at: fc.nat(),
      open: fc.constantFrom('(', '{', '[', '#if 1\n', 'F('),
      depth: fc.integer({ min: 50, max: 3000 }),
    }),
  },
);

/** What the harness runs: a fixture source, the changes to make to it, and the target to lint it for. */
export function inputArbitrary(seeds = seedFiles()) {
  return fc.record({
    seed: fc.constantFrom(...seeds),
    mutations: fc.array(mutation, { minLength: 1, maxLength: 8 }),
    encoding: fc.constantFrom('utf8', 'utf8', 'utf8', 'utf8', 'bom', 'utf16le', 'utf16be', 'crlf', 'cr'),
    target: fc.constantFrom('x64', 'x86', 'arm64'),
    fix: fc.boolean(),
  });
}

/** Applies the mutations to the bytes, then the re-encoding. */
export function mutate(bytes, input) {
  let b = Buffer.from(bytes);
  const at = (n) => (b.length === 0 ? 0 : n % (b.length + 1));
  for (const m of input.mutations) {
    switch (m.kind) {
      case 'flip': {
        if (b.length === 0) break;
        const i = m.at % b.length;
        b[i] ^= m.byte;
        break;
      }
      case 'delete': {
        const i = at(m.at);
        b = Buffer.concat([b.subarray(0, i), b.subarray(i + m.length)]);
        break;
      }
      case 'splice': {
        const i = at(m.at);
        b = Buffer.concat([b.subarray(0, i), Buffer.from(m.token.repeat(m.times)), b.subarray(i)]);
        break;
      }
      case 'copy': {
        const from = at(m.from);
        const piece = Buffer.from(b.subarray(from, from + m.length));
        const i = at(m.at);
        b = Buffer.concat([b.subarray(0, i), piece, b.subarray(i)]);
        break;
      }
      case 'deep': {
        const i = at(m.at);
        const close = { '(': ')', '{': '}', '[': ']', '#if 1\n': '\n#endif\n', 'F(': ')' }[m.open];
        b = Buffer.concat([b.subarray(0, i), Buffer.from(m.open.repeat(m.depth)), b.subarray(i), Buffer.from(close.repeat(m.depth))]);
        break;
      }
    }
  }
  switch (input.encoding) {
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]);
    case 'utf16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b.toString('utf8'), 'utf16le')]);
    case 'utf16be':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(b.toString('utf8'), 'utf16le').swap16()]);
    case 'crlf':
      return Buffer.from(b.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
    case 'cr':
      return Buffer.from(b.toString('latin1').replace(/\r?\n/g, '\r'), 'latin1');
    default:
      return b;
  }
}

let validators;

/** ajv validators for the JSON report (test/fuzz/report.schema.json) and for SARIF 2.1.0 (the official schema). */
function schemas() {
  if (validators) return validators;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  // the formats the SARIF schema uses, checked as JSON Schema defines them
  ajv.addFormat('uri', (s) => URL.canParse(s));
  ajv.addFormat('uri-reference', (s) => URL.canParse(s, 'file:///base/') && !/\s/.test(s));
  ajv.addFormat('date-time', (s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(s) && !Number.isNaN(Date.parse(s)));
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  const report = ajv.compile(JSON.parse(fs.readFileSync(path.join(HERE, 'report.schema.json'), 'utf8')));
  if (!SARIF_SCHEMA) throw new Error('the SARIF 2.1.0 schema of @microsoft/sarif-multitool is missing (run npm ci)');
  const sarif = ajv.compile(JSON.parse(fs.readFileSync(SARIF_SCHEMA, 'utf8')));
  const run = (validate) => (data) => (validate(data) ? [] : validate.errors.slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`));
  validators = { report: run(report), sarif: run(sarif) };
  return validators;
}

/**
 * Lints one mutated input (and the healthy file) twice in `dir` and returns the problems found, empty when
 * every property holds. `engine` is the engine's module surface (from src/ or dist/).
 */
export async function checkInput(engine, input, dir, options = {}) {
  const bytes = mutate(fs.readFileSync(path.join(ROOT, input.seed)), input);
  for (const name of fs.readdirSync(dir)) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  const fuzzFile = path.join(dir, `fuzz${path.extname(input.seed)}`);
  const healthyFile = path.join(dir, 'healthy.c');
  fs.writeFileSync(fuzzFile, bytes);
  fs.writeFileSync(healthyFile, HEALTHY);
  // headers the mutated text may include (the include cycle is deliberate)
  fs.writeFileSync(path.join(dir, 'fuzz.h'), '#include "fuzz.h"\n#define FUZZ_SIZE 12288\n');
  const lintOptions = {
    ...engine.defaultLintOptions(dir),
    target: input.target,
    rules: { 'unresolved-allocation-size': 'warn' },
    fileTimeout: options.fileTimeout ?? 20_000,
    // fixes are worked out (never written): the whole-file path, and the fix planner on broken text
    fix: input.fix === true,
  };
  const problems = [];
  const lintOnce = async () => {
    try {
      return await engine.lintPaths([fuzzFile, healthyFile], lintOptions);
    } catch (e) {
      problems.push(`lintPaths threw: ${e?.stack ?? e}`);
      return undefined;
    }
  };
  const first = await lintOnce();
  if (!first) return { problems, bytes };
  for (const n of first.notices) {
    if (n.code === 'internal-error') problems.push(`internal error: ${n.message}`);
    if (n.code === 'limit') problems.push(`limit: ${n.message}`);
  }
  const healthy = first.findings.find((f) => f.file === healthyFile);
  if (!healthy || healthy.range.start.line !== 3 || healthy.range.start.column !== 5 || healthy.ruleId !== 'virtualalloc-granularity') {
    problems.push('the healthy file lost its finding');
  }
  let jsonText;
  let sarifText;
  try {
    jsonText = engine.formatters.json(first, { color: false });
    sarifText = engine.formatters.sarif(first, { color: false });
  } catch (e) {
    problems.push(`formatting threw: ${e?.stack ?? e}`);
    return { problems, bytes };
  }
  const { report, sarif } = schemas();
  for (const e of report(JSON.parse(jsonText))) problems.push(`JSON report: ${e}`);
  const log = JSON.parse(sarifText);
  for (const e of sarif(log)) problems.push(`SARIF: ${e}`);
  problems.push(...sarifShape(log));
  problems.push(...positionProblems(engine, first, fuzzFile, bytes));
  for (const patch of first.patches ?? []) {
    if (patch.file !== fuzzFile && patch.file !== healthyFile) problems.push(`a patch for a file not linted: ${patch.file}`);
    if (patch.after === patch.before) problems.push(`an empty patch for ${path.basename(patch.file)}`);
  }
  const second = await lintOnce();
  if (second) {
    if (engine.formatters.json(second, { color: false }) !== jsonText) problems.push('a second run gave a different JSON report');
    if (engine.formatters.sarif(second, { color: false }) !== sarifText) problems.push('a second run gave a different SARIF log');
  }
  if (options.threads) {
    // with worker threads (the compiled engine only) the report must be the one a single thread gives
    lintOptions.concurrency = options.threads;
    const threaded = await lintOnce();
    if (threaded && engine.formatters.json(threaded, { color: false }) !== jsonText)
      problems.push(`a run on ${options.threads} threads gave a different JSON report`);
  }
  return { problems, bytes };
}

/** What the schema cannot say: indexes that point at real rules, regions inside the text, URIs inside the root. */
function sarifShape(log) {
  const problems = [];
  const run = log.runs?.[0];
  if (!run) return ['SARIF: no run'];
  const rules = run.tool?.driver?.rules ?? [];
  for (const r of run.results ?? []) {
    if (rules[r.ruleIndex]?.id !== r.ruleId) problems.push(`SARIF: ruleIndex ${r.ruleIndex} does not name ${r.ruleId}`);
    for (const loc of [...(r.locations ?? []), ...(r.relatedLocations ?? [])]) {
      const uri = loc.physicalLocation?.artifactLocation?.uri ?? '';
      if (uri.split('/').includes('..')) problems.push(`SARIF: uri escapes the root: ${uri}`);
      const region = loc.physicalLocation?.region;
      if (region && (region.endLine < region.startLine || (region.endLine === region.startLine && region.endColumn < region.startColumn))) {
        problems.push(`SARIF: region ends before it starts: ${JSON.stringify(region)}`);
      }
    }
  }
  return problems;
}

/** Every finding in the mutated file: offsets inside the text, and lines and columns that are those offsets'. */
function positionProblems(engine, report, file, bytes) {
  const decoded = engine.decode(bytes);
  if (!decoded.ok) return report.findings.some((f) => f.file === file) ? ['findings in a file that was not decoded'] : [];
  const lines = new engine.LineMap(decoded.text);
  const problems = [];
  for (const f of report.findings) {
    if (f.file !== file) continue;
    const { start, end } = f.range;
    if (!(start.offset >= 0 && start.offset <= end.offset && end.offset <= decoded.text.length)) {
      problems.push(`range outside the text: ${JSON.stringify(f.range)} (length ${decoded.text.length})`);
      continue;
    }
    for (const p of [start, end]) {
      const q = lines.position(p.offset);
      if (q.line !== p.line || q.column !== p.column) problems.push(`offset ${p.offset} is ${q.line}:${q.column}, reported as ${p.line}:${p.column}`);
    }
  }
  return problems;
}

/** A short, stable name for a problem, so that one bug found many times counts once. */
export function signature(problem) {
  return problem
    .split('\n')[0]
    .replace(/\d+/g, 'N')
    .replace(/"[^"]*"/g, '"…"')
    .slice(0, 160);
}
