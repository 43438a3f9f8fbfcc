// The pre-commit hook with the real pre-commit tool: a temporary copy of this working tree (what is on
// disk, committed or not) becomes the hook repository, and a fresh git repository uses it through the
// README's snippet. pre-commit clones the copy, runs `npm install` (whose `prepare` builds dist) and
// `npm pack`, then runs granule on the staged C files of each commit.

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { unavailable } from '../helpers/requirements.js';
import { makeTree } from '../helpers/tree.js';

const TAG = 'v0.0.0-test';

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024 });
}

function must(r: SpawnSyncReturns<string>): string {
  if (r.status !== 0) throw new Error(`${r.error?.message ?? ''}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const identity = ['-c', 'user.name=granule test', '-c', 'user.email=test@granule.invalid', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false'];

/** This working tree as a git repository with a tag, as pre-commit expects a hook repository to be. */
function hookRepository(): string {
  const dir = makeTree({}, 'granule-hook-repo-');
  const files = must(run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT))
    .split('\0')
    .filter(Boolean);
  for (const rel of files) {
    const from = path.join(ROOT, rel);
    if (!fs.existsSync(from)) continue; // deleted in the working tree
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, rel));
  }
  must(run('git', ['init', '-q'], dir));
  must(run('git', ['add', '-A'], dir));
  must(run('git', [...identity, 'commit', '-q', '-m', 'granule under test'], dir));
  must(run('git', [...identity, 'tag', TAG], dir));
  return dir;
}

/** The README's pre-commit snippet, pointed at the hook repository. */
function readmeSnippet(repo: string): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /```yaml\n(# \.pre-commit-config\.yaml\n[\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no ```yaml block for .pre-commit-config.yaml');
  const snippet = block[1]!;
  expect(snippet).toMatch(/repo: https:\/\/github\.com\/granule-lint\/granule\n/);
  expect(snippet).toMatch(/- id: granule\n/);
  return snippet.replace(/repo: \S+/, `repo: ${repo}`).replace(/rev: \S+/, `rev: ${TAG}`);
}

// pre-commit installs the hook with `npm install` from the registry
describe.skipIf(unavailable('git', 'pre-commit', 'npm-registry'))('pre-commit', () => {
  it('installs the hook from this checkout; a clean commit passes and a bad one is blocked with the finding shown', () => {
    const hooks = hookRepository();
    const home = makeTree({}, 'granule-pre-commit-home-');
    const project = makeTree({
      'src/clean.c': '#include <windows.h>\nvoid *arena(void) { return VirtualAlloc(NULL, 64 * 1024, MEM_RESERVE, PAGE_READWRITE); }\n',
      'notes.txt': 'VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_READWRITE) in a text file is not C\n',
    });
    fs.writeFileSync(path.join(project, '.pre-commit-config.yaml'), readmeSnippet(hooks));
    const env = { PRE_COMMIT_HOME: home };
    must(run('git', ['init', '-q'], project));
    must(run('pre-commit', ['install'], project, env));

    // installing the environment (npm install, build, pack) happens on the first commit
    must(run('git', ['add', '-A'], project));
    const clean = run('git', [...identity, 'commit', '-m', 'clean'], project, env);
    expect(clean.stderr + clean.stdout).toMatch(/granule\.+Passed/);
    expect(clean.status).toBe(0);

    fs.writeFileSync(
      path.join(project, 'src/pages.c'),
      '#include <windows.h>\nvoid *page(void) {\n  return VirtualAlloc(NULL, 4096, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);\n}\n',
    );
    must(run('git', ['add', 'src/pages.c'], project));
    const bad = run('git', [...identity, 'commit', '-m', 'bad'], project, env);
    const output = bad.stdout + bad.stderr;
    expect(bad.status).toBe(1);
    expect(output).toMatch(/granule\.+Failed\n- hook id: granule\n- exit code: 1\n/);
    expect(output).toContain(
      'src/pages.c\n  3:10  error  VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller  virtualalloc-granularity\n',
    );
    expect(must(run('git', ['log', '--format=%s'], project))).toBe('clean\n');

    // the finding fixed, the same commit goes through
    fs.writeFileSync(
      path.join(project, 'src/pages.c'),
      '#include <windows.h>\nvoid *page(void) {\n  return VirtualAlloc(NULL, 65536, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);\n}\n',
    );
    must(run('git', ['add', 'src/pages.c'], project));
    const fixed = run('git', [...identity, 'commit', '-m', 'fixed'], project, env);
    expect(fixed.status).toBe(0);
    expect(must(run('git', ['log', '--format=%s'], project))).toBe('fixed\nclean\n');
  }, 900_000);
});
