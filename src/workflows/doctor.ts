import * as path from 'path';
import { runChecks, type DoctorReport } from '../core/doctor/checks';
import { t } from '../core/l10n';
import type { DataJsonFinding, DoctorSnapshot, InstalledFacts, InstanceFacts, SchedulerFacts, SecretFacts } from '../core/doctor/snapshot';
import { jobFingerprint, type SyncJob } from '../core/schedule/job';
import { scriptState } from '../core/script/generate';
import { accountHomeSync, accountIds, type UserInfo } from '../host/accounts';
import { CrontabError } from '../host/crontab';
import { checkDataJsonFile } from '../host/dataJsonFile';
import { fileHead, findOnPath, pathKind } from '../host/files';
import { bwdcVersion, cronDaemonPid, daemonZone, nativeModuleOf, pathFacts, RunAsAccess, taskSchedulerService } from '../host/probes';
import type { ProcessRunner } from '../host/process';
import { ScheduledTasks } from '../host/scheduledTask';
import { LiveSystemctl } from '../host/systemctl';
import { crontabStatus, readAccessFiles } from './crontab';
import { systemdStatus } from './systemd';
import { taskStatus } from './task';

/**
 * `doctor` / "bwdc: Check Setup": asks the machine everything a scheduled sync depends on (the
 * small probes of host/probes.ts and the status functions of the crontab, systemd and task
 * workflows), then judges the answers with core/doctor. Only reads; the one bwdc it starts runs
 * with a throwaway app-data folder.
 */

export interface DoctorHost {
  readonly runner: ProcessRunner;
  readonly currentUser: UserInfo;
  readonly version: string;
  /** Overrides the questions about the scheduler (the Task Scheduler service, in tests elsewhere than Windows). */
  readonly scheduler?: (job: SyncJob) => Promise<SchedulerFacts>;
}

const PLAINTEXT_VARIABLE = 'BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS';

export async function checkSetup(job: SyncJob, host: DoctorHost): Promise<DoctorReport> {
  return runChecks(await gatherSnapshot(job, host));
}

export async function gatherSnapshot(job: SyncJob, host: DoctorHost): Promise<DoctorSnapshot> {
  const user = job.runAs ?? host.currentUser.name;
  const ids = await accountIds(user, host.runner);
  const access = new RunAsAccess(user, host.currentUser, ids !== undefined, host.runner);
  const home = ids ? accountHomeSync(user) : undefined;
  const plaintext = job.env.some((line) => line.name === PLAINTEXT_VARIABLE && line.value === 'true');

  const head = fileHead(job.script);
  const script = {
    ...(await pathFacts(job.script, access, ['read', 'execute'])),
    state: scriptState(head === 'not-a-file' ? '' : head, jobFingerprint(job, host.version)),
  };
  const bwdcFile = await pathFacts(job.bwdc, access, ['execute']);
  const bwdc = {
    file: bwdcFile,
    ...nativeModuleOf(job.bwdc),
    version:
      bwdcFile.kind !== 'file'
        ? ({ ran: false, reason: t('there is no file at {0}', job.bwdc) } as const)
        : access.how === 'none'
          ? ({ ran: false, reason: t('you are {0}, not root or {1}', host.currentUser.name, user) } as const)
          : await bwdcVersion(job.bwdc, host.runner, {
              access,
              env: job.env,
              ...(ids && access.how === 'runuser' ? { owner: ids } : {}),
              ...(home ? { home } : {}),
            }),
  };
  const instanceFolders = job.instances.length > 0 ? job.instances : defaultFolder(job, home);
  const instances: InstanceFacts[] = [];
  for (const folder of instanceFolders) instances.push(await instanceFacts(folder, access, plaintext));

  return {
    job,
    runAs: { name: user, exists: ids !== undefined, ...(ids ? { uid: ids.uid } : {}) },
    ...(access.how === 'none' && job.platform !== 'windows' ? { accessUnchecked: { currentUser: host.currentUser.name } } : {}),
    scheduler: await (host.scheduler ?? ((job) => schedulerFacts(job, host, home)))(job),
    script,
    scriptFolder: await pathFacts(path.dirname(job.script), undefined),
    secret: await secretFacts(job, access),
    bwdc,
    instances,
    log: await pathFacts(job.log, access, ['write']),
    logFolder: await pathFacts(nearestFolder(path.dirname(job.log)), access, ['write', 'execute']),
  };
}

