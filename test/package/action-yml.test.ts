// action.yml: every input maps to a real granule option, and the action's run step — executed here with bash
// the way the runner executes it — passes them on, writes the SARIF and sets its outputs.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { unavailable } from '../helpers/requirements.js';
import { INPUT, tempDir } from '../formats/helpers.js';

interface Step {
  id?: string;
  name: string;
  uses?: string;
  run?: string;
  shell?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}

interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required: boolean; default: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as Action;
const runStep = action.runs.steps.find((s) => s.id === 'granule')!;

/**
 * Input → the granule option it becomes. `paths` are the path arguments; `fail-on-findings` is the step's own;
 * `include-suppressed` works the other way round: the option is passed unless the input is true.
 */
const MAPPING: Record<string, string | null> = {
  paths: null,
  'sarif-file': '--output',
  category: '--category',
  baseline: '--baseline',
  config: '--config',
  target: '--target',
  'include-paths': '-I',
  defines: '-D',
  rules: '--rule',
  'include-suppressed': '--sarif-omit-suppressed',
  'fail-on-findings': null,
};

describe('action.yml', () => {
  it('is a composite action that installs, then runs granule', () => {
    expect(action.name).toBe('granule');
    expect(action.runs.using).toBe('composite');
    expect(action.runs.steps.map((s) => s.name)).toEqual(['Check Node.js', 'Set up Node.js 20', 'Install granule', 'Run granule']);
    expect(action.runs.steps[1]!.uses).toBe('actions/setup-node@v4');
    expect(action.runs.steps[1]!.if).toBe("steps.node.outputs.ok != 'true'");
    expect(action.runs.steps.filter((s) => s.run).every((s) => s.shell === 'bash')).toBe(true);
    expect(Object.keys(action.outputs)).toEqual(['sarif-file', 'exit-code']);
  });

  it('has exactly the inputs of the mapping, each described', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.keys(MAPPING).sort());
    for (const input of Object.values(action.inputs)) {
      expect(input.description.length).toBeGreaterThan(20);
      expect(input.required).toBe(false);
    }
  });

  it('maps each input to an option granule --help lists, names it in the description and passes it in the script', () => {
    const help = runCli(['--help']).stdout;
    for (const [input, flag] of Object.entries(MAPPING)) {
      if (!flag) continue;
      expect(help, `${input} → ${flag}`).toMatch(new RegExp(`^\\s+(-\\w, )?${flag}[ \\n]`, 'm'));
      expect(action.inputs[input]!.description, input).toContain(`(\`${flag}\`)`);
      expect(runStep.run, input).toMatch(new RegExp(`${flag}( "\\$(GRANULE_\\w+|line|sarif)"|\\))`));
    }
  });

  it('hands every input to the run step as an environment variable, never inside the script', () => {
    const env = runStep.env!;
    expect(Object.values(env).sort()).toEqual(
      Object.keys(MAPPING)
        .map((i) => `\${{ inputs.${i} }}`)
        .sort(),
    );
    for (const [name, value] of Object.entries(env)) {
      const input = /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(value)![1]!;
      expect(name).toBe(`GRANULE_${input.toUpperCase().replace(/-/g, '_')}`);
    }
    for (const step of action.runs.steps) expect(step.run ?? '').not.toContain('inputs.');
  });
});

interface ActionRun {
  status: number;
  stdout: string;
  stderr: string;
  outputs: string;
}

/** Runs the action's "Run granule" step as the runner does: bash -eo pipefail, inputs in the environment. */
function runAction(cwd: string, inputs: Record<string, string>): ActionRun {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), NO_COLOR: '1', GITHUB_ACTION_PATH: ROOT };
  const outputs = path.join(tempDir('action-output'), 'output');
  fs.writeFileSync(outputs, '');
  env.GITHUB_OUTPUT = outputs;
  for (const [name, value] of Object.entries(runStep.env!)) {
    const input = /inputs\.([\w-]+)/.exec(value)![1]!;
    env[name] = inputs[input] ?? action.inputs[input]!.default;
  }
  const script = path.join(tempDir('action-script'), 'run.sh');
  fs.writeFileSync(script, runStep.run!);
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, outputs: fs.readFileSync(outputs, 'utf8') };
}

