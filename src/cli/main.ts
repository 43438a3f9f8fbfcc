// The granule command line. Exit codes: 0 no error-level findings, 1 findings, 2 usage or config error (a path
// given that cannot be checked is one).

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { defaultLintOptions, lintPaths, type LintOptions, type LintResult, type RuleSetting } from '../engine/runner/lint.js';
import type { Shard } from '../engine/runner/shard.js';
import type { Concurrency } from '../engine/runner/threads.js';
import { DEFAULT_MAX_FILE_SIZE, parseSeconds, parseSize } from '../engine/model/limits.js';
import { lintText, stdinPath } from '../engine/runner/lint-text.js';
import { isCompiler } from '../engine/model/compilers.js';
import { parseTargetList } from '../engine/model/target.js';
import type { Finding, Notice, Report } from '../engine/model/types.js';
import { toolVersion } from '../engine/model/version.js';
import { FORMAT_NAMES, isFormatName, loadFormatter, noticesOnStderr } from '../formats/load.js';
import type * as Sarif from 'sarif';
import { rulesById } from '../rules/index.js';
import { CONFIG_HELP, CONFIG_OPTIONS, OptionError, setUpConfig } from '../config/cli.js';
import { finishFixes } from './fixes.js';
import { ConfigError } from '../config/errors.js';
import { ArgumentError, parseCommandLine, type ParsedArguments } from './args.js';
import { counts } from '../formats/common.js';
import { printable } from '../formats/printable.js';
import { MACHINE_FORMATS, statisticsText } from './statistics.js';
import { readStdinText } from './stdin.js';
import { progressFor } from './progress.js';
import { OutputError, writeOutput } from './write-output.js';

