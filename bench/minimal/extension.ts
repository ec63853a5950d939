/**
 * The activation benchmark's yardstick: an extension that registers the same kinds of things
 * as ours (output channel, diagnostics, quick fixes, hover, completion, outline, language
 * status, CodeLens, status item, commands, document and configuration listeners) with no
 * logic behind them. It is bundled the same way as dist/extension.js, so the ratio of the two
 * start-up times measures our extension's own weight, not this machine's speed or Node's.
 */
import vscode = require('vscode');

const SELECTOR: vscode.DocumentSelector = { language: 'bwdc-schedule' };
const COMMANDS = [
  'newScheduleFile',
  'generateScript',
  'storeSecret',
  'installCrontab',
  'removeCrontab',
  'prepareUser',
  'installTask',
  'removeTask',
  'exportTaskXml',
  'validateDataJson',
];

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('minimal', { log: true });
  const diagnostics = vscode.languages.createDiagnosticCollection('minimal');
  const dataJsonDiagnostics = vscode.languages.createDiagnosticCollection('minimal-json');
  const status = vscode.languages.createLanguageStatusItem('minimal.status', SELECTOR);
  const nextRun = vscode.languages.createLanguageStatusItem('minimal.next', SELECTOR);
  const changed = new vscode.EventEmitter<void>();
  const nothing = (): undefined => undefined;
  context.subscriptions.push(
    log,
    diagnostics,
    dataJsonDiagnostics,
    status,
    nextRun,
    changed,
    vscode.languages.registerCodeActionsProvider(SELECTOR, { provideCodeActions: nothing }),
    vscode.languages.registerHoverProvider(SELECTOR, { provideHover: nothing }),
    vscode.languages.registerCompletionItemProvider(SELECTOR, { provideCompletionItems: nothing }),
    vscode.languages.registerDocumentSymbolProvider(SELECTOR, { provideDocumentSymbols: nothing }),
    vscode.languages.registerCodeLensProvider(SELECTOR, { provideCodeLenses: nothing, onDidChangeCodeLenses: changed.event }),
    vscode.workspace.onDidOpenTextDocument(nothing),
    vscode.workspace.onDidChangeTextDocument(nothing),
    vscode.workspace.onDidCloseTextDocument(nothing),
    vscode.workspace.onDidSaveTextDocument(nothing),
    vscode.workspace.onDidChangeConfiguration(nothing),
    vscode.window.onDidChangeActiveTextEditor(nothing),
    ...COMMANDS.map((name) => vscode.commands.registerCommand(`minimal.${name}`, nothing)),
  );
  void vscode.commands.executeCommand('setContext', 'minimal.ready', true);
  log.info('activated');
}
