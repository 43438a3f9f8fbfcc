// A macro's definition, as the preprocessor parses it (macros.ts parseDefine) and every table and layer shares it.

import type { Token } from '../text/tokens.js';

export interface MacroDef {
  name: string;
  /** Parameter names; undefined for an object-like macro. */
  params?: string[];
  variadic: boolean;
  body: Token[];
  /** Source text of the body, for messages and for comparing definitions. */
  bodyText: string;
  file: string;
  line: number;
}