export interface Io {
  /** What --stdin reads (default: the process's standard input). */
  stdin?: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const HELP = `Usage: granule [options] [paths...]
       granule lsp --stdio                        language server
       granule shim cflags|sources [--emulate-linux]  build flags and C files of the runtime shim
       granule vmmap REPORT [--html OUT | --svg OUT]  picture of reserved, committed and unusable granules
       granule merge A.sarif B.sarif ... [-o OUT]  one SARIF log from several (the shards of --shard)
       granule rule [ID|CODE]                     a rule's documentation (no ID: list the rules and their codes)

Finds Windows virtual-memory reservations (VirtualAlloc, VirtualAllocEx, VirtualAllocExNuma, ...)
whose size wastes the rest of a 64 KB allocation granule.

Options:
  -f, --format FORMAT     stylish | compact | json | sarif | github | msvc | codeframe (default: stylish);
                          msvc: path(line,col): error GR1: ... for MSBuild and Visual Studio's Error List;
                          codeframe: each finding with the source lines around it, as ESLint's codeframe
  -o, --output FILE       write the report to FILE instead of standard output
      --target LIST       x64, x86, arm64 or a list of them: x86,x64 (default: x64,x86); each is
                          checked, and a finding names the targets it holds in when they differ
      --compiler NAME     msvc | mingw | clang-cl: whose predefined macros apply (default: msvc)
      --no-include-search  do not look an #include the include path misses up in the scanned tree
  -I DIR                  add an include directory
  -D NAME[=VALUE]         define a macro
  -U NAME                 undefine a macro
      --include FILE      force-include a header before each file
  -p BUILD_DIR            read BUILD_DIR/compile_commands.json: each file's own -D, -U, -I, -include
                          (repeatable: a file in several databases is checked as each says)
      --compile-commands FILE  the same, naming the compilation database file (repeatable)
      --project FILE      a Visual Studio solution (.sln) or project (.vcxproj), repeatable: check the files it
                          compiles, each with its configuration's defines, include paths and platform
      --project-configuration NAME  only this configuration of the projects ("Release|Win32"; repeatable)
      --rule ID:LEVEL     set a rule's level (off, warn, error)
      --quiet             report errors only
      --statistics        after the report, the number of problems of each rule (not with json or sarif)
      --stdin             lint the text on standard input (an editor's buffer) instead of files
      --stdin-filename PATH  the file that text is: its config, its #include "..." and its name in the report
                          (default <text>, in the current directory)
      --max-warnings N    exit 1 when there are more than N warnings
      --max-file-size SIZE  skip (with a notice) files larger than SIZE: 16MB, 512KB, bytes; 0 for no limit (default 16MB)
      --file-timeout SECS   skip (with a notice) a file whose analysis takes longer than SECS seconds; 0 for no limit (default 30)
      --concurrency N     threads for reading and analysing: a number, auto (the cores, up to 4, for 400 files
                          or more) or off (default auto)
      --shard K/N         check only share K of N of the files (by path), for CI matrices; wrappers are still
                          found across the whole tree. Combine the shards' SARIF with granule merge
      --baseline FILE     report only findings whose fingerprints are not in FILE (a SARIF log)
      --write-baseline FILE  record this run's findings in FILE as the accepted baseline (exit 0)
      --category ID       SARIF: code scanning category (runAutomationDetails.id)
      --sarif-omit-suppressed  SARIF: leave out findings disabled in the source (code scanning shows them as open)
      --runtime REPORT    merge a runtime shim report (file or folder; repeatable): each finding is
                          confirmed, refuted or not reached, and wasting calls the static pass missed are added
      --binary PROG       the program that wrote the report, to map its return addresses to source lines
      --no-color          plain output (also: NO_COLOR)
${CONFIG_HELP}  -v, --version           print the version
  -h, --help              print this help

Exit status: 0 no errors, 1 errors found (or too many warnings), 2 usage or configuration error, or a path
given that is missing or cannot be read (nothing is linted then).
`;

export class UsageError extends Error {}

const OPTIONS = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  target: { type: 'string' },
  compiler: { type: 'string' },
  'no-include-search': { type: 'boolean' },
  I: { type: 'string', short: 'I', multiple: true },
  D: { type: 'string', short: 'D', multiple: true },
  U: { type: 'string', short: 'U', multiple: true },
  p: { type: 'string', short: 'p', multiple: true },
  'compile-commands': { type: 'string', multiple: true },
  project: { type: 'string', multiple: true },
  'project-configuration': { type: 'string', multiple: true },
  include: { type: 'string', multiple: true },
  rule: { type: 'string', multiple: true },
  quiet: { type: 'boolean' },
  statistics: { type: 'boolean' },
  stdin: { type: 'boolean' },
  'stdin-filename': { type: 'string' },
  'max-warnings': { type: 'string' },
  'max-file-size': { type: 'string' },
  'file-timeout': { type: 'string' },
  concurrency: { type: 'string' },
  shard: { type: 'string' },
  baseline: { type: 'string' },
  'write-baseline': { type: 'string' },
  category: { type: 'string' },
  'sarif-omit-suppressed': { type: 'boolean' },
  runtime: { type: 'string', multiple: true },
  binary: { type: 'string' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  version: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
  ...CONFIG_OPTIONS,
} satisfies ParseArgsConfig['options'];

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await run(argv, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof OptionError || e instanceof ConfigError || e instanceof OutputError) {
      io.stderr.write(`granule: ${e.message}\n`);
      return 2;
    }
    io.stderr.write(`granule: internal error: ${(e as Error).message}\n`);
    return 2;
  }
}

type Values = ParsedArguments<typeof OPTIONS>['values'];
type Lint = (options: LintOptions) => Promise<LintResult>;
/** SARIF fingerprints of the run's findings. */
type Prints = ReadonlyMap<Finding, string> | undefined;
type Formatters = { baseline?: typeof import('../formats/baseline.js'); sarif?: typeof import('../formats/sarif.js') };

