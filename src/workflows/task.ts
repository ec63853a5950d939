import type { PathKind } from '../core/diagnostic';
import type { SyncJob } from '../core/schedule/job';
import { t } from '../core/l10n';
import type { TaskPart } from '../core/task/compare';
import { taskPath, taskXml } from '../core/task/xml';
import { installPreview, type ScheduledTasks } from '../host/scheduledTask';
import type { Outcome, WorkflowOptions, WorkflowUi } from './ui';

/**
 * The Task Scheduler commands' sequence, shared by the CLI and the editor, in the shape of the
 * crontab one: the task's XML from the schedule file, a preview of what changes (the registered
 * task's triggers, principal, action and settings against the new ones), a question, the run-as
 * password, and only then the change, read back and compared by the adapter. The front ends
 * differ only in how they show, ask and report.
 */

export interface TaskHost {
  /** The adapter to the machine's Task Scheduler (PowerShell's ScheduledTasks module). */
  readonly tasks: ScheduledTasks;
  readonly version: string;
  readonly pathKind: (path: string) => PathKind;
}

export interface TaskUi extends WorkflowUi {
  /** The run-as password, asked without echo; undefined when the user cancels. */
  password(prompt: string): Promise<string | undefined>;
}

/** A refusal the user can act on (the message says how); nothing was changed. */
export class TaskWorkflowError extends Error {}

export type TaskStatus = { readonly task: string; readonly status: 'installed' | 'different' | 'not-installed'; readonly different: readonly TaskPart[] };

/** Task Scheduler runs Windows jobs only: a file for another platform names that platform's paths. */
function assertWindowsJob(job: SyncJob): void {
  if (job.platform !== 'windows') {
    throw new TaskWorkflowError(
      t("{0} says platform {1}; set 'platform windows' for a Task Scheduler task (its paths must be Windows paths).", job.scheduleFile, job.platform),
    );
  }
}

export async function installTask(job: SyncJob, host: TaskHost, ui: TaskUi, options: WorkflowOptions = {}): Promise<Outcome> {
  assertWindowsJob(job);
  const runAs = job.runAs;
  if (!runAs)
    throw new TaskWorkflowError(
      t('{0}: the task runs "whether the user is logged on or not" as the run-as account; add a \'run-as HOST\\name\' line.', job.scheduleFile),
    );
  const xml = taskXml(job, { version: host.version, registrationDate: localDateTime(new Date()) });
  const name = taskPath(job);
  if (host.pathKind(job.script) !== 'file') {
    ui.warn(
      t(
        'The sync script {0} does not exist yet; the task will fail until it does (bwdc-schedule script {1}, or "bwdc: Generate Sync Script").',
        job.script,
        job.scheduleFile,
      ),
    );
  }
  const preview = await installPreview(host.tasks, xml, name);
  if (preview.installed && preview.registered === preview.expected) {
    return { done: true, message: t('{0} is registered and does what the schedule file says; nothing to change.', name) };
  }
  await ui.preview(t('Task {0}', name), preview.registered, preview.expected, {
    before: preview.installed ? t('{0} (registered)', name) : t('{0} (not registered)', name),
    after: t('{0} (after)', name),
  });
  if (options.dryRun) return { done: false, message: t('Dry run: nothing was written.'), stoppedBy: 'dry-run' };
  const question = preview.installed
    ? t('Replace the task {0}, running as {1} whether or not the user is logged on?', name, runAs)
    : t('Register the task {0}, running as {1} whether or not the user is logged on?', name, runAs);
  if (!(await ui.confirm(question, t('The diff shows its triggers, account, action and settings before and after.')))) {
    return { done: false, message: t('Nothing was changed.'), stoppedBy: 'declined' };
  }
  const entered = await ui.password(t('Password of {0} (Task Scheduler stores it to run the task when no one is logged on)', runAs));
  if (entered === undefined) return { done: false, message: t('Nothing was changed.'), stoppedBy: 'declined' };
  const password = entered.replace(/\r?\n$/, '').replace(/\r$/, '');
  if (password.length === 0)
    throw new TaskWorkflowError(t('No password was given; the task stores the run-as password at registration ("Run whether user is logged on or not").'));
  // Only the first line would reach Task Scheduler: refuse rather than register a wrong password.
  if (/[\r\n]/.test(password)) throw new TaskWorkflowError(t('The password input has more than one line; give only the password, on one line.'));
  await host.tasks.install(xml, name, runAs, password);
  return { done: true, message: t('Installed {0}: runs as {1} whether the user is logged on or not; read back and checked.', name, runAs) };
}

export async function removeTask(job: SyncJob, host: TaskHost, ui: TaskUi, options: WorkflowOptions = {}): Promise<Outcome> {
  assertWindowsJob(job);
  const name = taskPath(job);
  const notThere = { done: true, message: t('{0} is not registered in Task Scheduler; nothing to remove.', name) };
  if (!(await host.tasks.readWithAccount(name))) return notThere;
  if (options.dryRun) return { done: false, message: t('Dry run: nothing was written.'), stoppedBy: 'dry-run' };
  if (!(await ui.confirm(t('Remove {0} from Task Scheduler (only this task)?', name), t('Only this task is removed.')))) {
    return { done: false, message: t('Nothing was changed.'), stoppedBy: 'declined' };
  }
  if (!(await host.tasks.remove(name))) return notThere;
  return { done: true, message: t('Removed {0} from Task Scheduler.', name) };
}

/** Installed and equal to what the schedule file says, different (naming the parts), or not installed. */
export async function taskStatus(job: SyncJob, host: TaskHost): Promise<TaskStatus> {
  assertWindowsJob(job);
  const name = taskPath(job);
  const different = await host.tasks.drift(taskXml(job, { version: host.version }), name);
  return { task: name, status: different === undefined ? 'not-installed' : different.length === 0 ? 'installed' : 'different', different: different ?? [] };
}

/** `2026-12-04T21:41:00`: the machine's local time, as Task Scheduler writes RegistrationInfo/Date. */
function localDateTime(date: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
