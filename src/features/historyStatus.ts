import vscode = require('vscode');
import type { MissedCheck } from '../core/history/missed';
import { lastRunStatus, type HistorySeverity } from '../core/history/present';
import { commands } from '../editor/commandBundle';
import { SCHEDULE_SELECTOR } from '../editor/convert';
import { historyPresentation, LogWatcher } from '../editor/history';
import { SHOW_HISTORY_COMMAND } from '../editor/ids';

/** The newest runs read for the status item: the last sync is the newest that is not a test run. */
const RUNS = 5;
/** Edits and log lines come in bursts: read once they pause. */
const QUIET_MS = 300;

const SEVERITY: Readonly<Record<HistorySeverity, vscode.LanguageStatusSeverity>> = {
  information: vscode.LanguageStatusSeverity.Information,
  warning: vscode.LanguageStatusSeverity.Warning,
  error: vscode.LanguageStatusSeverity.Error,
};

/**
 * A language status item on schedule files: how the last sync went, from the job's log ("last
 * sync Mon 12:00: 2 of 2 ok", or which instance failed and why), with the whole story in its
 * detail and the Sync History a click away. It reads the log (the end of it, bounded; see
 * src/host/history.ts) when the active schedule file changes and when the log does: one file
 * system watcher, on the log of the file shown. Nothing is read until a schedule file is shown.
 */
export function registerHistoryStatus(): vscode.Disposable {
  const item = vscode.languages.createLanguageStatusItem('bwdcSchedule.history', SCHEDULE_SELECTOR);
  item.name = vscode.l10n.t('bwdc last sync');
  item.text = vscode.l10n.t('last sync: not read yet');
  let pending: ReturnType<typeof setTimeout> | undefined;
  const soon = (): void => {
    if (pending) clearTimeout(pending);
    pending = setTimeout(refresh, QUIET_MS);
  };
  const watcher = new LogWatcher(soon);
  const refresh = (): void => {
    pending = undefined;
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== 'bwdc-schedule') return;
    const state = commands().historyOf(document, { runs: RUNS });
    watcher.watch('log' in state ? state.log : undefined);
    const show = (missed?: MissedCheck): void => {
      const shown = lastRunStatus(state, historyPresentation(document), missed);
      item.text = shown.text;
      item.detail = shown.detail;
      item.severity = SEVERITY[shown.severity];
    };
    show();
    item.command =
      document.uri.scheme === 'file' ? { title: vscode.l10n.t('Show History'), command: SHOW_HISTORY_COMMAND, arguments: [document.uri] } : undefined;
    // Missed runs need the install time (crontab -l): shown when it comes, unless something newer was read meanwhile.
    const asked = ++generation;
    void commands()
      .missedOf(document, state)
      .then((missed) => {
        if (asked === generation && missed) show(missed);
      })
      .catch(() => undefined);
  };
  let generation = 0;
  // After the language starts, not in it.
  soon();
  return vscode.Disposable.from(
    item,
    watcher,
    vscode.window.onDidChangeActiveTextEditor(soon),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === vscode.window.activeTextEditor?.document && event.document.languageId === 'bwdc-schedule') soon();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('bwdcSchedule')) soon();
    }),
    { dispose: () => pending && clearTimeout(pending) },
  );
}
