import * as path from 'path';
import vscode = require('vscode');
import type { DataJsonReport } from '../core/datajson/api';
import { scheduleInstances } from '../core/schedule/instances';
import { hostPlatform } from '../editor/convert';
import { scheduleDocument } from '../editor/documents';
import type { ValidatedFile } from '../editor/commandBundle';
import type { CommandContext } from '../editor/context';

/**
 * "bwdc: Validate data.json": the file given (or open), every instance folder's data.json of
 * a schedule file, or one picked in a dialog. Its diagnostics stay in the Problems view and
 * follow the file from then on.
 */
export async function validateDataJsonCommand({ dataJson }: CommandContext, argument?: unknown): Promise<ValidatedFile[] | undefined> {
  const files = await chooseFiles(argument);
  if (!files) return undefined;
  if (files.length === 0) {
    void vscode.window.showWarningMessage(vscode.l10n.t('This schedule file names no instance folder that exists on this machine; nothing to validate.'));
    return [];
  }
  const results = files.map((file) => ({ file, ...withReport(dataJson.validate(file)) }));
  const missing = results.filter((result) => !result.report).map((result) => result.file);
  const diagnostics = results.flatMap((result) => result.report?.diagnostics ?? []);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const checked = results.length - missing.length;
  const parts = [
    checked === 1
      ? vscode.l10n.t(
          'Checked {0}: {1} error(s), {2} warning(s).',
          path.basename(path.dirname(results.find((r) => r.report)!.file)) + path.sep + 'data.json',
          errors,
          warnings,
        )
      : '',
    checked > 1 ? vscode.l10n.t('Checked {0} data.json files: {1} error(s), {2} warning(s).', checked, errors, warnings) : '',
    missing.length > 0 ? vscode.l10n.t('Not found: {0}.', missing.join(', ')) : '',
  ].filter(Boolean);
  const message = parts.join(' ');
  const show = errors + warnings > 0 || missing.length > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(message, ...(errors + warnings > 0 ? [vscode.l10n.t('Show Problems')] : [])).then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
  return results;
}

function withReport(report: DataJsonReport | undefined): { report?: DataJsonReport } {
  return report ? { report } : {};
}

async function chooseFiles(argument: unknown): Promise<string[] | undefined> {
  const uri = argument instanceof vscode.Uri ? argument : (vscode.window.activeTextEditor?.document.uri ?? (await scheduleDocument(undefined))?.uri);
  if (uri && uri.scheme === 'file') {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (document?.languageId === 'bwdc-schedule' || uri.fsPath.endsWith('.bwdc-schedule')) {
      const text = document?.getText() ?? Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
      return scheduleInstances(text, uri.fsPath, hostPlatform()).folders.map((folder) => folder.dataJson);
    }
    if (uri.fsPath.endsWith('.json')) return [uri.fsPath];
  }
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: true,
    filters: { 'data.json': ['json'] },
    openLabel: vscode.l10n.t('Validate'),
    title: vscode.l10n.t('Choose a Directory Connector data.json'),
  });
  return picked?.map((file) => file.fsPath);
}
