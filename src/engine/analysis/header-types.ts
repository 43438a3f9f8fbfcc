// The headers a run reads, parsed for their types (struct, union, enum and typedef definitions) when a sizeof in
// a file names a type the file does not define itself. A header is parsed once per run, when first asked about.

import { neutralize } from '../parse/neutralize.js';
import { languageFor, parse } from '../parse/parse.js';
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
    if (!source || source.text !== text) {
      const parsedText = neutralize(text);
      const language = languageFor(file, parsedText);
      const occurrences = new Map<string, number[]>();
      source = {
        file,
        text,
        parsedText,
        tree: parse(parsedText, language),
        language,
        occurrencesOf: (name) => {
          let list = occurrences.get(name);
          if (!list) occurrences.set(name, (list = wordOccurrences(parsedText, name)));
          return list;
        },
      };
      this.cache.set(file, source);
    }
    return source;
  };
}
