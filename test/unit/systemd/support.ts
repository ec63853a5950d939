import * as fs from 'fs';
import * as path from 'path';
import { version } from '../../../package.json';
import type { SyncJob } from '../../../src/core/schedule/job';
import { generateScript } from '../../../src/core/script/generate';
import type { UserInfo } from '../../../src/host/accounts';
import type { ChangeLocks } from '../../../src/host/lock';
import type { ProcessResult, ProcessRunner } from '../../../src/host/process';
import { LiveSystemctl, type Systemctl } from '../../../src/host/systemctl';
import { FolderUnitBackups } from '../../../src/host/unitFiles';
import type { WorkflowUi } from '../../../src/workflows/ui';
import type { SystemdHost } from '../../../src/workflows/systemd';
import { readFixture } from '../schedule/support';
import { jobOf } from '../script/support';

export const ROOT: UserInfo = { name: 'root', uid: 0, gid: 0 };

/**
 * A stand-in for systemctl: records every argv, answers is-enabled from what enable and disable
 * did, and `show` from the properties given.
 */
export class RecordingSystemctl implements ProcessRunner {
  readonly calls: string[][] = [];
  enabled = false;
  failOn: string | undefined;

  constructor(private readonly shows: Readonly<Record<string, string>> = {}) {}

  async run(command: string, args: readonly string[]): Promise<ProcessResult> {
    this.calls.push([command, ...args]);
    const verb = args[0] ?? '';
    if (verb === this.failOn) return { code: 1, stdout: '', stderr: `Failed to ${verb}: Access denied` };
    const unit = args[args.length - 1] ?? '';
    switch (verb) {
      case 'is-enabled':
        return this.enabled ? { code: 0, stdout: 'enabled\n', stderr: '' } : { code: 1, stdout: 'disabled\n', stderr: '' };
      case 'enable':
        this.enabled = true;
        return { code: 0, stdout: '', stderr: `Created symlink /etc/systemd/system/timers.target.wants/${unit} → /etc/systemd/system/${unit}.\n` };
      case 'disable':
        this.enabled = false;
        return { code: 0, stdout: '', stderr: '' };
      case 'show':
        return { code: 0, stdout: this.shows[unit] ?? '', stderr: '' };
      default:
        return { code: 0, stdout: '', stderr: '' };
    }
  }

  /** The argv of every call but the read-only is-enabled ones. */
  changes(): string[][] {
    return this.calls.filter((call) => call[1] !== 'is-enabled');
  }
}

export const NO_LOCKS: ChangeLocks = { acquire: () => Promise.resolve({ release: () => undefined }) };

export interface RecordingUi extends WorkflowUi {
  readonly previews: { title: string; before: string; after: string; labels?: { before: string; after: string } }[];
  readonly questions: string[];
  readonly said: string[];
  readonly warnings: string[];
}

export function recordingUi(answer = true): RecordingUi {
  const ui: RecordingUi = {
    previews: [],
    questions: [],
    said: [],
    warnings: [],
    async preview(title, before, after, labels) {
      ui.previews.push({ title, before, after, ...(labels ? { labels: { ...labels } } : {}) });
    },
    async confirm(question) {
      ui.questions.push(question);
      return answer;
    },
    say(message) {
      ui.said.push(message);
    },
    warn(message) {
      ui.warnings.push(message);
    },
  };
  return ui;
}

/** The linux fixture as a systemd job, its script in `folder` (written, so no warning, unless told). */
export function systemdJob(folder: string, extra = '', writeScript = true): SyncJob {
  const text = `${readFixture('linux.bwdc-schedule')}scheduler  systemd\n${extra}`.replace(
    'script     /home/bwdc/bwdcSyncService.sh',
    `script     ${path.join(folder, 'sync.sh')}`,
  );
  const file = path.join(folder, 'weekly.bwdc-schedule');
  fs.writeFileSync(file, text);
  const job = jobOf(text, file);
  if (writeScript) fs.writeFileSync(job.script, generateScript(job, version).text, { mode: 0o700 });
  return job;
}

export function systemdHost(
  folder: string,
  options: { systemctl?: Systemctl; runner?: RecordingSystemctl; currentUser?: UserInfo } = {},
): SystemdHost & { readonly backupFolder: string } {
  const unitFolder = path.join(folder, 'etc', 'systemd', 'system');
  const backupFolder = path.join(folder, 'backups');
  return {
    systemctl: options.systemctl ?? new LiveSystemctl(options.runner ?? new RecordingSystemctl(), unitFolder),
    backups: new FolderUnitBackups(backupFolder),
    locks: NO_LOCKS,
    currentUser: options.currentUser ?? ROOT,
    version,
    home: () => '/home/bwdc',
    // Every run-as account is this process's own: the script written for it stays readable here.
    accountIds: () => ({ uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 }),
    commandForAdmin: 'bwdc-schedule systemd install "/x/weekly.bwdc-schedule"',
    backupFolder,
  };
}
