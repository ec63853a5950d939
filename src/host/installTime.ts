import * as fs from 'fs';
import * as path from 'path';
import { installedAt, locateBlock } from '../core/crontab/block';
import { registrationDate } from '../core/task/compare';
import { taskPath } from '../core/task/xml';
import { t } from '../core/l10n';
import type { SyncJob } from '../core/schedule/job';
import { unitNames } from '../core/systemd/units';
import type { UserInfo } from './accounts';
import { Crontab, crontabTarget } from './crontab';
import type { ProcessRunner } from './process';
import type { ScheduledTasks } from './scheduledTask';
import { SYSTEM_UNIT_FOLDER } from './systemctl';

/**
 * When a job's current schedule took effect on this machine, for missed runs
 * (core/history/missed.ts), or why that is not known:
 *
 * - cron: the `# installed TIME` line of the job's crontab block (core/crontab/block.ts),
 *   read with `crontab -l` (of the run-as user: root only, unless that is you);
 * - systemd: the modification time of the timer unit file in /etc/systemd/system: `systemd
 *   install` writes it when the timer changes (a unit file carries no install time of its own);
 * - Task Scheduler: the registered task's RegistrationInfo/Date, which `task install` writes
 *   (local time, as Task Scheduler shows it), read back with Export-ScheduledTask; a task
 *   registered otherwise may have none.
 */
export type InstallTime =
  | { readonly kind: 'known'; readonly at: number }
  | { readonly kind: 'unknown'; readonly reason: string }
  /** Not installed: no run is expected, so none is missed. */
  | { readonly kind: 'not-installed' };

export interface InstallTimeHost {
  readonly runner: ProcessRunner;
  readonly currentUser: UserInfo;
  /** How the user would run the command that asks (for the message when only root may read the crontab). */
  readonly commandForAdmin: string;
  /** Where systemd's unit files are (default /etc/systemd/system). */
  readonly unitFolder?: string;
  /** The registered tasks (Windows hosts); without it a task's install time is not read. */
  readonly tasks?: Pick<ScheduledTasks, 'read'>;
}

export async function installTimeOf(job: SyncJob, host: InstallTimeHost): Promise<InstallTime> {
  const scheduler = job.scheduler ?? (job.platform === 'windows' ? 'task' : 'cron');
  if (scheduler === 'systemd') return timerInstallTime(job, host.unitFolder ?? SYSTEM_UNIT_FOLDER);
  if (scheduler === 'task') {
    return host.tasks
      ? taskInstallTime(job, host.tasks)
      : { kind: 'unknown', reason: t('the install time of a Task Scheduler task is not read on this machine') };
  }
  let text: string;
  try {
    text = await new Crontab(host.runner, crontabTarget(job.runAs, host.currentUser, host.commandForAdmin)).read();
  } catch (error) {
    return { kind: 'unknown', reason: t('the crontab could not be read: {0}', error instanceof Error ? error.message : String(error)) };
  }
  const stamp = installedAt(text, job.name);
  if (stamp) return { kind: 'known', at: Date.parse(stamp.at) };
  if (locateBlock(text, job.name).kind === 'absent') return { kind: 'not-installed' };
  return {
    kind: 'unknown',
    reason: t(
      'its crontab block has no "# installed" line (an earlier version wrote it); to record the time, remove the job and install it again: bwdc-schedule crontab remove FILE, then bwdc-schedule crontab install FILE',
    ),
  };
}

/** The timer unit file's modification time: when `systemd install` last wrote it. */
export function timerInstallTime(job: Pick<SyncJob, 'name'>, unitFolder: string): InstallTime {
  const file = path.join(unitFolder, unitNames(job).timer);
  try {
    return { kind: 'known', at: fs.statSync(file).mtimeMs };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR'
      ? { kind: 'not-installed' }
      : { kind: 'unknown', reason: t('the timer unit {0} cannot be read ({1})', file, code ?? String(error)) };
  }
}

/** The registered task's RegistrationInfo/Date: when `task install` registered it. */
export async function taskInstallTime(job: SyncJob, tasks: Pick<ScheduledTasks, 'read'>): Promise<InstallTime> {
  let xml: string | undefined;
  try {
    xml = await tasks.read(taskPath(job));
  } catch (error) {
    return { kind: 'unknown', reason: t('the task could not be read: {0}', error instanceof Error ? error.message : String(error)) };
  }
  if (xml === undefined) return { kind: 'not-installed' };
  const date = registrationDate(xml);
  // Local time without a zone: Date.parse reads it in this machine's zone, the one Task Scheduler wrote it in.
  const at = date === undefined ? Number.NaN : Date.parse(date);
  if (Number.isNaN(at)) {
    return {
      kind: 'unknown',
      reason: t(
        'its task has no RegistrationInfo/Date (registered by hand or by an earlier version); install it again to record the time: bwdc-schedule task install FILE',
      ),
    };
  }
  return { kind: 'known', at };
}
