import vscode = require('vscode');
import { saysSchedulerSystemd } from '../core/systemd/detect';
import { INSTALL_SYSTEMD_TIMER_COMMAND } from '../editor/ids';
import { commands } from '../editor/commandBundle';
import { hostPlatform, SCHEDULE_SELECTOR } from '../editor/convert';

/**
 * The systemd twin of the crontab status item (features/crontabStatus.ts): on a schedule file
 * that says `scheduler systemd`, are its two units installed as the file gives them and is the
 * timer enabled, with the next elapse from systemctl. It runs systemctl, so only in trusted
 * workspaces; the item exists only while such a file is in front (Linux hosts only).
 */
export function registerSystemdStatus(changed: vscode.Event<void>, version: string): vscode.Disposable {
  let item: vscode.LanguageStatusItem | undefined;
  let generation = 0;
  const hide = (): void => {
    item?.dispose();
    item = undefined;
  };
  const refresh = (): void => {
    const document = vscode.window.activeTextEditor?.document;
    if (
      hostPlatform() !== 'linux' ||
      !document ||
      document.languageId !== 'bwdc-schedule' ||
      document.uri.scheme !== 'file' ||
      !saysSchedulerSystemd(document.getText())
    )
      return hide();
    if (!item) {
      item = vscode.languages.createLanguageStatusItem('bwdcSchedule.systemd', SCHEDULE_SELECTOR);
      item.name = vscode.l10n.t('bwdc systemd timer');
    }
    if (!vscode.workspace.isTrusted) {
      item.text = vscode.l10n.t('systemd: not checked');
      item.detail = vscode.l10n.t('checking the timer runs systemctl; trust the workspace to see it');
      item.command = undefined;
      return;
    }
    void check(document, item).catch(() => undefined);
  };
  const check = async (document: vscode.TextDocument, shown: vscode.LanguageStatusItem): Promise<void> => {
    const mine = ++generation;
    shown.busy = true;
    const state = await commands().systemdStateOf(document, version);
    if (mine !== generation || shown !== item) return;
    shown.busy = false;
    shown.severity = vscode.LanguageStatusSeverity.Information;
    shown.command = undefined;
    const install = (title: string): vscode.Command => ({ title, command: INSTALL_SYSTEMD_TIMER_COMMAND, arguments: [document.uri] });
    if (typeof state === 'string') {
      shown.text = vscode.l10n.t('systemd: unknown');
      shown.detail = state;
    } else if (state.status === 'not-installed') {
      shown.text = vscode.l10n.t('systemd: not installed');
      shown.detail = state.timer;
      shown.command = install(vscode.l10n.t('Install'));
    } else if (state.status === 'different') {
      const units = state.units.filter((unit) => unit.state !== 'same').map((unit) => unit.unit);
      shown.text = vscode.l10n.t('$(warning) systemd: differs from this file');
      shown.detail = units.length > 0 ? vscode.l10n.t('{0} differ', units.join(', ')) : vscode.l10n.t('{0} is installed but not enabled', state.timer);
      shown.severity = vscode.LanguageStatusSeverity.Warning;
      shown.command = install(vscode.l10n.t('Update'));
    } else {
      shown.text = vscode.l10n.t('$(check) systemd: installed');
      shown.detail = state.live?.nextElapse
        ? vscode.l10n.t('{0}, next {1}; last run: {2}', state.timer, state.live.nextElapse, state.live.lastResult ?? vscode.l10n.t('none yet'))
        : vscode.l10n.t('{0}, up to date and enabled', state.timer);
    }
  };
  refresh();
  return vscode.Disposable.from(
    { dispose: hide },
    vscode.window.onDidChangeActiveTextEditor(refresh),
    vscode.workspace.onDidSaveTextDocument(refresh),
    vscode.workspace.onDidGrantWorkspaceTrust(refresh),
    changed(() => {
      commands().forgetSystemdState();
      refresh();
    }),
  );
}
