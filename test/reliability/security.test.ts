// Security: nothing from a config or a scanned source is ever executed, and no path in a report leaves
// the scanned root through `..` or a symbolic link.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { unavailable } from '../helpers/requirements.js';
import { HEALTHY, HEALTHY_MESSAGE, notices, places, scan, workspace } from './helpers.js';

const dirs: string[] = [];
function ws(files: Record<string, string> = {}, healthy = true): string {
  const dir = workspace(files, healthy);
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** JavaScript that leaves a file behind if anything ever runs it. */
const payload = (marker: string) => `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'executed'); module.exports = { rules: {} };\n`;

describe('no code from configs or sources is executed', () => {
  it('a config that extends a JavaScript file is refused as invalid JSON; the file never runs', () => {
    const dir = ws();
    const marker = path.join(dir, 'PWNED');
    fs.writeFileSync(path.join(dir, 'evil.js'), payload(marker));
    fs.writeFileSync(path.join(dir, 'granule.config.json'), '{ "extends": ["./evil.js"] }\n');
    const r = runCli(['--format', 'compact', '.'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe(
      `evil.js:1:1: error: invalid config: invalid JSON: Unexpected token 'r' (extended by ${path.join(dir, 'granule.config.json')}) [config]\n`,
    );
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('JavaScript config files are never loaded, not even when package.json names one', () => {
    const dir = ws();
    const marker = path.join(dir, 'PWNED');
    for (const name of ['granule.config.js', 'granule.config.mjs', 'granule.config.cjs', '.granulerc.js', 'eslint.config.js'])
      fs.writeFileSync(path.join(dir, name), payload(marker));
    const ignored = scan(dir, ['.']);
    expect(ignored.status).toBe(1);
    expect(notices(ignored.report)).toEqual([]);
    expect(places(ignored.report)).toEqual(['healthy.c:3:5 virtualalloc-granularity']);
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'x', scripts: { preinstall: `touch ${marker}` }, granule: { extends: ['./granule.config.js'] } }),
    );
    const named = scan(dir, ['.']);
    expect(named.status).toBe(2);
    expect(notices(named.report)).toEqual([
      {
        level: 'error',
        code: 'config',
        message: `invalid config: invalid JSON: Unexpected token 'r' (extended by ${path.join(dir, 'package.json')})`,
        path: 'granule.config.js',
      },
    ]);
    expect(places(named.report)).toEqual([]);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it.skipIf(unavailable('git'))('file names and source text that look like shell or JavaScript are only ever read', () => {
    const hostile = ['$(touch PWNED1).c', '`touch PWNED2`.c', ';touch PWNED3;.c', "'; touch PWNED4; '.c", '-rf.c', '--output=PWNED5.c'];
    const files: Record<string, string> = {};
    for (const name of hostile) files[name] = HEALTHY;
    files['payload.c'] = [
      '#include "$(touch PWNED6)"',
      '#pragma comment(lib, "`touch PWNED7`")',
      "#define RUN require('child_process').execSync('touch PWNED8')",
      'void f(void) { VirtualAlloc(NULL, RUN, MEM_RESERVE, PAGE_NOACCESS); }',
      '',
    ].join('\n');
    const plain = ws(files);
    // inside a git work tree discovery asks git; outside it walks the directory: both must be safe
    const repo = ws(files);
    expect(spawnSync('git', ['init', '-q'], { cwd: repo }).status).toBe(0);
    for (const dir of [plain, repo]) {
      const r = scan(dir, ['--rule', 'unresolved-allocation-size:warn', '.']);
      expect(r.status).toBe(1);
      expect(fs.readdirSync(dir).filter((n) => n.startsWith('PWNED'))).toEqual([]);
      expect(r.report.findings.map((f) => `${f.path} ${f.message}`).sort()).toEqual(
        [...hostile, 'healthy.c']
          .map((n) => `${n} ${HEALTHY_MESSAGE}`)
          .concat(["payload.c VirtualAlloc's size could not be proven: calls execSync()"])
          .sort(),
      );
    }
  });
});

describe('report paths stay inside the scanned root', () => {
  it('no URI climbs out with `..`; files outside the root get absolute file URIs; linked directories are not followed', () => {
    const base = ws({}, false);
    fs.mkdirSync(path.join(base, 'outside'));
    fs.writeFileSync(path.join(base, 'outside', 'defs.h'), '#define RESERVE(n) VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_NOACCESS)\n#define OUT_SIZE 8192\n');
    fs.writeFileSync(path.join(base, 'outside', 'x.c'), HEALTHY);
    fs.mkdirSync(path.join(base, 'repo', 'src'), { recursive: true });
    fs.writeFileSync(
      path.join(base, 'repo', 'src', 'a.c'),
      '#include "../../outside/defs.h"\nvoid f(void) {\n    RESERVE(4096);\n    VirtualAlloc(NULL, OUT_SIZE, MEM_RESERVE, PAGE_NOACCESS);\n}\n',
    );
    fs.symlinkSync('../outside', path.join(base, 'repo', 'linked'));
    const repo = path.join(base, 'repo');
    const r = runCli(['--format', 'sarif', '.', '../outside/x.c', 'src/../src/a.c'], { cwd: repo });
    expect(r.status).toBe(1);
    const log = JSON.parse(r.stdout);
    const uris: string[] = [];
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === 'artifactLocation') uris.push(`${(v as { uriBaseId?: string }).uriBaseId ?? ''} ${(v as { uri: string }).uri}`);
          else collect(v);
        }
      }
    };
    collect(log.runs[0].results);
    expect([...new Set(uris)].sort()).toEqual([` ${new URL(`file://${path.join(base, 'outside', 'x.c')}`).href}`, '%SRCROOT% src/a.c']);
    expect(uris.every((u) => !u.split(/[ /]/).includes('..'))).toBe(true);
    // the linked directory's files are not scanned (nothing under repo/linked/)
    const json = JSON.parse(runCli(['--format', 'json', '.'], { cwd: repo }).stdout);
    expect(json.findings.map((f: { path: string }) => f.path)).toEqual(['src/a.c', 'src/a.c']);
  });
});

describe('only regular files are read', () => {
  it.skipIf(process.platform === 'win32' || unavailable('mkfifo'))(
    'an #include of a FIFO, /dev/zero or /dev/stdin is never opened: the run neither hangs nor grows',
    () => {
      const dir = ws({});
      spawnSync('mkfifo', [path.join(dir, 'fifo.h')]);
      fs.writeFileSync(
        path.join(dir, 'special.c'),
        '#include "fifo.h"\n#include "/dev/zero"\n#include "/dev/stdin"\nvoid f(void) { VirtualAlloc(0, 4096, 0x3000, 4); }\n',
      );
      // stdin stays open and silent: reading it, or the FIFO, would block until the test times out
      const started = Date.now();
      const r = spawnSync(process.execPath, [path.join(import.meta.dirname, '..', '..', 'bin', 'granule.js'), '--format', 'compact', 'special.c'], {
        cwd: dir,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['pipe', 'pipe', 'pipe'],
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(r.stdout).toBe(
        'special.c:4:16: error: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable [virtualalloc-granularity]\n',
      );
      expect(r.status).toBe(1);
    },
  );
});

describe('names from the scanned tree are printed escaped', () => {
  // a file name that holds line breaks would print lines GitHub Actions reads as workflow commands
  const forged = 'x\n::error file=good.c,line=1::Forged\n::add-mask::granule\n\u001b[2Jx.c';
  const shown = 'x\\n::error file=good.c,line=1::Forged\\n::add-mask::granule\\n\\x1b[2Jx.c';

  it.skipIf(process.platform === 'win32')('in compact, stylish, msvc and on stderr: no line starts a command, no escape sequence reaches the terminal', () => {
    const dir = ws({ [forged]: HEALTHY }, false);
    for (const args of [
      ['-f', 'compact'],
      ['-f', 'stylish'],
      ['-f', 'msvc'],
      ['-f', 'github'],
      ['-f', 'sarif', '-o', 'out.sarif'],
      ['-f', 'json', '-o', 'out.json'],
    ]) {
      const r = runCli([...args, '.'], { cwd: dir });
      expect(r.status).toBe(1);
      for (const line of `${r.stdout}\n${r.stderr}`.split('\n')) {
        expect(line.startsWith('::') && !line.startsWith(`::error file=${'x%0A'}`)).toBe(false);
        expect(line).not.toContain('\u001b');
      }
    }
    expect(runCli(['-f', 'compact', '.'], { cwd: dir }).stdout).toBe(`${shown}:3:5: error: ${HEALTHY_MESSAGE} [virtualalloc-granularity]\n`);
  });
});
