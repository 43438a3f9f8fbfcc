// granule's language server: diagnostics for C and C++ buffers as they are typed, quick fixes, hover with the
// evaluated size. One analysis per document at a time; a newer edit supersedes an older one, and diagnostics are
// only published for the version they were computed from.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  MessageType,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_FILE_TIMEOUT_MS, DEFAULT_MAX_FILE_SIZE, TimeLimitExceeded, withTimeLimit } from '../engine/model/limits.js';
import { SOURCE_EXTENSIONS } from '../engine/parse/parse.js';
import { toolVersion } from '../engine/model/version.js';
import { codeActionsFor } from './code-actions.js';
import { diagnosticsOf, sameDiagnostic } from './diagnostics.js';
import { hoverAt } from './hover.js';
import { IncrementalTree } from './incremental.js';
import { lintDocument, type DocumentLint } from './lint-document.js';
import { readSettings, type GranuleSettings } from './settings.js';
import { Workspace } from './workspace.js';

/** The longest an edit waits for the next one before its document is analysed. */
const MAX_QUIET_MS = 5_000;

const LANGUAGE_IDS = new Set(['c', 'cpp', 'cuda-cpp', 'objective-c', 'objective-cpp']);

/** Files whose change on disk can change findings elsewhere (headers, wrappers in other sources, configs). */
const WATCHED = ['**/*.{h,hh,hpp,hxx,h++,inl,ipp,tpp}', '**/*.{c,cc,cpp,cxx,c++}', '**/granule.config.json', '**/package.json', '**/compile_commands.json'];

interface DocState {
  tree: IncrementalTree;
  /** Bumped by every change; a validation that finds a newer generation gives up without publishing. */
  generation: number;
  timer?: NodeJS.Timeout;
  result?: { version: number; lint: DocumentLint };
  /** How long the last analysis took (ms): changes closer together than this are analysed once, after the last. */
  lastDurationMs: number;
}

