import vscode = require('vscode');
import { resolveJob, type SyncJob } from '../core/schedule/job';
import { findOnPath, pathKind } from '../host/files';
import { hostPlatform } from './convert';

/** The schedule document a command should work on: its argument, or the active editor's. */
export async function scheduleDocument(argument: unknown): Promise<vscode.TextDocument | undefined> {
  const uri = argument instanceof vscode.Uri ? argument : vscode.window.activeTextEditor?.document.uri;
  if (!uri) return undefined;
  const document = await vscode.workspace.openTextDocument(uri);
  return document.languageId === 'bwdc-schedule' ? document : undefined;
}

/** The job of a saved schedule file, or undefined after telling the user why not. */
export async function jobOf(document: vscode.TextDocument): Promise<SyncJob | undefined> {
  if (document.uri.scheme !== 'file') {
    void vscode.window.showErrorMessage(vscode.l10n.t('Save the schedule file first: generated files are placed beside it.'));
    return undefined;
  }
  // What gets generated must match the file on disk, which the script's header names.
  if (document.isDirty && !(await document.save())) return undefined;
  const bwdcOnPath = findOnPath('bwdc');
  const result = resolveJob(document.getText(), {
    scheduleFile: document.uri.fsPath,
    hostPlatform: hostPlatform(),
    pathKind,
    t: vscode.l10n.t,
    ...(bwdcOnPath ? { bwdcOnPath } : {}),
  });
  if (result.job) return result.job;
  const firstError = result.diagnostics.find((d) => d.severity === 'error');
  const where = firstError ? vscode.l10n.t('{0}, line {1}: {2}', vscode.workspace.asRelativePath(document.uri), firstError.range.start.line + 1, firstError.message) : '';
  // Not awaited: the command ends now; the button, if pressed later, opens the Problems view.
  void vscode.window.showErrorMessage(`${result.reason}${where ? ` ${where}` : ''}`, vscode.l10n.t('Show Problems')).then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
  return undefined;
}

/**
 * The job a command works on, from its argument or the active editor, with the document (for
 * messages); undefined after telling the user why not.
 */
export async function commandJob(argument: unknown): Promise<{ readonly document: vscode.TextDocument; readonly job: SyncJob } | undefined> {
  const document = await scheduleDocument(argument);
  if (!document) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Open a bwdc schedule file (*.bwdc-schedule) first.'));
    return undefined;
  }
  const job = await jobOf(document);
  return job ? { document, job } : undefined;
}
