// compile_commands.json (the JSON compilation database of CMake, Meson, Bear, clangd): the macros, include
// directories and forced includes each file is compiled with. Both the `arguments` and the `command` form
// are read; `command` is split the way the shell (or, for cl.exe command lines, Windows) would split it.

import * as path from 'node:path';
import { jsonErrorMessage } from '../files/json-error.js';
import { READ_LIMITS, readFailure, readRegularText } from '../files/regular-file.js';

export interface CompileFlags {
  defines: Record<string, string>;
  undefines: string[];
  includePaths: string[];
  forceIncludes: string[];
}

export class CompileCommandsError extends Error {}

const HEADER = /\.(?:h|hh|hpp|hxx|h\+\+|inl|ipp|tpp)$/i;

export interface CompilationDatabase {
  /** The database file. */
  file: string;
  /** Flags for a file: its own entry; for a header, those of a source file in the same directory. */
  flagsFor(file: string): CompileFlags | undefined;
  size: number;
}

interface RawEntry {
  directory?: unknown;
  file?: unknown;
  arguments?: unknown;
  command?: unknown;
}

/** Reads a compilation database; throws CompileCommandsError with a message for the user when it cannot. */
export function loadCompilationDatabase(file: string): CompilationDatabase {
  let text: string;
  try {
    text = readRegularText(file, READ_LIMITS.generated);
  } catch (e) {
    throw new CompileCommandsError(`cannot read ${file}: ${readFailure(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CompileCommandsError(`${file} is not valid JSON: ${jsonErrorMessage(e)}`);
  }
  if (!Array.isArray(json)) throw new CompileCommandsError(`${file} must be a JSON array of {directory, file, arguments|command} entries`);
  const base = path.dirname(path.resolve(file));
  const byFile = new Map<string, CompileFlags>();
  const byDirectory = new Map<string, CompileFlags>();
  json.forEach((raw: RawEntry, i) => {
    const where = `${file}: entry ${i + 1}`;
    if (!raw || typeof raw !== 'object') throw new CompileCommandsError(`${where} is not an object`);
    if (typeof raw.file !== 'string') throw new CompileCommandsError(`${where} has no "file"`);
    const directory = path.resolve(base, typeof raw.directory === 'string' ? raw.directory : '.');
    let args: string[];
    if (Array.isArray(raw.arguments) && raw.arguments.every((a) => typeof a === 'string')) args = raw.arguments as string[];
    else if (typeof raw.command === 'string') args = splitCommand(raw.command);
    else throw new CompileCommandsError(`${where} has neither "arguments" (an array of strings) nor "command"`);
    const source = path.resolve(directory, raw.file);
    const flags = flagsFromArguments(args.slice(1), directory);
    if (!byFile.has(source)) byFile.set(source, flags);
    const dir = path.dirname(source);
    if (!byDirectory.has(dir)) byDirectory.set(dir, flags);
  });
  return {
    file,
    size: byFile.size,
    // a header has no entry of its own: it is read with the flags of a source file next to it (as clangd guesses)
    flagsFor: (f) => byFile.get(path.resolve(f)) ?? (HEADER.test(f) ? byDirectory.get(path.dirname(path.resolve(f))) : undefined),
  };
}

/**
 * Splits a command line into arguments. POSIX shell rules (quotes, backslash escapes) unless the
 * command is a Windows one (cl.exe, clang-cl, or drive-letter paths), which follows CommandLineToArgvW.
 */
export function splitCommand(command: string, windows = looksWindows(command)): string[] {
  return windows ? splitWindows(command) : splitPosix(command);
}

function looksWindows(command: string): boolean {
  const first = /^\s*(?:"([^"]*)"|(\S+))/.exec(command);
  const exe = (first?.[1] ?? first?.[2] ?? '').replace(/\\/g, '/').split('/').pop()!.toLowerCase();
  return /^(?:cl|clang-cl)(?:\.exe)?$/.test(exe) || /(?:^|\s|")[A-Za-z]:\\/.test(command);
}

function splitPosix(command: string): string[] {
  const out: string[] = [];
  let current = '';
  let active = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else current += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < command.length && '"\\$`\n'.includes(command[i + 1]!)) current += command[++i];
      else current += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      active = true;
    } else if (c === '\\' && i + 1 < command.length) {
      if (command[i + 1] !== '\n') current += command[i + 1];
      i++;
      active = true;
    } else if (/\s/.test(c)) {
      if (active) out.push(current);
      current = '';
      active = false;
    } else {
      current += c;
      active = true;
    }
  }
  if (active) out.push(current);
  return out;
}

