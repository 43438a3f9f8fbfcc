// Temporary project trees for config, directive, fix, cache and pre-commit tests.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Writes `files` (relative path → content) under a new temporary directory and returns its path. */
export function makeTree(files: Record<string, string | Buffer>, prefix = 'granule-test-'): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  writeTree(root, files);
  return root;
}

export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** A C file with one reservation per size, one call per line starting at line 3. */
export function reserveFile(...sizes: string[]): string {
  return ['#include <windows.h>', 'void f(void) {', ...sizes.map((s) => `  VirtualAlloc(NULL, ${s}, MEM_RESERVE, PAGE_READWRITE);`), '}', ''].join('\n');
}
