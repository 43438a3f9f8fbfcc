// The VS Code client in editors/vscode: every setting it declares is one the server reads, with the same
// defaults; packaging without its dependency installed stops with one clear message.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, readSettings } from '../../src/lsp/settings.js';
import { ROOT } from '../helpers/cli.js';

const EXTENSION = path.join(ROOT, 'editors', 'vscode');
const manifest = JSON.parse(fs.readFileSync(path.join(EXTENSION, 'package.json'), 'utf8'));
const properties = manifest.contributes.configuration.properties as Record<string, { default: unknown }>;

describe('editors/vscode', () => {
  it('declares exactly the settings the server reads (plus the server path), with the server defaults', () => {
    const keys = Object.keys(properties).map((k) => k.replace(/^granule\./, ''));
    expect(keys.sort()).toEqual(['compileCommands', 'compiler', 'debounceMs', 'defines', 'enable', 'includePaths', 'rules', 'run', 'server.path', 'target']);
    // what VS Code sends for the section when nothing is set
    const sent: Record<string, unknown> = { server: { path: null } };
    for (const [key, { default: value }] of Object.entries(properties)) if (key !== 'granule.server.path') sent[key.slice('granule.'.length)] = value;
    expect(readSettings(sent)).toEqual({ settings: DEFAULT_SETTINGS, problems: [] });
  });

  it('starts on C and C++ files and names its entry point', () => {
    expect(manifest.activationEvents).toEqual(['onLanguage:c', 'onLanguage:cpp']);
    expect(fs.existsSync(path.join(EXTENSION, manifest.main))).toBe(true);
    expect(manifest.dependencies).toEqual({ 'vscode-languageclient': '^11.0.0' });
  });

  it('npm run package refuses to build a .vsix without vscode-languageclient installed', () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-vscode-'));
    for (const f of ['package.json', 'extension.js', 'package.mjs']) fs.copyFileSync(path.join(EXTENSION, f), path.join(copy, f));
    const r = spawnSync(process.execPath, [path.join(copy, 'package.mjs')], { cwd: copy, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`granule-vscode: vscode-languageclient is not installed; run \`npm install\` in ${copy} first\n`);
    expect(fs.readdirSync(copy).filter((f) => f.endsWith('.vsix'))).toEqual([]);
  });
});
