// The headers a run reads, parsed for their types (struct, union, enum and typedef definitions) when a sizeof in
// a file names a type the file does not define itself. A header is parsed once per run, when first asked about.

import { neutralize } from '../parse/neutralize.js';
import { languageFor, parse, type Language, type Tree } from '../parse/parse.js';
import { wordOccurrences } from '../text/occurrences.js';
import type { TypeSource } from './type-builder.js';

/** Per-run cache of parsed headers, for their types; a header that changed on disk is parsed again. */
export class HeaderTypes {
  private readonly cache = new Map<string, TypeSource>();

  constructor(private readonly readFile: (file: string) => string | undefined) {}

  source = (file: string): TypeSource | undefined => {
    const text = this.readFile(file);
    if (text === undefined) return undefined;
    let source = this.cache.get(file);
    if (!source || source.text !== text) this.cache.set(file, (source = lazySource(file, text)));
    return source;
  };
}

/** A header's source, neutralised and parsed only when a name it mentions is looked up in it. */
function lazySource(file: string, text: string): TypeSource {
  let parsed: { parsedText: string; tree: Tree; language: Language } | undefined;
  const parsedOnce = () => {
    if (!parsed) {
      const parsedText = neutralize(text);
      const language = languageFor(file, parsedText);
      parsed = { parsedText, tree: parse(parsedText, language), language };
    }
    return parsed;
  };
  const occurrences = new Map<string, number[]>();
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
      let list = occurrences.get(name);
      if (!list) occurrences.set(name, (list = wordOccurrences(parsedOnce().parsedText, name)));
      return list;
    },
  };
}
