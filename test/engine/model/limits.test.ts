// The limit machinery itself: sizes and times as the options take them, deadlines that nest, a parse cut
// off by tree-sitter's timeout, text too large for a JavaScript string, and how a skipped file shows in SARIF.

import { constants } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkTimeLimit, formatBytes, parseSeconds, parseSize, remainingMicros, TimeLimitExceeded, withTimeLimit } from '../../../src/engine/model/limits.js';
import { parse } from '../../../src/engine/parse/parse.js';
import { decode } from '../../../src/engine/text/source.js';
import { runCli } from '../../helpers/cli.js';
import { HEALTHY, workspace } from '../../reliability/helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('option values', () => {
  it('sizes take binary units, any case, or plain bytes', () => {
    expect(['16MB', '16mb', '16M', '16MiB', '512k', '512KB', '1048576', '0', '1.5MB', '2g', ' 7 kb '].map(parseSize)).toEqual([
      16 * 2 ** 20,
      16 * 2 ** 20,
      16 * 2 ** 20,
      16 * 2 ** 20,
      512 * 1024,
      512 * 1024,
      1048576,
      0,
      1.5 * 2 ** 20,
      2 * 2 ** 30,
      7 * 1024,
    ]);
    expect(['', 'lots', '-1MB', '16 TB', '1e3', 'MB', '0x10'].map(parseSize)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('times are seconds, to the millisecond', () => {
    expect(['30', '2.5', '0', '0.001', ' 1 '].map(parseSeconds)).toEqual([30_000, 2500, 0, 1, 1000]);
    expect(['', 'soon', '-1', '1s', '1e3'].map(parseSeconds)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('sizes print as people read them', () => {
    expect([0, 1023, 1024, 1536, 16 * 2 ** 20, 50 * 2 ** 20, 2 ** 20 + 1].map(formatBytes)).toEqual([
      '0 bytes',
      '1023 bytes',
      '1 KB',
      '1.5 KB',
      '16 MB',
      '50 MB',
      '1.0 MB',
    ]);
  });
});

describe('deadlines', () => {
  it('stop work that runs past them, and nest: the earlier deadline wins', () => {
    expect(remainingMicros()).toBe(0);
    const spin = () => {
      const end = performance.now() + 5000;
      while (performance.now() < end) checkTimeLimit();
      return 'finished';
    };
    const started = performance.now();
    expect(() => withTimeLimit(20, spin)).toThrow(new TimeLimitExceeded(20));
    expect(performance.now() - started).toBeLessThan(4000);
    // an outer deadline of 20 ms is not extended by an inner one of a minute
    expect(() => withTimeLimit(20, () => withTimeLimit(60_000, spin))).toThrow('analysis took longer than 0.02 s');
    // and once a limited call returns, nothing is limited any more
    expect(withTimeLimit(1000, () => remainingMicros())).toBeGreaterThan(0);
    expect(remainingMicros()).toBe(0);
    expect(withTimeLimit(0, () => remainingMicros())).toBe(0);
  });

  it('cut a parse off with tree-sitter’s own timeout; the next parse starts afresh', () => {
    const text = 'int f(void) { return 1 + 2; }\n'.repeat(200_000);
    expect(() => withTimeLimit(1, () => parse(text, 'c'))).toThrow(TimeLimitExceeded);
    const tree = parse('int g(void) { return 3; }\n', 'c');
    expect(tree.rootNode.toString()).toBe(
      '(translation_unit (function_definition type: (primitive_type) declarator: (function_declarator declarator: (identifier) parameters: (parameter_list (parameter_declaration type: (primitive_type)))) body: (compound_statement (return_statement (number_literal)))))',
    );
  });
});

describe('text too large for a string', () => {
  it('is refused with a limit notice instead of throwing', () => {
    const bytes = Buffer.alloc(constants.MAX_STRING_LENGTH + 1, 0x61);
    expect(decode(bytes)).toEqual({ ok: false, code: 'limit', message: `skipped: the file is too large to read as text (${formatBytes(bytes.length)})` });
  });
});

describe('a skipped file in SARIF', () => {
  it('is a toolExecutionNotification with its location; the run stays successful', () => {
    const dir = workspace({ 'big.c': HEALTHY + `/* ${'x'.repeat(4096)} */\n` });
    dirs.push(dir);
    const r = runCli(['--format', 'sarif', '--max-file-size', '4KB', '.'], { cwd: dir });
    expect(r.status).toBe(1);
    const invocation = JSON.parse(r.stdout).runs[0].invocations[0];
    expect(invocation.executionSuccessful).toBe(true);
    expect(invocation.toolExecutionNotifications).toEqual([
      {
        level: 'warning',
        message: { text: `skipped: the file is ${formatBytes(fs.statSync(path.join(dir, 'big.c')).size)}, over the 4 KB limit (--max-file-size)` },
        descriptor: { id: 'limit' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'big.c', uriBaseId: '%SRCROOT%' } } }],
      },
    ]);
  });
});

describe('headers that include each other without include guards', () => {
  it('stop being followed after a bounded number of entries, with a notice; the file keeps its findings', () => {
    // each header includes the next one twice: 2^24 entries at this depth if followed to the end
    const files: Record<string, string> = { 'a.c': `#include "h0.h"\n${HEALTHY}` };
    for (let i = 0; i < 24; i++) files[`h${i}.h`] = `#define X${i} 1\n#include "h${i + 1}.h"\n#include "h${i + 1}.h"\n`;
    files['h24.h'] = '#define LAST 1\n';
    const dir = workspace(files, false);
    dirs.push(dir);
    const started = Date.now();
    const r = runCli(['--format', 'compact', 'a.c'], { cwd: dir });
    // (the same tree ran out of memory after a minute, past any --file-timeout)
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.stdout.split('\n')).toEqual([
      'a.c:1:1: warning: its includes entered headers 50000 times (headers without include guards that include each other); the includes after that were not followed [limit]',
      expect.stringMatching(/^a\.c:\d+:\d+: error: VirtualAlloc reserves 4096 bytes/),
      '',
    ]);
    expect(r.status).toBe(1);
  });
});

