#!/usr/bin/env node
// Builds granule-vscode-<version>.vsix without vsce: a .vsix is a zip holding [Content_Types].xml,
// extension.vsixmanifest and the extension folder (with its node_modules). Run `npm install` here first.
//
//   npm run package [-- --out DIR]

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const outDir = args.includes('--out') ? path.resolve(args[args.indexOf('--out') + 1]) : here;
const pkg = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8'));

for (const dep of Object.keys(pkg.dependencies ?? {})) {
  if (!fs.existsSync(path.join(here, 'node_modules', dep, 'package.json'))) {
    console.error(`granule-vscode: ${dep} is not installed; run \`npm install\` in ${here} first`);
    process.exit(2);
  }
}

/** Files of the extension, relative to this folder: the sources and the installed runtime dependencies. */
function files() {
  const out = ['package.json', 'extension.js'];
  if (fs.existsSync(path.join(here, 'README.md'))) out.push('README.md');
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(here, rel), { withFileTypes: true })) {
      const child = path.posix.join(rel, e.name);
      if (e.isDirectory()) walk(child);
      else if (e.isFile()) out.push(child);
    }
  };
  if (fs.existsSync(path.join(here, 'node_modules'))) walk('node_modules');
  return out.filter((f) => !f.startsWith('node_modules/.package-lock.json'));
}

const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function manifest() {
  return `<?xml version="1.0" encoding="utf-8"?>
<PackageManifest Version="2.0.0" xmlns="http://schemas.microsoft.com/developer/vsx-schema/2011" xmlns:d="http://schemas.microsoft.com/developer/vsx-schema-design/2011">
  <Metadata>
    <Identity Language="en-US" Id="${escape(pkg.name)}" Version="${escape(pkg.version)}" Publisher="${escape(pkg.publisher)}" />
    <DisplayName>${escape(pkg.displayName)}</DisplayName>
    <Description xml:space="preserve">${escape(pkg.description)}</Description>
    <Categories>${escape(pkg.categories.join(','))}</Categories>
    <Properties>
      <Property Id="Microsoft.VisualStudio.Code.Engine" Value="${escape(pkg.engines.vscode)}" />
      <Property Id="Microsoft.VisualStudio.Code.ExtensionKind" Value="workspace" />
    </Properties>
  </Metadata>
  <Installation>
    <InstallationTarget Id="Microsoft.VisualStudio.Code" />
  </Installation>
  <Dependencies />
  <Assets>
    <Asset Type="Microsoft.VisualStudio.Code.Manifest" Path="extension/package.json" Addressable="true" />
  </Assets>
</PackageManifest>
`;
}

function contentTypes(names) {
  const types = { '.json': 'application/json', '.js': 'application/javascript', '.vsixmanifest': 'text/xml', '.md': 'text/markdown' };
  const lines = [];
  const seen = new Set();
  for (const name of names) {
    const ext = path.posix.extname(name).toLowerCase();
    if (!ext) lines.push(`<Override PartName="/${escape(name)}" ContentType="application/octet-stream" />`);
    else if (!seen.has(ext)) {
      seen.add(ext);
      lines.push(`<Default Extension="${escape(ext)}" ContentType="${types[ext] ?? 'application/octet-stream'}" />`);
    }
  }
  return `<?xml version="1.0" encoding="utf-8"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">${lines.join('')}</Types>\n`;
}

/** 1980-01-01, the first date a zip can hold: archives do not change with the time they were built. */
const DOS_DATE = (1 << 5) | 1;

/** A zip archive (deflate), as the .vsix format is. */
function zip(entries) {
  const chunks = [];
  const central = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const deflated = zlib.deflateRawSync(data);
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    chunks.push(local, nameBytes, deflated);
    const head = Buffer.alloc(46);
    head.writeUInt32LE(0x02014b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(20, 6);
    head.writeUInt16LE(0x0800, 8);
    head.writeUInt16LE(8, 10);
    head.writeUInt16LE(0, 12);
    head.writeUInt16LE(DOS_DATE, 14);
    head.writeUInt32LE(crc, 16);
    head.writeUInt32LE(deflated.length, 20);
    head.writeUInt32LE(data.length, 24);
    head.writeUInt16LE(nameBytes.length, 28);
    head.writeUInt32LE(offset, 42);
    central.push(head, nameBytes);
    offset += local.length + nameBytes.length + deflated.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, ...central, end]);
}

const names = files().map((f) => `extension/${f}`);
const entries = [
  { name: '[Content_Types].xml', data: Buffer.from(contentTypes(['extension.vsixmanifest', ...names])) },
  { name: 'extension.vsixmanifest', data: Buffer.from(manifest()) },
  ...names.map((name) => ({ name, data: fs.readFileSync(path.join(here, name.slice('extension/'.length))) })),
];
fs.mkdirSync(outDir, { recursive: true });
const out = path.join(outDir, `${pkg.name}-${pkg.version}.vsix`);
fs.writeFileSync(out, zip(entries));
console.log(`${path.relative(process.cwd(), out) || out}: ${entries.length} files`);
