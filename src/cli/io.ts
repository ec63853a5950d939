import * as fs from 'fs';
import type { PathKind } from '../core/diagnostic';
import type { DoctorSnapshot } from '../core/doctor/snapshot';
import type { DiagnoseContext } from '../core/schedule/diagnose';
import type { Platform } from '../core/schedule/directives';
import type { SyncJob } from '../core/schedule/job';
import { hostPlatform } from '../core/schedule/paths';
import { hostZoneName } from '../core/cron/zone';
import { currentUser, type UserInfo } from '../host/accounts';
import { fileHead, listFolder, pathKind, readTextFile } from '../host/files';
import { readJournalTail } from '../host/journal';
import { readLogTail, type LogTail } from '../host/logFile';
import { SpawnRunner, type ProcessRunner } from '../host/process';
import { installTimeOf, type InstallTime } from '../host/installTime';
import { ScheduledTasks } from '../host/scheduledTask';

/** Everything the CLI touches outside itself, so tests can run it in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** A file's text; throws TextFileError (or an errno error) when it cannot be read as text within maxBytes. */
  readonly readFile: (path: string, maxBytes?: number) => string;
  readonly pathKind: (path: string) => PathKind;
  /** A file's first bytes (see host/files fileHead); absent in tests that do not care. */
  readonly readHead?: (path: string) => string | 'not-a-file' | undefined;
  /** The last maxBytes of a log as text (see host/logFile readLogTail); absent: readFile, whole. */
  readonly readLog?: (path: string, maxBytes: number) => LogTail;
  /** The end of a systemd unit's journal (see host/journal readJournalTail); absent: the history never reads a journal. */
  readonly readJournal?: (unit: string, maxBytes: number) => LogTail | undefined;
  /** The names in a folder; absent in tests that do not care. */
  readonly listFolder?: (path: string) => readonly string[] | undefined;
  readonly cwd: string;
  readonly now: () => number;
  readonly hostZone: string;
  readonly hostPlatform: Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** POSIX permission bits of a file, or undefined (Windows, unreadable); absent in tests that do not care. */
  readonly fileMode?: (path: string) => number | undefined;
  /** Who runs the tool (root writes files for the run-as user on its behalf). */
  readonly currentUser: UserInfo;
  /**
   * When a job's schedule took effect (host/installTime.ts), for missed runs in `history`;
   * absent (tests that do not care): missed runs are not checked.
   */
  readonly installTime?: (job: SyncJob) => Promise<InstallTime>;
  /** Starts processes for commands that need them (task install|remove|status); absent means a SpawnRunner. */
  readonly runner?: ProcessRunner;
  /** What `doctor` finds on the machine; absent means asking this machine (src/workflows/doctor.ts). */
  readonly doctorSnapshot?: (job: SyncJob) => Promise<DoctorSnapshot>;
}

export function processIo(): CliIo {
  let zone: string | undefined;
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (path, maxBytes) => readTextFile(path, maxBytes),
    pathKind,
    readHead: (path) => fileHead(path),
    readLog: readLogTail,
    readJournal: (unit, maxBytes) => readJournalTail(unit, maxBytes),
    listFolder,
    cwd: process.cwd(),
    now: () => Date.now(),
    // Asked for only by the commands that show times: the first Intl.DateTimeFormat loads ICU's
    // zone data, about 20 ms of every `check` otherwise (npm run bench).
    get hostZone() {
      return (zone ??= hostZoneName());
    },
    hostPlatform: hostPlatform(process.platform),
    currentUser: currentUser(),
    installTime: (job) =>
      installTimeOf(job, {
        runner: new SpawnRunner(),
        currentUser: currentUser(),
        commandForAdmin: `bwdc-schedule history ${job.scheduleFile}`,
        // A task's install time is read from Task Scheduler, which only Windows has.
        ...(process.platform === 'win32' ? { tasks: new ScheduledTasks(new SpawnRunner()) } : {}),
      }),
    env: process.env,
    fileMode: (path) => {
      if (process.platform === 'win32') return undefined;
      try {
        return fs.statSync(path).mode & 0o777;
      } catch {
        return undefined;
      }
    },
  };
}

/** The disk lookups of the io, for the diagnostics. */
export function diskContext(io: CliIo): Pick<DiagnoseContext, 'pathKind' | 'readHead' | 'listFolder'> {
  return { pathKind: io.pathKind, ...(io.readHead ? { readHead: io.readHead } : {}), ...(io.listFolder ? { listFolder: io.listFolder } : {}) };
}

/** A mistake in how the tool was called: message on stderr, exit code 2. */
export class UsageError extends Error {}