/** The folder itself, or its nearest ancestor that exists: the script makes the log's folder (mkdir -p). */
function nearestFolder(folder: string): string {
  let current = folder;
  while (pathKind(current) === 'missing' && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}

/** bwdc's own default app-data folder of the run-as account, when the file names no instance. */
function defaultFolder(job: SyncJob, home: string | undefined): string[] {
  if (!home || job.platform === 'windows') return [];
  return [
    job.platform === 'macos'
      ? path.join(home, 'Library', 'Application Support', 'Bitwarden Directory Connector')
      : path.join(home, '.config', 'Bitwarden Directory Connector'),
  ];
}

async function instanceFacts(folder: string, access: RunAsAccess, plaintext: boolean): Promise<InstanceFacts> {
  const dataJsonPath = path.join(folder, 'data.json');
  const dataJson = await pathFacts(dataJsonPath, access, ['read', 'write']);
  const base = { folder: await pathFacts(folder, access, ['write', 'execute']), dataJson };
  if (dataJson.kind !== 'file') return { ...base, findings: [] };
  const report = checkDataJsonFile(dataJsonPath, { plaintextSecrets: plaintext });
  if (!report) return { ...base, findings: [], unreadable: t('permission denied') };
  const findings: DataJsonFinding[] = report.diagnostics
    .filter((diagnostic) => diagnostic.severity === 'error' || diagnostic.severity === 'warning')
    .map((diagnostic) => ({ code: String(diagnostic.code), severity: diagnostic.severity as 'error' | 'warning', message: diagnostic.message }));
  return { ...base, findings };
}

async function secretFacts(job: SyncJob, access: RunAsAccess): Promise<SecretFacts> {
  const source = job.secret;
  switch (source.scheme) {
    case 'file':
    case 'dpapi':
      return { scheme: source.scheme, file: await pathFacts(source.target, access, ['read']) };
    case 'env':
      return { scheme: 'env', name: source.target };
    case 'keychain':
      return { scheme: 'keychain', service: source.target };
  }
}

async function schedulerFacts(job: SyncJob, host: DoctorHost, home: string | undefined): Promise<SchedulerFacts> {
  if (job.platform === 'windows') {
    return {
      kind: 'task',
      service: await taskSchedulerService(host.runner),
      installed: await taskInstalled(job, host),
    };
  }
  if (job.scheduler === 'systemd') {
    return {
      kind: 'systemd',
      systemctl: findOnPath('systemctl') !== undefined,
      booted: pathKind('/run/systemd/system') === 'directory',
      installed: await unitsInstalled(job, host, home),
    };
  }
  const pid = process.platform === 'linux' ? cronDaemonPid() : undefined;
  let accessFiles: Extract<SchedulerFacts, { kind: 'cron' }>['accessFiles'];
  try {
    accessFiles = readAccessFiles();
  } catch (error) {
    accessFiles = { unreadable: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
  const zone = daemonZone(pid);
  return {
    kind: 'cron',
    ...(pid !== undefined ? { daemon: { pid } } : {}),
    ...(process.platform !== 'linux' ? { daemonUnchecked: t('processes are looked up in /proc, which this system does not have') } : {}),
    ...(zone ? { daemonZone: zone } : {}),
    installed: await crontabInstalled(job, host),
    accessFiles,
  };
}

async function crontabInstalled(job: SyncJob, host: DoctorHost): Promise<InstalledFacts> {
  try {
    const status = await crontabStatus(job, {
      runner: host.runner,
      currentUser: host.currentUser,
      commandForAdmin: `bwdc-schedule doctor ${job.scheduleFile}`,
    });
    if (status.state === 'damaged') return { state: 'damaged', detail: status.damage ?? '' };
    return status.upToDate ? { state: 'current' } : status.installed ? { state: 'different' } : { state: 'missing' };
  } catch (error) {
    if (error instanceof CrontabError) return { state: 'unknown', reason: error.message };
    throw error;
  }
}

async function unitsInstalled(job: SyncJob, host: DoctorHost, home: string | undefined): Promise<InstalledFacts> {
  try {
    const status = await systemdStatus(job, {
      systemctl: new LiveSystemctl(host.runner),
      currentUser: host.currentUser,
      version: host.version,
      home: () => home,
    });
    if (status.status === 'installed') return { state: 'current' };
    if (status.status === 'not-installed') return { state: 'missing' };
    const parts = status.units.filter((unit) => unit.state !== 'same').map((unit) => `${unit.unit}: ${unit.state}`);
    if (!status.enabled) parts.push(`${status.timer}: not enabled`);
    return { state: 'different', detail: parts.join(', ') };
  } catch (error) {
    return { state: 'unknown', reason: error instanceof Error ? error.message : String(error) };
  }
}

async function taskInstalled(job: SyncJob, host: DoctorHost): Promise<InstalledFacts> {
  try {
    const status = await taskStatus(job, { tasks: new ScheduledTasks(host.runner), version: host.version, pathKind });
    if (status.status === 'installed') return { state: 'current' };
    if (status.status === 'not-installed') return { state: 'missing' };
    return { state: 'different', detail: status.different.join(', ') };
  } catch (error) {
    return { state: 'unknown', reason: error instanceof Error ? error.message : String(error) };
  }
}