// (over 120 lines: the protocol's handlers share the session's state through this closure; not split in this change)
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const workspace = new Workspace();
  const states = new Map<string, DocState>();
  const settingsCache = new Map<string, Promise<GranuleSettings>>();
  const shownProblems = new Set<string>();
  let canAskConfiguration = false;
  let canWatchFiles = false;
  let versionedEdits = false;
  let initialSettings: unknown;
  let pushedSettings: unknown;
  let roots: string[] = [];
  let hasFolders = false;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    canAskConfiguration = !!caps.workspace?.configuration;
    canWatchFiles = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    versionedEdits = !!caps.workspace?.workspaceEdit?.documentChanges;
    hasFolders = !!caps.workspace?.workspaceFolders;
    const options = params.initializationOptions as Record<string, unknown> | undefined;
    initialSettings = options && typeof options === 'object' && 'granule' in options ? options.granule : options;
    roots = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
    const rootUri = params.rootUri ? uriToPath(params.rootUri) : undefined;
    if (rootUri && !roots.includes(rootUri)) roots.push(rootUri);
    workspace.setRoots(roots);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'granule', version: toolVersion() },
    };
  });

  connection.onInitialized(() => {
    if (canWatchFiles) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED.map((globPattern) => ({ globPattern })) });
    }
    // the accessor throws for clients without workspace folders
    if (hasFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const removed = new Set(event.removed.map((f) => uriToPath(f.uri)));
        roots = [...roots.filter((r) => !removed.has(r)), ...event.added.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p)];
        workspace.setRoots(roots);
        revalidateAll();
      });
    }
  });

  function settingsFor(uri: string): Promise<GranuleSettings> {
    let cached = settingsCache.get(uri);
    if (!cached) {
      const raw: Promise<unknown> = canAskConfiguration
        ? connection.workspace.getConfiguration({ scopeUri: uri, section: 'granule' }).then(
            (value: unknown) => value ?? pushedSettings ?? initialSettings,
            () => pushedSettings ?? initialSettings,
          )
        : Promise.resolve(pushedSettings ?? initialSettings);
      cached = raw.then((value) => {
        const { settings, problems } = readSettings(value);
        problems.forEach(tell);
        return settings;
      });
      settingsCache.set(uri, cached);
    }
    return cached;
  }

  function tell(problem: string): void {
    if (shownProblems.has(problem)) return;
    shownProblems.add(problem);
    connection.console.warn(`granule: ${problem}`);
    // a notification, not showMessageRequest: nothing waits for the user to dismiss it
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `granule: ${problem}` });
  }

  function stateOf(uri: string): DocState {
    let state = states.get(uri);
    if (!state) states.set(uri, (state = { tree: new IncrementalTree(), generation: 0, lastDurationMs: 0 }));
    return state;
  }

  /** Lints the document's current text now (synchronously); undefined when it is not a C/C++ document. */
  function lintNow(document: TextDocument, settings: GranuleSettings): DocumentLint | undefined {
    const file = fileOf(document);
    if (!file || !settings.enable) return undefined;
    const state = stateOf(document.uri);
    if (state.result?.version === document.version) return state.result.lint;
    try {
      const { options, wrappers, overloads, ignored, problems } = workspace.optionsFor(file, settings);
      problems.forEach(tell);
      if (ignored) return undefined;
      const text = document.getText();
      // the same limits as the CLI: a huge or pathological buffer must not freeze the server, and what it keeps
      // is the text the protocol needs for the next edit, not a tree or an analysis of it
      if (text.length > DEFAULT_MAX_FILE_SIZE) {
        state.tree.reset();
        state.result = undefined;
        tell(`${path.basename(file)} is larger than ${DEFAULT_MAX_FILE_SIZE / (1024 * 1024)} MB and is not analysed`);
        return undefined;
      }
      const started = performance.now();
      const lint = withTimeLimit(DEFAULT_FILE_TIMEOUT_MS, () => lintDocument(file, text, options, workspace.headers, state.tree, wrappers, overloads));
      state.lastDurationMs = performance.now() - started;
      for (const f of lint.failures) tell(`rule ${f.ruleId} failed on ${path.basename(file)}, and its findings there are missing: ${f.message}`);
      state.result = { version: document.version, lint };
      return lint;
    } catch (e) {
      if (e instanceof TimeLimitExceeded) tell(`${path.basename(file)} was not analysed: ${e.message}`);
      else connection.console.error(`granule: could not analyse ${path.basename(file)}: ${e instanceof Error ? e.message : String(e)}`);
      state.result = undefined;
      return undefined;
    }
  }

  function schedule(uri: string, delay: number): void {
    const state = stateOf(uri);
    const generation = ++state.generation;
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void validate(uri, generation);
    }, delay);
  }

  async function validate(uri: string, generation: number): Promise<void> {
    const settings = await settingsFor(uri);
    const state = states.get(uri);
    const document = documents.get(uri);
    // closed, or changed again while the settings were on their way: a newer validation will publish
    if (!state || !document || state.generation !== generation) return;
    const lint = lintNow(document, settings);
    if (state.generation !== generation || documents.get(uri)?.version !== document.version) return;
    void connection.sendDiagnostics({ uri, version: document.version, diagnostics: lint ? diagnosticsOf(lint.findings) : [] });
  }

  function revalidateAll(): void {
    settingsCache.clear();
    for (const document of documents.all()) {
      const state = states.get(document.uri);
      if (state) state.result = undefined;
      schedule(document.uri, 0);
    }
  }

  // didOpen is followed by a content change for the opened text: lint that one at once, later ones debounced
  const justOpened = new Set<string>();
  documents.onDidOpen((event) => {
    justOpened.add(event.document.uri);
  });
  documents.onDidChangeContent((event) => {
    const uri = event.document.uri;
    if (justOpened.delete(uri)) {
      schedule(uri, 0);
      return;
    }
    const state = stateOf(uri);
    void settingsFor(uri).then((settings) => {
      // a document whose analysis takes longer than the pause between edits (a large one replaced again and
      // again) is analysed once the edits pause for that long, not once per edit
      if (settings.run === 'onType') schedule(uri, Math.max(settings.debounceMs, Math.min(state.lastDurationMs, MAX_QUIET_MS)));
      else state.generation++;
    });
    // whatever happens next, the diagnostics of the old text must not be published for the new one, and the old
    // analysis is of no more use (its memory goes before the next one is made)
    state.generation++;
    state.result = undefined;
  });
  documents.onDidSave((event) => schedule(event.document.uri, 0));
  documents.onDidClose((event) => {
    const uri = event.document.uri;
    justOpened.delete(uri);
    const state = states.get(uri);
    if (state?.timer) clearTimeout(state.timer);
    states.delete(uri);
    settingsCache.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
  });

  connection.onDidChangeConfiguration((params) => {
    const s = params.settings as Record<string, unknown> | undefined;
    if (s && typeof s === 'object' && 'granule' in s) pushedSettings = s.granule;
    shownProblems.clear();
    revalidateAll();
  });

  connection.onDidChangeWatchedFiles((params) => {
    let relevant = false;
    for (const change of params.changes) {
      const file = uriToPath(change.uri);
      if (file && workspace.fileChanged(file)) relevant = true;
    }
    if (relevant) revalidateAll();
  });

  connection.onCodeAction(async (params): Promise<CodeAction[]> => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const lint = lintNow(document, await settingsFor(document.uri));
    // the document changed while the settings were read: the request is for text that is gone
    if (!lint || documents.get(document.uri)?.version !== document.version) return [];
    const start = document.offsetAt(params.range.start);
    const end = document.offsetAt(params.range.end);
    const asked = params.context.diagnostics.filter((d) => d.source === 'granule');
    const findings = lint.findings.filter(
      (f) => !f.suppressed && (asked.length ? asked.some((d) => sameDiagnostic(d, f)) : f.range.start.offset <= end && start <= f.range.end.offset),
    );
    return codeActionsFor(findings, { document, versioned: versionedEdits });
  });

  connection.onHover(async (params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    const lint = lintNow(document, await settingsFor(document.uri));
    if (!lint || documents.get(document.uri)?.version !== document.version) return null;
    return hoverAt(document.offsetAt(params.position), lint.analysis.calls, lint.findings) ?? null;
  });

  /** The path a document is analysed as; undefined for documents that are not C or C++. */
  function fileOf(document: TextDocument): string | undefined {
    const file = uriToPath(document.uri);
    const known = file && SOURCE_EXTENSIONS.includes(path.extname(file).toLowerCase());
    if (!LANGUAGE_IDS.has(document.languageId) && !known) return undefined;
    if (file) return known ? file : `${file}${document.languageId === 'c' ? '.c' : '.cpp'}`;
    // an unsaved buffer (untitled:): the language id decides the grammar
    return path.join(process.cwd(), `untitled${document.languageId === 'c' ? '.c' : '.cpp'}`);
  }

  documents.listen(connection);
  connection.listen();
}

function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
