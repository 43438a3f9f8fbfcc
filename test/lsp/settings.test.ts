// Settings from workspace/configuration, granule.config.json, and files changing on disk, over real JSON-RPC.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { LspClient, uriOf } from './client.js';

let client: LspClient | undefined;
afterEach(async () => {
  if (client) expect(await client.close()).toBe(0);
  client = undefined;
});

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-lsp-settings-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const brief = (d: { range: { start: { line: number } }; severity?: number; code?: unknown; message: string }[]) =>
  d.map((x) => `${x.range.start.line + 1} ${x.severity === 1 ? 'error' : 'warn'} ${x.code}: ${x.message}`);

describe('settings', () => {
  it('rule levels and the target come from workspace/configuration, per document', async () => {
    const text = '#include <windows.h>\nvoid f(void) { VirtualAlloc(NULL, 1024 * sizeof(void *), MEM_RESERVE, PAGE_NOACCESS); }\n';
    const dir = project({ 'a.c': text });
    client = new LspClient();
    client.settings = { target: 'x86', rules: { 'virtualalloc-granularity': 'warn' } };
    await client.initialize(dir);
    const uri = uriOf(path.join(dir, 'a.c'));
    await client.open(uri, text);
    const p = await client.diagnostics(uri);
    expect(brief(p.diagnostics)).toEqual([
      '2 warn virtualalloc-granularity: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable',
    ]);
    expect(client.configurationRequests).toBeGreaterThan(0);

    // a configuration change is read again and the open documents re-linted
    client.settings = { rules: { 'virtualalloc-granularity': 'off' } };
    const from = client.published.length;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    expect((await client.diagnostics(uri, () => true, from)).diagnostics).toEqual([]);
  });

  it('invalid settings are reported once, and the valid parts still apply', async () => {
    const text = '#include <windows.h>\nvoid f(void) { VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS); }\n';
    const dir = project({ 'a.c': text });
    client = new LspClient();
    client.settings = { target: 'sparc', compiler: 'gcc', rules: { 'no-such-rule': 'error', 'virtualalloc-granularity': 'warn' } };
    await client.initialize(dir);
    const uri = uriOf(path.join(dir, 'a.c'));
    await client.open(uri, text);
    const p = await client.diagnostics(uri);
    expect(brief(p.diagnostics)).toEqual([
      '2 warn virtualalloc-granularity: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable',
    ]);
    expect(client.messages.map((m) => [m.type, m.message])).toEqual([
      [2, 'granule: granule.target must be "x64", "x86" or "arm64", or a list of them, not "sparc"'],
      [2, 'granule: granule.compiler must be "msvc", "mingw" or "clang-cl", not "gcc"'],
      [
        2,
        'granule: granule.rules: unknown rule "no-such-rule" (known: virtualalloc-granularity, large-page-size, mapview-granularity, unresolved-allocation-size, virtualfree-misuse)',
      ],
    ]);
  });

  it('clients without workspace/configuration pass settings as initializationOptions', async () => {
    const text = '#include <windows.h>\nvoid f(void) { VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS); }\n';
    const dir = project({ 'a.c': text });
    client = new LspClient();
    await client.initialize(dir, {}, { granule: { rules: { 'virtualalloc-granularity': 'warn' } } });
    const uri = uriOf(path.join(dir, 'a.c'));
    await client.open(uri, text);
    expect(brief((await client.diagnostics(uri)).diagnostics)).toEqual([
      '2 warn virtualalloc-granularity: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable',
    ]);
    expect(client.configurationRequests).toBe(0);
  });
});

