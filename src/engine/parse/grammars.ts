// Where the native C and C++ grammars are loaded from. granule ships their prebuilt binaries itself, in
// dist/grammars/<package>/ (scripts/copy-grammars.mjs copies them there at build time, in the packages' own
// prebuildify layout), instead of depending on tree-sitter-c and tree-sitter-cpp: those packages install their
// generated parser sources, .wasm builds and grammar sources with the binaries, more than half of what a
// command-line user would install (BENCHMARKS.md, "Install footprint").
//
// A platform granule has no binary for (or only a wrong one: tree-sitter-cpp 0.23.4's linux-arm64 prebuild is
// an x86-64 binary) uses the grammar package of the same version installed beside granule, which builds from
// its sources when it is installed; that is also where a development tree loads from before its first build.
// Another version of the package is never used: its trees, and so granule's results, could differ.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { packagePath } from '../model/package-files.js';

export type Language = 'c' | 'cpp';

/** A grammar package at the one version granule is built and tested with (package.json's devDependencies). */
export interface GrammarPackage {
  name: string;
  version: string;
  /** What the grammar reads, for messages. */
  language: string;
}

export const GRAMMARS: Readonly<Record<Language, GrammarPackage>> = {
  c: { name: 'tree-sitter-c', version: '0.23.6', language: 'C' },
  cpp: { name: 'tree-sitter-cpp', version: '0.23.4', language: 'C++' },
};

/** A grammar this platform has no binary for, or whose binary does not load: no file in its language can be checked. */
export class GrammarUnavailable extends Error {}

/** What node-gyp-build exports: the path of the binary that fits this process, found in a package folder. */
interface NodeGypBuild {
  resolve(dir: string): string;
}

const require = createRequire(import.meta.url);

/** The places a grammar may be loaded from, in order: the copy granule ships, then the package beside granule. */
export function grammarFolders(grammar: GrammarPackage): string[] {
  const folders = [packagePath('dist', 'grammars', grammar.name)];
  const installed = installedPackage(grammar.name);
  if (installed) folders.push(installed);
  return folders;
}

/** The folder of the package `name` as granule's own code would resolve it, if one is installed. */
function installedPackage(name: string): string | undefined {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** A folder's package.json version, if it names one. */
function versionIn(folder: string): string | undefined {
  try {
    const json = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof json.version === 'string' ? json.version : undefined;
  } catch {
    return undefined;
  }
}

/** Where a grammar's binary is: the first folder that holds the grammar's version with a binary for this platform. */
export function findGrammar(grammar: GrammarPackage, folders: readonly string[]): { folder: string; binary: string } {
  const loader = require('node-gyp-build') as NodeGypBuild;
  const otherVersions: string[] = [];
  for (const folder of folders) {
    const version = versionIn(folder);
    if (version === undefined) continue;
    if (version !== grammar.version) {
      otherVersions.push(`${version} in ${folder}`);
      continue;
    }
    try {
      return { folder, binary: loader.resolve(folder) };
    } catch {
      // no binary for this platform here (node-gyp-build's message spans lines): the next folder may have one
    }
  }
  const others = otherVersions.length ? ` (found ${grammar.name} ${otherVersions.join(', ')}, which granule does not use)` : '';
  throw new GrammarUnavailable(
    `no ${grammar.language} grammar for ${process.platform}-${process.arch}: granule ships none for this platform; ` +
      `\`npm install ${grammar.name}@${grammar.version}\` beside granule builds one from source (it needs Python, make and a C and C++ compiler)${others}`,
  );
}

/** A grammar as tree-sitter's setLanguage takes it: the native binding, with the node types the grammar describes. */
export function loadGrammar(language: Language): object {
  const grammar = GRAMMARS[language];
  const { folder, binary } = findGrammar(grammar, grammarFolders(grammar));
  let binding: { nodeTypeInfo?: unknown };
  try {
    binding = require(binary) as typeof binding;
  } catch (e) {
    throw new GrammarUnavailable(`the ${grammar.language} grammar ${binary} could not be loaded: ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
  // as the package's own entry point does (bindings/node/index.js); the ESLint plugin's visitor keys come from it
  binding.nodeTypeInfo = JSON.parse(readFileSync(path.join(folder, 'src', 'node-types.json'), 'utf8'));
  return binding;
}
