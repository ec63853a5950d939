import vscode = require('vscode');
import { taskPath, TaskXmlError } from '../core/task/xml';
import { hostPlatform } from '../editor/convert';
import { commandJob } from '../editor/documents';
import { pathKind } from '../host/files';
import { SpawnRunner } from '../host/process';
import { ScheduledTaskError, ScheduledTasks } from '../host/scheduledTask';
import { installTask, removeTask, TaskWorkflowError } from '../workflows/task';
import type { CommandContext } from '../editor/context';
import { editorWorkflowUi } from './workflow';

type Action = 'install' | 'remove';

/**
 * "bwdc: Install Task Scheduler Task" and "Remove Task Scheduler Task" (Windows hosts only): the
 * Task Scheduler workflow (workflows/task.ts, the CLI's too) with a diff editor, a modal question
 * and a password box; the password goes to PowerShell on stdin, never on a command line.
 */
export async function taskCommand(action: Action, context: CommandContext, argument?: unknown): Promise<string | undefined> {
  const { version, log, changed, previews } = context;
  const chosen = await commandJob(argument);
  if (!chosen) return undefined;
  const { job } = chosen;
  const refuse = (message: string): undefined => {
    void vscode.window.showErrorMessage(message);
    return undefined;
  };
  if (hostPlatform() !== 'windows')
    return refuse(vscode.l10n.t('Task Scheduler is on Windows. Here, use "bwdc: Export Task Scheduler XML" and import the file on the server.'));
  const host = { tasks: new ScheduledTasks(new SpawnRunner((line) => log.info(line))), version, pathKind };
  try {
    const outcome = action === 'install' ? await installTask(job, host, editorWorkflowUi(context)) : await removeTask(job, host, editorWorkflowUi(context));
    await previews.closeAll();
    if (outcome.stoppedBy === 'declined') return undefined;
    void vscode.window.showInformationMessage(outcome.message);
    return outcome.done ? taskPath(job) : undefined;
  } catch (error) {
    if (error instanceof ScheduledTaskError || error instanceof TaskXmlError || error instanceof TaskWorkflowError) return refuse(error.message);
    throw error;
  } finally {
    changed.fire();
  }
}
