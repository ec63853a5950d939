import vscode = require('vscode');
import type { HistoryState } from '../core/history/present';
import { resolveJob, type SyncJob } from '../core/schedule/job';
import { hostPlatform } from '../editor/convert';
import { scheduleModel } from '../editor/documents';
import { readHistory, type HistoryRequest } from '../host/history';
import { TimeZone } from '../core/cron/zone';
import { missedCheck, type MissedCheck } from '../core/history/missed';
import { taskInstallTime, timerInstallTime, type InstallTime } from '../host/installTime';
import { SpawnRunner } from '../host/process';
import { ScheduledTasks } from '../host/scheduledTask';
import { SYSTEM_UNIT_FOLDER } from '../host/systemctl';
import { crontabStateOf } from './crontabState';

/**
 * The runs of a schedule document's job, from its log, for the status item, the hover on the
 * `log` line and the Sync History document. Reading is synchronous but bounded
 * (src/host/history.ts: the log's last 64 KB first, at most 8 MB in all, never waiting on a
 * file), so it is asked directly, without a cache.
 */
export function historyOf(document: vscode.TextDocument, request: HistoryRequest): HistoryState {
  const job = historyJob(document);
  return typeof job === 'string' ? { kind: 'unavailable', reason: job } : readHistory(job, request);
}

/**
 * The missed runs of the document's job, from the runs read (historyOf) and when its schedule
 * took effect: its crontab block's install line (through the crontab state, which runs
 * `crontab -l` and keeps the answer a few seconds), or its timer unit file's time. Undefined
 * when the log could not be read anyway (the status says so already).
 */
export async function missedOf(document: vscode.TextDocument, state: HistoryState): Promise<MissedCheck | undefined> {
  if (state.kind !== 'runs' && state.kind !== 'missing') return undefined;
  const job = historyJob(document);
  if (typeof job === 'string') return undefined;
  return missedCheck(job, state, await installTime(document, job), Date.now(), TimeZone.host());
}

async function installTime(document: vscode.TextDocument, job: SyncJob): Promise<InstallTime> {
  const scheduler = job.scheduler ?? (job.platform === 'windows' ? 'task' : 'cron');
  if (scheduler === 'systemd') return timerInstallTime(job, SYSTEM_UNIT_FOLDER);
  if (scheduler === 'task') {
    // Task Scheduler is on Windows hosts only; elsewhere the file can be edited, not its task read.
    if (process.platform === 'win32') return taskInstallTime(job, new ScheduledTasks(new SpawnRunner()));
    return { kind: 'unknown', reason: vscode.l10n.t('the install time of a Task Scheduler task is not read on this machine') };
  }
  const crontab = await crontabStateOf(document);
  if (typeof crontab === 'string') return { kind: 'unknown', reason: vscode.l10n.t('the crontab could not be read: {0}', crontab) };
  if (crontab.installedAt) return { kind: 'known', at: Date.parse(crontab.installedAt.at) };
  if (!crontab.installed) return { kind: 'not-installed' };
  return {
    kind: 'unknown',
    reason: vscode.l10n.t(
      'its crontab block has no "# installed" line (an earlier version wrote it); to record the time, remove the job and install it again: bwdc-schedule crontab remove FILE, then bwdc-schedule crontab install FILE',
    ),
  };
}

/** The job whose log to read, or why there is none. */
function historyJob(document: vscode.TextDocument): SyncJob | string {
  if (document.uri.scheme !== 'file') return vscode.l10n.t('save the schedule file first: its log is found from where it is');
  const model = scheduleModel(document);
  // Reading the log runs no bwdc, so a bwdc missing from this machine's PATH (the editor's
  // PATH is not cron's) hides nothing; any other error does.
  const job =
    model.job().job ??
    resolveJob(
      { document: model.parsed, diagnostics: model.diagnostics },
      { hostPlatform: hostPlatform(), scheduleFile: document.uri.fsPath, bwdcOnPath: 'bwdc' },
    ).job;
  if (!job) {
    const error = model.diagnostics.find((diagnostic) => diagnostic.severity === 'error');
    return error
      ? vscode.l10n.t('fix the errors in the schedule file first; line {0}: {1}', error.range.start.line + 1, error.message)
      : vscode.l10n.t('fix the errors in the schedule file first');
  }
  const onWindows = hostPlatform() === 'windows';
  if (job.platform === 'windows' && !onWindows) return vscode.l10n.t('a Windows job: its log is on the Windows machine that runs it');
  if (job.platform !== 'windows' && onWindows) return vscode.l10n.t('a Linux or macOS job: its log is on the machine that runs it');
  return job;
}
