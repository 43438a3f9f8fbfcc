// The VS Code client for granule's language server: starts `granule-lsp --stdio` for C and C++ files. All the
// work happens in the server; settings under "granule" reach it through workspace/configuration.

const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

/** The server to run: the setting, else the workspace's own granule, else granule-lsp on the PATH. */
function serverCommand() {
  const configured = vscode.workspace.getConfiguration('granule').get('server.path');
  if (configured) return configured;
  const bin = process.platform === 'win32' ? 'granule-lsp.cmd' : 'granule-lsp';
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const local = path.join(folder.uri.fsPath, 'node_modules', '.bin', bin);
    if (fs.existsSync(local)) return local;
  }
  return bin;
}

function start(context) {
  const command = serverCommand();
  // the client adds --stdio for the stdio transport
  const serverOptions = { command, transport: TransportKind.stdio, options: { shell: process.platform === 'win32' } };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'c' },
      { scheme: 'file', language: 'cpp' },
      { scheme: 'untitled', language: 'c' },
      { scheme: 'untitled', language: 'cpp' },
    ],
    outputChannelName: 'granule',
  };
  client = new LanguageClient('granule', 'granule', serverOptions, clientOptions);
  return client.start().catch((error) => {
    void vscode.window.showErrorMessage(
      `granule: could not start "${command} --stdio" (${error.message}). Install granule in the workspace (npm install --save-dev granule) or set granule.server.path.`,
    );
  });
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('granule.restartServer', async () => {
      if (client) await client.stop();
      await start(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      // a different server binary needs a new process; other settings are read by the running server
      if (event.affectsConfiguration('granule.server.path') && client) {
        await client.stop();
        await start(context);
      }
    }),
  );
  await start(context);
}

async function deactivate() {
  if (client) await client.stop();
}

module.exports = { activate, deactivate };
