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

const PFN = '#include <windows.h>\ntypedef LPVOID (WINAPI *PFN_VA)(LPVOID, SIZE_T, DWORD, DWORD);\n';
/** A file that stores VirtualAlloc in the global `name`, declared as `declaration` (`PFN_VA name;`, `static PFN_VA name;`). */
const STORES = (name: string, declaration: string, extra = '') =>
  `${PFN}${extra}${declaration}\nvoid init_${name}(void) {\n    ${name} = (PFN_VA)GetProcAddress(GetModuleHandleA("kernel32.dll"), "VirtualAlloc");\n}\n`;
/** A file that calls through `name` with `size`, after `declaration` (an `extern` one, or nothing). */
const CALLS = (name: string, size: number, declaration: string, include = '#include <windows.h>\n') =>
  `${include}${declaration}\nvoid use_${name}(void) {\n    ${name}(NULL, ${size}, MEM_RESERVE, PAGE_READWRITE);\n}\n`;

describe('linkage of function pointers across files', () => {
  it("binds a call through a global pointer of another file to it through an `extern` declaration, its own or a header's", async () => {
    const found = await findingsOf({
      'p/Makefile': 'all:\n',
      'p/pfn.h': `${PFN}extern PFN_VA pHeader;\n`,
      'p/init.c': STORES('pOwn', 'PFN_VA pOwn;') + STORES('pHeader', 'PFN_VA pHeader;', '#include "pfn.h"\n'),
      'p/own.c': CALLS('pOwn', 4096, 'extern LPVOID (WINAPI *pOwn)(LPVOID, SIZE_T, DWORD, DWORD);'),
      'p/header.c': CALLS('pHeader', 8192, '', '#include "pfn.h"\n'),
      // no declaration of it: not the pointer as far as this file says
      'p/none.c': CALLS('pOwn', 12288, ''),
    });
    expect(found).toEqual(['p/header.c:4 8192', 'p/own.c:4 4096']);
  });

  it('never binds a `static` pointer, one in a namespace without a name, a C++ `const` one, or one a header stores in', async () => {
    const found = await findingsOf({
      'p/Makefile': 'all:\n',
      'p/static.c': STORES('pStatic', 'static PFN_VA pStatic;'),
      'p/anon.cpp': STORES('pAnon', 'namespace { PFN_VA pAnon; }'),
      'p/const.cpp': `${PFN}PFN_VA const pConst = VirtualAlloc;\n`,
      'p/inline.h': STORES('pHeader', 'PFN_VA pHeader;'),
      'p/use.c': ['pStatic', 'pAnon', 'pConst', 'pHeader']
        .map((n, i) => CALLS(n, 4096 * (i + 1), `extern LPVOID (WINAPI *${n})(LPVOID, SIZE_T, DWORD, DWORD);`, i === 0 ? '#include <windows.h>\n' : ''))
        .join(''),
    });
    expect(found).toEqual([]);
  });

  it('binds a C++ `const` pointer that an `extern` declaration in its header gives external linkage', async () => {
    const found = await findingsOf({
      'p/Makefile': 'all:\n',
      'p/pfn.h': `${PFN}extern PFN_VA const pConst;\n`,
      'p/const.cpp': '#include "pfn.h"\nPFN_VA const pConst = VirtualAlloc;\n',
      'p/use.cpp': CALLS('pConst', 4096, '', '#include "pfn.h"\n'),
    });
    expect(found).toEqual(['p/use.cpp:4 4096']);
  });

  it("binds in another project only through a header both include, never by an `extern` of the caller's own", async () => {
    const found = await findingsOf({
      'lib/Makefile': 'all:\n',
      'lib/pfn.h': `${PFN}extern PFN_VA pShared;\nextern PFN_VA pLib;\n`,
      'lib/init.c': STORES('pShared', 'PFN_VA pShared;', '#include "pfn.h"\n') + STORES('pLib', 'PFN_VA pLib;'),
      'app/Makefile': 'all:\n',
      'app/shared.c': CALLS('pShared', 8192, '', '#include "../lib/pfn.h"\n'),
      'app/own.c': CALLS('pLib', 4096, 'extern LPVOID (WINAPI *pLib)(LPVOID, SIZE_T, DWORD, DWORD);'),
    });
    expect(found).toEqual(['app/shared.c:4 8192']);
  });

  it("gives the caller's own pointer of the name precedence, and its own stores, a local or a parameter of the name hide it", async () => {
    const found = await findingsOf({
      'p/Makefile': 'all:\n',
      'p/init.c': STORES('pVA', 'PFN_VA pVA;'),
      'p/own.c': '#include <stdlib.h>\nstatic void *(*pVA)(size_t) = malloc;\nvoid f(void) {\n    pVA(4096);\n}\n',
      // (this file stores another function in it: what it holds here is not init.c's)
      'p/store.c':
        '#include <windows.h>\nextern LPVOID (WINAPI *pVA)(LPVOID, SIZE_T, DWORD, DWORD);\nextern LPVOID WINAPI mine(LPVOID, SIZE_T, DWORD, DWORD);\nvoid h(void) {\n    pVA = mine;\n    pVA(NULL, 4096, MEM_RESERVE, PAGE_READWRITE);\n}\n',
      'p/param.c':
        '#include <windows.h>\nextern LPVOID (WINAPI *pVA)(LPVOID, SIZE_T, DWORD, DWORD);\nvoid g(LPVOID (WINAPI *pVA)(LPVOID, SIZE_T, DWORD, DWORD)) {\n    pVA(NULL, 4096, MEM_RESERVE, PAGE_READWRITE);\n}\n',
    });
    expect(found).toEqual([]);
  });
});

describe('functionNamesIn', () => {
  it('lists the names written as calls or declarators, leaving comments out', () => {
    const names = functionNamesIn('/* hidden(1) */\n#define WRAP(n) inner (n)\nWINBASEAPI LPVOID WINAPI VirtualAlloc(LPVOID, SIZE_T);\n// gone(2)\nint x;\n');
    expect([...names].sort()).toEqual(['VirtualAlloc', 'WRAP', 'inner']);
  });

  it('lists the objects `extern` declarations declare (function pointers), not `extern "C"` blocks', () => {
    const names = functionNamesIn(
      'extern PFN_VA pVirtualAlloc;\nextern LPVOID (WINAPI *pMap)(LPVOID, SIZE_T);\nextern PFN a, b[2];\nextern "C" {\nint plain;\n}\n/* extern PFN gone; */\n',
    );
    // (a parameter's type before a comma comes along: linkage only asks about the run's wrapper and pointer names)
    expect([...names].sort()).toEqual(['LPVOID', 'a', 'b', 'pMap', 'pVirtualAlloc']);
  });
});
