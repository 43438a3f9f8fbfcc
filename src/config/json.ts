// Reads a config file as data. Nothing in it is executed: JSON only (comments allowed in
// granule.config.json, as in tsconfig.json), and keys that could reach an object's prototype are refused.

import { createScanner, SyntaxKind } from 'jsonc-parser';
import { jsonErrorMessage } from '../engine/files/json-error.js';
import { READ_LIMITS, readFailure, readRegularText } from '../engine/files/regular-file.js';
import { ConfigError } from './errors.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Reads and parses a JSON config file; throws ConfigError with a line and column on bad syntax. */
export function readJsonFile(file: string, options: { comments: boolean }): unknown {
  let text: string;
  try {
    text = readRegularText(file, READ_LIMITS.config);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : readFailure(e);
    throw new ConfigError(file, `cannot read config: ${why}`);
  }
  return parseJsonText(file, text, options);
}

export function parseJsonText(file: string, text: string, options: { comments: boolean }): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const source = options.comments ? blankComments(body) : body;
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch (e) {
    throw new ConfigError(file, `invalid JSON: ${describeSyntaxError((e as Error).message, source)}`);
  }
  const bad = findForbiddenKey(data, '');
  if (bad) throw new ConfigError(file, `${bad.path ? bad.path + ': ' : ''}key "${bad.key}" is not allowed`);
  return data;
}

/** Turns V8's "... at position N" into a line and column a person can find. */
function describeSyntaxError(message: string, text: string): string {
  const m = / at position (\d+)/.exec(message);
  // (without the start of the file, which V8 quotes: json-error.ts)
  message = jsonErrorMessage(message);
  const base = message
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/ in JSON at position \d+/, '')
    .replace(/^JSON\.parse: /, '');
  if (!m) return base.replace(/ in JSON$/, '');
  const offset = Number(m[1]);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `${base} (line ${line}, column ${offset - lineStart + 1})`;
}

/**
 * Replaces the comments with spaces, newlines kept, so that V8's error offsets (and so the line and column
 * of a message) stay the file's. jsonc-parser's scanner finds them (strings and escapes as JSON reads them);
 * its own stripComments does not keep every offset (a comment before a CRLF or at the end grows by one).
 */
export function blankComments(text: string): string {
  const scanner = createScanner(text, false);
  let out = '';
  let at = 0;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind !== SyntaxKind.LineCommentTrivia && kind !== SyntaxKind.BlockCommentTrivia) continue;
    const start = scanner.getTokenOffset();
    const end = start + scanner.getTokenLength();
    out += text.slice(at, start) + text.slice(start, end).replace(/[^\r\n]/g, ' ');
    at = end;
  }
  return out + text.slice(at);
}

function findForbiddenKey(value: unknown, path: string): { key: string; path: string } | undefined {
  // a loop with its own stack, in document order: a config nested thousands of levels deep must not overflow
  type Item = { value: unknown; path: string } | { key: string; value: unknown; parent: string };
  const stack: Item[] = [{ value, path }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    let current: { value: unknown; path: string };
    if ('key' in item) {
      if (FORBIDDEN_KEYS.has(item.key)) return { key: item.key, path: item.parent };
      current = { value: item.value, path: item.parent ? `${item.parent}.${item.key}` : item.key };
    } else current = item;
    const v = current.value;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: `${current.path}[${i}]` });
    } else if (v && typeof v === 'object') {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) stack.push({ key: keys[i]!, value: (v as Record<string, unknown>)[keys[i]!], parent: current.path });
    }
  }
  return undefined;
}
