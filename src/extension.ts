import vscode = require('vscode');
import { hostPlatform } from './core/platform';
import { ALL_COMMANDS, type CommandId } from './editor/ids';
import { PromptsHolder } from './editor/prompts';
import { announceWalkthrough } from './features/walkthrough';
import type { CommandHandlers } from './features/commands';
import type { Shell } from './language';

/** What the extension exports: lets integration tests answer its questions. */
export interface BwdcScheduleApi {
  readonly prompts: PromptsHolder;
}

/**
 * VS Code activates the extension for every JSON file (a data.json may be among them) and for a
 * workspace that holds a schedule file. Most of those starts have nothing to do yet, so activation
 * only registers the commands and waits: the language (dist/language.js: diagnostics, hovers,
 * CodeLens, status items; the parsers and the cron engine behind them) is loaded when a schedule
 * file or a data.json is open, or a command runs.
 */
export function activate(context: vscode.ExtensionContext): BwdcScheduleApi {
  const log = vscode.window.createOutputChannel('bwdc Schedule', { log: true });
  const prompts = new PromptsHolder();
  context.subscriptions.push(log);
  let handlers: CommandHandlers | undefined;
  let failed = false;
  const start = (): CommandHandlers | undefined => {
    if (handlers || failed) return handlers;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle of its own, required at first use (scripts/build.mjs)
      const language = require('./language') as { startLanguage(shell: Shell): CommandHandlers };
      handlers = language.startLanguage({ context, log, prompts });
    } catch (error) {
      failed = true;
      // VS Code shows nothing when a start fails; say it, and where to look.
      const message = error instanceof Error ? error.message : String(error);
      log.error('starting the language failed', error);
      void vscode.window.showErrorMessage(vscode.l10n.t('bwdc Schedule could not start: {0}', message), vscode.l10n.t('Show Log')).then((choice) => {
        if (choice) log.show();
      });
    }
    return handlers;
  };
  // Menus show crontab commands only where the extension host (not the UI) can run crontab.
  void vscode.commands.executeCommand('setContext', 'bwdcSchedule.hostPlatform', hostPlatform());
  context.subscriptions.push(...ALL_COMMANDS.map((id: CommandId) => vscode.commands.registerCommand(id, (...args: unknown[]) => start()?.[id](...args))));
  if (vscode.workspace.textDocuments.some(isOurs)) start();
  else {
    const opened = vscode.workspace.onDidOpenTextDocument((document) => {
      if (!isOurs(document)) return;
      opened.dispose();
      start();
    });
    context.subscriptions.push(opened);
  }
  announceWalkthrough(context);
  log.info(`bwdc Schedule ${context.extension.packageJSON.version as string} activated`);
  return { prompts };
}

/** A document the language works on: a schedule file, or a data.json (the Directory Connector's). */
function isOurs(document: vscode.TextDocument): boolean {
  return document.languageId === 'bwdc-schedule' || document.uri.fsPath.endsWith('data.json');
}

export function deactivate(): void {}
