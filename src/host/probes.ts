import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { canonicalZoneName } from '../core/cron/zone';
import type { PathFacts, VersionRun } from '../core/doctor/snapshot';
import { sameAccount, type UserInfo } from './accounts';
import { fileHead, listFolder } from './files';
import type { ProcessRunner } from './process';
import { POWERSHELL } from './scheduledTask';
import { isNativeModuleName, isPackagedExecutable } from '../core/bwdcBinary';

/**
 * The small questions `doctor` asks the machine (src/workflows/doctor.ts puts the answers
 * together). Each one only reads; the one process that runs bwdc gets a folder of its own.
 */

export type AccessQuestion = 'read' | 'write' | 'execute';

/** By its path: bwdc runs with cron's PATH (/usr/bin:/bin), which has no sbin. */
const RUNUSER = '/usr/sbin/runuser';

/**
 * Asks what the run-as account may do with a path, as that account: ourselves when we are it,
 * `runuser -u USER -- test -r|-w|-x PATH` as root (so groups, ACLs and the folders on the way
 * count, as they will for the job). Anyone else cannot ask: undefined.
 */
export class RunAsAccess {
  readonly how: 'self' | 'runuser' | 'none';

  constructor(
    readonly user: string,
    current: UserInfo,
    userExists: boolean,
    private readonly runner: ProcessRunner,
    platform: NodeJS.Platform = process.platform,
  ) {
    if (platform === 'win32') this.how = 'none';
    else if (sameAccount(user, current.name)) this.how = 'self';
    else this.how = current.uid === 0 && userExists ? 'runuser' : 'none';
  }

  async may(target: string, question: AccessQuestion): Promise<boolean | undefined> {
    if (this.how === 'none') return undefined;
    if (this.how === 'self') {
      const mode = question === 'read' ? fs.constants.R_OK : question === 'write' ? fs.constants.W_OK : fs.constants.X_OK;
      try {
        fs.accessSync(target, mode);
        return true;
      } catch {
        return false;
      }
    }
    const flag = question === 'read' ? '-r' : question === 'write' ? '-w' : '-x';
    const result = await this.runner.run(RUNUSER, ['-u', this.user, '--', 'test', flag, target], { timeoutMs: 10_000 });
    return result.code === 0;
  }

  /** The argv that runs a program as the run-as account (empty prefix when we are it). */
  prefix(): string[] {
    return this.how === 'runuser' ? [RUNUSER, '-u', this.user, '--'] : [];
  }
}

/** What is at a path (symlinks followed), with run-as's answers to the questions asked. */
export async function pathFacts(target: string, access: RunAsAccess | undefined, questions: readonly AccessQuestion[] = []): Promise<PathFacts> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (error) {
    return { path: target, kind: (error as NodeJS.ErrnoException).code === 'EACCES' ? 'unknown' : 'missing' };
  }
  const kind = stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other';
  const facts: { -readonly [K in keyof PathFacts]: PathFacts[K] } = {
    path: target,
    kind,
    ...(process.platform === 'win32' ? {} : { mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid }),
  };
  for (const question of questions) {
    const answer = await access?.may(target, question);
    if (answer === undefined) continue;
    if (question === 'read') facts.canRead = answer;
    else if (question === 'write') facts.canWrite = answer;
    else facts.canExecute = answer;
  }
  return facts;
}

/** The running cron daemon's pid: the live pid of /run/crond.pid, else a process named `cron`. */
export function cronDaemonPid(procRoot = '/proc', pidFile = '/run/crond.pid'): number | undefined {
  const isCron = (pid: number): boolean => {
    try {
      return fs.readFileSync(path.join(procRoot, String(pid), 'comm'), 'utf8').trim() === 'cron';
    } catch {
      return false;
    }
  };
  try {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && isCron(pid)) return pid;
  } catch {
    // no pid file: look for the process
  }
  let entries: string[];
  try {
    entries = fs.readdirSync(procRoot);
  } catch {
    return undefined;
  }
  return entries
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .sort((a, b) => a - b)
    .find(isCron);
}

/**
 * The zone a daemon's jobs run in: its own TZ (readable by root in /proc/PID/environ), else the
 * machine's (/etc/timezone, Debian's, else where /etc/localtime points into zoneinfo).
 */
