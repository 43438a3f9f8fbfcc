// granule's MSVC and clang-cl record layouts against a compiler. There is no MSVC here, but clang implements MSVC's
// record layout for its *-pc-windows-msvc targets (MicrosoftRecordLayoutBuilder: the layout clang-cl uses to be
// ABI-compatible with MSVC), and `clang --target=...-pc-windows-msvc -c` writes a COFF object too. The random
// records of record-generator.ts are compiled for x64, x86 and arm64 and every sizeof, _Alignof and offsetof is read
// back from .data, as the mingw test does (layout-differential.test.ts; nothing runs):
//  - the 'gnu' program (every construct, the mingw test's records for the same seed) must measure as granule's
//    'clang-cl' layout says: clang-cl takes `__attribute__((packed))` and `aligned(n)` too;
//  - the 'msvc' program (the same draws, without what MSVC's C compiler rejects: record-generator.ts says what)
//    must measure as granule's 'msvc' layout says;
//  - random C++ classes (class-generator.ts: vfptrs, single inheritance, empty bases), compiled as C++, must
//    measure as granule's 'msvc' layout for C++ says (clang-cl's is the same).
// GRANULE_LAYOUT_SEED=<n> reruns a seed, GRANULE_LAYOUT_SEED=random a new one; GRANULE_LAYOUT_KEEP=1 keeps the files.

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Compiler } from '../../../src/engine/model/configuration.js';
import type { Target } from '../../../src/engine/model/types.js';
import { layoutRules } from '../../../src/engine/types/layout.js';
import { msvcClang, unavailable } from '../../helpers/requirements.js';
import { coffSection, readU64s } from './coff.js';
import { disagreements, layoutSeed } from './layout-probes.js';
import { ClassGenerator } from './class-generator.js';
import { RecordGenerator, type Program } from './record-generator.js';

const RECORDS = 2000;
const CLASSES = 1000;
const SEED = layoutSeed(19);
const TARGETS: { target: Target; triple: string }[] = [
  { target: 'x64', triple: 'x86_64-pc-windows-msvc' },
  { target: 'x86', triple: 'i686-pc-windows-msvc' },
  { target: 'arm64', triple: 'aarch64-pc-windows-msvc' },
];
/** Which program each of granule's compilers is checked with. */
const DIALECTS: { compiler: Compiler; dialect: 'gnu' | 'msvc' }[] = [
  { compiler: 'clang-cl', dialect: 'gnu' },
  { compiler: 'msvc', dialect: 'msvc' },
];

/** The Windows SDK's pshpackN.h and poppack.h, which the programs include (clang has no SDK here): what they do. */
function writePackHeaders(dir: string): void {
  for (const n of [1, 2, 4, 8]) fs.writeFileSync(path.join(dir, `pshpack${n}.h`), `#pragma pack(push, ${n})\n`);
  fs.writeFileSync(path.join(dir, 'poppack.h'), '#pragma pack(pop)\n');
}

describe.skipIf(unavailable('clang-msvc'))("record layout agrees with clang's MSVC layout (x86_64-, i686-, aarch64-pc-windows-msvc)", () => {
  let dir: string;
  const programs = new Map<Compiler, Program>();
  const answers = new Map<string, bigint[]>();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-msvc-layout-'));
    writePackHeaders(dir);
    const clang = msvcClang()!;
    const compiles: Promise<void>[] = [];
    for (const { compiler, dialect } of DIALECTS) {
      const program = new RecordGenerator(SEED, dialect).program(RECORDS);
      programs.set(compiler, program);
      const source = path.join(dir, `${dialect}.c`);
      fs.writeFileSync(source, program.text);
      for (const { target, triple } of TARGETS) {
        const object = path.join(dir, `${dialect}-${target}.o`);
        const compile = async () => {
          await promisify(execFile)(clang, [`--target=${triple}`, '-std=gnu11', '-w', `-I${dir}`, '-c', '-o', object, source]);
          const data = coffSection(fs.readFileSync(object), '.data');
          if (!data) throw new Error(`${clang} --target=${triple} wrote no .data section`);
          answers.set(`${compiler} ${target}`, readU64s(data, program.probes.length));
        };
        compiles.push(compile());
      }
    }
    await Promise.all(compiles);
  });

  afterAll(() => (process.env.GRANULE_LAYOUT_KEEP ? console.info(`kept ${dir}`) : fs.rmSync(dir, { recursive: true, force: true })));

  for (const { compiler, dialect } of DIALECTS) {
    for (const { target, triple } of TARGETS) {
      it(`${compiler} on ${target}: every sizeof, _Alignof and offsetof of the ${dialect} program (seed ${SEED})`, () => {
        const program = programs.get(compiler)!;
        const differences = disagreements(program, answers.get(`${compiler} ${target}`)!, layoutRules(target, compiler), `clang --target=${triple}`);
        console.info(`${compiler} ${target}: ${program.probes.length} values of ${RECORDS} records compared, ${differences.length} differ (seed ${SEED})`);
        expect(differences.slice(0, Number(process.env.GRANULE_LAYOUT_SHOW ?? 5)), `seed ${SEED}: ${differences.length} differences`).toEqual([]);
      });
    }
  }
});

describe.skipIf(unavailable('clang-msvc'))("C++ class layout agrees with clang++'s MSVC layout (x86_64-, i686-, aarch64-pc-windows-msvc)", () => {
  let dir: string;
  let program: Program;
  const answers = new Map<Target, bigint[]>();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-msvc-classes-'));
    const clang = msvcClang()!;
    program = new ClassGenerator(SEED).program(CLASSES);
    const source = path.join(dir, 'classes.cpp');
    fs.writeFileSync(source, program.text);
    await Promise.all(
      TARGETS.map(async ({ target, triple }) => {
        const object = path.join(dir, `${target}.o`);
        await promisify(execFile)(clang, [`--target=${triple}`, '-x', 'c++', '-std=c++17', '-w', '-c', '-o', object, source]);
        const data = coffSection(fs.readFileSync(object), '.data');
        if (!data) throw new Error(`${clang} --target=${triple} wrote no .data section`);
        answers.set(target, readU64s(data, program.probes.length));
      }),
    );
  });

  afterAll(() => (process.env.GRANULE_LAYOUT_KEEP ? console.info(`kept ${dir}`) : fs.rmSync(dir, { recursive: true, force: true })));

  for (const { target, triple } of TARGETS) {
    it(`msvc on ${target}: every sizeof, alignof and offsetof of classes with vfptrs, bases and empty bases (seed ${SEED})`, () => {
      const differences = disagreements(program, answers.get(target)!, layoutRules(target, 'msvc', 'c++'), `clang++ --target=${triple}`);
      console.info(`classes ${target}: ${program.probes.length} values of ${CLASSES} classes compared, ${differences.length} differ (seed ${SEED})`);
      expect(differences.slice(0, Number(process.env.GRANULE_LAYOUT_SHOW ?? 5)), `seed ${SEED}: ${differences.length} differences`).toEqual([]);
    });
  }
});
