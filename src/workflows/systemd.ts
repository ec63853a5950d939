import * as path from 'path';
import { t } from '../core/l10n';
import type { SyncJob } from '../core/schedule/job';
import { generateScript, scriptState } from '../core/script/generate';
import { unitDifference } from '../core/systemd/compare';
import { systemdUnits, unitNames, type UnitPair } from '../core/systemd/units';
import { accountHomeSync, accountIdsSync, currentUser, type AccountIds, type UserInfo } from '../host/accounts';
import { assertOurs, NotOursError, readTextIfExists, TextFileError } from '../host/files';
import { withLock, type ChangeLocks } from '../host/lock';
import { SpawnRunner, type ProcessRunner } from '../host/process';
import { LiveSystemctl, RootSystemctl, type Systemctl } from '../host/systemctl';
import { deleteUnitsTogether, writeUnitsTogether, type UnitBackups } from '../host/unitFiles';
import { ensureScript } from './script';
import type { Outcome, WorkflowOptions, WorkflowUi } from './ui';

/**
 * The systemd timer commands' sequence, shared by the CLI and the editor, in the shape of the
 * crontab one: the two unit files from the schedule file, a diff of each against what is
 * installed, a question, and only then the change: backups of the replaced units, both files
 * written together (see host/unitFiles.ts), read back, `systemctl daemon-reload` and
 * `enable --now` of the timer. Remove is `disable --now`, delete both (backups kept), reload.
 * A unit file of that name that bwdc Schedule did not write is never touched.
 */

export interface SystemdHost {
  readonly systemctl: Systemctl;
  readonly backups: UnitBackups;
  /** Serialises changes to one job's units across processes. */
  readonly locks: ChangeLocks;
  readonly currentUser: UserInfo;
  readonly version: string;
  /** An account's home folder (the units of a job without instance lines name bwdc's folder in it). */
  readonly home: (user: string) => string | undefined;
  /** An account's uid and gid (the sync script is written for run-as), undefined when there is none. */
  readonly accountIds: (user: string) => AccountIds | undefined;
  /** The same command as an admin would run it (for the message that root is needed). */
  readonly commandForAdmin: string;
}

/** What the status needs: no backups, locks or questions. */
export type SystemdStatusHost = Pick<SystemdHost, 'systemctl' | 'currentUser' | 'version' | 'home'>;

/** The machine's accounts, for a host built outside this file. */
export const machineAccounts = { home: accountHomeSync, accountIds: accountIdsSync } as const;

/** The status host for this machine's running systemd, or for a tree (`root`): `systemdStatus(job, systemdStatusHost(version))`. */
export function systemdStatusHost(version: string, options: { readonly root?: string; readonly runner?: ProcessRunner } = {}): SystemdStatusHost {
  return {
    systemctl: options.root !== undefined ? new RootSystemctl(options.root) : new LiveSystemctl(options.runner ?? new SpawnRunner()),
    currentUser: currentUser(),
    version,
    home: accountHomeSync,
  };
}

/** A refusal the user can act on (the message says how); nothing was changed. */
export class SystemdWorkflowError extends Error {}

/** A systemd timer is for a linux job whose file says `scheduler systemd`. */
function assertTimerJob(job: SyncJob): void {
  if (job.platform !== 'linux') throw new SystemdWorkflowError(t('{0} says platform {1}; systemd timers are for linux.', job.scheduleFile, job.platform));
  if (job.scheduler !== 'systemd')
    throw new SystemdWorkflowError(
      t(
        "{0} says scheduler {1}; add the line 'scheduler systemd' first, so that the job is not also started by cron, and check and the editor hold its schedule lines to what a timer can do.",
        job.scheduleFile,
        job.scheduler ?? 'cron',
      ),
    );
}

/** The units the schedule file gives; the account without a home is taken to have the usual one. */
export function expectedUnits(job: SyncJob, host: Pick<SystemdHost, 'currentUser' | 'version' | 'home'>, warn?: (message: string) => void): UnitPair {
  const user = job.runAs ?? host.currentUser.name;
  let home: string | undefined;
  if (job.instances.length === 0) {
    home = host.home(user);
    if (home === undefined) {
      home = user === 'root' ? '/root' : `/home/${user}`;
      warn?.(t("The account {0} does not exist on this machine; its home folder is taken to be {1} (bwdc's default folder is in it).", user, home));
    }
  }
  return systemdUnits(job, { version: host.version, currentUser: host.currentUser.name, ...(home ? { home } : {}) });
}

interface UnitOnDisk {
  readonly unit: string;
  readonly file: string;
  /** Undefined: there is no such file. */
  readonly text: string | undefined;
}

