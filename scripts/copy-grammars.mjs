// Copies the prebuilt C and C++ grammars into dist/grammars/, after the build: granule ships them itself
// instead of depending on tree-sitter-c and tree-sitter-cpp, whose packages install, beside the binaries,
// their generated parser sources (22 MB), .wasm builds and grammar sources, which no run of granule reads
// (BENCHMARKS.md, "Install footprint").
//
// Of each package (a devDependency at the exact version package.json names), what granule loads and what its
// licence asks for: the binaries under prebuilds/ (prebuildify's layout, which node-gyp-build reads), the
// node types (src/node-types.json, the ESLint plugin's visitor keys), LICENSE, and the package's identity.
// A binary built for another machine than its folder names is left out, with a line saying so:
// tree-sitter-cpp 0.23.4's prebuilds/linux-arm64 holds an x86-64 binary (tree-sitter/workflows#22).
//
//   node scripts/copy-grammars.mjs   (npm run build runs it)

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'dist', 'grammars');
const GRAMMARS = ['tree-sitter-c', 'tree-sitter-cpp'];
/** What a grammar's package.json keeps: who made it and under what licence, and the name node-gyp-build reads. */
const IDENTITY = ['name', 'version', 'description', 'repository', 'license', 'author', 'maintainers'];

/** The machine a native binary was built for, read from its header (ELF, PE or Mach-O): `platform-arch`. */
function binaryTarget(bytes) {
  const u16 = (at, le) => (le ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at));
  if (bytes.length >= 20 && bytes.readUInt32BE(0) === 0x7f454c46) {
    const machine = u16(18, bytes[5] === 1);
    return `linux-${{ 0x3e: 'x64', 0xb7: 'arm64' }[machine] ?? `machine 0x${machine.toString(16)}`}`;
  }
  if (bytes.length >= 0x40 && bytes.toString('latin1', 0, 2) === 'MZ') {
    const pe = bytes.readUInt32LE(0x3c);
    if (pe + 6 <= bytes.length && bytes.toString('latin1', pe, pe + 4) === 'PE\0\0') {
      const machine = bytes.readUInt16LE(pe + 4);
      return `win32-${{ 0x8664: 'x64', 0xaa64: 'arm64' }[machine] ?? `machine 0x${machine.toString(16)}`}`;
    }
  }
  if (bytes.length >= 8 && bytes.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = bytes.readUInt32LE(4);
    return `darwin-${{ 0x01000007: 'x64', 0x0100000c: 'arm64' }[cpu] ?? `cpu 0x${cpu.toString(16)}`}`;
  }
  return 'an unknown format';
}

function readHead(file) {
  const fd = fs.openSync(file, 'r');
  try {
    const bytes = Buffer.alloc(4096);
    return bytes.subarray(0, fs.readSync(fd, bytes, 0, bytes.length, 0));
  } finally {
    fs.closeSync(fd);
  }
}

/** The files of one grammar's copy: destination (relative to dist/grammars/) → source path or content. */
function grammarFiles(name, pinned, notes) {
  const from = path.join(ROOT, 'node_modules', name);
  const manifest = JSON.parse(fs.readFileSync(path.join(from, 'package.json'), 'utf8'));
  if (manifest.version !== pinned) throw new Error(`node_modules/${name} is ${manifest.version}, package.json pins ${pinned}: run npm install`);
  const identity = Object.fromEntries(IDENTITY.filter((key) => key in manifest).map((key) => [key, manifest[key]]));
  const files = new Map([
    [`${name}/package.json`, { content: `${JSON.stringify(identity, null, 2)}\n` }],
    [`${name}/LICENSE`, { source: path.join(from, 'LICENSE') }],
    [`${name}/src/node-types.json`, { source: path.join(from, 'src', 'node-types.json') }],
  ]);
  for (const target of fs.readdirSync(path.join(from, 'prebuilds')).sort()) {
    for (const file of fs.readdirSync(path.join(from, 'prebuilds', target)).sort()) {
      const source = path.join(from, 'prebuilds', target, file);
      const built = binaryTarget(readHead(source));
      if (built === target) files.set(`${name}/prebuilds/${target}/${file}`, { source });
      else notes.push(`${name} ${pinned}: prebuilds/${target}/${file} is built for ${built}, not ${target}; left out`);
    }
  }
  return files;
}

function plan() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const notes = [];
  const files = new Map();
  for (const name of GRAMMARS) {
    const pinned = pkg.devDependencies?.[name];
    if (!/^\d+\.\d+\.\d+$/.test(pinned ?? '')) throw new Error(`package.json must pin ${name} to one version in devDependencies`);
    for (const [to, what] of grammarFiles(name, pinned, notes)) files.set(to, what);
  }
  return { files, notes };
}

const contentOf = (what) => (what.content !== undefined ? Buffer.from(what.content) : fs.readFileSync(what.source));

const { files, notes } = plan();
for (const note of notes) console.error(`copy-grammars: ${note}`);
fs.rmSync(OUT, { recursive: true, force: true });
for (const [rel, what] of files) {
  fs.mkdirSync(path.dirname(path.join(OUT, rel)), { recursive: true });
  fs.writeFileSync(path.join(OUT, rel), contentOf(what));
}
