// Every field of every message the server handles, replaced by each JSON value of another type (and by a
// negative or fractional number): the server answers each request with a result or InvalidParams (never an
// internal error), logs no stack trace, writes nothing on stderr, and still serves afterwards.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { RawLspClient } from './raw-client.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-lsp-fuzz-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const uri = pathToFileURL(path.join(dir, 'doc.c')).href;
const LEAK = '#include <windows.h>\nvoid *f(void) { return VirtualAlloc(NULL, 16384, MEM_RESERVE, PAGE_NOACCESS); }\n';
const range = { start: { line: 1, character: 0 }, end: { line: 1, character: 10 } };
const diagnostic = { range, message: 'm', severity: 1, code: 'virtualalloc-granularity', source: 'granule' };

/** Well-formed messages, one per handled method; requests have `request: true`. */
const SAMPLES: { method: string; params: unknown; request?: boolean }[] = [
  { method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'c', version: 2, text: LEAK } } },
  { method: 'textDocument/didChange', params: { textDocument: { uri, version: 3 }, contentChanges: [{ range, rangeLength: 10, text: 'x' }, { text: LEAK }] } },
  { method: 'textDocument/didSave', params: { textDocument: { uri }, text: LEAK } },
  { method: 'textDocument/hover', params: { textDocument: { uri }, position: { line: 1, character: 25 } }, request: true },
  {
    method: 'textDocument/codeAction',
    params: { textDocument: { uri }, range, context: { diagnostics: [diagnostic], only: ['quickfix'], triggerKind: 1 } },
    request: true,
  },
  { method: 'workspace/didChangeWatchedFiles', params: { changes: [{ uri: pathToFileURL(path.join(dir, 'a.h')).href, type: 2 }] } },
  { method: 'workspace/didChangeConfiguration', params: { settings: { granule: { enable: true } } } },
  { method: '$/cancelRequest', params: { id: 1 } },
  { method: '$/setTrace', params: { value: 'off' } },
  { method: 'textDocument/didClose', params: { textDocument: { uri } } },
];

const REPLACEMENTS: unknown[] = [null, 5, -1, 1.5, 'x', true, [], {}];

/** Copies of `value` with one field (at any depth, and the whole value) replaced by each replacement. */
function* mutations(value: unknown, at: (string | number)[] = []): Generator<{ path: (string | number)[]; value: unknown }> {
  for (const r of REPLACEMENTS) if (JSON.stringify(r) !== JSON.stringify(value)) yield { path: at, value: r };
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const key = Array.isArray(value) ? Number(k) : k;
      for (const m of mutations(v, [...at, key])) yield m;
    }
  }
}

function replaced(root: unknown, at: (string | number)[], value: unknown): unknown {
  if (at.length === 0) return value;
  const copy: any = Array.isArray(root) ? [...root] : { ...(root as object) };
  copy[at[0]!] = replaced(copy[at[0]!], at.slice(1), value);
  return copy;
}

it('survives every field of every handled message replaced by a value of the wrong type', async () => {
  expect(fs.existsSync(path.join(ROOT, 'dist', 'lsp', 'main.js')), 'run `npm run build` first (npm test does)').toBe(true);
  const client = new RawLspClient();
  try {
    await client.initialize(dir);
    let sent = 0;
    const requests: Promise<{ method: string; path: string; response: any }>[] = [];
    for (const sample of SAMPLES) {
      for (const m of mutations(sample.params)) {
        const params = replaced(sample.params, m.path, m.value);
        sent++;
        if (sample.request) {
          requests.push(client.request(sample.method, params, 60_000).then((response) => ({ method: sample.method, path: m.path.join('.'), response })));
        } else {
          client.notify(sample.method, params);
          // reopen, so that every mutation meets an open document
          if (sample.method === 'textDocument/didClose') client.notify('textDocument/didOpen', SAMPLES[0]!.params);
        }
      }
    }
    const answered = await Promise.all(requests);
    expect(sent).toBeGreaterThan(400);
    for (const { method, path: at, response } of answered) {
      const outcome = response.error ? response.error.code : 'result';
      expect([`${method} ${at}`, outcome]).toEqual([`${method} ${at}`, expect.toSatisfy((o: unknown) => o === 'result' || o === -32602)]);
    }
    const uriNew = pathToFileURL(path.join(dir, 'after.c')).href;
    client.notify('textDocument/didOpen', { textDocument: { uri: uriNew, languageId: 'c', version: 1, text: LEAK } });
    const published = await client.waitFor(
      (m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uriNew,
      'diagnostics after the fuzzing',
      60_000,
    );
    expect(published.params.diagnostics.map((d: { message: string }) => d.message)).toEqual([
      'VirtualAlloc reserves 16384 bytes (0x4000); 49152 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller',
    ]);
    expect(client.logs().filter((l) => /\n\s+at /.test(l))).toEqual([]);
    expect(client.stderr).toBe('');
    expect(client.process.exitCode).toBeNull();
  } finally {
    client.kill();
  }
});