/** The command line in order: a subcommand, or the options read and checked, the lint run, its report, the exit code. */
async function run(argv: string[], io: Io): Promise<number> {
  const subcommand = await runSubcommand(argv, io);
  if (subcommand !== undefined) return subcommand;
  const { values, positionals } = readCommandLine(argv);
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (values.version) {
    io.stdout.write(`${toolVersion()}\n`);
    return 0;
  }
  const format = values.format ?? 'stylish';
  if (!isFormatName(format)) throw new UsageError(`unknown format "${format}" (expected one of: ${FORMAT_NAMES.join(', ')})`);
  const { options, maxWarnings } = commandLineOptions(values, io.cwd);
  checkReportOptions(values, format);
  // baselines and fingerprints are SARIF's: loaded only by the runs that use them
  const formatters = await loadSarifModules(values, format);
  const known = readKnownFindings(values, formatters, io.cwd);
  const stdin = stdinFile(values, positionals, io.cwd);

  const progress = stdin ? undefined : progressFor(io.stderr, io.env);
  // (the cache is for files on disk: a text from standard input is always analysed)
  const setup = await setUpConfig(stdin ? { ...values, cache: false } : values, options, progress, positionals);
  if (setup.output !== undefined) {
    io.stdout.write(setup.output);
    return 0;
  }
  const runOptions: Readonly<LintOptions> = setup.options;
  const lint = stdin ? await stdinLint(stdin, runOptions, io) : (o: LintOptions) => lintPaths(positionals, o);
  if (typeof lint === 'number') return lint;
  const first = await lint(runOptions);
  progress?.clear();
  if (first.errors?.length) {
    // not a finding and not a report: the run did not check what it was asked to
    for (const e of first.errors) io.stderr.write(`granule: ${printable(e.path)}: ${printable(e.message)}\n`);
    return 2;
  }
  const noGrammar = first.notices.find((n) => n.code === 'grammar-unavailable');
  if (noGrammar) {
    // (every file in that language would go unchecked: not a report)
    io.stderr.write(`granule: ${printable(noGrammar.message)}\n`);
    return 2;
  }
  const fixed = await finishFixes(values, first, runOptions, lint, io.stderr);
  // fingerprints number identical calls in order, so they are taken over the whole run before any filtering
  const prints = formatters.sarif?.findingFingerprints(fixed.report);
  const { report, note } = baselinedReport(fixed.report, values, formatters, known, prints, io);
  const runtime = values.runtime?.length ? await mergeRuntimeReports(report, values.runtime, values.binary, io.cwd) : undefined;
  if (note) report.notices = [...report.notices, note];
  const shown: Report = values.quiet ? { ...report, findings: report.findings.filter((f) => f.severity === 'error') } : report;
  let text = await reportText(shown, values, format, { formatters, prints, runtime, io });
  // --fix-dry-run prints the diff in place of the report
  if (fixed.diff !== undefined) text = fixed.diff;
  if (values.output) writeOutput(path.resolve(io.cwd, values.output), text);
  else io.stdout.write(text);
  // notices go to stderr when stdout carries a machine format
  if (noticesOnStderr(format, !!values.output)) {
    for (const n of report.notices)
      if (n.level !== 'note') io.stderr.write(`granule: ${n.file ? printable(path.relative(io.cwd, n.file)) + ': ' : ''}${printable(n.message)}\n`);
  }
  return exitCode(report, values, maxWarnings, io);
}

/** Runs `granule shim|vmmap|merge|rule|lsp ...`; undefined when argv is not one of these subcommands. */
async function runSubcommand(argv: string[], io: Io): Promise<number | undefined> {
  if (argv[0] === 'shim' || argv[0] === 'vmmap') {
    // the runtime shim's commands: build flags and sources, and the VMMap-style picture of a report
    const { runShimCommand, runVmmapCommand } = await import('../shim/cflags.js');
    const commandIo = { stdout: io.stdout, stderr: io.stderr, cwd: io.cwd };
    return argv[0] === 'shim' ? runShimCommand(argv.slice(1), commandIo) : await runVmmapCommand(argv.slice(1), commandIo);
  }
  if (argv[0] === 'merge') {
    // SARIF of several runs (the shards of --shard K/N) as one
    const { runMergeCommand } = await import('./merge.js');
    return runMergeCommand(argv.slice(1), io, writeOutput);
  }
  if (argv[0] === 'rule') {
    const { runRuleCommand } = await import('./rule-docs.js');
    return runRuleCommand(argv.slice(1), io);
  }
  if (argv[0] === 'lsp') {
    // loaded only here: the language server's dependencies cost every other command start-up time
    const { runLanguageServer } = await import('../lsp/main.js');
    const result = runLanguageServer(argv.slice(1), { stdin: process.stdin, stdout: io.stdout, stderr: io.stderr });
    return result === 'running' ? 0 : result;
  }
  return undefined;
}

/** The options and paths of the lint command; a mistake is a usage error. */
function readCommandLine(argv: string[]): ParsedArguments<typeof OPTIONS> {
  try {
    return parseCommandLine(argv, OPTIONS);
  } catch (e) {
    if (!(e instanceof ArgumentError)) throw e;
    throw new UsageError(`${e.message}\nRun "granule --help" for usage.`);
  }
}

