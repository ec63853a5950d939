import vscode = require('vscode');
import { taskPath, taskXml, TaskXmlError } from '../core/task/xml';
import type { TaskPart } from '../core/task/compare';
import { SpawnRunner } from '../host/process';
import { ScheduledTasks } from '../host/scheduledTask';
import { resolveDocumentJob } from '../features/jobs';
import { RecentPerDocument } from './recentPerDocument';

export interface TaskState {
  readonly task: string;
  /** undefined: not registered; []: registered as the file says. */
  readonly different?: readonly TaskPart[];
}

const recent = new RecentPerDocument<Promise<TaskState | string>>();

/**
 * The job's task in Task Scheduler (Windows hosts), or a sentence saying why it cannot be
 * known. Starts PowerShell, so results are kept a few seconds per document version.
 */
export function taskStateOf(document: vscode.TextDocument, version: string): Promise<TaskState | string> {
  return recent.get(document, () => compute(document, version));
}

export function forgetTaskState(): void {
  recent.clear();
}

async function compute(document: vscode.TextDocument, version: string): Promise<TaskState | string> {
  const result = resolveDocumentJob(document);
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
