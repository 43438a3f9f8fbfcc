// Threads (--concurrency N, src/engine/runner/workers.ts) report exactly what one thread reports: findings with
// disable comments applied, unused-comment notices, wrappers across files (including a wrapper of a wrapper
// in a file with no API name), macros from headers, binary, UTF-16 and unparsable files.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

let dir: string;

beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'granule-threads-')));
  const files: Record<string, string | Buffer> = {
    'os.c': 'void *os_reserve(SIZE_T n) { return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_NOACCESS); }\n',
    'arena.c': 'void *arena_new(SIZE_T n) { return os_reserve(n * 2); }\n',
    'use.c': 'void f(void) {\n  arena_new(100);\n  // granule-disable-next-line virtualalloc-granularity -- known\n  os_reserve(300);\n}\n',
    'unused.c':
      'void g(void) {\n  // granule-disable-next-line virtualalloc-granularity\n  VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_NOACCESS);\n  VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS);\n}\n',
    'macro.h': '#define GRAB() VirtualAlloc(NULL, 8192, MEM_RESERVE, PAGE_NOACCESS)\n',
    'grab.c': '#include "macro.h"\nvoid h(void) { GRAB(); }\n',
    'broken.c': 'void k(void) { VirtualAlloc(NULL, 100, MEM_RESERVE, PAGE_NOACCESS) }\n',
    'blob.c': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1]),
    'wide.c': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('void w(void) { VirtualAlloc(NULL, 12288, MEM_RESERVE, PAGE_NOACCESS); }\n', 'utf16le')]),
  };
  // enough plain files that both threads read some
  for (let i = 0; i < 60; i++) files[`plain/p${i}.c`] = `int p${i}(int x) { return x + ${i}; }\n`;
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('--concurrency', () => {
  it('gives the report of one thread, with any number of threads', () => {
    const run = (concurrency: string) => runCli(['--format', 'json', '--report-unused-disable-directives', '--concurrency', concurrency, '.'], { cwd: dir });
    const one = run('off');
    expect(one.status).toBe(1);
    const report = JSON.parse(one.stdout) as { findings: { file: string; suppressed?: unknown }[]; notices: { code: string }[] };
    expect(report.findings.map((f) => `${path.basename(f.file)}${f.suppressed ? ' (suppressed)' : ''}`)).toEqual([
      'broken.c',
      'grab.c',
      'unused.c',
      'use.c',
      'use.c (suppressed)',
      'wide.c',
    ]);
    expect(report.notices.map((n) => n.code).sort()).toEqual(['binary', 'encoding', 'parse-error', 'unused-disable-directive']);
    for (const n of ['1', '2', '3']) {
      const threaded = run(n);
      expect(threaded.stdout).toBe(one.stdout);
      expect(threaded.stderr).toBe(one.stderr);
      expect(threaded.status).toBe(one.status);
    }
  });

  it('rejects a bad value with exit 2', () => {
    for (const bad of ['0', 'many', '1.5', '65']) {
      const r = runCli(['--concurrency', bad, '.'], { cwd: dir });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`granule: --concurrency expects a number of threads (1 to 64), auto or off, got "${bad}"\n`);
    }
  });
});
