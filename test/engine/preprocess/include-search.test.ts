// Headers found without a build: an include the include path misses, looked up in the scanned tree by its path
// suffix, nearest to the including file first, and the same answer whatever the order or extent of the list.

import { describe, expect, it } from 'vitest';
import { IncludeSearch } from '../../../src/engine/preprocess/include-search.js';
import { targetModel } from '../../../src/engine/model/target.js';
import { preprocess } from '../../../src/engine/preprocess/preprocess.js';

const TREE = [
  '/r/app/src/core/alloc.c',
  '/r/app/third_party/phnt/phnt_ntdef.h',
  '/r/vendor/other/phnt_ntdef.h',
  '/r/vendor/ring/vendor_cfg/limits_cfg.h',
  '/r/app/src/config.h',
  '/r/app/include/config.h',
  '/r/app/src/core/Config.h',
  '/r/b/x/same.h',
  '/r/a/x/same.h',
];

describe('IncludeSearch', () => {
  const search = new IncludeSearch(TREE);

  it('finds a header by its name, the nearest one to the including file', () => {
    expect(search.find('phnt_ntdef.h', '/r/app/src/core/alloc.c')).toBe('/r/app/third_party/phnt/phnt_ntdef.h');
    expect(search.find('phnt_ntdef.h', '/r/vendor/x.c')).toBe('/r/vendor/other/phnt_ntdef.h');
  });

  it('matches whole path components at the end, with either slash', () => {
    expect(search.find('vendor_cfg/limits_cfg.h', '/r/app/src/core/alloc.c')).toBe('/r/vendor/ring/vendor_cfg/limits_cfg.h');
    expect(search.find('ring\\vendor_cfg\\limits_cfg.h', '/r/app/a.c')).toBe('/r/vendor/ring/vendor_cfg/limits_cfg.h');
    expect(search.find('g/vendor_cfg/limits_cfg.h', '/r/app/a.c')).toBeUndefined();
    expect(search.find('other_cfg/limits_cfg.h', '/r/app/a.c')).toBeUndefined();
  });

  it('ignores case as Windows does, preferring the exact case at the same distance', () => {
    expect(search.find('CONFIG.H', '/r/app/src/core/alloc.c')).toBe('/r/app/src/core/Config.h');
    expect(search.find('config.h', '/r/app/src/x.c')).toBe('/r/app/src/config.h');
    // app/src/core/Config.h and app/include/config.h are both 2 folders from app/src/y: the case decides
    expect(search.find('config.h', '/r/app/src/sub/y.c')).toBe('/r/app/src/config.h');
  });

  it('takes neither of two equally near headers, and never depends on the order of the list', () => {
    expect(search.find('same.h', '/r/c/main.c')).toBeUndefined();
    expect(search.find('same.h', '/r/a/main.c')).toBe('/r/a/x/same.h');
    const reversed = new IncludeSearch([...TREE].reverse());
    for (const [spec, from] of [
      ['same.h', '/r/c/main.c'],
      ['config.h', '/r/app/src/sub/y.c'],
      ['phnt_ntdef.h', '/r/q.c'],
    ] as const)
      expect(reversed.find(spec, from)).toBe(search.find(spec, from));
  });

  it('an unrelated file farther away does not change what a file finds', () => {
    const wider = new IncludeSearch([...TREE, '/r/zzz/deep/phnt_ntdef.h', '/elsewhere/phnt_ntdef.h']);
    expect(wider.find('phnt_ntdef.h', '/r/app/src/core/alloc.c')).toBe(search.find('phnt_ntdef.h', '/r/app/src/core/alloc.c'));
  });

  it('does not search for absolute or climbing paths, nor find the including file itself', () => {
    expect(search.find('/r/app/src/config.h', '/r/app/a.c')).toBeUndefined();
    expect(search.find('../config.h', '/r/app/src/core/alloc.c')).toBeUndefined();
    expect(search.find('config.h', '/r/app/src/config.h')).toBe('/r/app/src/core/Config.h');
  });
});

describe('the preprocessor with the include search', () => {
  const files: Record<string, string> = {
    '/r/app/src/core/alloc.c': '#include <phnt_ntdef.h>\n#include "nowhere.h"\n#if PAGE_SIZE == 0x1000\nint four_k;\n#endif\n',
    '/r/app/third_party/phnt/phnt_ntdef.h': '#define PAGE_SIZE 0x1000\n',
    '/r/vendor/other/phnt_ntdef.h': '#define PAGE_SIZE 0x2000\n',
  };
  const run = (search: boolean) => {
    const file = '/r/app/src/core/alloc.c';
    const text = files[file]!;
    const r = preprocess(file, text, {
      model: targetModel('x64'),
      cplusplus: false,
      defines: {},
      undefines: [],
      includePaths: [],
      forceIncludes: [],
      readFile: (f) => files[f],
      ...(search ? { searchInclude: new IncludeSearch(Object.keys(files)).find } : {}),
    });
    const at = text.indexOf('int four_k');
    return { r, live: !r.blank.some(([s, e]) => s <= at && at < e) };
  };

  it('reads the header found, marks the edge, and leaves an include found nowhere unresolved', () => {
    const { r, live } = run(true);
    expect(r.includes.map((e) => [e.spec, e.resolved, e.searched])).toEqual([
      ['phnt_ntdef.h', '/r/app/third_party/phnt/phnt_ntdef.h', true],
      ['nowhere.h', undefined, undefined],
    ]);
    expect(r.macros.lookup('PAGE_SIZE')).toMatchObject({ kind: 'defined' });
    expect(live).toBe(true);
  });

  it('without the search the header stays unknown', () => {
    const { r } = run(false);
    expect(r.includes.map((e) => e.resolved)).toEqual([undefined, undefined]);
    expect(r.macros.lookup('PAGE_SIZE').kind).not.toBe('defined');
  });
});
