// A header's effect kept by one includer and replayed by another gives exactly what running its directives gives
// (definitions in order, include edges, dependencies, missed paths, packing, the entry limit), and is replayed only
// where the state the header reads agrees: results never depend on which file entered the header first.

import { describe, expect, it, vi } from 'vitest';
import { targetModel } from '../../../src/engine/model/target.js';
import { MacroLayer, type MacroTable } from '../../../src/engine/macros/macros.js';
import { findPreprocessorDirectives, type Directive } from '../../../src/engine/preprocess/directives.js';
import { HeaderEffects } from '../../../src/engine/preprocess/header-effects.js';
import { preprocess, type PreprocessResult } from '../../../src/engine/preprocess/preprocess.js';

const HEADERS: Record<string, string> = {
  '/p/inc/cfg.h': [
    '#ifndef CFG_H',
    '#define CFG_H',
    '#include "inner.h"',
    '#include <missing.h>',
    '#if WINVER >= 0x0600',
    '#define ARENA 0x10000',
    '#else',
    '#define ARENA 0x1000',
    '#endif',
    '#ifdef _WIN64',
    '#define WIDE 8',
    '#else',
    '#define WIDE 4',
    '#endif',
    '#if defined(WINVER)',
    '#define HAS_WINVER 1',
    '#endif',
    '#ifdef UNKNOWN_SWITCH',
    '#define MAYBE 1',
    '#else',
    '#define MAYBE 2',
    '#endif',
    '#undef SCRATCH',
    '#include <pshpack1.h>',
    '#pragma pack(push, 2)',
    '#endif',
    '',
  ].join('\n'),
  '/p/inc/inner.h': ['#pragma once', '#define INNER 7', '#define SCRATCH 1', ''].join('\n'),
  '/p/inc/pshpack1.h': '#pragma pack(push, 1)\n',
  '/p/inc/small.h': '#define SMALL 1\n',
  '/p/inc/small2.h': '#define SMALL2 1\n',
  // (what the targets share: a header whose conditions read no target's macro, no limit and no type's width)
  '/p/inc/neutral.h': ['#if (WINVER) >= 0x0600', '#define NEUTRAL 0x10000', '#else', '#define NEUTRAL 0x1000', '#endif', ''].join('\n'),
  '/p/inc/limit.h': ['#if SIZE_MAX > 0xffffffffu', '#define LIMIT 64', '#else', '#define LIMIT 32', '#endif', ''].join('\n'),
  '/p/inc/measured.h': ['#if (SIZE_T)-1 > 0xffffffffu', '#define MEASURED 64', '#else', '#define MEASURED 32', '#endif', ''].join('\n'),
  '/p/inc/outer.h': '#include "measured.h"\n#define OUTER 1\n',
  // (big enough to be replayed as one layer of the table, macros/layer.ts: its events and its nested header's)
  '/p/inc/big.h': [
    '#pragma once',
    '#define BIG_H',
    ...Array.from({ length: 80 }, (_, k) => `#define BIG_${k} (${k} * 4096)`),
    '#ifdef UNKNOWN_SWITCH',
    '#define BIG_3 1',
    '#else',
    '#define BIG_3 2',
    '#endif',
    '#undef BIG_5',
    '#include "bignested.h"',
    '#define RESERVE(n) VirtualAlloc(0, n, BIG_1, 4)',
    '',
  ].join('\n'),
  '/p/inc/bignested.h': [...Array.from({ length: 70 }, (_, k) => `#define NEST_${k} BIG_${k}`), '#define BIG_7 7', '#undef NEST_2', ''].join('\n'),
};

/**
 * A preprocessor run over the virtual tree, counting the headers whose directives were run (not replayed).
 * `kept`: each header's directives scanned once and kept there, as a run's HeaderCache keeps them.
 */
function run(
  file: string,
  text: string,
  effects: HeaderEffects | undefined,
  ran: string[] = [],
  target: 'x64' | 'x86' = 'x64',
  kept?: Map<string, Directive[]>,
): PreprocessResult {
  return preprocess(file, text, {
    model: targetModel(target),
    cplusplus: false,
    defines: {},
    undefines: [],
    includePaths: ['/p/inc'],
    forceIncludes: [],
    readFile: (f) => HEADERS[f],
    directivesOf: (f, t) => {
      ran.push(f);
      if (!kept) return findPreprocessorDirectives(t);
      return kept.get(f) ?? kept.set(f, findPreprocessorDirectives(t)).get(f)!;
    },
    headerEffects: effects,
  });
}

