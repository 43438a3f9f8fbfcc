// Reads `// @expect finding [rule-id]` and `// @expect none` markers from fixture sources.

import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Expectation {
  file: string;
  line: number;
  kind: 'finding' | 'none';
  /** Rule ids the line must report, when the marker names them. */
  rules: string[];
}

// `@expect finding rule-a rule-b: free text` — rule ids come before the colon
const MARKER = /@expect\s+(finding|none)\b([^:\n*]*)/;

export function readExpectations(file: string): Expectation[] {
  const lines = fs.readFileSync(file, 'utf8').split(/\r\n|\r|\n/);
  const out: Expectation[] = [];
  lines.forEach((text, i) => {
    const m = MARKER.exec(text);
    if (!m) return;
    const rules = (m[2] ?? '')
      .trim()
      .split(/[\s,]+/)
      .filter((w) => /^[a-z]+(-[a-z]+)+$/.test(w));
    out.push({ file, line: i + 1, kind: m[1] as 'finding' | 'none', rules });
  });
  return out;
}

export const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures');

export function fixtureFolders(): string[] {
  return fs
    .readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(FIXTURES, d.name))
    .sort();
}

export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    if (/\.(c|h|cc|cpp|cxx|hpp|hh|hxx|inl|ipp)$/i.test(entry.name)) out.push(full);
  }
  return out.sort();
}