/** A unit file's text, after checking bwdc Schedule wrote it; SystemdWorkflowError names a foreign one. */
function readOurUnit(unit: string, folder: string): UnitOnDisk {
  const file = path.join(folder, unit);
  try {
    assertOurs(file, 'systemd-unit');
    return { unit, file, text: readTextIfExists(file) };
  } catch (error) {
    if (error instanceof NotOursError)
      throw new SystemdWorkflowError(
        t('{0} exists and was not written by bwdc Schedule, so nothing was changed. Move it away, or give the job another name.', file),
      );
    if (error instanceof TextFileError) throw new SystemdWorkflowError(t('{0}; nothing was changed.', error.message));
    throw error;
  }
}

function needsRoot(host: Pick<SystemdHost, 'systemctl' | 'currentUser' | 'commandForAdmin'>, what: string): Outcome | undefined {
  if (host.systemctl.root !== undefined || host.currentUser.uid === 0) return undefined;
  return {
    done: false,
    message: t(
      '{0} needs root: the unit files go to {1} and systemctl must reload systemd. Run:\n  sudo {2}',
      what,
      host.systemctl.unitFolder,
      host.commandForAdmin,
    ),
  };
}

/** Root writes the units for systemd: root-owned, readable by all, as systemctl expects them. */
function unitWriteOptions(host: Pick<SystemdHost, 'currentUser'>): { mode: number; owner?: { uid: number; gid: number } } {
  return { mode: 0o644, ...(host.currentUser.uid === 0 ? { owner: { uid: 0, gid: 0 } } : {}) };
}

/** The timer runs the sync script: say so when it is missing or not the one this file generates. */
function warnAboutScript(job: SyncJob, version: string, ui: WorkflowUi): void {
  let script: string | undefined;
  try {
    script = readTextIfExists(job.script);
  } catch (error) {
    // The run-as user's own script (mode 700) when we are not root: nothing to say about it.
    if (error instanceof TextFileError && error.problem === 'permission') return;
    ui.warn(t('The sync script cannot be checked: {0}.', (error as Error).message));
    return;
  }
  if (scriptState(script, generateScript(job, version).fingerprint) === 'current') return;
  ui.warn(
    script === undefined
      ? t('The sync script {0} does not exist yet; the timer will fail until it does (bwdc-schedule script {1}).', job.script, job.scheduleFile)
      : t('The sync script {0} is not the one this file generates now; write it again (bwdc-schedule script {1}).', job.script, job.scheduleFile),
  );
}