const NAMES = ['CFG_H', 'ARENA', 'WIDE', 'HAS_WINVER', 'MAYBE', 'INNER', 'SCRATCH', 'WINVER', 'UNKNOWN_SWITCH'];

/** Everything the table answers about the names, at every line of a short file. */
function answers(macros: MacroTable, lines: number): unknown[] {
  const out: unknown[] = [];
  for (const name of NAMES) {
    out.push(
      name,
      macros.hasEvents(name),
      macros.definitions(name).map((d) => `${d.file}:${d.line} ${d.bodyText}`),
    );
    for (let line = 0; line <= lines; line++) {
      const found = macros.lookup(name, line);
      out.push(found.kind === 'defined' ? found.def.bodyText : found.kind === 'ambiguous' ? found.reason : 'undefined', macros.certainlyUndefined(name, line));
    }
  }
  return out;
}

/** The whole result, in a form that compares by value. */
function snapshot(result: PreprocessResult, lines = 8): unknown {
  const { macros, headerPacks, ...rest } = result;
  return { ...rest, headerPacks: headerPacks && [...headerPacks], macros: answers(macros, lines), names: macros.inOrder(macros.names()) };
}

const alone = (file: string, text: string, target: 'x64' | 'x86' = 'x64') => snapshot(run(file, text, new HeaderEffects(), [], target));

