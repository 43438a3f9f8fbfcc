// granule's languages inside ESLint's in-process Linter: inline comments, language options, the syntax tree and
// selectors, positions.

import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import granule from '../../src/eslint/index.js';

const linter = new Linter({ configType: 'flat', cwd: '/project' });
const config = [...granule.configs.recommended] as Linter.Config[];
const HEAD = '#include <windows.h>\n';
const LEAK = 'VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS);';
const MESSAGE = 'VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable';

function lint(code: string, filename = '/project/a.c', extra: Linter.Config[] = [], options: Linter.LintOptions = {}) {
  return linter.verify(code, [...config, ...extra], { filename, ...options });
}

const brief = (messages: Linter.LintMessage[]) => messages.map((m) => `${m.line}:${m.column} ${m.severity} ${m.ruleId}: ${m.message}`);

describe('inline eslint comments', () => {
  it('reports without a comment', () => {
    expect(brief(lint(HEAD + `void f(void) {\n  ${LEAK}\n}\n`))).toEqual([`3:3 2 granule/virtualalloc-granularity: ${MESSAGE}`]);
  });

  it('eslint-disable-next-line granule/virtualalloc-granularity suppresses the next line only', () => {
    const code = HEAD + `void f(void) {\n  // eslint-disable-next-line granule/virtualalloc-granularity -- a guard page\n  ${LEAK}\n  ${LEAK}\n}\n`;
    expect(brief(lint(code))).toEqual([`5:3 2 granule/virtualalloc-granularity: ${MESSAGE}`]);
    const suppressed = linter.getSuppressedMessages();
    expect(suppressed.map((m) => [m.line, m.suppressions])).toEqual([[4, [{ kind: 'directive', justification: 'a guard page' }]]]);
  });

  it('eslint-disable-line, in a line or a block comment', () => {
    const code =
      HEAD + `void f(void) {\n  ${LEAK} // eslint-disable-line\n  ${LEAK} /* eslint-disable-line granule/virtualalloc-granularity */\n  ${LEAK}\n}\n`;
    expect(brief(lint(code)).map((m) => m.slice(0, 4))).toEqual(['5:3 ']);
  });

  it('eslint-disable / eslint-enable blocks', () => {
    const code =
      HEAD +
      `/* eslint-disable granule/virtualalloc-granularity */\nvoid f(void) {\n  ${LEAK}\n}\n/* eslint-enable granule/virtualalloc-granularity */\nvoid g(void) {\n  ${LEAK}\n}\n`;
    expect(brief(lint(code)).map((m) => m.slice(0, 4))).toEqual(['8:3 ']);
  });

  it('reports an unused directive when asked', () => {
    const code = HEAD + `// eslint-disable-next-line granule/mapview-granularity\nvoid f(void) { ${LEAK} }\n`;
    const messages = lint(code, undefined, [{ linterOptions: { reportUnusedDisableDirectives: 'error' } }]);
    expect(brief(messages)).toEqual([
      "2:1 2 null: Unused eslint-disable directive (no problems were reported from 'granule/mapview-granularity').",
      `3:16 2 granule/virtualalloc-granularity: ${MESSAGE}`,
    ]);
  });

  it('/* eslint rule: level */ configures a rule inline', () => {
    const code = HEAD + `/* eslint granule/virtualalloc-granularity: "warn" */\nvoid f(void) { ${LEAK} }\n`;
    expect(brief(lint(code))).toEqual([`3:16 1 granule/virtualalloc-granularity: ${MESSAGE}`]);
  });

  it('a directive inside a string is not a directive', () => {
    const code = HEAD + `const char *s = "// eslint-disable-next-line";\nvoid f(void) { ${LEAK} }\n`;
    expect(brief(lint(code))).toEqual([`3:16 2 granule/virtualalloc-granularity: ${MESSAGE}`]);
  });
});

