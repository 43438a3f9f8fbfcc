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
import { IncrementalStates } from './incremental-states.js';
import { lintDocument, type DocumentLint } from './lint-document.js';
import { readSettings, type GranuleSettings } from './settings.js';
import { Workspace } from './workspace.js';

/** The longest an edit waits for the next one before its document is analysed. */
const MAX_QUIET_MS = 5_000;

const LANGUAGE_IDS = new Set(['c', 'cpp', 'cuda-cpp', 'objective-c', 'objective-cpp']);

/** Files whose change on disk can change findings elsewhere (headers, wrappers in other sources, configs). */
const WATCHED = ['**/*.{h,hh,hpp,hxx,h++,inl,ipp,tpp}', '**/*.{c,cc,cpp,cxx,c++}', '**/granule.config.json', '**/package.json', '**/compile_commands.json'];

interface DocState {
  /** The last analysis of each configuration, the starting point of its next one; dropped with the document. */
  incremental: IncrementalStates;
  /** Bumped by every change; a validation that finds a newer generation gives up without publishing. */
  generation: number;
  timer?: NodeJS.Timeout;
  result?: { version: number; lint: DocumentLint };
  /** How long the last analysis took (ms): changes closer together than this are analysed once, after the last. */
  lastDurationMs: number;
}

export function startServer(connection: Connection): void {
  const session = new Session(connection);
  session.handleLifecycle();
  session.handleDocuments();
  session.handleWorkspaceChanges();
  session.handleRequests();
  session.documents.listen(connection);
  connection.listen();
}

/** One client's session: its documents, their analyses, its settings and workspace folders. */
class Session {
  readonly documents = new TextDocuments(TextDocument);
  private readonly workspace = new Workspace();
  private readonly states = new Map<string, DocState>();
  private readonly settingsCache = new Map<string, Promise<GranuleSettings>>();
  private readonly shownProblems = new Set<string>();
  /** Documents just opened: didOpen is followed by a content change for the opened text. */
  private readonly justOpened = new Set<string>();
  private canAskConfiguration = false;
  private canWatchFiles = false;
  private versionedEdits = false;
  private initialSettings: unknown;
  private pushedSettings: unknown;
  private roots: string[] = [];
  private hasFolders = false;

  constructor(private readonly connection: Connection) {}

