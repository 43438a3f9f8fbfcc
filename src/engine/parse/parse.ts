// tree-sitter parsing: grammar choice per file, grammars loaded once and only when needed.
//
// The binding is installed as granule-tree-sitter (package.json: npm:tree-sitter@0.22.4). tree-sitter-cpp 0.23.4
// declares an optional peer tree-sitter@^0.21.1, and a tree-sitter of that name at 0.22.4 beside it made every
// `npm install granule` print a peer-conflict warning and fail under --strict-peer-deps; under its own name the
// binding is no peer of anything. Its types still declare the module 'tree-sitter', hence the reference. (granule
// now ships the grammars' binaries itself, grammars.ts, but a development tree still installs both packages.)
/// <reference types="granule-tree-sitter" preserve="true" />

import { createRequire } from 'node:module';
import * as path from 'node:path';
import type ParserType from 'tree-sitter';
import { parseTimedOut, remainingMicros } from '../model/limits.js';
import { loadGrammar, type Language } from './grammars.js';
import { hideMemberDesignators } from './designators.js';

export type { Language };
export type Tree = ParserType.Tree;
export type SyntaxNode = ParserType.SyntaxNode;

const require = createRequire(import.meta.url);

const CPP_EXTENSIONS = new Set(['.cc', '.cpp', '.cxx', '.c++', '.hpp', '.hh', '.hxx', '.h++', '.inl', '.ipp', '.tpp']);
export { SOURCE_EXTENSIONS } from '../model/languages.js';

const CPP_MARKERS =
  /\b(?:class|namespace|template|public:|private:|protected:|constexpr|nullptr|decltype|static_cast|reinterpret_cast|operator)\b|::|\bauto\s+\w+\s*=/;

/** C for .c, C++ for C++ extensions; a .h is C++ when it uses C++ syntax. */
export function languageFor(file: string, text: string): Language {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.c') return 'c';
  if (CPP_EXTENSIONS.has(ext)) return 'cpp';
  return CPP_MARKERS.test(text) ? 'cpp' : 'c';
}

// eslint-disable-next-line no-restricted-syntax -- a cache: the tree-sitter Parser class, loaded on first use
let parserClass: typeof ParserType | undefined;
// eslint-disable-next-line no-restricted-syntax -- a cache: one parser per grammar (two at most), made on first use, reused for every file
const parsers = new Map<Language, ParserType>();

/** One parser per grammar, created on first use. */
export function parserFor(language: Language): ParserType {
  let parser = parsers.get(language);
  if (!parser) {
    parserClass ??= require('granule-tree-sitter') as typeof ParserType;
    parser = new parserClass();
    const grammar = loadGrammar(language) as ParserType.Language & { nodeSubclasses?: unknown[] };
    // setLanguage would otherwise eval a subclass per node type (20-30 ms per grammar, paid by every run and
    // thread) only to add field getters (`nameNode`, ...) that granule never uses: plain nodes will do.
    // Node type ids are 16-bit; the ERROR id is handled by tree-sitter itself.
    grammar.nodeSubclasses ??= new Array<unknown>(0x10000).fill((parserClass as unknown as { SyntaxNode: unknown }).SyntaxNode);
    parser.setLanguage(grammar);
    parsers.set(language, parser);
  }
  return parser;
}

/**
 * Parses a file's text. `blank`: spans known to hold only whitespace (a windowed parse, src/engine/runner/window.ts);
 * tree-sitter is given the rest as its included ranges and never reads them, which is much faster than
 * lexing the whitespace, and gives the same tree.
 */
export function parse(text: string, language: Language, oldTree?: Tree, blank?: readonly (readonly [number, number])[]): Tree {
  const parser = parserFor(language);
  // the file's time limit covers its parse: tree-sitter gives up (no tree) when the time left is spent
  parser.setTimeoutMicros(remainingMicros());
  // tree-sitter reads the text through a buffer of this many UTF-16 units, refilled as it moves on: the
  // default 32 K costs a call into JavaScript per 32 K, and a buffer the size of the text costs two bytes a
  // unit for the whole parse (200 MB for a 50 MB file, most of it never read when the parse is windowed)
  const includedRanges = blank?.length ? rangesAround(text, blank) : undefined;
  // what the grammar reads: the text, with what it cannot read hidden at the same offsets
  const read = hideMemberDesignators(text);
  const hidden = read !== text;
  // (what is hidden can change outside an edit's range, so a tree read with hidden parts is not reparsed from)
  const previous = hidden || (oldTree as Hiding | undefined)?.hidden ? undefined : oldTree;
  // a parse from an edited tree reads little past the edit, so a smaller buffer: the binding copies all it is
  // given, and the rest of a 200 KB file at each keystroke was a quarter of the parse
  const bufferSize = Math.min(text.length + 1, previous ? INCREMENTAL_READ_CHUNK : READ_CHUNK);
  const tree = (
    includedRanges ? parser.parse(rangeReader(read, includedRanges), previous, { bufferSize, includedRanges }) : parser.parse(read, previous, { bufferSize })
  ) as Tree | null;
  if (!tree) {
    // a cancelled parse would otherwise resume on the next file's text
    parser.reset();
    parseTimedOut();
  }
  if (hidden) (tree as Hiding).hidden = true;
  if (includedRanges || hidden) {
    // node texts come from the text itself, as for a tree parsed from it
    const parsed = tree as Tree & { input: unknown; getText: (node: SyntaxNode) => string };
    parsed.input = text;
    parsed.getText = (node) => text.substring(node.startIndex, node.endIndex);
  }
  return tree;
}

