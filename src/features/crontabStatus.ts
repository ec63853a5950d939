import vscode = require('vscode');
import { INSTALL_CRONTAB_COMMAND, INSTALL_TASK_COMMAND } from '../editor/ids';
import { commands } from '../editor/commandBundle';
import { hostPlatform, SCHEDULE_SELECTOR } from '../editor/convert';

/**
 * A language status item on schedule files: is the job in its crontab (on Windows: its task in
 * Task Scheduler), and is it what the file says? It runs `crontab -l` (PowerShell), so only in
 * trusted workspaces.
 */
export function registerCrontabStatus(changed: vscode.Event<void>, version: string): vscode.Disposable {
  const item = vscode.languages.createLanguageStatusItem('bwdcSchedule.crontab', SCHEDULE_SELECTOR);
  const onWindows = hostPlatform() === 'windows';
  item.name = onWindows ? vscode.l10n.t('bwdc Task Scheduler task') : vscode.l10n.t('bwdc crontab entry');
  let generation = 0;
  // Synchronous until there is a crontab to read, so activation (no schedule shown yet) stays cheap.
  const refresh = (): void => {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== 'bwdc-schedule' || document.uri.scheme !== 'file' || !vscode.workspace.isTrusted) {
      item.text = onWindows ? vscode.l10n.t('task: not checked') : vscode.l10n.t('crontab: not checked');
      item.detail = vscode.workspace.isTrusted ? '' : vscode.l10n.t('checking the crontab runs a program; trust the workspace to see it');
      item.command = undefined;
      return;
    }
    void (onWindows ? checkTask(document) : check(document)).catch(() => undefined);
  };
  const checkTask = async (document: vscode.TextDocument): Promise<void> => {
    const mine = ++generation;
    item.busy = true;
    const state = await commands().taskStateOf(document, version);
    if (mine !== generation) return;
    item.busy = false;
    item.severity = vscode.LanguageStatusSeverity.Information;
    item.command = undefined;
    if (typeof state === 'string') {
      item.text = vscode.l10n.t('task: unknown');
      item.detail = state;
    } else if (!state.different) {
      item.text = vscode.l10n.t('task: not installed');
      item.detail = state.task;
      item.command = { title: vscode.l10n.t('Install'), command: INSTALL_TASK_COMMAND, arguments: [document.uri] };
    } else if (state.different.length > 0) {
      item.text = vscode.l10n.t('$(warning) task: differs from this file');
      item.detail = vscode.l10n.t('{0}: its {1} differ', state.task, state.different.join(', '));
      item.severity = vscode.LanguageStatusSeverity.Warning;
      item.command = { title: vscode.l10n.t('Update'), command: INSTALL_TASK_COMMAND, arguments: [document.uri] };
    } else {
      item.text = vscode.l10n.t('$(check) task: installed');
      item.detail = vscode.l10n.t('{0}, up to date', state.task);
    }
  };
  const check = async (document: vscode.TextDocument): Promise<void> => {
    const mine = ++generation;
    item.busy = true;
    const state = await commands().crontabStateOf(document);
    if (mine !== generation) return;
    item.busy = false;
    item.severity = vscode.LanguageStatusSeverity.Information;
    if (typeof state === 'string') {
      item.text = vscode.l10n.t('crontab: unknown');
      item.detail = state;
      item.command = undefined;
    } else if (state.state === 'damaged') {
      item.text = vscode.l10n.t('$(error) crontab: damaged block');
      item.detail = state.damage ?? '';
      item.severity = vscode.LanguageStatusSeverity.Error;
      item.command = undefined;
    } else if (!state.installed) {
      item.text = vscode.l10n.t('crontab: not installed');
      item.detail = vscode.l10n.t('in the crontab of {0}', state.user);
      item.command = { title: vscode.l10n.t('Install'), command: INSTALL_CRONTAB_COMMAND, arguments: [document.uri] };
    } else if (!state.upToDate) {
      item.text = vscode.l10n.t('$(warning) crontab: differs from this file');
      item.detail = vscode.l10n.t('in the crontab of {0}', state.user);
      item.severity = vscode.LanguageStatusSeverity.Warning;
      item.command = { title: vscode.l10n.t('Update'), command: INSTALL_CRONTAB_COMMAND, arguments: [document.uri] };
    } else {
      item.text = vscode.l10n.t('$(check) crontab: installed');
      item.detail = vscode.l10n.t('in the crontab of {0}, up to date', state.user);
      item.command = undefined;
    }
  };
  refresh();
  return vscode.Disposable.from(
    item,
    vscode.window.onDidChangeActiveTextEditor(refresh),
    vscode.workspace.onDidSaveTextDocument(refresh),
    vscode.workspace.onDidGrantWorkspaceTrust(refresh),
    changed(() => {
      commands().forgetCrontabState();
      commands().forgetTaskState();
      refresh();
    }),
  );
}
