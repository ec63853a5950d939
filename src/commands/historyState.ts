import vscode = require('vscode');
import type { HistoryState } from '../core/history/present';
import { resolveJob, type SyncJob } from '../core/schedule/job';
import { hostPlatform } from '../editor/convert';
import { scheduleModel } from '../editor/documents';
import { readHistory, type HistoryRequest } from '../host/history';

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
