// Every fixture folder, opened in the language server as a workspace (its fixture.json as the project's
// granule.config.json): each file's diagnostics equal what the granule CLI reports for it, line for line.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixtureFolders, sourceFiles } from '../helpers/fixtures.js';
import { copyFixture } from '../eslint/helpers.js';
import { LspClient, uriOf } from './client.js';

interface CliFinding {
  path: string;
  ruleId: string;
  message: string;
  severity: string;
  range: { start: { line: number; column: number }; end: { line: number; column: number } };
  suppressed?: unknown;
}

describe.each(fixtureFolders().map((d) => [path.basename(d), d]))('fixtures/%s', (_name, dir) => {
  it('diagnostics equal the CLI findings', async () => {
    const copy = copyFixture(dir);
    const cli = JSON.parse(runCli(['--format', 'json', '.'], { cwd: copy }).stdout) as { findings: CliFinding[] };
    expect(cli.findings.length).toBeGreaterThan(0);
    const client = new LspClient();
    try {
      await client.initialize(copy);
      for (const file of sourceFiles(copy)) {
        const rel = path.relative(copy, file).split(path.sep).join('/');
        const uri = uriOf(file);
        const from = client.published.length;
        await client.open(uri, fs.readFileSync(file, 'utf8'), /\.c$|\.h$/.test(file) ? 'c' : 'cpp');
        const p = await client.diagnostics(uri, () => true, from);
        const got = p.diagnostics.map(
          (d) =>
            `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${d.severity === 1 ? 'error' : 'warn'} ${d.code}: ${d.message}`,
        );
        const want = cli.findings
          .filter((f) => f.path === rel && !f.suppressed)
          .map((f) => `${f.range.start.line}:${f.range.start.column}-${f.range.end.line}:${f.range.end.column} ${f.severity} ${f.ruleId}: ${f.message}`);
        expect(got, rel).toEqual(want);
      }
    } finally {
      expect(await client.close()).toBe(0);
    }
  });
});
