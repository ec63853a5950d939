import * as path from 'path';
import vscode = require('vscode');
import { hostZoneName } from '../core/cron/zone';
import type { HistoryPresentation } from '../core/history/present';
import { displayZone } from '../core/schedule/hover';
import { scheduleModel } from './documents';
import { presentationSettings } from './settings';

/** The read-only Sync History documents: one per schedule file, Markdown, made from its job's log. */
export const HISTORY_SCHEME = 'bwdc-schedule-history';
const SUFFIX = '.history.md';

/** The Sync History document of a schedule file: `…/weekly-sync.bwdc-schedule.history.md`. */
export function historyUri(scheduleFile: vscode.Uri): vscode.Uri {
  return scheduleFile.with({ scheme: HISTORY_SCHEME, path: `${scheduleFile.path}${SUFFIX}` });
}

/** The schedule file a Sync History document is of. */
export function scheduleUriOf(history: vscode.Uri): vscode.Uri | undefined {
  return history.scheme === HISTORY_SCHEME && history.path.endsWith(SUFFIX)
    ? history.with({ scheme: 'file', path: history.path.slice(0, -SUFFIX.length) })
    : undefined;
}

/** How a schedule document's runs are shown: now, in its zone (as its next runs are), in the reader's language. */
export function historyPresentation(document: vscode.TextDocument): HistoryPresentation {
  const settings = presentationSettings(document);
  const job = scheduleModel(document).job().job;
  return {
    ...(job ? { scheduler: job.scheduler ?? (job.platform === 'windows' ? 'task' : 'cron') } : {}),
    now: Date.now(),
    zone: displayZone(scheduleModel(document).parsed, hostZoneName()).zone,
    locale: settings.locale,
    ...(settings.use24HourTime !== undefined ? { use24HourTime: settings.use24HourTime } : {}),
    scheduleFile: document.uri.fsPath,
  };
}

/**
 * Tells when one log file is written, created or removed (rotation renames it), wherever it is:
 * one file system watcher on its folder, for the log shown now. A folder the editor may not read
 * (another user's home) gives no events, and nothing to show either.
 */
export class LogWatcher implements vscode.Disposable {
  private watched: string | undefined;
  private listeners: vscode.Disposable[] = [];

  constructor(private readonly changed: () => void) {}

  /** Watches this log instead of the one before (undefined: none); the same log is left as it is. */
  watch(log: string | undefined): void {
    if (log === this.watched) return;
    this.stop();
    this.watched = log;
    if (log === undefined) return;
    const name = path.basename(log);
    // A name with glob characters is watched through its whole folder, the events filtered.
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.file(path.dirname(log)), /[[\]{}*?!,]/.test(name) ? '*' : name),
    );
    const event = (uri: vscode.Uri): void => {
      if (uri.fsPath === log) this.changed();
    };
    this.listeners = [watcher, watcher.onDidChange(event), watcher.onDidCreate(event), watcher.onDidDelete(event)];
  }

  dispose(): void {
    this.stop();
    this.watched = undefined;
  }

  private stop(): void {
    for (const listener of this.listeners) listener.dispose();
    this.listeners = [];
  }
}