export async function installSystemdTimer(job: SyncJob, host: SystemdHost, ui: WorkflowUi, options: WorkflowOptions = {}): Promise<Outcome> {
  assertTimerJob(job);
  const units = expectedUnits(job, host, (message) => ui.warn(message));
  const folder = host.systemctl.unitFolder;
  const wanted = [units.service, units.timer];
  const onDisk = wanted.map((unit) => readOurUnit(unit.name, folder));
  const live = host.systemctl.root === undefined;
  if (live && host.currentUser.uid === 0) {
    // As with a crontab line: the timer is installed only beside the script this file generates.
    const owner = job.runAs !== undefined && job.runAs !== 'root' ? host.accountIds(job.runAs) : undefined;
    if (job.runAs !== undefined && job.runAs !== 'root' && owner === undefined)
      throw new SystemdWorkflowError(
        t('The user {0} does not exist on this machine. Create it first: {1}', job.runAs, `useradd --system --create-home ${job.runAs}`),
      );
    const why = t('The timer runs this script by its absolute path (ExecStart= of {0}).', units.service.name);
    if (!(await ensureScript(job, host.version, ui, options, owner, why, (message) => new SystemdWorkflowError(message))))
      return { done: false, message: t('Nothing was changed: the sync script was not written.'), stoppedBy: 'declined' };
  } else {
    // A tree (--root) is another machine's file system, and without root the script cannot be written for run-as.
    warnAboutScript(job, host.version, ui);
  }
  const changes = wanted.map((unit, index) => ({ unit: unit.name, file: onDisk[index]!.file, text: unit.text, before: onDisk[index]!.text }));
  const changed = changes.filter((change) => change.before !== change.text);
  const enabled = await host.systemctl.isEnabled(units.timer.name);
  if (changed.length === 0 && enabled)
    return { done: true, message: t('{0} is installed and enabled as the schedule file says; nothing to change.', units.timer.name) };
  for (const change of changed) {
    await ui.preview(change.file, change.before ?? '', change.text, {
      before: change.before === undefined ? t('{0} (not installed)', change.file) : t('{0} (now)', change.file),
      after: t('{0} (after)', change.file),
    });
  }
  if (changed.length === 0) ui.say(t('The unit files are as the schedule file says, but {0} is not enabled.', units.timer.name));
  if (options.dryRun) return { done: false, message: t('Dry run: nothing was written.'), stoppedBy: 'dry-run' };
  const refused = needsRoot(host, t('Installing a systemd timer'));
  if (refused) return refused;
  if (
    !(await ui.confirm(
      t('Install {0} and {1} in {2}, and enable the timer?', units.service.name, units.timer.name, folder),
      live
        ? t('Replaced unit files are backed up first; then systemctl daemon-reload and systemctl enable --now {0}.', units.timer.name)
        : t('Replaced unit files are backed up first; the timer is enabled in the tree (no systemd is asked).'),
    ))
  ) {
    return { done: false, message: t('Nothing was changed.'), stoppedBy: 'declined' };
  }
  const backups = await withLock(host.locks, `systemd-${job.name}`, t('the units of {0}', job.name), async () => {
    // Read again right before writing: someone may have changed a unit since the preview.
    const writes = [];
    for (const change of changes) {
      const now = readOurUnit(change.unit, folder).text;
      if (now !== change.before && !options.replanIfChanged)
        throw new SystemdWorkflowError(t('{0} changed since the preview. Nothing was written; look at it again and retry.', change.file));
      if (now !== change.text) writes.push({ ...change, before: now });
    }
    const saved = writes.flatMap((write) => (write.before === undefined ? [] : [host.backups.save(write.unit, write.before)]));
    try {
      writeUnitsTogether(writes, unitWriteOptions(host));
    } catch (error) {
      throw new SystemdWorkflowError(
        t(
          'Could not write the units in {0} ({1}); the unit files were left as they were.',
          folder,
          (error as NodeJS.ErrnoException).code ?? (error as Error).message,
        ),
      );
    }
    for (const write of writes) {
      if (readTextIfExists(write.file) !== write.text) throw new SystemdWorkflowError(t('{0} does not read back as written; check it by hand.', write.file));
    }
    if (writes.length > 0) await host.systemctl.daemonReload();
    await host.systemctl.enableNow(units.timer.name);
    return saved;
  });
  const kept = backups.length > 0 ? ` ${t('The previous units are kept in {0}.', backups.join(', '))}` : '';
  return {
    done: true,
    message: live
      ? t('Installed {0} and {1}; the timer is enabled and started.', units.service.name, units.timer.name) + kept
      : t('Installed {0} and {1} in {2}; the timer is enabled there.', units.service.name, units.timer.name, folder) + kept,
  };
}

/** Removes the job's two units (by its name: possible also after the file switched to cron). */
export async function removeSystemdTimer(name: string, host: SystemdHost, ui: WorkflowUi, options: WorkflowOptions = {}): Promise<Outcome> {
  const names = unitNames({ name });
  const folder = host.systemctl.unitFolder;
  const onDisk = [names.service, names.timer].map((unit) => readOurUnit(unit, folder));
  const present = onDisk.filter((unit) => unit.text !== undefined);
  const enabled = await host.systemctl.isEnabled(names.timer);
  if (present.length === 0 && !enabled) return { done: true, message: t('{0} is not installed in {1}; nothing to remove.', names.timer, folder) };
  for (const unit of present) await ui.preview(unit.file, unit.text ?? '', '', { before: t('{0} (now)', unit.file), after: t('{0} (removed)', unit.file) });
  if (options.dryRun) return { done: false, message: t('Dry run: nothing was written.'), stoppedBy: 'dry-run' };
  const refused = needsRoot(host, t('Removing a systemd timer'));
  if (refused) return refused;
  if (
    !(await ui.confirm(
      t('Stop and remove {0} and {1}?', names.timer, names.service),
      t('The timer is disabled and stopped, both unit files are deleted (backups are kept), and systemd reloads; nothing else changes.'),
    ))
  ) {
    return { done: false, message: t('Nothing was changed.'), stoppedBy: 'declined' };
  }
  const backups = await withLock(host.locks, `systemd-${name}`, t('the units of {0}', name), async () => {
    const now = [names.service, names.timer].map((unit) => readOurUnit(unit, folder));
    for (const [index, unit] of now.entries()) {
      if (unit.text !== onDisk[index]!.text && !options.replanIfChanged)
        throw new SystemdWorkflowError(t('{0} changed since the preview. Nothing was changed; look at it again and retry.', unit.file));
    }
    const timer = now[1]!;
    if (timer.text !== undefined || (await host.systemctl.isEnabled(names.timer))) await host.systemctl.disableNow(names.timer);
    const existing = now.flatMap((unit) => (unit.text === undefined ? [] : [{ unit: unit.unit, file: unit.file, before: unit.text }]));
    const saved = existing.map((unit) => host.backups.save(unit.unit, unit.before));
    try {
      deleteUnitsTogether(existing, unitWriteOptions(host));
    } catch (error) {
      throw new SystemdWorkflowError(
        t(
          'Could not delete the units in {0} ({1}); the timer is disabled, the unit files were left as they were.',
          folder,
          (error as NodeJS.ErrnoException).code ?? (error as Error).message,
        ),
      );
    }
    await host.systemctl.daemonReload();
    return saved;
  });
  const kept = backups.length > 0 ? ` ${t('Backups: {0}.', backups.join(', '))}` : '';
  return { done: true, message: t('Removed {0} and {1} from {2}.', names.timer, names.service, folder) + kept };
}

