// What a run tells about includes: the folders the include search found headers in, once; each include found
// nowhere once, at its first file; standard and Windows SDK headers granule models are not worth a notice.

import { describe, expect, it } from 'vitest';
import { collapseIncludeNotices, includeNotices } from '../../../src/engine/runner/include-notices.js';
import type { IncludeEdge } from '../../../src/engine/preprocess/include-edge.js';

const edge = (from: string, line: number, spec: string, angled: boolean, resolved?: string, searched?: true): IncludeEdge => ({
  from,
  line,
  spec,
  angled,
  resolved,
  ...(searched ? { searched } : {}),
});

describe('include notices', () => {
  const a = includeNotices(
    '/r/b/a.c',
    [
      edge('/r/b/a.c', 1, 'windows.h', true),
      edge('/r/b/a.c', 2, 'stdio.h', true),
      edge('/r/b/a.c', 3, 'vector', true),
      edge('/r/b/a.c', 4, 'phnt.h', true, '/r/x/phnt.h', true),
      edge('/r/x/phnt.h', 7, 'gen.h', false),
      edge('/r/b/a.c', 5, 'local.h', false, '/r/b/local.h'),
    ],
    true,
  );
  const b = includeNotices('/r/a/b.c', [edge('/r/a/b.c', 9, 'gen.h', false), edge('/r/a/b.c', 10, 'phnt.h', true, '/r/x/phnt.h', true)], true);

  it('one file: what it found by searching, what it found nowhere (with the line when the file has the #include)', () => {
    expect(a).toEqual([
      { level: 'note', file: '/r/b/a.c', code: 'include-search', line: 4, message: '<phnt.h> was found by searching the scanned tree, in /r/x' },
      {
        level: 'note',
        file: '/r/b/a.c',
        code: 'include-missing',
        message: '"gen.h" was found neither on the include path nor in the scanned tree: what it defines is unknown',
      },
    ]);
  });

  it('a run: the folders once, each missing include once at its first file', () => {
    expect(collapseIncludeNotices([...a, ...b], '/r')).toEqual([
      {
        level: 'note',
        code: 'include-search',
        message: 'headers the include path does not have were found by searching the scanned tree, in 1 folder: x (--no-include-search turns this off)',
      },
      {
        level: 'note',
        file: '/r/a/b.c',
        line: 9,
        code: 'include-missing',
        message: '"gen.h" was found neither on the include path nor in the scanned tree: what it defines is unknown (1 other file includes it too)',
      },
    ]);
  });

  it('says when the search was off', () => {
    expect(includeNotices('/r/a.c', [edge('/r/a.c', 1, 'gen.h', false)], false)[0]!.message).toBe(
      '"gen.h" was found on no include path (--no-include-search): what it defines is unknown',
    );
  });
});
