import vscode = require('vscode');
import { resolveJob } from '../core/schedule/job';
import { taskPath, taskXml, TaskXmlError } from '../core/task/xml';
import type { TaskPart } from '../core/task/compare';
import { findOnPath, pathKind } from '../host/files';
import { SpawnRunner } from '../host/process';
import { ScheduledTasks } from '../host/scheduledTask';
import { hostPlatform } from '../features/convert';

export interface TaskState {
  readonly task: string;
  /** undefined: not registered; []: registered as the file says. */
  readonly different?: readonly TaskPart[];
}

const cache = new Map<string, { key: string; at: number; state: Promise<TaskState | string> }>();

/**
 * The job's task in Task Scheduler (Windows hosts), or a sentence saying why it cannot be
 * known. Starts PowerShell, so results are kept a few seconds per document version.
 */
export function taskStateOf(document: vscode.TextDocument, version: string): Promise<TaskState | string> {
  const key = `${document.version}`;
  const cached = cache.get(document.uri.toString());
  if (cached && cached.key === key && Date.now() - cached.at < 5000) return cached.state;
  const state = compute(document, version);
  cache.set(document.uri.toString(), { key, at: Date.now(), state });
  return state;
}

export function forgetTaskState(): void {
  cache.clear();
}

async function compute(document: vscode.TextDocument, version: string): Promise<TaskState | string> {
  const bwdcOnPath = findOnPath('bwdc');
  const result = resolveJob(document.getText(), { scheduleFile: document.uri.fsPath, hostPlatform: hostPlatform(), pathKind, ...(bwdcOnPath ? { bwdcOnPath } : {}) });
  if (!result.job) return vscode.l10n.t('fix the errors first');
  if (result.job.platform !== 'windows') return vscode.l10n.t('a {0} job (cron)', result.job.platform);
  const task = taskPath(result.job);
  try {
    const different = await new ScheduledTasks(new SpawnRunner()).drift(taskXml(result.job, { version }), task);
    return { task, ...(different ? { different } : {}) };
  } catch (error) {
    if (error instanceof TaskXmlError) return error.message;
    return (error as Error).message;
  }
}
