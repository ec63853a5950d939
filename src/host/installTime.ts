import * as fs from 'fs';
import * as path from 'path';
import { installedAt, locateBlock } from '../core/crontab/block';
import { t } from '../core/l10n';
import type { SyncJob } from '../core/schedule/job';
import { unitNames } from '../core/systemd/units';
import type { UserInfo } from './accounts';
import { Crontab, crontabTarget } from './crontab';
import type { ProcessRunner } from './process';
import { SYSTEM_UNIT_FOLDER } from './systemctl';

/**
 * When a job's current schedule took effect on this machine, for missed runs
 * (core/history/missed.ts), or why that is not known:
 *
 * - cron: the `# installed TIME` line of the job's crontab block (core/crontab/block.ts),
 *   read with `crontab -l` (of the run-as user: root only, unless that is you);
 * - systemd: the modification time of the timer unit file in /etc/systemd/system: `systemd
 *   install` writes it when the timer changes (a unit file carries no install time of its own);
 * - Task Scheduler: not read here (the task's RegistrationInfo/Date is written on install, for
 *   Windows to show; reading it back needs PowerShell on the machine that runs the task).
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
}

export async function installTimeOf(job: SyncJob, host: InstallTimeHost): Promise<InstallTime> {
  const scheduler = job.scheduler ?? (job.platform === 'windows' ? 'task' : 'cron');
  if (scheduler === 'systemd') return timerInstallTime(job, host.unitFolder ?? SYSTEM_UNIT_FOLDER);
  if (scheduler === 'task') {
    return { kind: 'unknown', reason: t('the install time of a Task Scheduler task is not read on this machine') };
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
