// A file named on the command line (a pre-commit hook's staged file) gets the findings it gets when its
// directory is scanned: a macro that calls VirtualAlloc or an inline wrapper in a header it includes, beside it,
// through another header or on the include path, makes its calls count. The headers are read as context: their
// own findings are not reported, and they are not counted as scanned.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLintOptions, lintPaths } from '../../../src/engine/runner/lint.js';
import { contextHeaders } from '../../../src/engine/runner/context-headers.js';
import { FileReader } from '../../../src/engine/files/file-reader.js';

let dir: string;
const MESSAGE = 'VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable';

function write(relative: string, text: string): string {
  const file = path.join(dir, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-context-'));
  write('src/alloc.h', '#define RESERVE(n) VirtualAlloc(NULL, (n), MEM_RESERVE, PAGE_NOACCESS)\n');
  write('src/macro.c', '#include "alloc.h"\nvoid a(void) { RESERVE(4096); }\n');
  // through a header that mentions no API itself
  write('src/outer.h', '#include "alloc.h"\n');
  write('src/transitive.c', '#include "outer.h"\nvoid b(void) { RESERVE(4096); }\n');
  // an inline wrapper in a header on the include path (its own call wastes nothing it can prove)
  write('include/grab.h', 'static inline void *grab(SIZE_T n) { return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_NOACCESS); }\n');
  write('src/wrapper.c', '#include <grab.h>\nvoid c(void) { grab(4096); }\n');
  // a header with a finding of its own, which naming another file must not report
  write('src/leaky.h', '#include "alloc.h"\nstatic void leak(void) { RESERVE(4096); }\n');
  write('src/quiet.c', '#include "leaky.h"\nint q;\n');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function lint(paths: string[]) {
  const report = await lintPaths(paths, { ...defaultLintOptions(dir), includePaths: ['include'], concurrency: 'off' });
  return {
    found: report.findings.map((f) => `${path.relative(dir, f.file)}:${f.range.start.line} ${f.message}`),
    filesScanned: report.filesScanned,
  };
}

describe('a file named on the command line', () => {
  it.each([
    ['a macro from a header beside it', 'src/macro.c', 2],
    ['a macro from a header it reaches through another', 'src/transitive.c', 2],
    ['an inline wrapper from a header on the include path', 'src/wrapper.c', 2],
  ])('reports %s, as a scan of its directory does', async (_what, file, line) => {
    const alone = await lint([file]);
    expect(alone).toEqual({ found: [`${file}:${line} ${MESSAGE}`], filesScanned: 1 });
    const whole = await lint(['src', 'include']);
    expect(whole.found).toContain(`${file}:${line} ${MESSAGE}`);
  });

  it('does not report the findings of the headers it includes, or count them as scanned', async () => {
    expect(await lint(['src/quiet.c'])).toEqual({ found: [], filesScanned: 1 });
    expect((await lint(['src/quiet.c', 'src/leaky.h'])).found).toEqual([`src/leaky.h:2 ${MESSAGE}`]);
  });
});

describe('contextHeaders', () => {
  it('follows "..." beside the file then on the include path, <...> on the include path, each header once', () => {
    const files = [path.join(dir, 'src/transitive.c'), path.join(dir, 'src/wrapper.c'), path.join(dir, 'src/quiet.c')];
    const found = contextHeaders(files, new Set(files), () => [path.join(dir, 'include')], new FileReader());
    expect(found.map((f) => path.relative(dir, f))).toEqual(['src/outer.h', 'include/grab.h', 'src/leaky.h', 'src/alloc.h']);
  });

  it('leaves out headers the run already has and headers that do not exist', () => {
    const file = write('src/missing.c', '#include "nowhere.h"\n#include <windows.h>\n#include "alloc.h"\n');
    expect(contextHeaders([file], new Set([file, path.join(dir, 'src/alloc.h')]), () => [], new FileReader())).toEqual([]);
  });
});