  /** initialize (what the client can do, its folders and settings) and initialized (watchers, folder changes). */
  handleLifecycle(): void {
    const { connection, workspace } = this;
    connection.onInitialize((params: InitializeParams): InitializeResult => {
      const caps = params.capabilities;
      this.canAskConfiguration = !!caps.workspace?.configuration;
      this.canWatchFiles = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
      this.versionedEdits = !!caps.workspace?.workspaceEdit?.documentChanges;
      this.hasFolders = !!caps.workspace?.workspaceFolders;
      const options = params.initializationOptions as Record<string, unknown> | undefined;
      this.initialSettings = options && typeof options === 'object' && 'granule' in options ? options.granule : options;
      this.roots = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
      const rootUri = params.rootUri ? uriToPath(params.rootUri) : undefined;
      if (rootUri && !this.roots.includes(rootUri)) this.roots.push(rootUri);
      workspace.setRoots(this.roots);
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
      if (this.canWatchFiles) {
        void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED.map((globPattern) => ({ globPattern })) });
      }
      // the accessor throws for clients without workspace folders
      if (this.hasFolders) {
        connection.workspace.onDidChangeWorkspaceFolders((event) => {
          const removed = new Set(event.removed.map((f) => uriToPath(f.uri)));
          this.roots = [...this.roots.filter((r) => !removed.has(r)), ...event.added.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p)];
          workspace.setRoots(this.roots);
          this.revalidateAll();
        });
      }
    });
  }

  /** Opened, changed, saved and closed documents: each analysed when its edits pause, or at once. */
  handleDocuments(): void {
    const { documents, connection, states } = this;
    // didOpen is followed by a content change for the opened text: lint that one at once, later ones debounced
    documents.onDidOpen((event) => {
      this.justOpened.add(event.document.uri);
    });
    documents.onDidChangeContent((event) => {
      const uri = event.document.uri;
      if (this.justOpened.delete(uri)) {
        this.schedule(uri, 0);
        return;
      }
      const state = this.stateOf(uri);
      void this.settingsFor(uri).then((settings) => {
        // a document whose analysis takes longer than the pause between edits (a large one replaced again and
        // again) is analysed once the edits pause for that long, not once per edit
        if (settings.run === 'onType') this.schedule(uri, Math.max(settings.debounceMs, Math.min(state.lastDurationMs, MAX_QUIET_MS)));
        else state.generation++;
      });
      // whatever happens next, the diagnostics of the old text must not be published for the new one, and the old
      // analysis is of no more use (its memory goes before the next one is made)
      state.generation++;
      state.result = undefined;
    });
    documents.onDidSave((event) => this.schedule(event.document.uri, 0));
    documents.onDidClose((event) => {
      const uri = event.document.uri;
      this.justOpened.delete(uri);
      const state = states.get(uri);
      if (state?.timer) clearTimeout(state.timer);
      states.delete(uri);
      this.settingsCache.delete(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    });
  }

  /** New settings and changed files on disk: every open document is analysed again. */
  handleWorkspaceChanges(): void {
    const { connection } = this;
    connection.onDidChangeConfiguration((params) => {
      const s = params.settings as Record<string, unknown> | undefined;
      if (s && typeof s === 'object' && 'granule' in s) this.pushedSettings = s.granule;
      this.shownProblems.clear();
      this.revalidateAll();
    });

    connection.onDidChangeWatchedFiles((params) => {
      let relevant = false;
      for (const change of params.changes) {
        const file = uriToPath(change.uri);
        if (file && this.workspace.fileChanged(file)) relevant = true;
      }
      if (relevant) this.revalidateAll();
    });
  }

  /** Quick fixes and hover, answered from the document's current analysis. */
  handleRequests(): void {
    const { connection, documents } = this;
    connection.onCodeAction(async (params): Promise<CodeAction[]> => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const lint = this.lintNow(document, await this.settingsFor(document.uri));
      // the document changed while the settings were read: the request is for text that is gone
      if (!lint || documents.get(document.uri)?.version !== document.version) return [];
      const start = document.offsetAt(params.range.start);
      const end = document.offsetAt(params.range.end);
      const asked = params.context.diagnostics.filter((d) => d.source === 'granule');
      const findings = lint.findings.filter(
        (f) => !f.suppressed && (asked.length ? asked.some((d) => sameDiagnostic(d, f)) : f.range.start.offset <= end && start <= f.range.end.offset),
      );
      return codeActionsFor(findings, { document, versioned: this.versionedEdits });
    });

    connection.onHover(async (params) => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return null;
      const lint = this.lintNow(document, await this.settingsFor(document.uri));
      if (!lint || documents.get(document.uri)?.version !== document.version) return null;
      return hoverAt(document.offsetAt(params.position), lint.analysis.calls, lint.findings) ?? null;
    });
  }

  private settingsFor(uri: string): Promise<GranuleSettings> {
    let cached = this.settingsCache.get(uri);
    if (!cached) {
      const fallback = () => this.pushedSettings ?? this.initialSettings;
      const raw: Promise<unknown> = this.canAskConfiguration
        ? this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'granule' }).then(
            (value: unknown) => value ?? fallback(),
            () => fallback(),
          )
        : Promise.resolve(fallback());
      cached = raw.then((value) => {
        const { settings, problems } = readSettings(value);
        problems.forEach((p) => this.tell(p));
        return settings;
      });
      this.settingsCache.set(uri, cached);
    }
    return cached;
  }

  private tell(problem: string): void {
    if (this.shownProblems.has(problem)) return;
    this.shownProblems.add(problem);
    this.connection.console.warn(`granule: ${problem}`);
    // a notification, not showMessageRequest: nothing waits for the user to dismiss it
    void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `granule: ${problem}` });
  }

  private stateOf(uri: string): DocState {
    let state = this.states.get(uri);
    if (!state) this.states.set(uri, (state = { incremental: new IncrementalStates(), generation: 0, lastDurationMs: 0 }));
    return state;
  }

  /** Lints the document's current text now (synchronously); undefined when it is not a C/C++ document. */
  private lintNow(document: TextDocument, settings: GranuleSettings): DocumentLint | undefined {
    const file = fileOf(document);
    if (!file || !settings.enable) return undefined;
    const state = this.stateOf(document.uri);
    if (state.result?.version === document.version) return state.result.lint;
    const tell = (problem: string) => this.tell(problem);
    try {
      const { workspace } = this;
      const { configurations, wrappersFor, ignored, problems } = workspace.optionsFor(file, settings);
      problems.forEach(tell);
      if (ignored) return undefined;
      const text = document.getText();
      // the same limits as the CLI: a huge or pathological buffer must not freeze the server, and what it keeps
      // is the text the protocol needs for the next edit, not a tree or an analysis of it
      if (text.length > DEFAULT_MAX_FILE_SIZE) {
        state.incremental.reset();
        state.result = undefined;
        tell(`${path.basename(file)} is larger than ${DEFAULT_MAX_FILE_SIZE / (1024 * 1024)} MB and is not analysed`);
        return undefined;
      }
      const started = performance.now();
      const lint = withTimeLimit(DEFAULT_FILE_TIMEOUT_MS, () => lintDocument(file, text, configurations, workspace.headers, state.incremental, wrappersFor));
      state.lastDurationMs = performance.now() - started;
      for (const f of lint.failures) tell(`rule ${f.ruleId} failed on ${path.basename(file)}, and its findings there are missing: ${f.message}`);
      state.result = { version: document.version, lint };
      return lint;
    } catch (e) {
      if (e instanceof TimeLimitExceeded) tell(`${path.basename(file)} was not analysed: ${e.message}`);
      else this.connection.console.error(`granule: could not analyse ${path.basename(file)}: ${e instanceof Error ? e.message : String(e)}`);
      state.result = undefined;
      return undefined;
    }
  }

  private schedule(uri: string, delay: number): void {
    const state = this.stateOf(uri);
    const generation = ++state.generation;
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void this.validate(uri, generation);
    }, delay);
  }

  private async validate(uri: string, generation: number): Promise<void> {
    const settings = await this.settingsFor(uri);
    const state = this.states.get(uri);
    const document = this.documents.get(uri);
    // closed, or changed again while the settings were on their way: a newer validation will publish
    if (!state || !document || state.generation !== generation) return;
    const lint = this.lintNow(document, settings);
    if (state.generation !== generation || this.documents.get(uri)?.version !== document.version) return;
    void this.connection.sendDiagnostics({ uri, version: document.version, diagnostics: lint ? diagnosticsOf(lint.findings) : [] });
  }

  private revalidateAll(): void {
    this.settingsCache.clear();
    for (const document of this.documents.all()) {
      const state = this.states.get(document.uri);
      if (state) state.result = undefined;
      this.schedule(document.uri, 0);
    }
  }
}

/** The path a document is analysed as; undefined for documents that are not C or C++. */
function fileOf(document: TextDocument): string | undefined {
  const file = uriToPath(document.uri);
  const known = file && SOURCE_EXTENSIONS.includes(path.extname(file).toLowerCase());
  if (!LANGUAGE_IDS.has(document.languageId) && !known) return undefined;
  if (file) return known ? file : `${file}${document.languageId === 'c' ? '.c' : '.cpp'}`;
  // an unsaved buffer (untitled:): the language id decides the grammar
  return path.join(process.cwd(), `untitled${document.languageId === 'c' ? '.c' : '.cpp'}`);
}

function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
