// What README.md and docs/configuration.md tell a pre-commit user to do while no release is tagged: paste the
// snippet (rev: main), then `pre-commit autoupdate --freeze`, which must pin the newest commit's SHA. Run with
// the real pre-commit against a tagless copy of the hook repository (only its manifest: autoupdate installs
// nothing).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unavailable } from '../helpers/requirements.js';
import { must, ROOT, run, tempDir, userEnv } from './helpers.js';

const identity = ['-c', 'user.name=granule test', '-c', 'user.email=test@granule.invalid', '-c', 'commit.gpgsign=false'];

function snippet(doc: string): string {
  const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
  const block = /```yaml\n(# \.pre-commit-config\.yaml\n[\s\S]*?)```/.exec(text);
  if (!block) throw new Error(`${doc} has no .pre-commit-config.yaml block`);
  return block[1]!;
}

describe.skipIf(unavailable('git', 'pre-commit'))('pinning the pre-commit hook before a release exists', () => {
  it('README and docs paste the same snippet, and autoupdate --freeze turns its rev into the newest commit SHA', () => {
    expect(snippet('docs/configuration.md')).toBe(snippet('README.md'));
    const pasted = snippet('README.md');
    expect(pasted).toMatch(/^ {4}rev: main +# /m);

    const hooks = tempDir('hooks');
    fs.copyFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), path.join(hooks, '.pre-commit-hooks.yaml'));
    must(run('git', ['init', '-q', '-b', 'main'], hooks), 'git init');
    must(run('git', ['add', '-A'], hooks), 'git add');
    must(run('git', [...identity, 'commit', '-q', '-m', 'hooks'], hooks), 'git commit');
    const sha = must(run('git', ['rev-parse', 'HEAD'], hooks), 'git rev-parse').stdout.trim();

    const project = tempDir('project');
    must(run('git', ['init', '-q'], project), 'git init');
    const config = path.join(project, '.pre-commit-config.yaml');
    fs.writeFileSync(config, pasted.replace('https://github.com/granule-lint/granule', hooks));
    const env = userEnv({ PRE_COMMIT_HOME: tempDir('pre-commit-home') });
    const r = run('pre-commit', ['autoupdate', '--freeze'], project, env);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const rev = /^ {4}rev: (\S+)/m.exec(fs.readFileSync(config, 'utf8'))?.[1];
    expect(rev).toBe(sha);
  });
});