describe('header effects', () => {
  const older = '#define WINVER 0x0501\n#include "cfg.h"\n';
  const newer = '/* a newer one */\n#define WINVER 0x0601\n#include <cfg.h>\nint x;\n';

  it('replays a header for an includer whose state agrees, and gives what running it gives', () => {
    const effects = new HeaderEffects();
    const ran: string[] = [];
    run('/p/src/first.c', newer, effects, ran);
    expect(ran).toEqual(['/p/inc/cfg.h', '/p/inc/inner.h', '/p/inc/pshpack1.h']);
    ran.length = 0;
    const second = run('/p/src/other/second.c', `int y;\n${newer}`, effects, ran);
    // nothing was run again: the kept effect was replayed, at this file's line and offset
    expect(ran).toEqual([]);
    expect(snapshot(second)).toEqual(alone('/p/src/other/second.c', `int y;\n${newer}`));
    expect(second.macros.lookup('ARENA').kind === 'defined' && second.macros.lookup('ARENA')).toMatchObject({ def: { bodyText: '0x10000', line: 6 } });
    expect(second.macros.lookup('ARENA', 3)).toEqual({ kind: 'undefined' });
    expect(second.includes.map((e) => `${e.from}:${e.line} ${e.spec} ${e.resolved ?? '-'}`)).toEqual([
      '/p/src/other/second.c:4 cfg.h /p/inc/cfg.h',
      '/p/inc/cfg.h:3 inner.h /p/inc/inner.h',
      '/p/inc/cfg.h:4 missing.h -',
      '/p/inc/cfg.h:24 pshpack1.h /p/inc/pshpack1.h',
    ]);
    expect(second.dependencies).toEqual(['/p/inc/cfg.h', '/p/inc/inner.h', '/p/inc/pshpack1.h']);
    expect(second.missing).toEqual(['/p/inc/missing.h']);
    const includeEnd = `int y;\n${newer}`.indexOf('int x;') - 1;
    expect(second.packs).toEqual([{ offset: includeEnd, pack: 2 }]);
  });

  it('runs the header again where a macro its conditions read differs (WINVER), and gives what running it alone gives', () => {
    const effects = new HeaderEffects();
    run('/p/src/first.c', older, effects);
    const ran: string[] = [];
    const second = run('/p/src/second.c', newer, effects, ran);
    // (the headers it includes read nothing that differs: they are replayed inside it)
    expect(ran).toEqual(['/p/inc/cfg.h']);
    expect(snapshot(second)).toEqual(alone('/p/src/second.c', newer));
    expect(second.macros.lookup('ARENA')).toMatchObject({ kind: 'defined', def: { bodyText: '0x10000' } });
    // and the first state's effect is still there for the next includer that agrees with it
    const again: string[] = [];
    const third = run('/p/src/third.c', older, effects, again);
    expect(again).toEqual([]);
    expect(third.macros.lookup('ARENA')).toMatchObject({ kind: 'defined', def: { bodyText: '0x1000' } });
  });

  it('a header run again with its directives kept shares their definitions with the first run', () => {
    // (as a run's HeaderCache keeps each header's directives: a definition is parsed once, however often it runs)
    const kept = new Map<string, Directive[]>();
    const ran: string[] = [];
    const first = run('/p/src/first.c', older, undefined, ran, 'x64', kept);
    const second = run('/p/src/second.c', newer, undefined, ran, 'x64', kept);
    const third = run('/p/src/third.c', older, undefined, ran, 'x64', kept);
    // (no header effects: each file ran cfg.h's directives itself)
    expect(ran.filter((f) => f === '/p/inc/cfg.h')).toHaveLength(3);
    const def = (r: PreprocessResult, name: string) => {
      const found = r.macros.lookup(name);
      return found.kind === 'defined' ? found.def : undefined;
    };
    expect(def(first, 'ARENA')).toMatchObject({ bodyText: '0x1000', file: '/p/inc/cfg.h', line: 8 });
    expect(def(second, 'ARENA')).toMatchObject({ bodyText: '0x10000', file: '/p/inc/cfg.h', line: 6 });
    expect(def(third, 'ARENA')).toBe(def(first, 'ARENA'));
    expect(def(second, 'INNER')).toBe(def(first, 'INNER'));
    expect(snapshot(third)).toEqual(alone('/p/src/third.c', older));
  });

  it('records absence: a name never mentioned and a name #undef-ed are different states', () => {
    const effects = new HeaderEffects();
    run('/p/src/first.c', '#include "cfg.h"\n', effects);
    const ran: string[] = [];
    const text = '#undef WINVER\n#include "cfg.h"\n';
    const second = run('/p/src/second.c', text, effects, ran);
    expect(ran).toContain('/p/inc/cfg.h');
    expect(snapshot(second)).toEqual(alone('/p/src/second.c', text));
    // undefined for certain: `defined(WINVER)` is false; never mentioned: the build may pass it, and may not
    expect(second.macros.lookup('HAS_WINVER')).toEqual({ kind: 'undefined' });
    const third = run('/p/src/third.c', '#include "cfg.h"\n', new HeaderEffects());
    expect(third.macros.lookup('HAS_WINVER')).toMatchObject({ kind: 'defined', def: { bodyText: '1' } });
    expect(third.macros.certainlyUndefined('HAS_WINVER')).toBe(false);
  });

  it('an include guard already defined, a `#pragma once` already closed: the header is entered differently', () => {
    const effects = new HeaderEffects();
    run('/p/src/first.c', newer, effects);
    for (const text of ['#define CFG_H\n#include "cfg.h"\n', '#include "inner.h"\n#define SCRATCH 2\n#include "cfg.h"\n']) {
      const ran: string[] = [];
      const result = run('/p/src/second.c', text, effects, ran);
      expect(ran).toContain('/p/inc/cfg.h');
      expect(snapshot(result)).toEqual(alone('/p/src/second.c', text));
    }
    const guarded = run('/p/src/g.c', '#define CFG_H\n#include "cfg.h"\n', effects);
    expect(guarded.macros.hasEvents('ARENA')).toBe(false);
    // inner.h was closed by its #pragma once before cfg.h: its SCRATCH 1 does not come back over the file's 2
    const closed = run('/p/src/c.c', '#include "inner.h"\n#define SCRATCH 2\n#include "cfg.h"\n', effects);
    expect(closed.macros.definitions('INNER')).toHaveLength(1);
    expect(closed.macros.definitions('SCRATCH').map((d) => d.bodyText)).toEqual(['1', '2']);
    expect(closed.macros.lookup('SCRATCH')).toMatchObject({ kind: 'defined', def: { bodyText: '2' } });
  });

  it('a header entered under an undecided #if: its events are uncertain, with the condition, replayed or run', () => {
    const effects = new HeaderEffects();
    run('/p/src/first.c', newer, effects);
    const text = '#define WINVER 0x0601\n#ifdef BUILD_SWITCH\n#include "cfg.h"\n#endif\n';
    const ran: string[] = [];
    const result = run('/p/src/second.c', text, effects, ran);
    // the state the header reads agrees (BUILD_SWITCH is not among its names): replayed under the condition
    expect(ran).toEqual([]);
    expect(snapshot(result)).toEqual(alone('/p/src/second.c', text));
    expect(result.macros.certainlyUndefined('ARENA')).toBe(false);
    expect(result.macros.lookup('MAYBE')).toEqual({
      kind: 'ambiguous',
      reason:
        'MAYBE is defined differently depending on #ifdef BUILD_SWITCH && #ifndef CFG_H && #else, #ifdef BUILD_SWITCH && #ifndef CFG_H && #ifdef UNKNOWN_SWITCH',
    });
  });

  it('each target keeps its own effects (_WIN64)', () => {
    const effects = new HeaderEffects();
    run('/p/src/a.c', newer, effects, [], 'x64');
    const ran: string[] = [];
    const x86 = run('/p/src/a.c', newer, effects, ran, 'x86');
    expect(ran).toContain('/p/inc/cfg.h');
    expect(snapshot(x86)).toEqual(alone('/p/src/a.c', newer, 'x86'));
    expect(x86.macros.lookup('WIDE')).toMatchObject({ kind: 'defined', def: { bodyText: '4' } });
  });
});

