import { describe, expect, it } from 'vitest';
import { HeaderTypes } from '../../../src/engine/analysis/header-types.js';

const REC = 'struct rec { char a; int b; };\n';

describe('HeaderTypes', () => {
  const files: Record<string, string> = {
    '/one/include/rec.h': REC,
    '/two/include/rec.h': REC,
    '/two/include/rec.hpp': REC,
    '/two/include/other.h': 'struct other { char a; };\n',
  };
  const headers = () => new HeaderTypes((file) => files[file]);

  it('parses a header text once, whichever copy of it is asked about, and keeps each copy its own name', () => {
    const types = headers();
    const one = types.source('/one/include/rec.h')!;
    const two = types.source('/two/include/rec.h')!;
    expect(one.file).toBe('/one/include/rec.h');
    expect(two.file).toBe('/two/include/rec.h');
    expect(two.tree).toBe(one.tree);
    expect(two.parsedText).toBe(REC);
    expect(two.occurrencesOf('rec')).toEqual([7]);
    expect(one.occurrencesOf('rec')).toEqual([7]);
  });

  it('parses another text, or the same text in another grammar, on its own', () => {
    const types = headers();
    const c = types.source('/one/include/rec.h')!;
    expect(types.source('/two/include/other.h')!.tree).not.toBe(c.tree);
    const cpp = types.source('/two/include/rec.hpp')!;
    expect(cpp.language).toBe('cpp');
    expect(c.language).toBe('c');
    expect(cpp.tree).not.toBe(c.tree);
  });

  it('has no source for a header it cannot read', () => {
    expect(headers().source('/missing.h')).toBeUndefined();
  });
});