/** A tree parsed from a text with parts hidden from the grammar (designators.ts). */
type Hiding = Tree & { hidden?: boolean };

/**
 * tree-sitter's reader for a windowed parse: the text from an offset to the end of the included range there.
 * tree-sitter reads again at the start of every range, and the binding copies all it is given (up to the
 * buffer): handing it the rest of the text each time copied megabytes per range, seconds per big file.
 */
function rangeReader(text: string, ranges: readonly ParserType.Range[]): (offset: number) => string {
  let r = 0;
  return (offset) => {
    // reads mostly move forward: look from the last range, else search
    if (r >= ranges.length || ranges[r]!.startIndex > offset || ranges[r]!.endIndex <= offset) {
      let lo = 0;
      let hi = ranges.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ranges[mid]!.endIndex <= offset) lo = mid + 1;
        else hi = mid;
      }
      r = lo;
    }
    const end = r < ranges.length && ranges[r]!.endIndex > offset ? ranges[r]!.endIndex : text.length;
    return text.slice(offset, Math.min(end, offset + READ_CHUNK));
  };
}

/** Blank spans shorter than this are lexed as whitespace rather than skipped; at most MAX_HOLES are skipped. */
const MIN_HOLE = 256;
const MAX_HOLES = 512;

/** UTF-16 units tree-sitter reads at a time (4 MB): few reads, and a bounded copy. */
export const READ_CHUNK = 1 << 21;

/** The same when parsing from an edited tree: tree-sitter reads again wherever it needs to. */
const INCREMENTAL_READ_CHUNK = 1 << 14;

/** The parts of `text` outside the blank spans, as tree-sitter ranges (UTF-16 offsets, rows by line feed). */
function rangesAround(text: string, blank: readonly (readonly [number, number])[]): ParserType.Range[] {
  const ranges: ParserType.Range[] = [];
  let row = 0;
  let rowStart = 0;
  let scanned = 0;
  const point = (offset: number) => {
    for (let nl = text.indexOf('\n', scanned); nl >= 0 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
      row++;
      rowStart = nl + 1;
    }
    scanned = Math.max(scanned, offset);
    return { row, column: offset - rowStart };
  };
  // tree-sitter looks for the range of a position from the first range on, so thousands of ranges cost more
  // than lexing the whitespace between them: only the largest blank spans become holes
  let least = MIN_HOLE;
  if (blank.length > MAX_HOLES) {
    const sizes = blank.map(([s, e]) => e - s).sort((a, b) => b - a);
    least = Math.max(least, sizes[MAX_HOLES - 1]! + 1);
  }
  let start = 0;
  let holes = 0;
  for (let [s, e] of blank) {
    if (e - s < least || holes >= MAX_HOLES) continue;
    holes++;
    // the line breaks at either end of a span stay: a preprocessor line kept inside a blanked body ends at one
    if (text.charCodeAt(s) === 13 && text.charCodeAt(s + 1) === 10) s += 2;
    else if (text.charCodeAt(s) === 10 || text.charCodeAt(s) === 13) s += 1;
    if (e - 2 >= s && text.charCodeAt(e - 2) === 13 && text.charCodeAt(e - 1) === 10) e -= 2;
    else if (e - 1 >= s && (text.charCodeAt(e - 1) === 10 || text.charCodeAt(e - 1) === 13)) e -= 1;
    if (e <= s) continue;
    if (s > start) ranges.push({ startIndex: start, endIndex: s, startPosition: point(start), endPosition: point(s) });
    start = Math.max(start, e);
  }
  if (start < text.length || ranges.length === 0)
    ranges.push({ startIndex: start, endIndex: text.length, startPosition: point(start), endPosition: point(text.length) });
  return ranges;
}
