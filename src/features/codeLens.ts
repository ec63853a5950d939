import vscode = require('vscode');
import {
  GENERATE_SCRIPT_COMMAND,
  INSTALL_CRONTAB_COMMAND,
  INSTALL_SYSTEMD_TIMER_COMMAND,
  INSTALL_TASK_COMMAND,
  REMOVE_CRONTAB_COMMAND,
  REMOVE_SYSTEMD_TIMER_COMMAND,
  STORE_SECRET_COMMAND,
} from '../editor/ids';
import { commands } from '../editor/commandBundle';
import { hostPlatform, SCHEDULE_SELECTOR } from '../editor/convert';
import { saysSchedulerSystemd } from '../core/systemd/detect';

/**
 * Above the first line: the sync script's state with the command to (re)generate it, secret
 * storage, and on Linux and macOS the crontab entry's state with install/update/remove.
 */
export function registerCodeLens(version: string, changedElsewhere: vscode.Event<void>): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    async provideCodeLenses(document) {
      // Commands that write files need a trusted workspace; show nothing that cannot run.
      if (!vscode.workspace.isTrusted || document.uri.scheme !== 'file') return [];
      const top = new vscode.Range(0, 0, 0, 0);
      const state = commands().scriptStateOf(document, version);
      let title = vscode.l10n.t('$(file-code) Generate sync script');
      if (state === 'current') title = vscode.l10n.t('$(check) Sync script up to date');
      else if (state === 'outdated') title = vscode.l10n.t('$(warning) Sync script out of date: regenerate');
      else if (state === 'foreign') title = vscode.l10n.t('$(warning) A file bwdc Schedule did not write is where the sync script goes');
      const lenses = [
        new vscode.CodeLens(top, { title, command: GENERATE_SCRIPT_COMMAND, arguments: [document.uri] }),
        new vscode.CodeLens(top, { title: vscode.l10n.t('$(key) Store client secret'), command: STORE_SECRET_COMMAND, arguments: [document.uri] }),
      ];
      // A file that says `scheduler systemd` is started by its timer, not by cron.
      if (hostPlatform() === 'linux' && saysSchedulerSystemd(document.getText())) lenses.push(...(await systemdLenses(document, top, version)));
      else if (hostPlatform() !== 'windows') lenses.push(...(await crontabLenses(document, top)));
      // Reading the registered task needs PowerShell; the lens only offers the install.
      else
        lenses.push(
          new vscode.CodeLens(top, {
            title: vscode.l10n.t('$(calendar) Install Task Scheduler task'),
            command: INSTALL_TASK_COMMAND,
            arguments: [document.uri],
          }),
        );
      return lenses;
    },
  };
  return vscode.Disposable.from(
    changed,
    vscode.languages.registerCodeLensProvider(SCHEDULE_SELECTOR, provider),
    vscode.workspace.onDidGrantWorkspaceTrust(() => changed.fire()),
    vscode.workspace.onDidSaveTextDocument(() => changed.fire()),
    vscode.workspace.onDidCreateFiles(() => changed.fire()),
    changedElsewhere(() => changed.fire()),
  );
}

async function systemdLenses(document: vscode.TextDocument, top: vscode.Range, version: string): Promise<vscode.CodeLens[]> {
  const state = await commands().systemdStateOf(document, version);
  // A file with errors, or systemctl that cannot answer: the status item explains it.
  if (typeof state === 'string') return [];
  const install = (title: string): vscode.CodeLens => new vscode.CodeLens(top, { title, command: INSTALL_SYSTEMD_TIMER_COMMAND, arguments: [document.uri] });
  if (state.status === 'not-installed') return [install(vscode.l10n.t('$(calendar) Install systemd timer {0}', state.timer))];
  const remove = new vscode.CodeLens(top, {
    title: vscode.l10n.t('$(trash) Remove systemd timer'),
    command: REMOVE_SYSTEMD_TIMER_COMMAND,
    arguments: [document.uri],
  });
  if (state.status === 'different') return [install(vscode.l10n.t('$(warning) systemd timer {0} differs: update', state.timer)), remove];
  return [install(vscode.l10n.t('$(check) systemd timer {0} installed', state.timer)), remove];
}

async function crontabLenses(document: vscode.TextDocument, top: vscode.Range): Promise<vscode.CodeLens[]> {
  const state = await commands().crontabStateOf(document);
  // A Windows job, a file with errors or an unreadable crontab: the status item explains it.
  if (typeof state === 'string' || state.state === 'damaged') return [];
  const install = (title: string): vscode.CodeLens => new vscode.CodeLens(top, { title, command: INSTALL_CRONTAB_COMMAND, arguments: [document.uri] });
  if (!state.installed) return [install(vscode.l10n.t('$(calendar) Install crontab entry for {0}', state.user))];
  const remove = new vscode.CodeLens(top, {
    title: vscode.l10n.t('$(trash) Remove crontab entry'),
    command: REMOVE_CRONTAB_COMMAND,
    arguments: [document.uri],
  });
  if (!state.upToDate) return [install(vscode.l10n.t('$(warning) Crontab entry of {0} differs: update', state.user)), remove];
  return [
    new vscode.CodeLens(top, {
      title: vscode.l10n.t('$(check) Crontab entry of {0} installed', state.user),
      command: INSTALL_CRONTAB_COMMAND,
      arguments: [document.uri],
    }),
    remove,
  ];
}