describe.skipIf(unavailable('bash'))('the run step', () => {
  it('with the defaults: writes granule.sarif and succeeds although there are findings', () => {
    const dir = tempDir('action-defaults');
    fs.copyFileSync(path.join(INPUT, 'app.c'), path.join(dir, 'app.c'));
    const r = runAction(dir, {});
    expect(r.stdout).toBe('granule --format sarif --output granule.sarif --sarif-omit-suppressed -- .\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.outputs).toBe(`sarif-file=${dir}/granule.sarif\nexit-code=1\n`);
    const log = JSON.parse(fs.readFileSync(path.join(dir, 'granule.sarif'), 'utf8'));
    expect(log.runs[0].results).toHaveLength(4);
    expect(log.runs[0].automationDetails).toBeUndefined();
  });

  it('with every input set: each reaches granule and shows in the SARIF', () => {
    const dir = tempDir('action-all');
    fs.mkdirSync(path.join(dir, 'src'));
    fs.mkdirSync(path.join(dir, 'inc'));
    fs.copyFileSync(path.join(INPUT, 'app.c'), path.join(dir, 'src', 'app.c'));
    expect(runCli(['--write-baseline', 'base.sarif', 'src'], { cwd: dir }).status).toBe(0);
    fs.writeFileSync(path.join(dir, 'inc', 'sizes.h'), '#define ARENA_SIZE (PAGES * 4096)\n');
    fs.writeFileSync(path.join(dir, 'ci-granule.json'), JSON.stringify({ rules: { 'large-page-size': 'warn' } }));
    fs.writeFileSync(
      path.join(dir, 'src', 'extra.c'),
      [
        '#include <windows.h>',
        '#include "sizes.h"',
        'void extra(HANDLE h)',
        '{',
        '    void *a = VirtualAlloc(NULL, ARENA_SIZE, MEM_RESERVE, PAGE_NOACCESS);',
        '    void *b = VirtualAlloc(NULL, sizeof(void *) * 1024, MEM_RESERVE, PAGE_NOACCESS);',
        '    void *v = MapViewOfFile(h, FILE_MAP_READ, 0, 0, 4096);',
        '}',
        '',
      ].join('\n'),
    );
    const r = runAction(dir, {
      paths: 'src\n',
      'sarif-file': 'out/granule.sarif',
      category: 'granule/x86',
      baseline: 'base.sarif',
      config: 'ci-granule.json',
      target: 'x86',
      'include-paths': 'inc\n',
      defines: 'PAGES=3\nUNUSED\n',
      rules: 'mapview-granularity:off\n',
      'include-suppressed': 'true',
      'fail-on-findings': 'true',
    });
    expect(r.stdout).toBe(
      'granule --format sarif --output out/granule.sarif --category granule/x86 --baseline base.sarif --config ci-granule.json --target x86 -I inc -D PAGES=3 -D UNUSED --rule mapview-granularity:off -- src\n',
    );
    expect(r.status).toBe(1);
    expect(r.outputs).toBe(`sarif-file=${dir}/out/granule.sarif\nexit-code=1\n`);
    const run = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'granule.sarif'), 'utf8')).runs[0];
    expect(run.automationDetails).toEqual({ id: 'granule/x86/' });
    // the baseline hides app.c; -I and -D make ARENA_SIZE 12288; x86 makes sizeof(void *) 4; the view rule is off
    expect(
      run.results.map(
        (x: { locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; message: { text: string } }) => [
          x.locations[0]!.physicalLocation.artifactLocation.uri,
          x.locations[0]!.physicalLocation.region.startLine,
          x.message.text,
        ],
      ),
    ).toEqual([
      ['src/extra.c', 5, 'VirtualAlloc reserves 12288 bytes (0x3000); 53248 bytes of its 64 KB granule become unusable'],
      ['src/extra.c', 6, 'VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable'],
    ]);
    // the config file sets large-page-size; the rules input turns the view rule off
    expect(run.invocations[0].ruleConfigurationOverrides).toEqual([
      { descriptor: { id: 'large-page-size', index: 1 }, configuration: { level: 'warning', enabled: true } },
      { descriptor: { id: 'mapview-granularity', index: 2 }, configuration: { level: 'none', enabled: false } },
    ]);
  });

  it('leaves suppressed findings out of the upload unless include-suppressed is true', () => {
    const dir = tempDir('action-suppressed');
    fs.copyFileSync(path.join(ROOT, 'test', 'formats', 'data', 'suppressed', 'legacy.c'), path.join(dir, 'legacy.c'));
    const count = () =>
      JSON.parse(fs.readFileSync(path.join(dir, 'granule.sarif'), 'utf8')).runs[0].results.map(
        (x: { suppressions?: unknown[] }) => x.suppressions?.length ?? 0,
      );
    const omitted = runAction(dir, {});
    expect([omitted.status, omitted.stdout]).toEqual([0, 'granule --format sarif --output granule.sarif --sarif-omit-suppressed -- .\n']);
    expect(count()).toEqual([0]);
    const included = runAction(dir, { 'include-suppressed': 'true' });
    expect([included.status, included.stdout]).toEqual([0, 'granule --format sarif --output granule.sarif -- .\n']);
    expect(count()).toEqual([1, 1, 0]);
    // only the exact value true keeps them, as for fail-on-findings
    expect(runAction(dir, { 'include-suppressed': 'yes' }).stdout).toContain('--sarif-omit-suppressed');
    expect(count()).toEqual([0]);
  });

  it('fails the step on a usage error even when findings are not to fail it', () => {
    const dir = tempDir('action-bad');
    fs.copyFileSync(path.join(INPUT, 'app.c'), path.join(dir, 'app.c'));
    const r = runAction(dir, { target: 'sparc' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('granule: unknown target "sparc" (expected x64, x86 or arm64, or a list of them: x64,x86)\n');
    expect(r.outputs).toBe(`sarif-file=${dir}/granule.sarif\nexit-code=2\n`);
  });

  it('passes inputs as data: shell syntax in an input is a path, not a command', () => {
    const dir = tempDir('action-inject');
    fs.copyFileSync(path.join(INPUT, 'app.c'), path.join(dir, 'app.c'));
    const r = runAction(dir, { 'sarif-file': '$(touch pwned).sarif', category: '"; touch pwned2; echo "' });
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'pwned'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'pwned2'))).toBe(false);
    expect(fs.existsSync(path.join(dir, '$(touch pwned).sarif'))).toBe(true);
  });
});

describe('docs/code-scanning.md', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'code-scanning.md'), 'utf8');
  const workflows = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => parse(m[1]!) as { jobs?: Record<string, { steps: Step[] }> })
    .filter((w) => w?.jobs);

  it('has workflows that parse, use only inputs the action has, and upload with upload-sarif', () => {
    expect(workflows.length).toBeGreaterThanOrEqual(2);
    for (const w of workflows) {
      const steps = Object.values(w.jobs!).flatMap((j) => j.steps);
      const granule = steps.filter((s) => s.uses?.startsWith('granule-lint/granule@'));
      const upload = steps.filter((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
      expect(granule.length + steps.filter((s) => s.run?.includes('granule')).length).toBeGreaterThan(0);
      expect(upload.length).toBeGreaterThan(0);
      for (const s of granule) for (const key of Object.keys(s.with ?? {})) expect(Object.keys(action.inputs)).toContain(key);
      for (const s of upload) expect(s.with?.sarif_file).toBeTruthy();
    }
  });

  it('mentions every input of the action', () => {
    for (const input of Object.keys(action.inputs)) expect(doc).toContain(`\`${input}\``);
  });
});
