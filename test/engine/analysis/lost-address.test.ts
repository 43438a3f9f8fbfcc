// Where a path provably loses the address of a reservation (src/engine/analysis/lost-address.ts, with the places
// lifetime-paths.ts finds): the lifetime of the call carries `lost` with how and where, or nothing when any doubt
// remains. (The rule's findings and messages are test/rules/virtualfree-misuse.test.ts's.)

import { describe, expect, it } from 'vitest';
import { analyzeFile, type AnalysisOptions } from '../../../src/engine/analysis/analyze.js';
import { targetModel } from '../../../src/engine/model/target.js';

const options: AnalysisOptions = { model: targetModel('x64'), defines: {}, undefines: [], includePaths: [], forceIncludes: [], readFile: () => undefined };

/** The lost place of the first call in `body` (a function `f(int bad)` whose body starts on line 4), as `how line:column`. */
function lostIn(...body: string[]): string | undefined {
  const text = `void keep(void *);\nint f(int bad)\n{\n${body.map((l) => `    ${l}\n`).join('')}}\n`;
  const [call] = analyzeFile('a.c', text, options, { wrappers: new Map() }).calls;
  const lost = call?.lifetime?.lost;
  return lost && `${lost.how} ${lost.range.start.line}:${lost.range.start.column}`;
}

const RESERVE = 'char *p = VirtualAlloc(NULL, 0x10000, MEM_COMMIT, PAGE_READWRITE);';

describe('a lost address', () => {
  it('is the assignment that overwrites the local, the return that leaves with it, or the closing brace', () => {
    expect(lostIn(RESERVE, 'p[0] = 1;', 'p = 0;', 'return 0;')).toBe('overwritten 6:5');
    expect(lostIn(RESERVE, 'if (!p) return 0;', 'if (bad) return 1;', 'VirtualFree(p, 0, MEM_RELEASE);', 'return 0;')).toBe('returns 6:14');
    expect(lostIn(RESERVE, 'if (p) p[0] = 1;')).toBe('ends 6:1');
  });

  it('is found past a path that released the address and returned: that path joins nothing after it', () => {
    expect(lostIn(RESERVE, 'p[0] = 1;', 'if (bad) {', '    VirtualFree(p, 0, MEM_RELEASE);', '    return 1;', '}', 'return 0;')).toBe('returns 10:5');
  });

  it('is no place where a path that may have released it joins one that holds it', () => {
    expect(lostIn(RESERVE, 'p[0] = 1;', 'if (bad) VirtualFree(p, 0, MEM_RELEASE);', 'return 0;')).toBeUndefined();
  });

  it('is not claimed when the function neither tests the call nor uses its memory', () => {
    expect(lostIn(RESERVE, 'return 0;')).toBeUndefined();
    expect(lostIn(RESERVE, 'memset(p, 0, 16);', 'return 0;')).toBe('returns 6:5');
  });

  it('is not claimed when anything may keep or release the address', () => {
    expect(lostIn(RESERVE, 'p[0] = 1;', 'keep(p);', 'return 0;')).toBeUndefined();
    expect(lostIn(RESERVE, 'p[0] = 1;', 'keep(&p);', 'return 0;')).toBeUndefined();
    expect(lostIn(RESERVE, 'p[0] = 1;', 'keep(&p[16]);', 'return 0;')).toBeUndefined();
    expect(lostIn(RESERVE, 'char *q = p;', 'q[0] = 1;', 'return 0;')).toBeUndefined();
    expect(lostIn(RESERVE, 'p[0] = 1;', 'p += 16;', 'return 0;')).toBeUndefined();
    expect(lostIn(RESERVE, 'p[0] = 1;', 'for (int i = 0; i < bad; i++) if (i == 3) VirtualFree(p, 0, MEM_RELEASE);', 'return 0;')).toBeUndefined();
    expect(lostIn('again:', RESERVE, 'p[0] = 1;', 'if (bad--) goto again;', 'return 0;')).toBeUndefined();
    expect(lostIn(RESERVE, 'p[0] = 1;', 'VirtualFree(p, 0x10000, MEM_DECOMMIT);', 'return 0;')).toBeUndefined();
  });

  it('is claimed for a pointer or a scalar typedef, not for an object that may release it', () => {
    expect(lostIn('Pages p = VirtualAlloc(NULL, 0x10000, MEM_COMMIT, PAGE_READWRITE);', 'if (!p) return 0;', 'return 1;')).toBeUndefined();
    expect(lostIn('PVOID p = VirtualAlloc(NULL, 0x10000, MEM_COMMIT, PAGE_READWRITE);', 'if (!p) return 0;', 'return 1;')).toBe('returns 6:5');
  });
});