describe('a header replayed as one layer of the macro table', () => {
  const BIG_NAMES = ['BIG_H', 'BIG_1', 'BIG_3', 'BIG_5', 'BIG_7', 'BIG_9', 'BIG_10', 'NEST_1', 'NEST_2', 'RESERVE', 'UNSEEN'];

  /** Everything the table answers, for the big header's names, at every line and every moment. */
  function bigAnswers(macros: MacroTable): unknown {
    const out: unknown[] = [macros.inOrder(macros.names()), macros.moment];
    for (const name of BIG_NAMES) {
      out.push(
        name,
        macros.hasEvents(name),
        macros.definitions(name).map((d) => `${d.file}:${d.line} ${d.bodyText}`),
      );
      for (let line = 0; line <= 8; line++) {
        const found = macros.lookup(name, line);
        out.push(
          found.kind === 'defined' ? found.def.bodyText : found.kind === 'ambiguous' ? found.reason : 'undefined',
          macros.certainlyUndefined(name, line),
        );
      }
      for (let moment = 0; moment <= macros.moment; moment += 7) out.push(macros.stateKey(name, moment));
    }
    out.push(
      [...macros.macrosMentioning('VirtualAlloc')],
      [...macros.macrosMentioning('BIG_3')].sort(),
      [...macros.macrosMentioningAny((w) => w.startsWith('Virtual'))],
      macros.bodyWords().sort(),
    );
    return out;
  }

  it('answers every question as running the header does, with events of its names before and after the include', () => {
    const layers = vi.spyOn(MacroLayer.prototype, 'byName', 'get');
    try {
      const effects = new HeaderEffects();
      run('/p/src/first.c', '#include "big.h"\n', effects);
      expect(layers).not.toHaveBeenCalled();
      // an includer's own definitions of the header's names before and after it; the #include undecided, then not
      const own = (include: string) => `int y;\n#define BIG_9 9\n#define BIG_1 1\n${include}#define BIG_10 10\n#undef BIG_7\n`;
      for (const text of [own('#ifdef BUILD_SWITCH\n#include "big.h"\n#endif\n'), own('#include "big.h"\n')]) {
        const ran: string[] = [];
        const replayed = run('/p/src/second.c', text, effects, ran);
        expect(ran).toEqual([]);
        const ranAlone = run('/p/src/second.c', text, new HeaderEffects());
        expect(bigAnswers(replayed.macros)).toEqual(bigAnswers(ranAlone.macros));
        expect(snapshot(replayed)).toEqual(snapshot(ranAlone));
      }
      expect(layers).toHaveBeenCalled();
      const replayed = run('/p/src/third.c', own('#ifdef BUILD_SWITCH\n#include "big.h"\n#endif\n'), effects);
      expect(replayed.macros.lookup('BIG_3')).toEqual({
        kind: 'ambiguous',
        reason: 'BIG_3 is defined differently depending on #ifdef BUILD_SWITCH && #else, #ifdef BUILD_SWITCH && #ifdef UNKNOWN_SWITCH, #ifdef BUILD_SWITCH',
      });
      expect(replayed.macros.lookup('BIG_1')).toMatchObject({ kind: 'ambiguous' });
      expect(replayed.macros.macrosMentioning('VirtualAlloc')).toEqual(['RESERVE']);
    } finally {
      layers.mockRestore();
    }
  });
});

