// Where the grammars are loaded from (src/engine/parse/grammars.ts): the copy granule ships in dist/grammars/,
// else the package of the same version beside granule, never another version; and the one line that says
// what to do when neither has a binary for this platform.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findGrammar, grammarFolders, GRAMMARS, loadGrammar, type GrammarPackage } from '../../../src/engine/parse/grammars.js';
import { ROOT } from '../../helpers/cli.js';
import { makeTree } from '../../helpers/tree.js';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

const HERE = `${process.platform}-${process.arch}`;
const C = GRAMMARS.c;
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A folder in the grammar packages' layout: a package.json of `version` and a (dummy) binary for each target. */
function grammarFolder(grammar: GrammarPackage, version: string, targets: string[]): string {
  const files: Record<string, string> = { 'package.json': JSON.stringify({ name: grammar.name, version }) };
  for (const target of targets) files[`prebuilds/${target}/${grammar.name}.node`] = 'not loaded by these tests';
  const dir = makeTree(files, 'granule-grammar-');
  made.push(dir);
  return dir;
}

describe('the grammar versions', () => {
  it('are the ones package.json pins as devDependencies, and no grammar package is a dependency of users', () => {
    expect(GRAMMARS).toEqual({
      c: { name: 'tree-sitter-c', version: pkg.devDependencies['tree-sitter-c'], language: 'C' },
      cpp: { name: 'tree-sitter-cpp', version: pkg.devDependencies['tree-sitter-cpp'], language: 'C++' },
    });
    expect(Object.keys(pkg.dependencies).filter((name) => name.startsWith('tree-sitter-'))).toEqual([]);
  });
});

describe('finding a grammar', () => {
  it('looks in the copy granule ships first, then in the package installed beside granule', () => {
    expect(grammarFolders(C)).toEqual([
      path.join(ROOT, 'dist', 'grammars', 'tree-sitter-c'),
      path.join(fs.realpathSync(path.join(ROOT, 'node_modules')), 'tree-sitter-c'),
    ]);
  });

  it('takes the first folder with a binary for this platform', () => {
    const shipped = grammarFolder(C, C.version, ['plan9-mips', HERE]);
    const beside = grammarFolder(C, C.version, [HERE]);
    expect(findGrammar(C, [shipped, beside])).toEqual({ folder: shipped, binary: path.join(shipped, 'prebuilds', HERE, 'tree-sitter-c.node') });
  });

  it('goes on to the next folder where one has no binary for this platform', () => {
    const shipped = grammarFolder(C, C.version, ['plan9-mips']);
    const beside = grammarFolder(C, C.version, [HERE]);
    expect(findGrammar(C, [path.join(shipped, 'missing'), shipped, beside])).toEqual({
      folder: beside,
      binary: path.join(beside, 'prebuilds', HERE, 'tree-sitter-c.node'),
    });
  });

  it('never uses another version, and says which it found', () => {
    const shipped = grammarFolder(C, C.version, ['plan9-mips']);
    const other = grammarFolder(C, '0.24.1', [HERE]);
    expect(() => findGrammar(C, [shipped, other])).toThrow(
      new Error(
        `no C grammar for ${HERE}: granule ships none for this platform; \`npm install tree-sitter-c@${C.version}\` beside granule builds one from source ` +
          `(it needs Python, make and a C and C++ compiler) (found tree-sitter-c 0.24.1 in ${other}, which granule does not use)`,
      ),
    );
  });

  it('says in one line what to install when no folder has a binary for this platform', () => {
    const shipped = grammarFolder(GRAMMARS.cpp, GRAMMARS.cpp.version, ['plan9-mips']);
    expect(() => findGrammar(GRAMMARS.cpp, [shipped])).toThrow(
      new Error(
        `no C++ grammar for ${HERE}: granule ships none for this platform; \`npm install tree-sitter-cpp@${GRAMMARS.cpp.version}\` beside granule builds one ` +
          'from source (it needs Python, make and a C and C++ compiler)',
      ),
    );
  });
});

describe('loading a grammar', () => {
  it("gives the binding with the grammar's node types, as the package's own entry point does", () => {
    for (const language of ['c', 'cpp'] as const) {
      const { name } = GRAMMARS[language];
      const grammar = loadGrammar(language) as { nodeTypeInfo: unknown; name?: unknown };
      const types = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'src', 'node-types.json'), 'utf8')) as unknown;
      expect(grammar.nodeTypeInfo).toEqual(types);
    }
  });
});
