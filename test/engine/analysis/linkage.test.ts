// Which wrapper of another file a call reaches (analysis/linkage.ts), in trees test/fixtures/linkage/ does not
// lay out: projects nested in each other, a caller that includes another project's header, a function a header
// defines; and the names a header declares (header-declarations.ts).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { functionNamesIn } from '../../../src/engine/analysis/header-declarations.js';
import { defaultLintOptions, lintPaths } from '../../../src/engine/runner/lint.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** The findings of a tree, as `file:line size`. */
async function findingsOf(files: Record<string, string>): Promise<string[]> {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'granule-linkage-')));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const result = await lintPaths([dir], defaultLintOptions(dir));
  return result.findings.map((f) => `${path.relative(dir, f.file).split(path.sep).join('/')}:${f.range.start.line} ${f.properties.size}`).sort();
}

const RESERVE = (name: string, extra = '') =>
  `#include <windows.h>\n${extra}void *${name}(SIZE_T n) { return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_NOACCESS); }\n`;

describe('linkage across files', () => {
  it('binds within a project whose library has a build file of its own in a subfolder', async () => {
    const found = await findingsOf({
      'app/CMakeLists.txt': 'add_subdirectory(lib)\n',
      'app/lib/CMakeLists.txt': 'add_library(pool pool.c)\n',
      'app/lib/pool.c': RESERVE('pool_reserve'),
      'app/main.c': '#include <stddef.h>\nvoid *pool_reserve(size_t n);\nvoid f(void) {\n    pool_reserve(8192);\n}\n',
      // a sibling of app/ declaring the same name is another program
      'other/Makefile': 'all:\n',
      'other/main.c': '#include <stddef.h>\nvoid *pool_reserve(size_t n);\nvoid g(void) {\n    pool_reserve(4096);\n}\n',
    });
    expect(found).toEqual(['app/main.c:4 8192']);
  });

  it("binds in another project when the caller includes that project's header declaring the function", async () => {
    const found = await findingsOf({
      'liba/Makefile': 'all:\n',
      'liba/include/liba.h': '#include <stddef.h>\nvoid *liba_reserve(size_t n);\n',
      // the definition does not include its own header
      'liba/src/reserve.c': RESERVE('liba_reserve'),
      'app/Makefile': 'all:\n',
      'app/use.c': '#include "../liba/include/liba.h"\nvoid f(void) {\n    liba_reserve(12288);\n}\n',
      'app/alone.c': '#include <stddef.h>\nvoid *liba_reserve(size_t n);\nvoid g(void) {\n    liba_reserve(4096);\n}\n',
    });
    expect(found).toEqual(['app/use.c:3 12288']);
  });

  it('takes an include the include path does not resolve for the header of its name (scanned without -I)', async () => {
    const found = await findingsOf({
      configure: '',
      'Zend/fibers.h': '#include <stddef.h>\nvoid *fiber_stack(size_t n);\n',
      'Zend/fibers.c': RESERVE('fiber_stack', '#include "fibers.h"\n'),
      // "fibers.h" is Zend/fibers.h only with -IZend, which the scan was not given
      'ext/test/fiber.c': '#include "fibers.h"\nvoid f(void) {\n    fiber_stack(8192);\n}\n',
      'ext/test/other.c': '#include "other.h"\nvoid g(void) {\n    fiber_stack(4096);\n}\n',
    });
    expect(found).toEqual(['ext/test/fiber.c:3 8192']);
  });

  it('reaches a function a header defines only from the files that include the header', async () => {
    const found = await findingsOf({
      'p/Makefile': 'all:\n',
      'p/grab.h': '#include <windows.h>\nstatic inline void *grab(SIZE_T n) { return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_NOACCESS); }\n',
      'p/with.c': '#include "grab.h"\nvoid f(void) {\n    grab(4096);\n}\n',
      'p/without.c': '#include <stddef.h>\nvoid *grab(size_t n);\nvoid g(void) {\n    grab(8192);\n}\n',
    });
    expect(found).toEqual(['p/with.c:3 4096']);
  });

  it('binds a call that the wrappers of two projects sharing its header could both take to neither', async () => {
    // both projects define rsv and include a shared header declaring it: a caller including it reaches both,
    // so it binds to none (no single callee) rather than to the first found
    const found = await findingsOf({
      'shared/api.h': '#include <stddef.h>\nvoid *rsv(size_t n);\n',
      'a/Makefile': 'all:\n',
      'a/rsv.c': RESERVE('rsv', '#include "../shared/api.h"\n'),
      'b/Makefile': 'all:\n',
      'b/rsv.c': RESERVE('rsv', '#include "../shared/api.h"\n'),
      'c/Makefile': 'all:\n',
      'c/use.c': '#include "../shared/api.h"\nvoid f(void) {\n    rsv(4096);\n}\n',
    });
    expect(found).toEqual([]);
  });
});

describe('functionNamesIn', () => {
  it('lists the names written as calls or declarators, leaving comments out', () => {
    const names = functionNamesIn('/* hidden(1) */\n#define WRAP(n) inner (n)\nWINBASEAPI LPVOID WINAPI VirtualAlloc(LPVOID, SIZE_T);\n// gone(2)\nint x;\n');
    expect([...names].sort()).toEqual(['VirtualAlloc', 'WRAP', 'inner']);
  });
});