/** The command line's lint settings (setUpConfig adds the config lookup to them) and --max-warnings. */
function commandLineOptions(values: Values, cwd: string): { options: LintOptions; maxWarnings: number | undefined } {
  const options: LintOptions = defaultLintOptions(cwd);
  if (values.target) {
    const parsed = parseTargetList(values.target);
    if ('unknown' in parsed) throw new UsageError(`unknown target "${parsed.unknown}" (expected x64, x86 or arm64, or a list of them: x64,x86)`);
    options.target = parsed.targets.length === 1 ? parsed.targets[0]! : parsed.targets;
  }
  if (values.compiler !== undefined) {
    if (!isCompiler(values.compiler)) throw new UsageError(`unknown compiler "${printable(values.compiler)}" (expected msvc, mingw or clang-cl)`);
    options.compiler = values.compiler;
  }
  if (values['no-include-search']) options.includeSearch = false;
  options.includePaths = values.I ?? [];
  options.forceIncludes = values.include ?? [];
  // a compiler stops on a forced include it cannot find: so does granule, rather than check without it
  for (const file of options.forceIncludes) {
    const stat = fs.statSync(path.resolve(cwd, file), { throwIfNoEntry: false });
    if (!stat?.isFile()) throw new UsageError(`--include ${printable(file)}: ${stat ? 'not a regular file' : 'no such file'}`);
  }
  options.undefines = values.U ?? [];
  options.compileCommands = compilationDatabases(values.p ?? [], values['compile-commands'] ?? [], cwd);
  if (values.project?.length) options.projects = values.project.map((p) => projectFile(p, cwd));
  if (values['project-configuration']?.length) options.projectConfigurations = values['project-configuration'];
  for (const d of values.D ?? []) {
    const eq = d.indexOf('=');
    const name = eq < 0 ? d : d.slice(0, eq);
    if (!/^[A-Za-z_]\w*$/.test(name)) throw new UsageError(`-D ${d}: "${name}" is not a macro name`);
    options.defines[name] = eq < 0 ? '1' : d.slice(eq + 1);
  }
  options.rules = parseRuleOverrides(values.rule ?? []);
  let maxWarnings: number | undefined;
  if (values['max-warnings'] !== undefined) {
    maxWarnings = Number(values['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < -1) throw new UsageError(`--max-warnings expects a whole number, got "${values['max-warnings']}"`);
  }
  if (values['max-file-size'] !== undefined) {
    options.maxFileSize = parseSize(values['max-file-size']);
    if (options.maxFileSize === undefined)
      throw new UsageError(`--max-file-size expects a size such as 16MB, 512KB or 1048576, got "${values['max-file-size']}"`);
  }
  if (values.concurrency !== undefined) options.concurrency = parseConcurrency(values.concurrency);
  if (values.shard !== undefined) options.shard = parseShard(values.shard);
  if (values['file-timeout'] !== undefined) {
    options.fileTimeout = parseSeconds(values['file-timeout']);
    if (options.fileTimeout === undefined)
      throw new UsageError(`--file-timeout expects a number of seconds such as 30 or 2.5, got "${values['file-timeout']}"`);
  }
  return { options, maxWarnings };
}

/** Report options that do not go together, or with this format. */
function checkReportOptions(values: Values, format: string): void {
  if (values.statistics && MACHINE_FORMATS.includes(format))
    throw new UsageError(`--statistics prints text after the report: it cannot follow --format ${format}`);
  if (values.statistics && values['fix-dry-run'])
    throw new UsageError('--statistics cannot be used with --fix-dry-run (the diff is printed instead of the report)');
  if (format !== 'sarif' && (values.category !== undefined || values['sarif-omit-suppressed'])) {
    throw new UsageError(`--${values.category !== undefined ? 'category' : 'sarif-omit-suppressed'} applies to --format sarif only`);
  }
}

/** The baseline and SARIF modules, for the runs that use them. */
async function loadSarifModules(values: Values, format: string): Promise<Formatters> {
  const baseline = values.baseline !== undefined || values['write-baseline'] !== undefined ? await import('../formats/baseline.js') : undefined;
  const sarif = baseline || format === 'sarif' ? await import('../formats/sarif.js') : undefined;
  return { baseline, sarif };
}

/** The findings of --baseline FILE; a baseline that cannot be read is a usage error. */
function readKnownFindings(values: Values, { baseline }: Formatters, cwd: string): Set<string> | undefined {
  try {
    if (values.baseline !== undefined) return baseline!.readBaseline(path.resolve(cwd, values.baseline), values.baseline);
  } catch (e) {
    if (baseline && e instanceof baseline.BaselineError) throw new UsageError(e.message);
    throw e;
  }
  return undefined;
}

/** The file name standard input is linted as (--stdin), checked against the options it excludes. */
function stdinFile(values: Values, positionals: string[], cwd: string): string | undefined {
  const stdin = values.stdin ? stdinPath(cwd, values['stdin-filename']) : undefined;
  if (values['stdin-filename'] !== undefined && !values.stdin) throw new UsageError('--stdin-filename names the text read with --stdin: give --stdin too');
  if (stdin && positionals.length > 0) throw new UsageError('--stdin lints standard input: give no paths (name the text with --stdin-filename)');
  if (stdin && values.fix) throw new UsageError('--fix cannot rewrite standard input: use --fix-dry-run to print the fixes as a diff');
  return stdin;
}

/** Lints standard input, read once, as the file `stdin`; the exit code when it cannot be read. */
async function stdinLint(stdin: string, runOptions: Readonly<LintOptions>, io: Io): Promise<Lint | number> {
  const input = await readStdinText(io.stdin ?? process.stdin, runOptions.maxFileSize ?? DEFAULT_MAX_FILE_SIZE);
  if (!input.ok) {
    io.stderr.write(`granule: ${printable(path.relative(io.cwd, stdin))}: ${input.message}\n`);
    return 2;
  }
  return async (o) => {
    const result = await lintText(stdin, input.text, o);
    // (as a file read the same way would have it)
    if (input.note) result.notices.unshift({ level: 'note', file: stdin, code: 'encoding', message: input.note });
    return result;
  };
}

/** Writes --write-baseline, then leaves out the findings of --baseline (and says in a note how many). */
function baselinedReport(
  linted: Report,
  values: Values,
  { baseline }: Formatters,
  known: Set<string> | undefined,
  prints: Prints,
  io: Io,
): { report: Report; note?: Notice } {
  if (values['write-baseline'] !== undefined) {
    writeOutput(path.resolve(io.cwd, values['write-baseline']), baseline!.baselineText(linted, prints!));
    const n = linted.findings.filter((f) => !f.suppressed).length;
    io.stderr.write(`granule: wrote ${n} finding${n === 1 ? '' : 's'} to the baseline ${values['write-baseline']}\n`);
  }
  const baselined = known ? baseline!.applyBaseline(linted, known, prints!) : { report: linted, matched: 0 };
  if (!known) return { report: baselined.report };
  const { matched } = baselined;
  const message = `${matched} finding${matched === 1 ? '' : 's'} matched the baseline ${values.baseline} and ${matched === 1 ? 'is' : 'are'} not reported`;
  return { report: baselined.report, note: { level: 'note', code: 'baseline', message } };
}

/** The report in its format, with --statistics after it. */
async function reportText(
  shown: Report,
  values: Values,
  format: string,
  context: { formatters: Formatters; prints: Prints; runtime: RuntimeRun | undefined; io: Io },
): Promise<string> {
  const { formatters, prints, runtime, io } = context;
  // NO_COLOR (https://no-color.org) turns off automatic colour; an explicit --color still wins
  const color =
    !values['no-color'] && (values.color ?? (!io.env.NO_COLOR && (format === 'stylish' || format === 'codeframe') && !values.output && !!io.stdout.isTTY));
  let text: string;
  if (format === 'sarif') {
    const out = formatters.sarif!.formatSarif(shown, { category: values.category, omitSuppressed: values['sarif-omit-suppressed'], fingerprints: prints });
    text = runtime ? withRun(out.text, runtime.sarifRun()) : out.text;
    for (const w of out.warnings) io.stderr.write(`granule: ${w}\n`);
  } else text = (await loadFormatter(format))(shown, { color });
  if (values.statistics) {
    const counts = statisticsText(shown);
    if (counts) text = text ? `${text}${text.endsWith('\n') ? '' : '\n'}\n${counts}` : counts;
  }
  return text;
}

/** 0, 1 (error-level findings, or more warnings than --max-warnings) or 2 (a usage error). */
function exitCode(report: Report & { usageError?: boolean }, values: Values, maxWarnings: number | undefined, io: Io): number {
  if (report.usageError) return 2;
  // every finding of this run is now in the baseline just written: none is new
  if (values['write-baseline'] !== undefined) return 0;
  // what the summary counts: findings, unused disable comments, and notices (a file that could not be read or
  // analysed, a rule that failed on it: the run did not check all it was asked to)
  const { errors, warnings } = counts(report);
  if (errors > 0) return 1;
  if (maxWarnings !== undefined && maxWarnings >= 0 && warnings > maxWarnings) {
    io.stderr.write(`granule: too many warnings (${warnings}); maximum allowed is ${maxWarnings}\n`);
    return 1;
  }
  return 0;
}

type RuntimeRun = Awaited<ReturnType<typeof mergeRuntimeReports>>;

/** Merges runtime shim reports into the report (in place) and returns the shim's own SARIF run. */
async function mergeRuntimeReports(report: Report & { usageError?: boolean }, reports: string[], binary: string | undefined, cwd: string) {
  const { applyRuntime, shimSarifRun } = await import('../shim/index.js');
  const { INFORMATION_URI } = await import('../formats/sarif.js');
  const rt = await applyRuntime(report.findings, {
    reports: reports.map((r) => path.resolve(cwd, r)),
    root: report.root,
    binary: binary === undefined ? undefined : path.resolve(cwd, binary),
  });
  if (rt.summary.records === 0 && rt.notices.some((n) => n.code === 'unreadable')) report.usageError = true;
  report.findings = [...rt.findings, ...rt.runtimeOnly];
  report.notices = [...report.notices, ...rt.notices];
  return {
    sarifRun: () =>
      shimSarifRun({
        findings: rt.findings,
        runtimeOnly: rt.runtimeOnly,
        summary: rt.summary,
        root: report.root,
        toolVersion: report.toolVersion,
        informationUri: INFORMATION_URI,
      }),
  };
}

/** Appends a run (the runtime shim's) to a SARIF log's text. */
function withRun(text: string, run: Sarif.Run): string {
  const log = JSON.parse(text) as Sarif.Log;
  log.runs.push(run);
  return JSON.stringify(log, null, 2) + '\n';
}

/**
 * The compile_commands.json files that -p BUILD_DIR and --compile-commands FILE name (one: a string, as a config
 * file gives it; several: a list); a usage error when one is not there.
 */
function compilationDatabases(buildDirs: string[], files: string[], cwd: string): string | string[] | undefined {
  const found: string[] = [];
  for (const buildDir of buildDirs) {
    const dir = path.resolve(cwd, buildDir);
    // -p also accepts the database file itself, as clang-tidy does
    const candidate = fs.existsSync(dir) && fs.statSync(dir).isFile() ? dir : path.join(dir, 'compile_commands.json');
    if (!fs.existsSync(candidate)) throw new UsageError(`-p ${printable(buildDir)}: there is no compile_commands.json in that directory`);
    found.push(candidate);
  }
  for (const file of files) {
    const resolved = path.resolve(cwd, file);
    if (!fs.existsSync(resolved)) throw new UsageError(`--compile-commands ${printable(file)}: no such file`);
    found.push(resolved);
  }
  const distinct = [...new Set(found)];
  return distinct.length <= 1 ? distinct[0] : distinct;
}

/** A --project file: a .sln or .vcxproj that exists (read later, by the run). */
function projectFile(file: string, cwd: string): string {
  if (!/\.(?:sln|vcxproj)$/i.test(file)) throw new UsageError(`--project ${printable(file)}: expected a .sln or .vcxproj file`);
  const resolved = path.resolve(cwd, file);
  if (!fs.statSync(resolved, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`--project ${printable(file)}: no such file`);
  return resolved;
}

function parseRuleOverrides(list: string[]): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  for (const item of list) {
    const m = /^([\w-]+):(off|warn|error|0|1|2)$/.exec(item);
    if (!m) throw new UsageError(`--rule ${item}: expected ID:LEVEL, e.g. virtualalloc-granularity:warn`);
    if (!rulesById.has(m[1]!)) throw new UsageError(`--rule ${item}: unknown rule "${m[1]}" (known: ${[...rulesById.keys()].join(', ')})`);
    const level = ({ '0': 'off', '1': 'warn', '2': 'error' } as Record<string, string>)[m[2]!] ?? m[2]!;
    out[m[1]!] = level as RuleSetting;
  }
  return out;
}

function parseConcurrency(text: string): Concurrency {
  if (text === 'auto' || text === 'off') return text;
  if (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 64) return Number(text);
  throw new UsageError(`--concurrency expects a number of threads (1 to 64), auto or off, got "${text}"`);
}

function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(count >= 1 && index >= 1 && index <= count)) throw new UsageError(`--shard expects K/N with 1 <= K <= N, e.g. 2/4, got "${text}"`);
  return { index, count };
}
