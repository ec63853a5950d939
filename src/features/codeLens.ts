import * as vscode from 'vscode';
import { GENERATE_SCRIPT_COMMAND, STORE_SECRET_COMMAND } from '../commands/ids';
import { commands } from './commands';
import { SCHEDULE_SELECTOR } from './convert';

/** Above the first line: the sync script's state with the command to (re)generate it, and secret storage. */
export function registerCodeLens(version: string): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(document) {
      // Commands that write files need a trusted workspace; show nothing that cannot run.
      if (!vscode.workspace.isTrusted || document.uri.scheme !== 'file') return [];
      const top = new vscode.Range(0, 0, 0, 0);
      const state = commands().scriptStateOf(document, version);
      let title = vscode.l10n.t('$(file-code) Generate sync script');
      if (state === 'current') title = vscode.l10n.t('$(check) Sync script up to date');
      else if (state === 'outdated') title = vscode.l10n.t('$(warning) Sync script out of date: regenerate');
      else if (state === 'foreign') title = vscode.l10n.t('$(warning) Replace the hand-written sync script');
      return [
        new vscode.CodeLens(top, { title, command: GENERATE_SCRIPT_COMMAND, arguments: [document.uri] }),
        new vscode.CodeLens(top, { title: vscode.l10n.t('$(key) Store client secret'), command: STORE_SECRET_COMMAND, arguments: [document.uri] }),
      ];
    },
  };
  return vscode.Disposable.from(
    changed,
    vscode.languages.registerCodeLensProvider(SCHEDULE_SELECTOR, provider),
    vscode.workspace.onDidGrantWorkspaceTrust(() => changed.fire()),
    vscode.workspace.onDidSaveTextDocument(() => changed.fire()),
    vscode.workspace.onDidCreateFiles(() => changed.fire()),
  );
}
