import { FileReader } from '../files/file-reader.js';
import { findPreprocessorDirectives, type Directive } from './preprocess.js';

/** Caches header text and directive scans for the whole run. */
export class HeaderCache {
  private readonly texts = new Map<string, string | undefined>();
  private readonly directives = new Map<string, Directive[]>();
  private readonly reader = new FileReader();

  read = (file: string): string | undefined => {
    if (this.texts.has(file)) return this.texts.get(file);
    const text = this.reader.readText(file);
    this.texts.set(file, text);
    return text;
  };

  directivesOf = (file: string, text: string): Directive[] => {
    let list = this.directives.get(file);
    if (!list) this.directives.set(file, (list = findPreprocessorDirectives(text)));
    return list;
  };

  /** Forgets a header (it changed on disk). */
  invalidate(file: string): void {
    this.texts.delete(file);
    this.directives.delete(file);
  }
}
