import vscode = require('vscode');
import { taskPath, taskXml, TaskXmlError } from '../core/task/xml';
import { hostPlatform } from '../features/convert';
import { commandJob } from '../features/jobs';
import { SpawnRunner } from '../host/process';
import { installPreview, ScheduledTaskError, ScheduledTasks } from '../host/scheduledTask';
import type { CommandContext } from './context';
import { editorWorkflowUi } from './workflow';

type Action = 'install' | 'remove';

/**
 * "bwdc: Install Task Scheduler Task" and "Remove Task Scheduler Task" (Windows hosts only):
 * the password is asked in a password box and handed to PowerShell on stdin, never on a
 * command line; the registered task is read back and compared.
 */
export async function taskCommand(action: Action, context: CommandContext, argument?: unknown): Promise<string | undefined> {
  const { version, prompts, log, changed, previews } = context;
  const chosen = await commandJob(argument);
  if (!chosen) return undefined;
  const { job } = chosen;
  const refuse = (message: string): undefined => {
    void vscode.window.showErrorMessage(message);
    return undefined;
  };
  if (hostPlatform() !== 'windows') return refuse(vscode.l10n.t('Task Scheduler is on Windows. Here, use "bwdc: Export Task Scheduler XML" and import the file on the server.'));
  if (job.platform !== 'windows') return refuse(vscode.l10n.t('This schedule is for {0}: it is installed with cron, not Task Scheduler.', job.platform));
  const tasks = new ScheduledTasks(new SpawnRunner((line) => log.info(line)));
  const where = taskPath(job);
  try {
    if (action === 'remove') {
      if (!(await prompts.current.confirm(vscode.l10n.t('Remove the task {0}?', where), vscode.l10n.t('Only this task is removed.'), vscode.l10n.t('Remove')))) return undefined;
      await tasks.remove(where);
      void vscode.window.showInformationMessage(vscode.l10n.t('Removed the task {0}.', where));
      return where;
    }
    if (!job.runAs) return refuse(vscode.l10n.t("Add a 'run-as' line: the task runs as that account whether or not it is logged on."));
    const xml = taskXml(job, { version });
    const preview = await installPreview(tasks, xml, where);
    if (preview.installed && preview.registered === preview.expected) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The task {0} is registered and does what the schedule file says; nothing to change.', where));
      return where;
    }
    await editorWorkflowUi(context).preview(vscode.l10n.t('Task {0}', where), preview.registered, preview.expected);
    const question = preview.installed
      ? vscode.l10n.t('Replace the task {0}, running as {1} whether or not the user is logged on?', where, job.runAs)
      : vscode.l10n.t('Register the task {0}, running as {1} whether or not the user is logged on?', where, job.runAs);
    const confirmed = await prompts.current.confirm(question, vscode.l10n.t('The diff shows its triggers, account, action and settings before and after.'), vscode.l10n.t('Yes, change it'));
    await previews.closeAll();
    if (!confirmed) return undefined;
    const password = await prompts.current.password(vscode.l10n.t('Password of {0} (Task Scheduler stores it to run the task when no one is logged on)', job.runAs), (value) =>
      value.length === 0 ? vscode.l10n.t('The password cannot be empty.') : undefined,
    );
    if (password === undefined) return undefined;
    await tasks.install(xml, where, job.runAs, password);
    void vscode.window.showInformationMessage(vscode.l10n.t('Installed the task {0}, running as {1}.', where, job.runAs));
    return where;
  } catch (error) {
    if (error instanceof ScheduledTaskError || error instanceof TaskXmlError) return refuse(error.message);
    throw error;
  } finally {
    changed.fire();
  }
}
