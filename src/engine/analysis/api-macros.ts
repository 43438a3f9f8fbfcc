// The macros of a file's table whose definitions call an API (`#define RESERVE(n) VirtualAlloc(0, n, ...)`): a
// file that mentions one is a candidate of the run too (runner/fixpoint.ts), and a header that defines one makes
// its includers candidates. Read while the table's mention index is built (the analysis has just used it), so
// that only the macros whose bodies name an API are read, not each of the thousands <windows.h> defines.

import { API_NEEDLES } from '../model/apis.js';
import type { MacroDef, MacroTable } from '../macros/macros.js';

/** The macros that call an API, in the table's order, and whether one of them is defined in `file` itself. */
export interface ApiMacros {
  readonly names: readonly string[];
  readonly definedHere: boolean;
}

export function apiMacrosOf(macros: MacroTable, file: string): ApiMacros {
  const mentioning = new Set(macros.macrosMentioningAny(mentionsApiName));
  const names: string[] = [];
  let definedHere = false;
  if (mentioning.size === 0) return { names, definedHere };
  for (const name of macros.inOrder(mentioning)) {
    const calling = macros.definitions(name).filter(callsApi);
    if (calling.length > 0) names.push(name);
    definedHere ||= calling.some((d) => d.file === file);
  }
  return { names, definedHere };
}

/** A macro body that calls an API: `NAME(` somewhere in it. */
function callsApi(def: MacroDef): boolean {
  return def.body.some((t, i) => t.kind === 'ident' && def.body[i + 1]?.text === '(' && mentionsApiName(t.text));
}

/** A word that contains an API's name (one function, so that the macro table remembers its answer per test). */
function mentionsApiName(word: string): boolean {
  return API_NEEDLES.some((n) => word.includes(n));
}
