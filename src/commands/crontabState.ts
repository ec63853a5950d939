import * as os from 'os';
import vscode = require('vscode');
import { resolveJob } from '../core/schedule/job';
import { crontabStatus, type CrontabStatus } from '../host/cronJob';
import { findOnPath, pathKind } from '../host/files';
import { SpawnRunner } from '../host/process';
import { hostPlatform } from '../features/convert';

const cache = new Map<string, { key: string; at: number; status: Promise<CrontabStatus | string> }>();

/**
 * The job's state in its crontab, or a sentence saying why it cannot be known. Runs
 * `crontab -l`, so results are kept a few seconds per document version.
 */
export function crontabStateOf(document: vscode.TextDocument): Promise<CrontabStatus | string> {
  const key = `${document.version}`;
  const cached = cache.get(document.uri.toString());
  if (cached && cached.key === key && Date.now() - cached.at < 5000) return cached.status;
  const status = compute(document);
  cache.set(document.uri.toString(), { key, at: Date.now(), status });
  return status;
}

export function forgetCrontabState(): void {
  cache.clear();
}

async function compute(document: vscode.TextDocument): Promise<CrontabStatus | string> {
  const bwdcOnPath = findOnPath('bwdc');
  const result = resolveJob(document.getText(), { scheduleFile: document.uri.fsPath, hostPlatform: hostPlatform(), pathKind, ...(bwdcOnPath ? { bwdcOnPath } : {}) });
  if (!result.job) return vscode.l10n.t('fix the errors first');
  if (result.job.platform === 'windows') return vscode.l10n.t('a Windows job (Task Scheduler)');
  const user = os.userInfo();
  try {
    return await crontabStatus(result.job, {
      runner: new SpawnRunner(),
      currentUser: { name: user.username, uid: user.uid, gid: user.gid },
      commandForAdmin: `bwdc-schedule crontab status "${document.uri.fsPath}"`,
    });
  } catch (error) {
    return (error as Error).message;
  }
}
