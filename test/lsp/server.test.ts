// granule's language server, driven over real JSON-RPC on stdio: diagnostics, incremental edits, code actions,
// hover, settings, watched files, superseded edits.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { applyEdits, LspClient, uriOf, type Diagnostic, type TextEdit } from './client.js';

const DOCS = 'https://github.com/granule-lint/granule/blob/main/docs/rules/';
let dir: string;
let client: LspClient;

beforeAll(async () => {
  expect(fs.existsSync(path.join(ROOT, 'dist', 'lsp', 'main.js')), 'run `npm run build` first (npm test does)').toBe(true);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-lsp-'));
  client = new LspClient();
  const result = await client.initialize(dir);
  expect(result.capabilities).toMatchObject({
    textDocumentSync: { openClose: true, change: 2, save: { includeText: false } },
    codeActionProvider: { codeActionKinds: ['quickfix'] },
    hoverProvider: true,
  });
  expect(result.serverInfo.name).toBe('granule');
});

afterAll(async () => {
  expect(await client.close()).toBe(0);
});

function write(name: string, text: string): { file: string; uri: string } {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return { file, uri: uriOf(file) };
}

const LEAK = ['#include <windows.h>', 'void *f(void) {', '    return VirtualAlloc(NULL, 16384, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);', '}', ''].join('\n');
const LEAK_DIAGNOSTIC: Diagnostic = {
  range: { start: { line: 2, character: 11 }, end: { line: 2, character: 78 } },
  severity: 1,
  code: 'virtualalloc-granularity',
  codeDescription: { href: `${DOCS}virtualalloc-granularity.md` },
  source: 'granule',
  message: 'VirtualAlloc reserves 16384 bytes (0x4000); 49152 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller',
};

describe('diagnostics', () => {
  it('registers file watchers for headers, other sources, configs and compile_commands.json', async () => {
    for (let i = 0; i < 100 && client.registrations.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(client.registrations).toEqual([
      {
        id: expect.any(String),
        method: 'workspace/didChangeWatchedFiles',
        registerOptions: {
          watchers: [
            { globPattern: '**/*.{h,hh,hpp,hxx,h++,inl,ipp,tpp}' },
            { globPattern: '**/*.{c,cc,cpp,cxx,c++}' },
            { globPattern: '**/granule.config.json' },
            { globPattern: '**/package.json' },
            { globPattern: '**/compile_commands.json' },
          ],
        },
      },
    ]);
  });

  it('publishes the exact diagnostic of an opened buffer, with the rule id and docs link', async () => {
    const { uri } = write('leak.c', '/* not what the buffer says */\n');
    await client.open(uri, LEAK);
    const p = await client.diagnostics(uri);
    expect(p).toEqual({ uri, version: 1, diagnostics: [LEAK_DIAGNOSTIC] });
  });

  it('an incremental edit that fixes the size clears the diagnostics', async () => {
    const { uri } = write('edit.c', LEAK);
    await client.open(uri, LEAK);
    await client.diagnostics(uri, (p) => p.diagnostics.length === 1);
    const from = client.published.length;
    // "16384" → "65536" on line 3, as an editor sends a one-word replacement
    await client.change(uri, 2, [{ range: { start: { line: 2, character: 30 }, end: { line: 2, character: 35 } }, text: '65536' }]);
    const p = await client.diagnostics(uri, () => true, from);
    expect(p).toEqual({ uri, version: 2, diagnostics: [] });
    // and an edit that breaks it again brings the diagnostic back, at the new position
    const again = client.published.length;
    await client.change(uri, 3, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' },
      { range: { start: { line: 3, character: 30 }, end: { line: 3, character: 35 } }, text: '4096' },
    ]);
    const q = await client.diagnostics(uri, () => true, again);
    expect(q.version).toBe(3);
    expect(q.diagnostics.map((d) => [d.range.start.line, d.range.start.character, d.message])).toEqual([
      [3, 11, 'VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller'],
    ]);
  });

  it('superseded edits never publish diagnostics for an old version', async () => {
    const { uri } = write('typing.c', LEAK);
    await client.open(uri, LEAK);
    await client.diagnostics(uri);
    const from = client.published.length;
    // a burst of typing: each change replaces the size; only the last text counts
    const sizes = ['1', '12', '123', '1234', '12345', '65536'];
    let version = 1;
    let column = 30;
    let length = 5;
    for (const size of sizes) {
      version++;
      await client.change(uri, version, [{ range: { start: { line: 2, character: column }, end: { line: 2, character: column + length } }, text: size }]);
      length = size.length;
      column = 30;
    }
    const last = await client.diagnostics(uri, (p) => p.version === version, from);
    expect(last.diagnostics).toEqual([]);
    await new Promise((r) => setTimeout(r, 400));
    const after = client.published.slice(from).filter((p) => p.uri === uri);
    expect(after.map((p) => p.version)).toEqual([version]);
  });
});

