// The order of a report is the same on every machine: by code unit, whatever the user's locale.

import { describe, expect, it } from 'vitest';
import { compareText } from '../../../src/engine/model/order.js';
import { runCli } from '../../helpers/cli.js';
import { makeTree, reserveFile } from '../../helpers/tree.js';

describe('compareText', () => {
  it('orders by code unit: capitals before small letters, letters with accents after z', () => {
    expect(['z.c', 'ä.c', 'a.c', 'B.c', '_x.c'].sort(compareText)).toEqual(['B.c', '_x.c', 'a.c', 'z.c', 'ä.c']);
    expect(compareText('same', 'same')).toBe(0);
  });
});

describe('the order of a report', () => {
  it('does not follow the locale of the machine', () => {
    const root = makeTree({ 'z.c': reserveFile('4096'), 'ä.c': reserveFile('4096'), 'a.c': reserveFile('4096'), 'B.c': reserveFile('4096') });
    const outputs = ['C.UTF-8', 'en_US.UTF-8', 'sv_SE.UTF-8'].map((locale) => {
      const r = runCli(['--target', 'x64', '-f', 'compact', '.'], { cwd: root, env: { LANG: locale, LC_ALL: locale } });
      return r.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(':')[0]);
    });
    expect(outputs).toEqual([
      ['B.c', 'a.c', 'z.c', 'ä.c'],
      ['B.c', 'a.c', 'z.c', 'ä.c'],
      ['B.c', 'a.c', 'z.c', 'ä.c'],
    ]);
  });
});
