// large-page-size reads its minimum from the rule's options (what GetLargePageMinimum() returns on the target).

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLintOptions, lintPaths } from '../../src/engine/runner/lint.js';
import { FIXTURES } from '../helpers/fixtures.js';

const dir = path.join(FIXTURES, 'large-pages');

async function largePageLines(options?: Record<string, unknown>): Promise<string[]> {
  const o = defaultLintOptions(dir);
  if (options) o.rules = { 'large-page-size': ['error', options] };
  const r = await lintPaths([dir], o);
  return r.findings.filter((f) => f.ruleId === 'large-page-size').map((f) => `${f.range.start.line}: ${f.message}`);
}

describe('large-page-size', () => {
  it('uses 2 MB by default', async () => {
    expect(await largePageLines()).toEqual([
      '11: VirtualAlloc with MEM_LARGE_PAGES asks for 3145728 bytes (0x300000), not a multiple of the 2 MB large-page minimum; the call fails with ERROR_INVALID_PARAMETER',
      '12: VirtualAlloc with MEM_LARGE_PAGES asks for 65536 bytes (0x10000), not a multiple of the 2 MB large-page minimum; the call fails with ERROR_INVALID_PARAMETER',
      '13: VirtualAlloc with MEM_LARGE_PAGES asks for 4096 bytes (0x1000), not a multiple of the 2 MB large-page minimum; the call fails with ERROR_INVALID_PARAMETER',
      '14: VirtualAllocEx with MEM_LARGE_PAGES asks for 3145728 bytes (0x300000), not a multiple of the 2 MB large-page minimum; the call fails with ERROR_INVALID_PARAMETER',
      '26: VirtualAlloc with MEM_LARGE_PAGES asks for 1048576 bytes (0x100000), not a multiple of the 2 MB large-page minimum; the call fails with ERROR_INVALID_PARAMETER',
    ]);
  });

  it('takes largePageMinimum from the options: 4 MB makes 2 MB calls findings too', async () => {
    const lines = await largePageLines({ largePageMinimum: 4 * 1024 * 1024 });
    expect(lines.map((l) => l.split(':')[0])).toEqual(['9', '11', '12', '13', '14', '15', '26']);
    expect(lines[0]).toBe(
      '9: VirtualAlloc with MEM_LARGE_PAGES asks for 2097152 bytes (0x200000), not a multiple of the 4 MB large-page minimum; the call fails with ERROR_INVALID_PARAMETER',
    );
  });
});
