// The lifetimes of a file's calls read only its parsed text and tree (src/engine/analysis/parsed-source.ts): the
// configurations of a run that parse a file to the same text share one Lifetimes through the run's kept parse
// (src/engine/parse/shared-parses.ts), and get what each would have found alone.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileAnalysis } from '../../../src/engine/analysis/analyze.js';
import { Lifetimes } from '../../../src/engine/analysis/lifetime.js';
import { SharedParses } from '../../../src/engine/parse/shared-parses.js';
import { HeaderCache } from '../../../src/engine/preprocess/header-cache.js';
import { defaultLintOptions } from '../../../src/engine/runner/lint.js';
import { analyzeText } from '../../../src/engine/runner/pipeline.js';
import { FIXTURES } from '../../helpers/fixtures.js';

const file = path.join(FIXTURES, 'lifetimes', 'paths.c');
const text = fs.readFileSync(file, 'utf8');

function analyse(target: 'x64' | 'x86', parses?: SharedParses): FileAnalysis {
  const options = { ...defaultLintOptions(path.dirname(file)), target };
  return analyzeText(file, text, options, new Map(), new HeaderCache([file]), { parses });
}

/** `line lifetime reason holder` of each call. */
const lifetimesOf = (a: FileAnalysis) => a.calls.map((c) => `${c.loc.start.line} ${c.lifetime?.kind} ${c.lifetime?.reason} ${c.lifetime?.holder ?? '-'}`);

describe('lifetimes of a parse shared by two configurations', () => {
  it('are made by the first configuration, kept beside the tree, and used by the second', () => {
    const parses = new SharedParses();
    const x64 = analyse('x64', parses);
    const kept = parses.find(file, x64.tree.rootNode.text, x64.language, [])!;
    expect(kept.tree).toBe(x64.tree);
    const made = kept.derived<Lifetimes | undefined>('lifetimes', () => undefined);
    expect(made).toBeInstanceOf(Lifetimes);
    const x86 = analyse('x86', parses);
    expect(x86.tree).toBe(x64.tree);
    expect(kept.derived('lifetimes', () => undefined)).toBe(made);
    expect(lifetimesOf(x86)).toEqual(lifetimesOf(x64));
  });

  it('are what each configuration finds alone', () => {
    const parses = new SharedParses();
    const shared = [analyse('x64', parses), analyse('x86', parses)].map(lifetimesOf);
    const alone = [analyse('x64'), analyse('x86')].map(lifetimesOf);
    expect(shared).toEqual(alone);
    expect(alone[0]).toContain('10 transient released p');
    expect(alone[0]).toContain('20 unknown leaked-on-a-path p');
  });
});