describe('a macro that grows exponentially', () => {
  it('costs the file only the sizes written with it: 50 uses in 3.5 KB keep the file its other findings', () => {
    // E17(1) expands to 2^18 tokens nested 2^17 deep: each use is cut off by the expansion budget, and once the
    // file's budget is spent the others are not expanded at all (they took the file past its time limit, or
    // overflowed the stack, and every finding of the file was lost)
    const lines = ['#include <windows.h>', '#define E0(x) (x+x)'];
    for (let k = 1; k <= 17; k++) lines.push(`#define E${k}(x) E${k - 1}(E${k - 1}(x))`);
    lines.push('void f(void) {');
    for (let i = 0; i < 50; i++) lines.push('  VirtualAlloc(NULL, E17(1), MEM_RESERVE, PAGE_NOACCESS);');
    lines.push('  VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS);', '}', '');
    const dir = workspace({ 'e.c': lines.join('\n') }, false);
    dirs.push(dir);
    const r = runCli(['--format', 'compact', 'e.c'], { cwd: dir });
    expect(r.stdout).toBe(
      'e.c:71:3: error: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable [virtualalloc-granularity]\n',
    );
    expect(r.status).toBe(1);
  });
});

describe('deeply nested #if', () => {
  it('100,000 levels keep their finding: the activity of a branch is the innermost group, not a walk of every level', () => {
    const n = 100_000;
    const text = `${'#if 1\n'.repeat(n)}void f(void) { VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS); }\n${'#endif\n'.repeat(n)}`;
    const dir = workspace({ 'deep.c': text }, false);
    dirs.push(dir);
    const r = runCli(['--format', 'compact', 'deep.c'], { cwd: dir });
    expect(r.stdout).toBe(
      `deep.c:${n + 1}:16: error: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable [virtualalloc-granularity]\n`,
    );
    expect(r.status).toBe(1);
  });
});
