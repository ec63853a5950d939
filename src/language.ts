import vscode = require('vscode');
import { useTranslations } from './core/l10n';
import { registerCodeLens } from './features/codeLens';
import { commandHandlers, type CommandHandlers } from './features/commands';
import { registerCrontabStatus } from './features/crontabStatus';
import { registerSystemdStatus } from './features/systemdStatus';
import { registerCompletion } from './features/completion';
import { DataJsonDiagnostics } from './features/dataJsonDiagnostics';
import { registerDataJsonStatus } from './features/dataJsonStatus';
import { ScheduleDiagnostics } from './features/diagnostics';
import { HistoryDocuments } from './features/historyDocument';
import { registerHistoryStatus } from './features/historyStatus';
import { registerHover } from './features/hover';
import { registerNextRunStatus } from './features/nextRunStatus';
import { registerOutline } from './features/outline';
import { PreviewDocuments } from './editor/preview';
import type { PromptsHolder } from './editor/prompts';
import { editorQuestions } from './editor/questions';
import { registerQuickFixes } from './features/quickFixes';
import { useCommandBundle, type CommandBundle } from './editor/commandBundle';

/** What the activation shell (src/extension.ts) hands to the language. */
export interface Shell {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly prompts: PromptsHolder;
}

/**
 * The language and everything behind the commands: built apart as dist/language.js and started
 * by the shell when the first schedule file or data.json is open, or the first command runs.
 * Its disposables go to the extension's subscriptions.
 */
export function startLanguage({ context, log, prompts }: Shell): CommandHandlers {
  // Core's messages in VS Code's display language (dist/commands.js installs its own copy).
  useTranslations(vscode.l10n.bundle);
  prompts.useByDefault(editorQuestions);
  const version = context.extension.packageJSON.version as string;
  const diagnostics = new ScheduleDiagnostics(log);
  const dataJson = new DataJsonDiagnostics(log);
  const previews = new PreviewDocuments();
  const historyDocuments = new HistoryDocuments();
  const changed = new vscode.EventEmitter<void>();
  // The command implementations are bundled apart (dist/commands.js) and loaded at first use.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle of its own, required at first use (scripts/build.mjs)
  useCommandBundle(() => (require('./commands/bundle') as { readonly bundle: CommandBundle }).bundle);
  context.subscriptions.push(
    // The language
    diagnostics,
    registerQuickFixes(diagnostics, dataJson),
    registerHover(),
    registerCompletion(),
    registerOutline(),
    registerNextRunStatus(),
    // The sync script and its secret
    previews,
    changed,
    registerCodeLens(version, changed.event),
    // The crontab
    registerCrontabStatus(changed.event, version),
    registerSystemdStatus(changed.event, version),
    // The Directory Connector's data.json
    dataJson,
    registerDataJsonStatus(dataJson),
    // The runs, from the script's log
    registerHistoryStatus(),
    historyDocuments,
  );
  log.info(`bwdc Schedule ${version}: the language started`);
  return commandHandlers({ version, previews, prompts, log, changed, dataJson, historyDocuments, storageFolder: context.globalStorageUri.fsPath });
}
