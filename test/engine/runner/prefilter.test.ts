// The byte prefilter (src/engine/runner/prefilter.ts): which files it takes, what it says about the others, and
// that later needles only re-read the files not taken yet.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceScanner } from '../../../src/engine/runner/prefilter.js';

let dir: string;
const at = (name: string) => path.join(dir, name);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-prefilter-'));
  const files: Record<string, string | Buffer> = {
    'api.c': 'void f(void) { VirtualAlloc(0, 1, 0x3000, 4); }\n',
    'nt.c': 'void g(void) { NtAllocateVirtualMemory(h, &p, 0, &n, 0x3000, 4); }\n',
    'plain.c': 'int main(void) { return 0; }\n',
    'calls-wrapper.c': 'void h(void) { my_reserve(100); }\n',
    'includes.c': '#include "alloc.h"\nvoid k(void) { RESERVE(1); }\n',
    'marker.c': '// granule-disable-next-line virtualalloc-granularity\nint x;\n',
    'binary.c': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]),
    'utf16.c': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('int y;\n', 'utf16le')]),
    'big.c': 'x'.repeat(2048),
  };
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(at(name), content);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const names = (hits: { file: string }[]) => hits.map((h) => path.basename(h.file)).sort();

describe('SourceScanner', () => {
  it('takes the files with a needle (and UTF-16 files), and reports unreadable, binary and oversized files', () => {
    const files = ['api.c', 'nt.c', 'plain.c', 'binary.c', 'utf16.c', 'big.c', 'missing.c'].map(at);
    const scanner = new SourceScanner(files, { maxSize: 1024 });
    const hits = scanner.scan(['VirtualAlloc', 'AllocateVirtualMemory']);
    expect(names(hits)).toEqual(['api.c', 'nt.c', 'utf16.c']);
    expect(hits.find((h) => h.file === at('api.c'))!.bytes.toString()).toBe(fs.readFileSync(at('api.c'), 'utf8'));
    expect(hits.map((h) => h.index).sort()).toEqual([0, 1, 4]);
    expect(scanner.notices.map((n) => [path.basename(n.file!), n.level, n.code, n.message])).toEqual([
      ['binary.c', 'warning', 'binary', 'binary file (contains NUL bytes); skipped'],
      ['big.c', 'warning', 'limit', 'skipped: the file is 2 KB, over the 1 KB limit (--max-file-size)'],
      ['missing.c', 'error', 'unreadable', expect.stringMatching(/^cannot read file: ENOENT/)],
    ]);
    expect(scanner.pendingFiles().map((f) => path.basename(f))).toEqual(['plain.c']);
  });

  it('hands out its bytes as copies the caller owns', () => {
    const hits = new SourceScanner([at('api.c'), at('nt.c')]).scan(['VirtualAlloc', 'AllocateVirtualMemory']);
    expect(hits[0]!.bytes.toString()).toContain('VirtualAlloc');
    expect(hits[1]!.bytes.toString()).toContain('NtAllocateVirtualMemory');
  });

  it('searches only the files not taken for new needles, and only for those', () => {
    const files = ['api.c', 'plain.c', 'calls-wrapper.c', 'includes.c'].map(at);
    const scanner = new SourceScanner(files);
    expect(names(scanner.scan(['VirtualAlloc']))).toEqual(['api.c']);
    const before = scanner.bytesRead;
    // nothing new to look for: nothing is read
    expect(scanner.scan(['VirtualAlloc'])).toEqual([]);
    expect(scanner.bytesRead).toBe(before);
    expect(names(scanner.scan(['VirtualAlloc', 'my_reserve']))).toEqual(['calls-wrapper.c']);
    const read = scanner.bytesRead - before;
    expect(read).toBe(['plain.c', 'calls-wrapper.c', 'includes.c'].reduce((n, f) => n + fs.statSync(at(f)).size, 0));
    expect(scanner.pendingFiles().map((f) => path.basename(f))).toEqual(['plain.c', 'includes.c']);
  });

  it('matches many needles at once, special characters included (a header name)', () => {
    const scanner = new SourceScanner(['plain.c', 'includes.c', 'calls-wrapper.c'].map(at));
    expect(scanner.scan(['VirtualAlloc'])).toEqual([]);
    // more than eight new needles go through one regular expression over the bytes
    expect(names(scanner.scan(['a(b', 'x+y', 'alloc.h', 'RESERVE', 'nothing[', 'n1', 'n2', 'n3', 'n4', 'n5']))).toEqual(['includes.c']);
    expect(names(scanner.scan(['allocXh']))).toEqual([]);
    expect(names(scanner.scan(['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8', 'q9', 'my_reserve']))).toEqual(['calls-wrapper.c']);
  });

  it('does not search again for a needle that contains one already searched for', () => {
    const scanner = new SourceScanner(['api.c', 'plain.c'].map(at));
    scanner.scan(['VirtualAlloc']);
    const before = scanner.bytesRead;
    // no file left can contain pVirtualAlloc2 without containing VirtualAlloc: nothing is read
    expect(scanner.scan(['VirtualAlloc', 'pVirtualAlloc2', 'VirtualAllocEx'])).toEqual([]);
    expect(scanner.bytesRead).toBe(before);
  });

  it('remembers the files with the marker, and can read a file it did not take again', () => {
    const scanner = new SourceScanner(['api.c', 'marker.c', 'plain.c'].map(at), { marker: 'granule-' });
    scanner.scan(['VirtualAlloc']);
    expect(scanner.markerFiles().map((f) => path.basename(f))).toEqual(['marker.c']);
    expect(scanner.reread(at('plain.c'))!.toString()).toBe('int main(void) { return 0; }\n');
    expect(scanner.reread(at('api.c'))).toBeUndefined();
    const picky = new SourceScanner(['marker.c'].map(at), { marker: 'granule-', wantsMarker: () => false });
    picky.scan(['VirtualAlloc']);
    expect(picky.markerFiles()).toEqual([]);
  });

  it('reads only the files its claim hands out, as threads sharing a list do', () => {
    const files = ['api.c', 'nt.c', 'plain.c'].map(at);
    let next = 0;
    const claims = [2, 0];
    const scanner = new SourceScanner(files, { claim: () => (next < claims.length ? claims[next++]! : files.length) });
    expect(names(scanner.scan(['VirtualAlloc', 'AllocateVirtualMemory']))).toEqual(['api.c']);
    expect(scanner.pendingFiles()).toEqual([at('plain.c')]);
  });

  it('takes over a scan made elsewhere: later scans read only the files left', () => {
    const scanner = new SourceScanner(['api.c', 'calls-wrapper.c', 'plain.c'].map(at));
    scanner.resume([at('calls-wrapper.c'), at('plain.c')], ['VirtualAlloc'], []);
    expect(scanner.scan(['VirtualAlloc'])).toEqual([]);
    expect(names(scanner.scan(['VirtualAlloc', 'my_reserve']))).toEqual(['calls-wrapper.c']);
  });
});

