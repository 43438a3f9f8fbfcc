// Reading a file's bytes as text (src/engine/text/source.ts): byte order marks, UTF-16 without one, and binary files.

import { describe, expect, it } from 'vitest';
import { decode, textEncoding } from '../../../src/engine/text/source.js';

const C = '#include <windows.h>\r\nvoid f(void) { VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS); }\r\n';

describe('textEncoding and decode', () => {
  it('tell UTF-16 without a byte order mark from binary by where its NUL bytes are', () => {
    const le = Buffer.from(C, 'utf16le');
    const be = Buffer.from(C, 'utf16le').swap16();
    expect([textEncoding(le), textEncoding(be)]).toEqual(['utf16le-nobom', 'utf16be-nobom']);
    expect(decode(le)).toEqual({ ok: true, text: C, note: 'read as UTF-16LE (no byte order mark)' });
    expect(decode(be)).toEqual({ ok: true, text: C, note: 'read as UTF-16BE (no byte order mark)' });
    // NUL bytes in both places, an odd length, or NUL characters once decoded: binary
    const binary = 'binary file (contains NUL bytes); skipped';
    for (const bytes of [
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 0]),
      Buffer.concat([le, Buffer.from([0x41])]),
      Buffer.from('a\u0000\u0000\u0000b\u0000c\u0000', 'latin1'),
      Buffer.from([0x61, 0]),
    ]) {
      expect(decode(bytes)).toEqual({ ok: false, code: 'binary', message: binary });
    }
  });

  it('keep reading byte order marks and UTF-8 as before', () => {
    expect(textEncoding(Buffer.from(C))).toBe('utf8');
    expect(textEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(C)]))).toBe('utf8-bom');
    expect(decode(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(C, 'utf16le')]))).toEqual({
      ok: true,
      text: C,
      note: 'read as UTF-16LE (byte order mark)',
    });
  });
});