describe('header effects shared between targets', () => {
  const body = (name: string, result: PreprocessResult) => {
    const found = result.macros.lookup(name);
    return found.kind === 'defined' ? found.def.bodyText : found.kind;
  };

  it('x86 replays what x64 kept when the conditions read nothing that differs by target', () => {
    const effects = new HeaderEffects();
    const text = '#define WINVER 0x0601\n#include <neutral.h>\n';
    run('/p/src/a.c', text, effects, [], 'x64');
    const ran: string[] = [];
    const x86 = run('/p/src/a.c', text, effects, ran, 'x86');
    expect(ran).not.toContain('/p/inc/neutral.h');
    expect(body('NEUTRAL', x86)).toBe('0x10000');
    expect(snapshot(x86)).toEqual(alone('/p/src/a.c', text, 'x86'));
  });

  it('a limit the target gives (SIZE_MAX) and the width of a type are read again in each target', () => {
    for (const header of ['limit.h', 'measured.h', 'outer.h']) {
      const effects = new HeaderEffects();
      const text = `#include <${header}>\n`;
      const x64 = run('/p/src/a.c', text, effects, [], 'x64');
      const ran: string[] = [];
      const x86 = run('/p/src/a.c', text, effects, ran, 'x86');
      // (outer.h reads nothing itself: the header it includes measured SIZE_T)
      expect(ran).toContain(`/p/inc/${header}`);
      expect(snapshot(x86)).toEqual(alone('/p/src/a.c', text, 'x86'));
      const name = header === 'limit.h' ? 'LIMIT' : 'MEASURED';
      expect([body(name, x64), body(name, x86)]).toEqual(['64', '32']);
      // and a second file of each target replays its own target's record
      const again: string[] = [];
      expect(body(name, run('/p/src/b.c', text, effects, again, 'x86'))).toBe('32');
      expect(body(name, run('/p/src/b.c', text, effects, again, 'x64'))).toBe('64');
      expect(again).toEqual([]);
    }
  });

  it('whether a name is a type is the same on every target (conditions that only ask it are shared)', () => {
    const [x86, x64, arm64] = (['x86', 'x64', 'arm64'] as const).map(targetModel);
    for (const table of ['types', 'otherSizes'] as const) {
      expect([...x86![table].keys()].sort()).toEqual([...x64![table].keys()].sort());
      expect([...arm64![table].keys()].sort()).toEqual([...x64![table].keys()].sort());
    }
  });
});