describe('SourceScanner with a memo (--cache)', () => {
  it('looks unchanged files up instead of reading them, and reads the ones that changed', async () => {
    const { ScanMemo } = await import('../../../src/engine/cache/scan-memo.js');
    const memoFile = at('memo.json');
    const files = ['api.c', 'plain.c', 'marker.c', 'binary.c', 'calls-wrapper.c'].map(at);
    const first = new SourceScanner(files, { memo: ScanMemo.load(memoFile, 'v1'), marker: 'granule-' });
    expect(names(first.scan(['VirtualAlloc']))).toEqual(['api.c']);
    expect(names(first.scan(['VirtualAlloc', 'my_reserve']))).toEqual(['calls-wrapper.c']);
    first.saveMemo();

    // the same tree and needles: only the file taken is read
    const second = new SourceScanner(files, { memo: ScanMemo.load(memoFile, 'v1'), marker: 'granule-' });
    expect(names(second.scan(['VirtualAlloc', 'my_reserve']))).toEqual(['api.c', 'calls-wrapper.c']);
    expect(second.bytesRead).toBe(fs.statSync(at('api.c')).size + fs.statSync(at('calls-wrapper.c')).size);
    expect(second.notices.map((n) => [path.basename(n.file!), n.code])).toEqual([['binary.c', 'binary']]);
    expect(second.markerFiles().map((f) => path.basename(f))).toEqual(['marker.c']);
    expect(
      second
        .pendingFiles()
        .map((f) => path.basename(f))
        .sort(),
    ).toEqual(['marker.c', 'plain.c']);
    // a needle the memo does not know about is searched for by reading
    expect(names(second.scan(['main']))).toEqual(['plain.c']);

    // a changed file is read again, whatever the memo says
    fs.writeFileSync(at('plain.c'), 'int main(void) { return my_reserve(1) != 0; }\n');
    const third = new SourceScanner(files, { memo: ScanMemo.load(memoFile, 'v1') });
    expect(names(third.scan(['VirtualAlloc', 'my_reserve']))).toEqual(['api.c', 'calls-wrapper.c', 'plain.c']);
    fs.writeFileSync(at('plain.c'), 'int main(void) { return 0; }\n');

    // another version of granule starts afresh
    const other = new SourceScanner(files, { memo: ScanMemo.load(memoFile, 'v2') });
    other.scan(['VirtualAlloc', 'my_reserve']);
    expect(other.bytesRead).toBe(files.reduce((n, f) => n + fs.statSync(f).size, 0));
    fs.rmSync(memoFile);
  });
});