export function daemonZone(pid: number | undefined, procRoot = '/proc', etc = '/etc'): { zone: string; source: string } | undefined {
  if (pid !== undefined) {
    try {
      const environ = fs.readFileSync(path.join(procRoot, String(pid), 'environ'), 'utf8').split('\0');
      const tz = environ
        .find((entry) => entry.startsWith('TZ='))
        ?.slice(3)
        .replace(/^:/, '');
      const zone = tz ? zoneFromValue(tz) : undefined;
      if (zone) return { zone, source: `TZ in /proc/${pid}/environ` };
    } catch {
      // not ours to read: the machine's zone is the daemon's unless it was started with TZ
    }
  }
  const timezoneFile = path.join(etc, 'timezone');
  try {
    const zone = canonicalZoneName(fs.readFileSync(timezoneFile, 'utf8').trim());
    if (zone) return { zone, source: timezoneFile };
  } catch {
    // not Debian's layout
  }
  const localtime = path.join(etc, 'localtime');
  try {
    const zone = zoneFromValue(fs.readlinkSync(localtime));
    if (zone) return { zone, source: localtime };
  } catch {
    // not a link
  }
  return undefined;
}

/** A zone name, or a path into a zoneinfo folder (TZ=/usr/share/zoneinfo/Europe/Berlin, /etc/localtime's target). */
function zoneFromValue(value: string): string | undefined {
  const inZoneinfo = /zoneinfo\/(.+)$/.exec(value);
  return canonicalZoneName(inZoneinfo ? inZoneinfo[1]! : value);
}

/** Whether bwdc is a packaged executable (ELF, Mach-O, PE), and the native module beside it. */
export function nativeModuleOf(bwdc: string): { packaged: boolean; nativeModule?: string } {
  const head = fileHead(bwdc, 64);
  if (head === undefined || head === 'not-a-file' || !isPackagedExecutable(head)) return { packaged: false };
  const found = (listFolder(path.dirname(bwdc)) ?? []).find(isNativeModuleName);
  return { packaged: true, ...(found ? { nativeModule: found } : {}) };
}

export interface VersionOptions {
  readonly access: RunAsAccess;
  /** The run-as account's ids and home, so its temporary app-data folder is its own. */
  readonly owner?: { readonly uid: number; readonly gid: number };
  readonly home?: string;
  /** The schedule file's `env` lines: bwdc runs with them, as under the scheduler. */
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly timeoutMs?: number;
}

/**
 * `bwdc --version` as the run-as account, in an environment like cron's, with a throwaway app-data
 * folder: every bwdc start creates data.json in its folder, and doctor must not change the real ones.
 */
export async function bwdcVersion(bwdc: string, runner: ProcessRunner, options: VersionOptions): Promise<VersionRun> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-doctor-'));
  try {
    if (options.owner) fs.chownSync(folder, options.owner.uid, options.owner.gid);
    const env: NodeJS.ProcessEnv = {
      PATH: '/usr/bin:/bin',
      LANG: 'C.UTF-8',
      ...(options.home ? { HOME: options.home } : {}),
      ...Object.fromEntries(options.env.map((line) => [line.name, line.value])),
      BITWARDENCLI_CONNECTOR_APPDATA_DIR: folder,
      BW_NOINTERACTION: 'true',
    };
    const [command, ...args] = [...options.access.prefix(), bwdc, '--version'];
    const timeoutMs = options.timeoutMs ?? 30_000;
    const started = Date.now();
    const result = await runner.run(command!, args, { env, timeoutMs });
    const timedOut = result.code === null && Date.now() - started >= timeoutMs - 100;
    return { ran: true, code: result.code, output: `${result.stdout}${result.code === 0 ? '' : result.stderr}`, timedOut };
  } catch (error) {
    return { ran: false, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/** The Task Scheduler service's state, asked of PowerShell (Windows only; a fake in the tests). */
export async function taskSchedulerService(runner: ProcessRunner): Promise<'running' | 'stopped' | { unknown: string }> {
  try {
    const result = await runner.run(POWERSHELL, ['-NoProfile', '-NonInteractive', '-Command', '(Get-Service -Name Schedule).Status'], { timeoutMs: 30_000 });
    if (result.code !== 0) return { unknown: result.stderr.trim().split(/\r?\n/)[0] || `exit ${result.code}` };
    return result.stdout.trim() === 'Running' ? 'running' : 'stopped';
  } catch (error) {
    return { unknown: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}
