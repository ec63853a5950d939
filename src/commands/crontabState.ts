import vscode = require('vscode');
import { currentUser } from '../host/accounts';
import { crontabStatus, type CrontabStatus } from '../workflows/crontab';
import { SpawnRunner } from '../host/process';
import { resolveDocumentJob } from '../editor/documents';
import { RecentPerDocument } from '../editor/recentPerDocument';

const recent = new RecentPerDocument<Promise<CrontabStatus | string>>();

/**
 * The job's state in its crontab, or a sentence saying why it cannot be known. Runs
 * `crontab -l`, so results are kept a few seconds per document version.
 */
export function crontabStateOf(document: vscode.TextDocument): Promise<CrontabStatus | string> {
  return recent.get(document, () => compute(document));
}

export function forgetCrontabState(): void {
  recent.clear();
}

async function compute(document: vscode.TextDocument): Promise<CrontabStatus | string> {
  const result = resolveDocumentJob(document);
  if (!result.job) return vscode.l10n.t('fix the errors first');
  if (result.job.platform === 'windows') return vscode.l10n.t('a Windows job (Task Scheduler)');
  if (result.job.scheduler === 'systemd') return vscode.l10n.t('a systemd timer starts this job (see the systemd status item)');
  try {
    return await crontabStatus(result.job, {
      runner: new SpawnRunner(),
      currentUser: currentUser(),
      commandForAdmin: `bwdc-schedule crontab status "${document.uri.fsPath}"`,
    });
  } catch (error) {
    return (error as Error).message;
  }
}
