// `granule rule`: a rule's docs page in the terminal (as `ruff rule`), looked up by id or short code; the list of
// rules with codes, default levels and descriptions; one line and exit 2 for an id that names no rule.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { runRuleCommand } from '../../src/cli/rule-docs.js';
import { rules } from '../../src/rules/index.js';
import { ROOT, runCli } from '../helpers/cli.js';

const DOCS = path.join(ROOT, 'docs', 'rules');
const LIST = [
  'GR1  virtualalloc-granularity    error  Reservations whose constant size is not a multiple of the 64 KB allocation granularity',
  'GR2  large-page-size             error  MEM_LARGE_PAGES allocations whose constant size is not a multiple of the large-page minimum',
  'GR3  mapview-granularity         warn   File views whose constant size or offset is not a multiple of the 64 KB allocation granularity',
  'GR4  unresolved-allocation-size  off    Reservations whose size granule could not prove (for audits and coverage)',
  'GR5  virtualfree-misuse          error  VirtualFree and VirtualFreeEx calls that fail or leave the reservation in place (MSVC C6250, C6331, C6333), and reservations whose address is lost before any release (as MSVC C6014)',
  '',
].join('\n');
const UNKNOWN = 'known: GR1 virtualalloc-granularity, GR2 large-page-size, GR3 mapview-granularity, GR4 unresolved-allocation-size, GR5 virtualfree-misuse';

beforeAll(() => {
  expect(fs.existsSync(path.join(ROOT, 'dist', 'bundle', 'main.cjs')), 'run `npm run build` first (npm test does)').toBe(true);
});

describe('granule rule (the built CLI)', () => {
  it('prints the page of a rule named by id or by code, in any letter case, exactly as the docs file has it', () => {
    const page = fs.readFileSync(path.join(DOCS, 'virtualalloc-granularity.md'), 'utf8');
    for (const name of ['virtualalloc-granularity', 'GR1', 'gr1']) {
      const r = runCli(['rule', name]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe('# virtualalloc-granularity');
      expect(r.stdout).toBe(page.replace(/\n*$/, '\n'));
    }
    const r = runCli(['rule', 'GR3']);
    expect(r.stdout.split('\n').slice(0, 1)).toEqual(['# mapview-granularity']);
    expect(r.stdout).toContain('- Code: **GR3**');
  });

  it('lists code, id, default level and description of every rule, with no id or with --all', () => {
    for (const args of [['rule'], ['rule', '--all']]) {
      const r = runCli(args);
      expect([r.status, r.stderr, r.stdout]).toEqual([0, '', LIST]);
    }
  });

  it('says in one line on stderr which rules exist when the id names none, and exits 2', () => {
    const r = runCli(['rule', 'GR9']);
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', `granule: unknown rule "GR9" (${UNKNOWN})\n`]);
    const hostile = runCli(['rule', 'x\u001b[31m']);
    expect(hostile.stderr).toBe(`granule: unknown rule "x\\x1b[31m" (${UNKNOWN})\n`);
  });

  it('refuses two ids, or an id with --all, or an unknown option, in one line on stderr, with exit 2', () => {
    const cases: [string[], string][] = [
      [['rule', 'GR1', 'GR2'], 'granule: rule: give one rule id or code, or --all (granule rule --help for usage)\n'],
      [['rule', '--all', 'GR1'], 'granule: rule: give one rule id or code, or --all (granule rule --help for usage)\n'],
      [['rule', '--bogus'], 'granule: rule: unknown option --bogus (granule rule --help for usage)\n'],
      [['rule', '--all=yes'], 'granule: rule: --all takes no value (granule rule --help for usage)\n'],
    ];
    for (const [args, stderr] of cases) expect(runCli(args), args.join(' ')).toEqual({ status: 2, stdout: '', stderr });
    const help = runCli(['rule', '--help']);
    expect([help.status, help.stderr, help.stdout.split('\n')[0]]).toEqual([
      0,
      '',
      "Usage: granule rule ID|CODE    print a rule's documentation (e.g. granule rule GR1)",
    ]);
  });

  it('is in granule --help, with the formats msvc and codeframe', () => {
    const help = runCli(['--help']).stdout;
    expect(help).toContain("       granule rule [ID|CODE]                     a rule's documentation (no ID: list the rules and their codes)\n");
    expect(help).toContain('  -f, --format FORMAT     stylish | compact | json | sarif | github | msvc | codeframe (default: stylish);\n');
  });

  it('puts headings in bold on a colour terminal only', () => {
    const plain = runCli(['rule', 'GR2']);
    expect(plain.stdout).not.toContain('\u001b');
    const coloured = runCli(['rule', 'GR2', '--color']);
    const lines = coloured.stdout.split('\n');
    expect(lines[0]).toBe('\u001b[1m# large-page-size\u001b[22m');
    expect(lines.filter((l) => l.includes('\u001b'))).toEqual(lines.filter((l) => /^\u001b\[1m#{1,6} .*\u001b\[22m$/.test(l)));
  });
});

describe('rule codes', () => {
  it('are unique, and each docs page and the README rules table state the code the rule has', () => {
    expect(new Set(rules.map((r) => r.meta.code)).size).toBe(rules.length);
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const rule of rules) {
      const page = fs.readFileSync(path.join(DOCS, `${rule.name}.md`), 'utf8');
      expect(page.match(/^- Code: \*\*(\w+)\*\*/m)?.[1], rule.name).toBe(rule.meta.code);
      expect(readme, rule.name).toContain(`| [\`${rule.name}\`](docs/rules/${rule.name}.md) | ${rule.meta.code} | ${rule.meta.defaultLevel} |`);
    }
  });
});

describe('runRuleCommand', () => {
  function io() {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (d) => (out += d));
    stderr.on('data', (d) => (err += d));
    return { io: { stdout, stderr, env: {} }, out: () => out, err: () => err };
  }

  it('fails with one line, exit 2, when the page is missing, a directory, or too large', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-rule-docs-'));
    try {
      fs.mkdirSync(path.join(dir, 'large-page-size.md'));
      fs.writeFileSync(path.join(dir, 'mapview-granularity.md'), Buffer.alloc(1024 * 1024 + 1, 0x61));
      const cases: [string, string][] = [
        ['GR1', `granule: cannot read the documentation of virtualalloc-granularity (${path.join(dir, 'virtualalloc-granularity.md')}): no such file\n`],
        ['GR2', `granule: cannot read the documentation of large-page-size (${path.join(dir, 'large-page-size.md')}): is a directory\n`],
        ['GR3', `granule: cannot read the documentation of mapview-granularity (${path.join(dir, 'mapview-granularity.md')}): larger than 1048576 bytes\n`],
      ];
      for (const [code, message] of cases) {
        const t = io();
        expect(runRuleCommand([code], t.io, dir)).toBe(2);
        expect([t.out(), t.err()]).toEqual(['', message]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
