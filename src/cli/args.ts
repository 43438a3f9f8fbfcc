// The command line's options, read with node:util's parseArgs but checked here, so that each mistake gets
// one plain line (parseArgs' own messages span lines, quote oddly and suggest `--` tricks).

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { printable } from '../formats/printable.js';

type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** A mistake on the command line, said in one line (without the "granule: " prefix). */
export class ArgumentError extends Error {}

/** What parseArgs returns for `specs` in strict mode: the values typed by their specs. */
export type ParsedArguments<T extends OptionSpecs> = Pick<
  ReturnType<typeof parseArgs<{ options: T; allowPositionals: true; strict: true }>>,
  'values' | 'positionals'
>;

/**
 * The options and paths of `argv`. An unknown option, a string option without its value and a boolean
 * option given a value (`--quiet=yes`) throw ArgumentError. A value may start with a dash only when it is a
 * number (`--max-warnings -1`) or is written inline (`--output=-x`): `-o --quiet` is a forgotten value.
 */
export function parseCommandLine<T extends OptionSpecs>(argv: string[], specs: T): ParsedArguments<T> {
  // not strict: the checks below say what is wrong in granule's words
  const { values, positionals, tokens } = parseArgs({ args: argv, options: specs, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const name = printable(token.rawName);
    const spec = Object.hasOwn(specs, token.name) ? specs[token.name] : undefined;
    if (!spec) throw new ArgumentError(`unknown option '${name}'`);
    if (spec.type === 'boolean') {
      if (token.inlineValue) throw new ArgumentError(`option '${name}' takes no value`);
      continue;
    }
    const value = token.value;
    if (value === undefined || (!token.inlineValue && value.startsWith('-') && value !== '-' && !/^-\d/.test(value))) {
      throw new ArgumentError(`option '${name}' needs a value`);
    }
  }
  // (every option is now known and has a value of its type: what strict mode would have returned)
  return { values, positionals } as ParsedArguments<T>;
}
