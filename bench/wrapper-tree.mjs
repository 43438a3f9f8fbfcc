// The wrapper fixpoint's case (npm run bench, group `wrappers`): N one-line wrapper files
// `void *wrapK(SIZE_T n){return VirtualAlloc(NULL,n,MEM_RESERVE,PAGE_NOACCESS);}`, each in its own file, and a
// main.c that calls each once with a literal 4096 (N findings). Each round of the fixpoint once looked at every
// wrapper name in every file: 22.5 s at N = 4,000. The time should now grow linearly with N.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** Makes (once) the tree of `n` wrapper files under `root`; returns its directory. */
export function wrapperTree(root, n) {
  const dir = path.join(root, `wrappers-${n}`);
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const calls = [];
  for (let k = 0; k < n; k++) {
    fs.writeFileSync(path.join(dir, `wrap${k}.c`), `void *wrap${k}(SIZE_T n){return VirtualAlloc(NULL,n,MEM_RESERVE,PAGE_NOACCESS);}\n`);
    calls.push(`  wrap${k}(4096);`);
  }
  fs.writeFileSync(path.join(dir, 'main.c'), `void main(void){\n${calls.join('\n')}\n}\n`);
  fs.writeFileSync(path.join(dir, '.complete'), '');
  return dir;
}
