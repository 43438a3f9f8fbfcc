// The headers a run reads, parsed for their types (struct, union, enum and typedef definitions) when a sizeof in
// a file names a type the file does not define itself. A header is parsed once per run, when first asked about.

import { neutralize } from '../parse/neutralize.js';
import { languageFor, parse, type Language, type Tree } from '../parse/parse.js';
import { wordOccurrences } from '../text/occurrences.js';
import { ownCopy } from '../text/own-copy.js';
import type { TypeSource } from './type-builder.js';

/**
 * Per-run cache of parsed headers, for their types; a header that changed on disk is parsed again. Headers of the
 * same text (copies of one SDK or project in several directories) share one parse: a tree is tens of bytes a
 * character, and each copy's `winnt.h` kept a tree of its own until the end of the run.
 */
export class HeaderTypes {
  private readonly cache = new Map<string, TypeSource>();
  /** The parse of each header text, by grammar (the grammar depends on the file's name too). */
  private readonly parses = new Map<string, Map<Language, Parsed>>();

  constructor(private readonly readFile: (file: string) => string | undefined) {}

  source = (file: string): TypeSource | undefined => {
    const text = this.readFile(file);
    if (text === undefined) return undefined;
    let source = this.cache.get(file);
    if (!source || source.text !== text) this.cache.set(file, (source = lazySource(file, text, () => this.parsed(file, text))));
    return source;
  };

  private parsed(file: string, text: string): Parsed {
    const parsedText = neutralize(text);
    const language = languageFor(file, parsedText);
    let byLanguage = this.parses.get(text);
    if (!byLanguage) this.parses.set(text, (byLanguage = new Map<Language, Parsed>()));
    let parsed = byLanguage.get(language);
    if (!parsed) byLanguage.set(language, (parsed = { parsedText, tree: parse(parsedText, language), language, occurrences: new Map() }));
    return parsed;
  }
}

/** One header text neutralised and parsed, with the offsets of the names looked up in it. */
interface Parsed {
  parsedText: string;
  tree: Tree;
  language: Language;
  occurrences: Map<string, number[]>;
}

/** A header's source, neutralised and parsed only when a name it mentions is looked up in it. */
function lazySource(file: string, text: string, parseOnce: () => Parsed): TypeSource {
  let parsed: Parsed | undefined;
  const parsedOnce = () => (parsed ??= parseOnce());
  return {
    file,
    text,
    get parsedText() {
      return parsedOnce().parsedText;
    },
    get tree() {
      return parsedOnce().tree;
    },
    get language() {
      return parsedOnce().language;
    },
    occurrencesOf: (name) => {
      const { occurrences, parsedText } = parsedOnce();
      let list = occurrences.get(name);
      if (!list) occurrences.set(ownCopy(name), (list = wordOccurrences(parsedText, name)));
      return list;
    },
  };
}
