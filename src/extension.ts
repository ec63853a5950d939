import vscode = require('vscode');
import { useTranslations } from './core/l10n';
import { registerCodeLens } from './features/codeLens';
import { registerCommands } from './features/commands';
import { registerCrontabStatus } from './features/crontabStatus';
import { registerCompletion } from './features/completion';
import { DataJsonDiagnostics } from './features/dataJsonDiagnostics';
import { registerDataJsonStatus } from './features/dataJsonStatus';
import { ScheduleDiagnostics } from './features/diagnostics';
import { registerHover } from './features/hover';
import { registerNextRunStatus } from './features/nextRunStatus';
import { registerOutline } from './features/outline';
import { PreviewDocuments } from './features/preview';
import { PromptsHolder } from './features/prompts';
import { registerQuickFixes } from './features/quickFixes';
import { offerWalkthrough } from './features/walkthrough';
import { hostPlatform } from './features/convert';

/** What the extension exports: lets integration tests answer its questions. */
export interface BwdcScheduleApi {
  readonly prompts: PromptsHolder;
}

export function activate(context: vscode.ExtensionContext): BwdcScheduleApi {
  // Core's messages in VS Code's display language (dist/commands.js installs its own copy).
  useTranslations(vscode.l10n.bundle);
  const log = vscode.window.createOutputChannel('bwdc Schedule', { log: true });
  const prompts = new PromptsHolder();
  context.subscriptions.push(log);
  try {
    const version = context.extension.packageJSON.version as string;
    const diagnostics = new ScheduleDiagnostics(log);
    const dataJson = new DataJsonDiagnostics(log);
    const previews = new PreviewDocuments();
    const changed = new vscode.EventEmitter<void>();
    // Menus show crontab commands only where the extension host (not the UI) can run crontab.
    void vscode.commands.executeCommand('setContext', 'bwdcSchedule.hostPlatform', hostPlatform());
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
      registerCommands({ version, previews, prompts, log, changed, dataJson, storageFolder: context.globalStorageUri.fsPath }),
      // The crontab
      registerCrontabStatus(changed.event, version),
      // The Directory Connector's data.json
      dataJson,
      registerDataJsonStatus(dataJson),
    );
    offerWalkthrough(context);
    log.info(`bwdc Schedule ${version} activated`);
  } catch (error) {
    // VS Code shows nothing when activation fails; say it, and where to look.
    const message = error instanceof Error ? error.message : String(error);
    log.error('activation failed', error);
    void vscode.window.showErrorMessage(vscode.l10n.t('bwdc Schedule could not start: {0}', message), vscode.l10n.t('Show Log')).then((choice) => {
      if (choice) log.show();
    });
  }
  return { prompts };
}

export function deactivate(): void {}
