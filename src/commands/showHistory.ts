import vscode = require('vscode');
import type { CommandContext } from '../editor/context';
import { scheduleDocument } from '../editor/documents';
import { historyUri } from '../editor/history';

/**
 * "bwdc: Show Sync History": the runs of a schedule file's job, newest first, each with its log
 * lines, in the Markdown preview of a read-only document that follows the log
 * (src/features/historyDocument.ts). It only reads, so it needs no workspace trust.
 */
export async function showHistoryCommand({ historyDocuments }: CommandContext, argument?: unknown): Promise<vscode.Uri | undefined> {
  const document = await scheduleDocument(argument);
  if (!document) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Open a bwdc schedule file (*.bwdc-schedule) first.'));
    return undefined;
  }
  if (document.uri.scheme !== 'file') {
    void vscode.window.showErrorMessage(vscode.l10n.t('Save the schedule file first: its log is found from where it is.'));
    return undefined;
  }
  const uri = historyUri(document.uri);
  // Already open: read the log again, whether or not its folder could be watched.
  historyDocuments.refresh(document.uri);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    // The Markdown preview is off (its extension disabled): the Markdown itself.
    await vscode.window.showTextDocument(uri, { preview: false });
  }
  return uri;
}
