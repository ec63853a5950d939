import vscode = require('vscode');
import { VALIDATE_DATA_JSON_COMMAND } from '../editor/ids';
import type { DataJsonDiagnostics } from './dataJsonDiagnostics';

export const DATA_JSON_SELECTOR: vscode.DocumentSelector = [
  { language: 'json', pattern: '**/data.json' },
  { language: 'jsonc', pattern: '**/data.json' },
];

/** On a data.json: which layout and directory it is, once checked; otherwise how to check it. */
export function registerDataJsonStatus(diagnostics: DataJsonDiagnostics): vscode.Disposable {
  const item = vscode.languages.createLanguageStatusItem('bwdcSchedule.dataJson', DATA_JSON_SELECTOR);
  item.name = vscode.l10n.t('Directory Connector data.json');
  const refresh = (): void => {
    const document = vscode.window.activeTextEditor?.document;
    const summary = document ? diagnostics.reportFor(document.uri.fsPath)?.summary : undefined;
    if (!document || !summary) {
      item.text = vscode.l10n.t('bwdc: not checked');
      item.detail = vscode.l10n.t('Check it as a Directory Connector data.json');
      item.command = { title: vscode.l10n.t('Validate'), command: VALIDATE_DATA_JSON_COMMAND, arguments: document ? [document.uri] : [] };
      return;
    }
    item.text = vscode.l10n.t('bwdc: {0}', summary.layoutLabel);
    item.detail = summary.directoryLabel ?? vscode.l10n.t('no directory configured');
    item.command = undefined;
  };
  refresh();
  return vscode.Disposable.from(item, vscode.window.onDidChangeActiveTextEditor(refresh), diagnostics.onDidChange(refresh));
}