export interface UnitStatus {
  readonly unit: string;
  readonly file: string;
  /** same: as the schedule file gives it; foreign: a file of that name bwdc Schedule did not write. */
  readonly state: 'same' | 'different' | 'missing' | 'foreign';
  /** For `different`: the installed file's lines the generated one lacks, and the other way round. */
  readonly installedOnly: readonly string[];
  readonly expectedOnly: readonly string[];
}

export interface SystemdStatus {
  readonly timer: string;
  readonly service: string;
  /** installed: both files as the schedule file gives them and the timer enabled. */
  readonly status: 'installed' | 'different' | 'not-installed';
  readonly enabled: boolean;
  readonly units: readonly UnitStatus[];
  /** From `systemctl show` (not with --root): the timer's next elapse and last trigger, the service's last result. */
  readonly live?: {
    readonly nextElapse?: string;
    readonly lastTrigger?: string;
    readonly timerState?: string;
    readonly lastResult?: string;
    readonly serviceState?: string;
    readonly exitStatus?: string;
  };
  /** Why `live` is missing when systemctl could not answer. */
  readonly liveError?: string;
}

/** systemctl prints `n/a`, `0` or nothing for times that never were. */
function shown(value: string | undefined): string | undefined {
  return value === undefined || value === '' || value === 'n/a' || value === '0' ? undefined : value;
}

/**
 * The job's units: installed as the schedule file gives them / different (which lines) / not
 * installed, and, on the running system, when the timer elapses next and how the last run
 * ended. Needs no root. (doctor calls this: `systemdStatus(job, host)`.)
 */
export async function systemdStatus(job: SyncJob, host: SystemdStatusHost): Promise<SystemdStatus> {
  if (job.platform !== 'linux') throw new SystemdWorkflowError(t('{0} says platform {1}; systemd timers are for linux.', job.scheduleFile, job.platform));
  const units = expectedUnits(job, host);
  const folder = host.systemctl.unitFolder;
  const compared: UnitStatus[] = [units.service, units.timer].map((unit) => {
    const file = path.join(folder, unit.name);
    let text: string | undefined;
    try {
      assertOurs(file, 'systemd-unit');
      text = readTextIfExists(file);
    } catch {
      return { unit: unit.name, file, state: 'foreign', installedOnly: [], expectedOnly: [] };
    }
    if (text === undefined) return { unit: unit.name, file, state: 'missing', installedOnly: [], expectedOnly: [] };
    if (text === unit.text) return { unit: unit.name, file, state: 'same', installedOnly: [], expectedOnly: [] };
    return { unit: unit.name, file, state: 'different', ...unitDifference(text, unit.text) };
  });
  const enabled = await host.systemctl.isEnabled(units.timer.name);
  const status = compared.every((unit) => unit.state === 'missing')
    ? 'not-installed'
    : compared.every((unit) => unit.state === 'same') && enabled
      ? 'installed'
      : 'different';
  const base = { timer: units.timer.name, service: units.service.name, status, enabled, units: compared } as const;
  if (host.systemctl.root !== undefined || status === 'not-installed') return base;
  try {
    const timer = await host.systemctl.show(units.timer.name, ['NextElapseUSecRealtime', 'LastTriggerUSec', 'ActiveState']);
    const service = await host.systemctl.show(units.service.name, ['Result', 'ActiveState', 'ExecMainStatus']);
    if (!timer || !service) return base;
    const live = {
      nextElapse: shown(timer['NextElapseUSecRealtime']),
      lastTrigger: shown(timer['LastTriggerUSec']),
      timerState: shown(timer['ActiveState']),
      lastResult: shown(service['Result']),
      serviceState: shown(service['ActiveState']),
      // Unlike the times, an exit status of 0 says something (when the service ran at all).
      exitStatus: shown(service['Result']) !== undefined ? service['ExecMainStatus'] || undefined : undefined,
    };
    return { ...base, live: Object.fromEntries(Object.entries(live).filter(([, value]) => value !== undefined)) };
  } catch (error) {
    return { ...base, liveError: (error as Error).message };
  }
}
