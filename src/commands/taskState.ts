import vscode = require('vscode');
import { TaskXmlError } from '../core/task/xml';
import { pathKind } from '../host/files';
import { SpawnRunner } from '../host/process';
import { ScheduledTasks } from '../host/scheduledTask';
import { resolveDocumentJob } from '../editor/documents';
import { taskStatus } from '../workflows/task';
import type { TaskState } from '../editor/commandBundle';
import { RecentPerDocument } from '../editor/recentPerDocument';

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
  try {
    const status = await taskStatus(result.job, { tasks: new ScheduledTasks(new SpawnRunner()), version, pathKind });
    return { task: status.task, ...(status.status === 'not-installed' ? {} : { different: status.different }) };
  } catch (error) {
    if (error instanceof TaskXmlError) return error.message;
    return (error as Error).message;
  }
}
