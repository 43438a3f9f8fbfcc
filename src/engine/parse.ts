// tree-sitter parsing: grammar choice per file, grammars loaded once and only when needed.

import { createRequire } from 'node:module';
import * as path from 'node:path';
import type ParserType from 'tree-sitter';
import { parseTimedOut, remainingMicros } from './limits.js';

export type Language = 'c' | 'cpp';
export type Tree = ParserType.Tree;
export type SyntaxNode = ParserType.SyntaxNode;

const require = createRequire(import.meta.url);

const CPP_EXTENSIONS = new Set(['.cc', '.cpp', '.cxx', '.c++', '.hpp', '.hh', '.hxx', '.h++', '.inl', '.ipp', '.tpp']);
export const SOURCE_EXTENSIONS = ['.c', '.h', '.cc', '.cpp', '.cxx', '.c++', '.hpp', '.hh', '.hxx', '.inl', '.ipp'];

const CPP_MARKERS = /\b(?:class|namespace|template|public:|private:|protected:|constexpr|nullptr|decltype|static_cast|reinterpret_cast|operator)\b|::|\bauto\s+\w+\s*=/;

/** C for .c, C++ for C++ extensions; a .h is C++ when it uses C++ syntax. */
export function languageFor(file: string, text: string): Language {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.c') return 'c';
  if (CPP_EXTENSIONS.has(ext)) return 'cpp';
  return CPP_MARKERS.test(text) ? 'cpp' : 'c';
}

let parserClass: typeof ParserType | undefined;
const parsers = new Map<Language, ParserType>();

/** One parser per grammar, created on first use. */
export function parserFor(language: Language): ParserType {
  let parser = parsers.get(language);
  if (!parser) {
    parserClass ??= require('tree-sitter') as typeof ParserType;
    parser = new parserClass();
    parser.setLanguage(require(language === 'c' ? 'tree-sitter-c' : 'tree-sitter-cpp'));
    parsers.set(language, parser);
  }
  return parser;
}

export function parse(text: string, language: Language, oldTree?: Tree): Tree {
  const parser = parserFor(language);
  // the file's time limit covers its parse: tree-sitter gives up (no tree) when the time left is spent
  parser.setTimeoutMicros(remainingMicros());
  // tree-sitter's default read buffer splits long inputs; give it the whole text at once
  const tree = parser.parse(text, oldTree, { bufferSize: Math.max(32 * 1024, text.length * 2 + 1024) }) as Tree | null;
  if (!tree) {
    // a cancelled parse would otherwise resume on the next file's text
    parser.reset();
    parseTimedOut();
  }
  return tree;
}
