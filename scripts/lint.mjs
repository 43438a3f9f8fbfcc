// `npm run lint`: ESLint (eslint.config.mjs), the layering and cycle check (.dependency-cruiser.cjs) and the
// formatter check (Prettier, .prettierrc.json and .prettierignore), one after the other. Every check runs even
// when an earlier one fails, so that one run reports everything; the exit status is 1 when any of them failed.
// `node scripts/lint.mjs layers` (or eslint, format) runs only the checks named.

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (pkg, file) => path.join(ROOT, 'node_modules', pkg, file);
const CODE = ['src', 'test', 'bench', 'scripts'];

const CHECKS = [
  { name: 'eslint', argv: [bin('eslint', 'bin/eslint.js'), '--max-warnings', '0', '.'] },
  {
    name: 'layers',
    argv: [bin('dependency-cruiser', 'bin/dependency-cruise.mjs'), '--config', '.dependency-cruiser.cjs', '--output-type', 'err-long', ...CODE],
  },
  { name: 'format', argv: [bin('prettier', 'bin/prettier.cjs'), '--check', '--cache', '--cache-strategy', 'content', '.'] },
];

const only = process.argv.slice(2);
let failed = 0;
for (const check of CHECKS.filter((c) => only.length === 0 || only.includes(c.name))) {
  const start = performance.now();
  const r = spawnSync(process.execPath, check.argv, { cwd: ROOT, stdio: 'inherit' });
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  console.error(`lint: ${check.name} ${r.status === 0 ? 'passed' : 'FAILED'} (${seconds} s)`);
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