describe('the budget of header effects', () => {
  const newer = '#define WINVER 0x0601\n#include <cfg.h>\nint x;\n';
  // weights (effectWeight: one per effect, one more per token of a definition's body):
  // inner.h: enter, pragma once, INNER 7, SCRATCH 1 = 1 + 1 + 2 + 2 = 6; pshpack1.h: enter = 1;
  // cfg.h: enter, CFG_H, inner.h's include (pack check, edge, the header), missing.h's (pack check, the include
  // path and cfg.h's folder missed, edge), ARENA and the inactive ARENA, WIDE and the inactive WIDE, HAS_WINVER,
  // MAYBE twice, #undef, pshpack1.h's include (pack check, edge, the header), #pragma pack = 26
  const INNER = 6;
  const PSHPACK = 1;
  const CFG = 26;

  it('weighs each record held once, nested or kept on its own', () => {
    const effects = new HeaderEffects();
    run('/p/src/a.c', newer, effects);
    expect(effects.kept).toEqual({ weight: INNER + PSHPACK + CFG, records: 3 });
  });

  it('drops the least recently used records to stay within the budget, and a dropped header runs again', () => {
    const effects = new HeaderEffects(CFG + INNER + PSHPACK + CFG - 1);
    const older = '#define WINVER 0x0501\n#include <cfg.h>\n';
    run('/p/src/a.c', newer, effects);
    const ran: string[] = [];
    // cfg.h again for an older WINVER (what is nested in it replayed): no room for both variants, the newer goes
    run('/p/src/b.c', older, effects, ran);
    expect(ran).toEqual(['/p/inc/cfg.h']);
    expect(effects.kept).toEqual({ weight: INNER + PSHPACK + CFG, records: 3 });
    ran.length = 0;
    const again = run('/p/src/c.c', newer, effects, ran);
    expect(ran).toEqual(['/p/inc/cfg.h']);
    expect(snapshot(again)).toEqual(snapshot(run('/p/src/c.c', newer, undefined)));
  });

  it('frees a record nested in a kept one only with it: dropping its own place frees nothing', () => {
    const SMALL = 3; // enter, SMALL 1
    const effects = new HeaderEffects(CFG + INNER + PSHPACK);
    run('/p/src/a.c', newer, effects);
    // least recently used first: inner.h, pshpack1.h, cfg.h; small.h needs room, and only cfg.h's record frees it
    run('/p/src/b.c', '#include "small.h"\n', effects);
    expect(effects.kept).toEqual({ weight: SMALL, records: 1 });
    const ran: string[] = [];
    run('/p/src/c.c', newer, effects, ran);
    expect(ran).toEqual(['/p/inc/cfg.h', '/p/inc/inner.h', '/p/inc/pshpack1.h']);
  });

  it('keeps a record whose nested ones lost their own place, and replays it whole', () => {
    const SMALL = 3;
    const effects = new HeaderEffects(CFG + INNER + PSHPACK + SMALL);
    run('/p/src/a.c', newer, effects);
    // small.h kept, then pshpack1.h and cfg.h replayed: least recently used first, inner.h, small.h, pshpack1.h, cfg.h
    run('/p/src/b.c', `#include "small.h"\n#include "pshpack1.h"\n${newer}`, effects);
    expect(effects.kept).toEqual({ weight: INNER + PSHPACK + CFG + SMALL, records: 4 });
    // small2.h needs room: inner.h's place goes (it stays, inside cfg.h's record), then small.h's
    run('/p/src/c.c', '#include "small2.h"\n', effects);
    expect(effects.kept).toEqual({ weight: INNER + PSHPACK + CFG + SMALL, records: 3 });
    const ran: string[] = [];
    const whole = run('/p/src/d.c', newer, effects, ran);
    expect(ran).toEqual([]);
    expect(snapshot(whole)).toEqual(snapshot(run('/p/src/d.c', newer, undefined)));
    run('/p/src/e.c', '#include "inner.h"\n', effects, ran);
    expect(ran).toEqual(['/p/inc/inner.h']);
  });

  it('never keeps a record heavier, with those nested in it, than the budget; the nested ones are kept on their own', () => {
    const effects = new HeaderEffects(CFG + INNER + PSHPACK - 1);
    run('/p/src/a.c', newer, effects);
    expect(effects.kept).toEqual({ weight: INNER + PSHPACK, records: 2 });
    const ran: string[] = [];
    run('/p/src/b.c', newer, effects, ran);
    expect(ran).toEqual(['/p/inc/cfg.h']);
  });

  it('whatever the budget, every includer gets what it gets without kept effects, and the budget holds after each', () => {
    const texts = [
      newer,
      '#define WINVER 0x0501\n#include "cfg.h"\n',
      '#include "inner.h"\n#define SCRATCH 2\n#include "cfg.h"\n',
      '#define CFG_H\n#include "cfg.h"\n',
      '#ifdef BUILD_SWITCH\n#include "cfg.h"\n#endif\n',
      '#include "inner.h"\n',
      newer,
    ];
    const without = texts.map((text, i) => snapshot(run(`/p/src/${i}.c`, text, undefined)));
    const headersRun: Record<number, number[]> = {};
    for (const budget of [0, 1, INNER, CFG - 1, CFG + 3, 2 * CFG, 1000]) {
      const effects = new HeaderEffects(budget);
      for (const round of [1, 2]) {
        const ran: string[] = [];
        texts.forEach((text, i) => {
          expect({ budget, round, i, result: snapshot(run(`/p/src/${i}.c`, text, effects, ran)) }).toEqual({ budget, round, i, result: without[i] });
          expect(effects.kept.weight).toBeLessThanOrEqual(budget);
        });
        (headersRun[budget] ??= []).push(ran.length);
      }
    }
    // (17 headers entered in each round: without room, all run; with room for every variant, the second round runs none)
    expect([headersRun[0], headersRun[1000]]).toEqual([
      [17, 17],
      [7, 0],
    ]);
  });
});
