/**
 * A minimal stand-in for the `vscode` module, for measuring activation and the first hover
 * in plain Node (the benchmark only: tests use a real VS Code). Registrations are recorded so
 * the benchmark can call the hover provider the extension registered.
 */

type Listener = (...args: unknown[]) => unknown;

export interface Recorded {
  hoverProviders: { provideHover(document: unknown, position: unknown): unknown }[];
  /** The onDidOpenTextDocument listeners, to open a document as VS Code would. */
  openListeners?: Listener[];
}

export function createVscodeStandIn(recorded: Recorded): Record<string, unknown> {
  class Disposable {
    constructor(private readonly onDispose: () => void = () => undefined) {}
    static from(...items: { dispose(): unknown }[]): Disposable {
      return new Disposable(() => items.forEach((item) => item.dispose()));
    }
    dispose(): void {
      this.onDispose();
    }
  }
  class EventEmitter {
    private listeners: Listener[] = [];
    event = (listener: Listener): Disposable => {
      this.listeners.push(listener);
      return new Disposable();
    };
    fire(value?: unknown): void {
      this.listeners.forEach((listener) => listener(value));
    }
    dispose(): void {
      this.listeners = [];
    }
  }
  class Position {
    constructor(
      readonly line: number,
      readonly character: number,
    ) {}
  }
  class Range {
    constructor(
      readonly startLine: number,
      readonly startCharacter: number,
      readonly endLine: number,
      readonly endCharacter: number,
    ) {}
  }
  class MarkdownString {
    constructor(
      readonly value: string,
      readonly supportThemeIcons?: boolean,
    ) {}
  }
  class Hover {
    constructor(
      readonly contents: unknown,
      readonly range?: unknown,
    ) {}
  }
  class Diagnostic {
    code?: unknown;
    source?: string;
    tags?: unknown[];
    relatedInformation?: unknown[];
    constructor(
      readonly range: unknown,
      readonly message: string,
      readonly severity?: number,
    ) {}
  }
  const event = (): Disposable => new Disposable();
  const outputChannel = {
    info: () => undefined,
    trace: () => undefined,
    error: () => undefined,
    warn: () => undefined,
    show: () => undefined,
    dispose: () => undefined,
  };
  return {
    Disposable,
    EventEmitter,
    Position,
    Range,
    MarkdownString,
    Hover,
    Diagnostic,
    DiagnosticTag: { Unnecessary: 1, Deprecated: 2 },
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    CodeActionKind: { QuickFix: { value: 'quickfix' } },
    CompletionItemKind: {},
    SymbolKind: {},
    FoldingRangeKind: {},
    Uri: { file: (path: string) => ({ scheme: 'file', fsPath: path, toString: () => `file://${path}` }), from: (parts: object) => parts },
    l10n: { t: (message: string, ...args: unknown[]) => message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)])) },
    env: { language: 'en' },
    LanguageStatusSeverity: { Information: 0, Warning: 1, Error: 2 },
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    window: {
      createOutputChannel: () => outputChannel,
      // activate() reports its own failure this way; the measurement must not time a failed start.
      showErrorMessage: (message: string) => {
        throw new Error(`activation reported an error: ${message}`);
      },
      activeTextEditor: undefined,
      onDidChangeActiveTextEditor: event,
    },
    workspace: {
      textDocuments: [],
      isTrusted: true,
      getConfiguration: () => ({ get: (_key: string, fallback: unknown) => fallback }),
      onDidOpenTextDocument: (listener: Listener): Disposable => {
        (recorded.openListeners ??= []).push(listener);
        return new Disposable(() => recorded.openListeners?.splice(recorded.openListeners.indexOf(listener), 1));
      },
      onDidChangeTextDocument: event,
      onDidCloseTextDocument: event,
      onDidCreateFiles: event,
      onDidDeleteFiles: event,
      onDidRenameFiles: event,
      onDidSaveTextDocument: event,
      onDidGrantWorkspaceTrust: event,
      onDidChangeConfiguration: event,
      registerTextDocumentContentProvider: () => new Disposable(),
    },
    languages: {
      createDiagnosticCollection: () => ({ set: () => undefined, delete: () => undefined, dispose: () => undefined }),
      createLanguageStatusItem: () => ({ dispose: () => undefined }),
      match: () => 10,
      registerHoverProvider: (_selector: unknown, provider: Recorded['hoverProviders'][number]) => {
        recorded.hoverProviders.push(provider);
        return new Disposable();
      },
      registerCodeActionsProvider: () => new Disposable(),
      registerCompletionItemProvider: () => new Disposable(),
      registerDocumentSymbolProvider: () => new Disposable(),
      registerFoldingRangeProvider: () => new Disposable(),
      registerCodeLensProvider: () => new Disposable(),
    },
    commands: { registerCommand: () => new Disposable(), executeCommand: async () => undefined },
  };
}
