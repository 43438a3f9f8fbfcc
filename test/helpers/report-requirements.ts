// Vitest global setup: before any test file runs, one block on stderr lists each requirement this machine
// lacks and the test files that will skip because of it (whatever the reporter, since it is written once by
// the main process). Under GRANULE_TEST_REQUIRE_ALL=1 (CI) a missing requirement fails the run here,
// before hours of other tests. The requirements of a file are read from its `unavailable(...)` calls.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeMissing, REQUIREMENTS, type RequirementId } from './requirements.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** `unavailable('a', 'b')`: the ids named in one call (a call that names none is not gating anything). */
const CALL = /\bunavailable\(\s*((?:'[^']*'\s*,?\s*)+)\)/g;

/** Each requirement id, sorted, with the test files under `root`/test (relative to `root`, sorted) that name it. */
export function requirementsOfTests(root = ROOT): Map<string, string[]> {
  const uses = new Map<string, Set<string>>();
  for (const entry of fs.readdirSync(path.join(root, 'test'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.test\.[cm]?[jt]s$/.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(CALL)) {
      for (const id of m[1]!.matchAll(/'([^']*)'/g)) {
        const files = uses.get(id[1]!) ?? new Set<string>();
        files.add(path.relative(root, file).split(path.sep).join('/'));
        uses.set(id[1]!, files);
      }
    }
  }
  return new Map([...uses].sort(([a], [b]) => a.localeCompare(b)).map(([id, files]) => [id, [...files].sort()]));
}

/** The block printed before the tests; `failed` when the run must stop (a missing requirement under REQUIRE_ALL, or an unknown id). */
export function requirementsReport(uses: Map<string, string[]>, requireAll: boolean): { text: string; failed: boolean } {
  const unknown = [...uses.keys()].filter((id) => !(id in REQUIREMENTS));
  if (unknown.length)
    return {
      text: unknown.map((id) => `unknown requirement '${id}' in ${uses.get(id)!.join(', ')} (test/helpers/requirements.ts lists the known ones)\n`).join(''),
      failed: true,
    };
  const missing = ([...uses.keys()] as RequirementId[]).filter((id) => !REQUIREMENTS[id].available());
  if (missing.length === 0) return { text: `granule tests: every requirement is present (${[...uses.keys()].join(', ')})\n`, failed: false };
  const lines = missing.map((id) => `  missing ${describeMissing([id])}\n    ${requireAll ? 'needed by' : 'skips'} ${uses.get(id)!.join(', ')}\n`);
  if (requireAll)
    return { text: `GRANULE_TEST_REQUIRE_ALL=1 and ${missing.length} requirement(s) are missing; nothing may be skipped:\n${lines.join('')}`, failed: true };
  return {
    text: `granule tests: ${missing.length} requirement(s) missing on this machine; these tests will be skipped (CI runs them, with GRANULE_TEST_REQUIRE_ALL=1):\n${lines.join('')}`,
    failed: false,
  };
}

const PRINTED = Symbol.for('granule.requirementsReported');

export default function setup(): void {
  // each vitest project runs the global setup; the machine is the same for all of them
  const state = globalThis as { [PRINTED]?: boolean };
  if (state[PRINTED]) return;
  state[PRINTED] = true;
  const { text, failed } = requirementsReport(requirementsOfTests(), process.env.GRANULE_TEST_REQUIRE_ALL === '1');
  fs.writeSync(2, text);
  // no test has started yet: stopping here says only what is wrong, instead of vitest's noise after a throw
  if (failed) process.exit(1);
}