/** CommandLineToArgvW: backslashes are literal except before a quote; `""` inside quotes is a quote. */
function splitWindows(command: string): string[] {
  const out: string[] = [];
  let current = '';
  let active = false;
  let inQuotes = false;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (c === '\\') {
      let n = 0;
      for (; command[i] === '\\'; i++) n++;
      if (command[i] === '"') {
        current += '\\'.repeat(Math.floor(n / 2));
        if (n % 2 === 1) current += '"';
        else inQuotes = !inQuotes;
      } else {
        current += '\\'.repeat(n);
        i--;
      }
      active = true;
    } else if (c === '"') {
      if (inQuotes && command[i + 1] === '"') {
        current += '"';
        i++;
      } else inQuotes = !inQuotes;
      active = true;
    } else if (!inQuotes && /\s/.test(c)) {
      if (active) out.push(current);
      current = '';
      active = false;
    } else {
      current += c;
      active = true;
    }
  }
  if (active) out.push(current);
  return out;
}

/**
 * The preprocessor-relevant flags of a compiler command line (without the compiler itself), in GCC/Clang
 * and MSVC spellings. Order matters as for a compiler: `-DX -UX` leaves X undefined.
 */
export function flagsFromArguments(args: readonly string[], directory: string): CompileFlags {
  const defines = new Map<string, string>();
  const undefines = new Set<string>();
  const includePaths: string[] = [];
  const systemPaths: string[] = [];
  const afterPaths: string[] = [];
  const forceIncludes: string[] = [];
  const dir = (p: string) => path.resolve(directory, p);
  const define = (spec: string) => {
    const eq = spec.indexOf('=');
    // -DF(x)=... defines a function-like macro: the key keeps the parameter list, as preprocess reads it
    const name = eq < 0 ? spec : spec.slice(0, eq);
    const macroName = /^[A-Za-z_]\w*/.exec(name)?.[0];
    if (!macroName) return;
    forget(macroName);
    defines.set(name, eq < 0 ? '1' : spec.slice(eq + 1));
    undefines.delete(macroName);
  };
  const forget = (macroName: string) => {
    for (const key of [...defines.keys()]) if (key === macroName || key.startsWith(`${macroName}(`)) defines.delete(key);
  };
  const undefine = (name: string) => {
    forget(name);
    undefines.add(name);
  };
  const include = (v: string) => includePaths.push(dir(v));
  const system = (v: string) => systemPaths.push(dir(v));
  const force = (v: string) => forceIncludes.push(dir(v));
  // flags that take a value, longest spelling first; `joined`: the value may follow without a space
  const flags: { name: string; joined: boolean; apply: (v: string) => void }[] = [
    { name: '--include-directory=', joined: true, apply: include },
    { name: '--include-directory', joined: false, apply: include },
    { name: '--include=', joined: true, apply: force },
    { name: '--include', joined: false, apply: force },
    { name: '/external:I', joined: true, apply: system },
    { name: '-idirafter', joined: true, apply: (v) => afterPaths.push(dir(v)) },
    { name: '-isystem', joined: true, apply: system },
    { name: '-include', joined: false, apply: force },
    { name: '-imacros', joined: false, apply: force },
    { name: '-iquote', joined: true, apply: include },
    { name: '-imsvc', joined: true, apply: system },
    { name: '/FI', joined: true, apply: force },
    { name: '-D', joined: true, apply: define },
    { name: '/D', joined: true, apply: define },
    { name: '-U', joined: true, apply: undefine },
    { name: '/U', joined: true, apply: undefine },
    { name: '-I', joined: true, apply: include },
    { name: '/I', joined: true, apply: include },
  ];
  // flags whose value must not be read as one of the above
  const skipWithValue = new Set(['-include-pch', '-include-pth', '-o', '-MF', '-MT', '-MQ', '-x', '-isysroot', '-iprefix', '-Xclang', '-target', '-arch']);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--' || a.toLowerCase() === '/link') break;
    if (skipWithValue.has(a)) {
      i++;
      continue;
    }
    for (const flag of flags) {
      if (a === flag.name) {
        const value = args[++i];
        if (value !== undefined) flag.apply(value);
        break;
      }
      if (flag.joined && a.startsWith(flag.name) && a.length > flag.name.length) {
        flag.apply(a.slice(flag.name.length));
        break;
      }
    }
  }
  return {
    defines: Object.fromEntries(defines),
    undefines: [...undefines],
    includePaths: [...includePaths, ...systemPaths, ...afterPaths],
    forceIncludes,
  };
}
