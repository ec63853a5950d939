import * as vscode from 'vscode';
import { registerCompletion } from './features/completion';
import { ScheduleDiagnostics } from './features/diagnostics';
import { registerHover } from './features/hover';
import { registerOutline } from './features/outline';
import { registerQuickFixes } from './features/quickFixes';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('bwdc Schedule', { log: true });
  context.subscriptions.push(log);
  try {
    const diagnostics = new ScheduleDiagnostics(log);
    context.subscriptions.push(
      diagnostics,
      registerQuickFixes(diagnostics),
      registerHover(),
      registerCompletion(),
      registerOutline(),
    );
    log.info(`bwdc Schedule ${context.extension.packageJSON.version as string} activated`);
  } catch (error) {
    // VS Code shows nothing when activation fails; say it, and where to look.
    const message = error instanceof Error ? error.message : String(error);
    log.error('activation failed', error);
    void vscode.window.showErrorMessage(vscode.l10n.t('bwdc Schedule could not start: {0}', message), vscode.l10n.t('Show Log')).then((choice) => {
      if (choice) log.show();
    });
  }
}

export function deactivate(): void {}