describe('files on disk', () => {
  it('a changed header is read again after workspace/didChangeWatchedFiles', async () => {
    const text = '#include "sizes.h"\nvoid f(void) { VirtualAlloc(NULL, ARENA, MEM_RESERVE, PAGE_NOACCESS); }\n';
    const dir = project({ 'a.c': text, 'sizes.h': '#define ARENA (16 * 1024)\n' });
    client = new LspClient();
    await client.initialize(dir);
    const uri = uriOf(path.join(dir, 'a.c'));
    await client.open(uri, text);
    expect(brief((await client.diagnostics(uri)).diagnostics)).toEqual([
      '2 error virtualalloc-granularity: VirtualAlloc reserves 16384 bytes (0x4000); 49152 bytes of its 64 KB granule become unusable',
    ]);
    fs.writeFileSync(path.join(dir, 'sizes.h'), '#define ARENA (64 * 1024)\n');
    const from = client.published.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(dir, 'sizes.h')), type: 2 }] });
    expect((await client.diagnostics(uri, () => true, from)).diagnostics).toEqual([]);
  });

  it('granule.config.json applies, and a change to it is read again', async () => {
    const text = '#include <windows.h>\nvoid f(void) { VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS); }\n';
    const dir = project({ 'src/a.c': text, 'granule.config.json': JSON.stringify({ rules: { 'virtualalloc-granularity': 'warn' } }) });
    client = new LspClient();
    await client.initialize(dir);
    const uri = uriOf(path.join(dir, 'src', 'a.c'));
    await client.open(uri, text);
    expect(brief((await client.diagnostics(uri)).diagnostics)).toEqual([
      '2 warn virtualalloc-granularity: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable',
    ]);
    fs.writeFileSync(path.join(dir, 'granule.config.json'), JSON.stringify({ rules: { 'virtualalloc-granularity': 'off' } }));
    const from = client.published.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(dir, 'granule.config.json')), type: 2 }] });
    expect((await client.diagnostics(uri, () => true, from)).diagnostics).toEqual([]);
  });
});

describe('wrappers in other files', () => {
  it('a call of a wrapper defined in another workspace file is checked, and follows that file when it changes', async () => {
    const os_c = '#include <windows.h>\nvoid *os_alloc(SIZE_T pages) { return VirtualAlloc(NULL, pages * 4096, MEM_RESERVE, PAGE_NOACCESS); }\n';
    const main_c = 'void *os_alloc(SIZE_T pages);\nvoid f(void) {\n    os_alloc(3);\n}\n';
    const dir = project({ 'os.c': os_c, 'src/main.c': main_c });
    client = new LspClient();
    await client.initialize(dir);
    const uri = uriOf(path.join(dir, 'src', 'main.c'));
    await client.open(uri, main_c);
    expect(brief((await client.diagnostics(uri)).diagnostics)).toEqual([
      '3 error virtualalloc-granularity: VirtualAlloc reserves 12288 bytes (0x3000); 53248 bytes of its 64 KB granule become unusable',
    ]);
    // the wrapper now reserves whole granules: saved on disk, reported by the client's watcher
    fs.writeFileSync(path.join(dir, 'os.c'), os_c.replace('pages * 4096', 'pages * 65536'));
    const from = client.published.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(dir, 'os.c')), type: 2 }] });
    expect((await client.diagnostics(uri, () => true, from)).diagnostics).toEqual([]);
  });
});

describe('workspace folders', () => {
  it('a folder added later becomes the root its files are read from', async () => {
    const os_c = '#include <windows.h>\nvoid *os_alloc(SIZE_T pages) { return VirtualAlloc(NULL, pages * 4096, MEM_RESERVE, PAGE_NOACCESS); }\n';
    const main_c = 'void *os_alloc(SIZE_T pages);\nvoid f(void) {\n    os_alloc(3);\n}\n';
    const first = project({ 'a.c': '' });
    const second = project({ 'os.c': os_c, 'src/main.c': main_c });
    client = new LspClient();
    await client.initialize(first, { workspace: { configuration: true, workspaceFolders: true } });
    const uri = uriOf(path.join(second, 'src', 'main.c'));
    await client.open(uri, main_c);
    // outside every workspace folder, the file's own directory is all the server reads
    expect((await client.diagnostics(uri)).diagnostics).toEqual([]);
    const from = client.published.length;
    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [{ uri: uriOf(second), name: 'second' }], removed: [] },
    });
    expect(brief((await client.diagnostics(uri, () => true, from)).diagnostics)).toEqual([
      '3 error virtualalloc-granularity: VirtualAlloc reserves 12288 bytes (0x3000); 53248 bytes of its 64 KB granule become unusable',
    ]);
  });
});

describe('starting the server', () => {
  it('granule lsp --stdio serves the same protocol', async () => {
    const text = '#include <windows.h>\nvoid f(void) { VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS); }\n';
    const dir = project({ 'a.c': text });
    client = new LspClient([BIN, 'lsp', '--stdio']);
    await client.initialize(dir);
    const uri = uriOf(path.join(dir, 'a.c'));
    await client.open(uri, text);
    expect((await client.diagnostics(uri)).diagnostics.map((d) => d.code)).toEqual(['virtualalloc-granularity']);
  });

  it('an unknown argument is a usage error', () => {
    const r = runCli(['lsp', '--socket=9000']);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('granule lsp: unknown argument "--socket=9000" (only --stdio is supported)');
  });
});