describe('code actions', () => {
  it('offers the autofix, the suggestion and a disable comment; applying each clears the diagnostic', async () => {
    const { uri } = write('fix.c', LEAK);
    await client.open(uri, LEAK);
    const p = await client.diagnostics(uri, (x) => x.diagnostics.length === 1);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: p.diagnostics[0]!.range,
      context: { diagnostics: p.diagnostics, only: ['quickfix'] },
    })) as {
      title: string;
      kind: string;
      isPreferred?: boolean;
      diagnostics: Diagnostic[];
      edit: { documentChanges: { textDocument: { uri: string; version: number }; edits: TextEdit[] }[] };
    }[];
    expect(actions.map((a) => [a.title, a.kind, a.isPreferred ?? false])).toEqual([
      ['Reserve 65536 bytes (0x10000), the next multiple of 64 KB', 'quickfix', true],
      ['Disable virtualalloc-granularity for this line', 'quickfix', false],
    ]);
    expect(actions[0]!.diagnostics).toEqual([LEAK_DIAGNOSTIC]);
    expect(actions[0]!.edit.documentChanges).toEqual([
      { textDocument: { uri, version: 1 }, edits: [{ range: { start: { line: 2, character: 30 }, end: { line: 2, character: 35 } }, newText: '65536' }] },
    ]);
    expect(actions[1]!.edit.documentChanges[0]!.edits).toEqual([
      { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, newText: '    // granule-disable-next-line virtualalloc-granularity\n' },
    ]);

    // apply the fix, as the editor would, and send the result as the next version
    const fixed = applyEdits(LEAK, actions[0]!.edit.documentChanges[0]!.edits);
    expect(fixed).toContain('VirtualAlloc(NULL, 65536, MEM_RESERVE');
    let from = client.published.length;
    await client.change(uri, 2, [{ text: fixed }]);
    expect(await client.diagnostics(uri, () => true, from)).toEqual({ uri, version: 2, diagnostics: [] });

    // back to the leak, then the disable comment
    from = client.published.length;
    await client.change(uri, 3, [{ text: LEAK }]);
    await client.diagnostics(uri, (x) => x.diagnostics.length === 1, from);
    const disabled = applyEdits(LEAK, actions[1]!.edit.documentChanges[0]!.edits);
    from = client.published.length;
    await client.change(uri, 4, [{ text: disabled }]);
    expect(await client.diagnostics(uri, () => true, from)).toEqual({ uri, version: 4, diagnostics: [] });
  });

  it('offers no action for a stale range or a document without findings', async () => {
    const { uri } = write('clean.c', '#include <windows.h>\nvoid *g(void) { return VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_NOACCESS); }\n');
    await client.open(uri, fs.readFileSync(path.join(dir, 'clean.c'), 'utf8'));
    await client.diagnostics(uri);
    const actions = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 10 } },
      context: { diagnostics: [] },
    });
    expect(actions).toEqual([]);
  });
});

describe('hover', () => {
  it('shows the evaluated size, the granules, the waste and the macro evidence', async () => {
    const text = [
      '#include <windows.h>',
      '#define PAGE 4096',
      '#define ARENA(n) VirtualAlloc(NULL, (n) * PAGE, MEM_RESERVE, PAGE_NOACCESS)',
      'void f(void) {',
      '    ARENA(3);',
      '}',
      '',
    ].join('\n');
    const { uri } = write('hover.c', text);
    await client.open(uri, text);
    await client.diagnostics(uri);
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 6 } })) as {
      contents: { kind: string; value: string };
      range: unknown;
    };
    expect(hover.range).toEqual({ start: { line: 4, character: 4 }, end: { line: 4, character: 12 } });
    expect(hover.contents.kind).toBe('markdown');
    expect(hover.contents.value.split('\n')).toEqual([
      `**granule** [virtualalloc-granularity](${DOCS}virtualalloc-granularity.md) (error): VirtualAlloc reserves 12288 bytes (0x3000); 53248 bytes of its 64 KB granule become unusable`,
      '',
      '| | |',
      '|---|---|',
      '| size | 12288 bytes (0x3000) |',
      '| written as | `(3) * 4096` |',
      '| address space | 1 × 64 KB granule (65536 bytes) |',
      '| unusable | 53248 bytes (0xD000) |',
      '| reserves | yes |',
      '',
      '**How granule got there**',
      '',
      '1. ARENA(...) expands to VirtualAlloc(0, (3) * 4096, MEM_RESERVE, PAGE_NOACCESS) — hover.c:5',
    ]);
  });

  it('is empty away from allocation calls', async () => {
    const uri = uriOf(path.join(dir, 'hover.c'));
    expect(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 3 } })).toBeNull();
  });
});