describe('language options', () => {
  it('rejects an unknown target with one clear message', () => {
    expect(() => lint(HEAD, undefined, [{ files: ['**/*.c'], languageOptions: { target: 'sparc' } }])).toThrow(
      'granule: languageOptions.target must be "x64", "x86" or "arm64", or a list of them, got "sparc"',
    );
  });

  it('takes the compiler: its predefined macros decide #ifdef, and an unknown one is one clear message', () => {
    const code = HEAD + `void f(void) {\n#ifdef __GNUC__\n${LEAK}\n#endif\n#ifdef _MSC_VER\n${LEAK}\n#endif\n}\n`;
    expect(brief(lint(code)).map((m) => m.split(' ')[0])).toEqual(['7:1']);
    expect(brief(lint(code, undefined, [{ files: ['**/*.c'], languageOptions: { compiler: 'mingw' } }])).map((m) => m.split(' ')[0])).toEqual(['4:1']);
    expect(() => lint(HEAD, undefined, [{ files: ['**/*.c'], languageOptions: { compiler: 'gcc' } }])).toThrow(
      'granule: languageOptions.compiler must be "msvc", "mingw" or "clang-cl", got "gcc"',
    );
  });

  it('rejects an unknown key', () => {
    expect(() => lint(HEAD, undefined, [{ files: ['**/*.c'], languageOptions: { defnes: {} } }])).toThrow('granule: unknown language option "defnes"');
  });

  it('includePaths find headers that define the size', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-eslint-inc-'));
    fs.mkdirSync(path.join(dir, 'inc'));
    fs.writeFileSync(path.join(dir, 'inc', 'sizes.h'), '#define ARENA_SIZE (12 * 1024)\n');
    const code = '#include "sizes.h"\nvoid f(void) { VirtualAlloc(NULL, ARENA_SIZE, MEM_RESERVE, PAGE_NOACCESS); }\n';
    const file = path.join(dir, 'a.c');
    const l = new Linter({ configType: 'flat', cwd: dir });
    expect(l.verify(code, config, { filename: file })).toEqual([]);
    const found = l.verify(code, [...config, { files: ['**/*.c'], languageOptions: { includePaths: [path.join(dir, 'inc')] } }], { filename: file });
    expect(brief(found)).toEqual([
      '2:16 2 granule/virtualalloc-granularity: VirtualAlloc reserves 12288 bytes (0x3000); 53248 bytes of its 64 KB granule become unusable',
    ]);
    // a changed header is read again (the cache checks modification times)
    fs.writeFileSync(path.join(dir, 'inc', 'sizes.h'), '#define ARENA_SIZE (64 * 1024)\n');
    fs.utimesSync(path.join(dir, 'inc', 'sizes.h'), new Date(), new Date(Date.now() + 5000));
    expect(l.verify(code, [...config, { files: ['**/*.c'], languageOptions: { includePaths: [path.join(dir, 'inc')] } }], { filename: file })).toEqual([]);
  });
});

describe('syntax tree and selectors', () => {
  const seen: string[] = [];
  const local = {
    rules: {
      probe: {
        meta: { type: 'problem' as const, languages: ['granule/c', 'granule/cpp'], messages: { x: '{{what}}' }, schema: [] },
        create(context: any) {
          const sc = context.sourceCode;
          return {
            'call_expression > AllocationCall'(call: any) {
              const parent = sc.getParent(call);
              seen.push(`call ${call.api} in ${parent.type} [${sc.getRange(call).join(',')}] "${sc.getText(call)}"`);
              seen.push(
                `ancestors ${sc
                  .getAncestors(call)
                  .map((n: any) => n.type)
                  .join(' < ')}`,
              );
            },
            'AllocationCall:exit'(call: any) {
              seen.push(`exit ${call.callee}`);
            },
            'call_expression[fields.function.text="VirtualAlloc"] number_literal'(node: any) {
              seen.push(`literal ${node.text} at ${node.loc.start.line}:${node.loc.start.column}`);
            },
            translation_unit(node: any) {
              seen.push(`root ${node.loc.start.line}:${node.loc.start.column}-${node.loc.end.line}:${node.loc.end.column}`);
              context.report({ node, messageId: 'x', data: { what: 'root' } });
            },
          };
        },
      },
    },
  };

  it('visits tree nodes and AllocationCalls with parents, ancestors, ranges and selectors', () => {
    seen.length = 0;
    const code =
      '\n\n#define ALLOC(n) VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_NOACCESS)\nvoid f(void) {\n  VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS);\n  ALLOC(8192);\n}\n';
    const messages = linter.verify(
      code,
      [{ files: ['**/*.c'], plugins: { granule: granule as any, local: local as any }, language: 'granule/c', rules: { 'local/probe': 'error' } }],
      {
        filename: '/project/t.c',
      },
    );
    expect(brief(messages)).toEqual(['1:1 2 local/probe: root']);
    expect(seen).toEqual([
      'root 1:0-8:0',
      'literal 4096 at 5:21',
      'call VirtualAlloc in call_expression [86,138] "VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS)"',
      'ancestors translation_unit < function_definition < compound_statement < expression_statement < call_expression',
      'exit VirtualAlloc',
      'call VirtualAlloc in call_expression [142,153] "ALLOC(8192)"',
      'ancestors translation_unit < function_definition < compound_statement < expression_statement < call_expression',
      'exit ALLOC',
    ]);
  });
});

describe('positions', () => {
  it('CRLF and lone CR line endings give the same lines and columns as LF', () => {
    const lf = HEAD + `void f(void) {\n    ${LEAK}\n}\n`;
    expect(lint(lf).map((m) => [m.line, m.column, m.endLine, m.endColumn])).toEqual([[3, 5, 3, 57]]);
    for (const eol of ['\r\n', '\r']) {
      const messages = lint(lf.replace(/\n/g, eol));
      expect(messages.map((m) => [m.line, m.column, m.endLine, m.endColumn])).toEqual([[3, 5, 3, 57]]);
    }
  });

  it('a file over the size limit is one clear fatal message, not a hang', () => {
    const code = HEAD + '/*' + ' '.repeat(16 * 1024 * 1024) + '*/\n';
    expect(lint(code).map((m) => [m.fatal, m.line, m.message])).toEqual([[true, 1, 'Parsing error: granule: larger than 16 MB; not analysed']]);
  });

  it('a file with syntax errors still reports the calls it can read', () => {
    const code = HEAD + `HANDLE WINAPI }}} broken ((( \nvoid f(void) { ${LEAK} }\n`;
    expect(brief(lint(code))).toEqual([`3:16 2 granule/virtualalloc-granularity: ${MESSAGE}`]);
  });
});
