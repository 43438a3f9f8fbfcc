// The GitHub Action as a workflow uses it: every shell step of action.yml, parsed from the file and run the way
// the runner runs it (bash --noprofile --norc -eo pipefail, GITHUB_OUTPUT per step, inputs in the environment),
// in a fresh clone of this repository's HEAD — no dist/, no node_modules, as `uses: granule-lint/granule@<ref>`
// checks it out. The install must leave only what running granule needs, and the run must write the SARIF.
//
// (The clone is of the last commit: uncommitted changes are not in it.)

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { unavailable } from '../helpers/requirements.js';
import { must, ROOT, run, tempDir, userEnv } from './helpers.js';

interface Step {
  id?: string;
  name: string;
  uses?: string;
  run?: string;
  shell?: string;
  if?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}

interface Action {
  inputs: Record<string, { default: string }>;
  runs: { steps: Step[] };
}

const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as Action;
const packageJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** `${{ github.action_path }}` and `${{ inputs.x }}`: the only expressions the action's shell steps may use. */
function expand(value: string, actionPath: string, inputs: Record<string, string>): string {
  return value.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, expr: string) => {
    if (expr === 'github.action_path') return actionPath;
    const input = /^inputs\.([\w-]+)$/.exec(expr)?.[1];
    if (input && input in action.inputs) return inputs[input] ?? action.inputs[input]!.default;
    throw new Error(`action.yml uses \${{ ${expr} }}, which this test does not provide`);
  });
}

interface StepRun {
  status: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

function runStep(step: Step, actionPath: string, workspace: string, inputs: Record<string, string>): StepRun {
  expect(step.shell, step.name).toBe('bash');
  expect(step.run, step.name).not.toContain('${{');
  const dir = tempDir('step');
  const outputFile = path.join(dir, 'output');
  fs.writeFileSync(outputFile, '');
  const script = path.join(dir, 'step.sh');
  fs.writeFileSync(script, step.run!);
  const env = userEnv({ CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: outputFile, GITHUB_ACTION_PATH: actionPath, GITHUB_WORKSPACE: workspace });
  for (const [name, value] of Object.entries(step.env ?? {})) env[name] = expand(value, actionPath, inputs);
  const cwd = step['working-directory'] ? expand(step['working-directory'], actionPath, inputs) : workspace;
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, encoding: 'utf8', timeout: 900_000, maxBuffer: 64 << 20 });
  const outputs = Object.fromEntries(
    fs
      .readFileSync(outputFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, outputs };
}

describe.skipIf(unavailable('git', 'npm-registry'))('the action in a fresh clone of the repository', () => {
  it('installs and builds granule, keeps only its runtime dependencies, and writes the SARIF and its outputs', () => {
    const actionPath = path.join(tempDir('clone'), 'granule');
    must(run('git', ['clone', '--quiet', '--no-hardlinks', ROOT, actionPath], ROOT), 'git clone');
    expect(fs.existsSync(path.join(actionPath, 'dist'))).toBe(false);
    const workspace = tempDir('workspace');
    fs.mkdirSync(path.join(workspace, 'src'));
    fs.copyFileSync(path.join(ROOT, 'test', 'formats', 'data', 'input', 'app.c'), path.join(workspace, 'src', 'app.c'));
    const inputs = { paths: 'src' };

    const outputs: Record<string, Record<string, string>> = {};
    for (const step of action.runs.steps) {
      if (step.uses) {
        // setup-node runs only when the Node.js on the runner is too old; this one is new enough
        expect(step.uses).toBe('actions/setup-node@v4');
        expect(step.if).toBe("steps.node.outputs.ok != 'true'");
        expect(outputs.node!.ok).toBe('true');
        continue;
      }
      const r = runStep(step, actionPath, workspace, inputs);
      expect(r.status, `${step.name}\n${r.stdout}\n${r.stderr}`).toBe(0);
      if (step.id) outputs[step.id] = r.outputs;
    }

    // only what running granule needs: every runtime dependency, no build or test tool, no grammar package (the
    // run below loads the grammars from the copy the build made in dist/grammars/)
    const installed = (name: string) => fs.existsSync(path.join(actionPath, 'node_modules', name, 'package.json'));
    for (const name of Object.keys(packageJson.dependencies)) expect(installed(name), name).toBe(true);
    for (const name of [
      'typescript',
      'esbuild',
      'vitest',
      'eslint',
      '@microsoft/sarif-multitool',
      '@typescript-eslint/utils',
      'fast-check',
      'yaml',
      'tree-sitter-c',
      'tree-sitter-cpp',
    ]) {
      expect(packageJson.devDependencies[name], name).toBeDefined();
      expect(installed(name), name).toBe(false);
    }

    const sarifFile = path.join(workspace, 'granule.sarif');
    expect(outputs.granule).toEqual({ 'sarif-file': sarifFile, 'exit-code': '1' });
    const log = JSON.parse(fs.readFileSync(sarifFile, 'utf8'));
    expect(log.version).toBe('2.1.0');
    const results = log.runs[0].results as { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
    expect(results).toHaveLength(4);
    expect(new Set(results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri))).toEqual(new Set(['src/app.c']));
    expect(results.map((r) => r.ruleId)).toContain('virtualalloc-granularity');
  }, 900_000);
});
