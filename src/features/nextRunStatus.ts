import vscode = require('vscode');
import { formatRun } from '../core/cron/format';
import { hostZoneName } from '../core/cron/zone';
import { nextRunOfSchedule } from '../core/schedule/nextRun';
import { SCHEDULE_SELECTOR } from '../editor/convert';
import { presentationSettings } from '../editor/settings';

const MINUTE = 60_000;

/**
 * A language status item on schedule files: when the job runs next, in the file's time zone
 * (or this machine's), kept current as the file is edited and as the minutes pass.
 */
export function registerNextRunStatus(): vscode.Disposable {
  const item = vscode.languages.createLanguageStatusItem('bwdcSchedule.nextRun', SCHEDULE_SELECTOR);
  item.name = vscode.l10n.t('bwdc next run');
  const refresh = (): void => {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== 'bwdc-schedule') return;
    const next = nextRunOfSchedule(document.getText(), Date.now(), hostZoneName());
    const settings = presentationSettings(document);
    item.severity = vscode.LanguageStatusSeverity.Information;
    if (!next) {
      item.text = vscode.l10n.t('next run: none');
      item.detail = vscode.l10n.t('no valid schedule line');
      item.severity = vscode.LanguageStatusSeverity.Warning;
      return;
    }
    if (!next.run) {
      item.text = next.atBoot ? vscode.l10n.t('$(clock) next run: at boot') : vscode.l10n.t('$(warning) next run: never');
      item.detail = next.atBoot ? vscode.l10n.t('only when the machine starts') : vscode.l10n.t('no schedule line ever fires');
      if (!next.atBoot) item.severity = vscode.LanguageStatusSeverity.Warning;
      return;
    }
    const when = formatRun(next.run, next.zone, {
      locale: settings.locale,
      ...(settings.use24HourTime !== undefined ? { use24HourTime: settings.use24HourTime } : {}),
    });
    item.text = vscode.l10n.t('$(clock) next run: {0}', when);
    const zone = next.zoneFromFile
      ? vscode.l10n.t('in {0} (the timezone line)', next.zone.name)
      : vscode.l10n.t("in {0} (this machine's time zone)", next.zone.name);
    item.detail = next.atBoot ? vscode.l10n.t('{0}; also at every boot', zone) : zone;
  };
  let pending: ReturnType<typeof setTimeout> | undefined;
  const soon = (): void => {
    if (pending) clearTimeout(pending);
    pending = setTimeout(refresh, 250);
  };
  // The next run moves on as time passes; a minute is cron's resolution.
  const ticking = setInterval(refresh, MINUTE);
  // Never the reason a process stays alive.
  ticking.unref?.();
  // After activation, not in it: the first next run loads the zone and date formats.
  soon();
  return vscode.Disposable.from(
    item,
    vscode.window.onDidChangeActiveTextEditor(refresh),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === vscode.window.activeTextEditor?.document) soon();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('bwdcSchedule')) refresh();
    }),
    { dispose: () => (clearInterval(ticking), pending && clearTimeout(pending)) },
  );
}
