import type { AccessFiles } from '../crontab/access';
import type { SyncJob } from '../schedule/job';
import type { ScriptState } from '../script/generate';

/**
 * What `doctor` found on the machine, as plain data: src/host/doctor.ts gathers it, the checks in
 * ./checks.ts judge it. Tests build snapshots by hand, so every check runs in milliseconds.
 */

/** A path as the run-as account meets it. */
export interface PathFacts {
  readonly path: string;
  /** unknown: it could not be looked at (a folder on the way is closed to whoever runs doctor). */
  readonly kind: 'file' | 'directory' | 'missing' | 'other' | 'unknown';
  /** Permission bits with the sticky bit (mode & 0o7777); absent when unknown (Windows, missing). */
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  /**
   * What run-as may do with it, asked of the system as run-as (so ACLs, groups and the folders on
   * the way count); undefined when it could not be asked (see DoctorSnapshot.accessUnchecked).
   */
  readonly canRead?: boolean;
  readonly canWrite?: boolean;
  readonly canExecute?: boolean;
}

/** Whether the job is installed in its scheduler as the file says. */
export type InstalledFacts =
  | { readonly state: 'current' }
  | { readonly state: 'different'; readonly detail?: string }
  | { readonly state: 'missing' }
  | { readonly state: 'damaged'; readonly detail: string }
  /** Could not be read: the reason, for the message (not root, crontab refused…). */
  | { readonly state: 'unknown'; readonly reason: string };

export interface CronFacts {
  readonly kind: 'cron';
  /** The cron daemon's process, when one runs. */
  readonly daemon?: { readonly pid: number };
  /** Set when processes cannot be listed here (no /proc: macOS): why the daemon was not looked for. */
  readonly daemonUnchecked?: string;
  /** The zone the daemon runs in (its TZ, else /etc/timezone, else /etc/localtime), and where that was read. */
  readonly daemonZone?: { readonly zone: string; readonly source: string };
  readonly installed: InstalledFacts;
  /** /etc/cron.allow and /etc/cron.deny, or why they could not be read. */
  readonly accessFiles: AccessFiles | { readonly unreadable: string };
}

export interface SystemdFacts {
  readonly kind: 'systemd';
  /** `systemctl` on PATH. */
  readonly systemctl: boolean;
  /** systemd is the running init (/run/systemd/system exists). */
  readonly booted: boolean;
  readonly installed: InstalledFacts;
}

export interface TaskFacts {
  readonly kind: 'task';
  /** The Task Scheduler service (Schedule): running, stopped, or not asked (the reason). */
  readonly service: 'running' | 'stopped' | { readonly unknown: string };
  readonly installed: InstalledFacts;
}

export type SchedulerFacts = CronFacts | SystemdFacts | TaskFacts;

export type SecretFacts =
  | { readonly scheme: 'file' | 'dpapi'; readonly file: PathFacts }
  | { readonly scheme: 'env'; readonly name: string }
  | { readonly scheme: 'keychain'; readonly service: string };

export type VersionRun =
  | { readonly ran: true; readonly code: number | null; readonly output: string; readonly timedOut: boolean }
  /** Not run: the reason (not root and not run-as, the file is missing…). */
  | { readonly ran: false; readonly reason: string };

export interface BwdcFacts {
  readonly file: PathFacts;
  /** A packaged executable (not a script), which loads a native module from its own folder. */
  readonly packaged: boolean;
  /** The native module found beside it (keytar.node, dc_native.*.node), if any. */
  readonly nativeModule?: string;
  readonly version: VersionRun;
}

/** A finding of the data.json validator worth a line here. */
export interface DataJsonFinding {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export interface InstanceFacts {
  readonly folder: PathFacts;
  readonly dataJson: PathFacts;
  /** The validator's findings for data.json (read with the job's plaintext mode); empty when missing. */
  readonly findings: readonly DataJsonFinding[];
  /** Why data.json could not be read, when it exists but could not be. */
  readonly unreadable?: string;
}

export interface DoctorSnapshot {
  readonly job: SyncJob;
  /** The account the job runs as (run-as, else whoever runs doctor), and whether it exists. */
  readonly runAs: { readonly name: string; readonly exists: boolean; readonly uid?: number };
  /** Set when run-as's access could not be asked: who ran doctor (not root, not run-as). */
  readonly accessUnchecked?: { readonly currentUser: string };
  readonly scheduler: SchedulerFacts;
  readonly script: PathFacts & { readonly state: ScriptState };
  readonly scriptFolder: PathFacts;
  readonly secret: SecretFacts;
  readonly bwdc: BwdcFacts;
  /** One per instance folder; the Directory Connector's default folder when the file names none. */
  readonly instances: readonly InstanceFacts[];
  readonly log: PathFacts;
  /** The log's folder, or its nearest ancestor that exists (the script creates the rest). */
  readonly logFolder: PathFacts;
}
