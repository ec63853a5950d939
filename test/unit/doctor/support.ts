import * as fs from 'fs';
import * as path from 'path';
import type { DoctorSnapshot, PathFacts } from '../../../src/core/doctor/snapshot';
import type { SyncJob } from '../../../src/core/schedule/job';
import { jobOf } from '../script/support';

/** test/fixtures/doctor, found from the compiled file (out/test/unit/doctor) or the source. */
export function doctorFixture(name: string): string {
  for (const up of ['../../../../test/fixtures/doctor', '../../fixtures/doctor']) {
    const candidate = path.resolve(__dirname, up, name);
    if (fs.existsSync(candidate)) return fs.readFileSync(candidate, 'utf8');
  }
  return fs.readFileSync(path.resolve(process.cwd(), 'test/fixtures/doctor', name), 'utf8');
}

export const SCHEDULE_FILE = '/srv/bwdc/weekly-sync.bwdc-schedule';
export const BWDC_UID = 998;

export function linuxJob(): SyncJob {
  return jobOf(doctorFixture('weekly-sync.bwdc-schedule'), SCHEDULE_FILE);
}

export function windowsJob(): SyncJob {
  return jobOf(doctorFixture('windows.bwdc-schedule'), 'C:\\ProgramData\\bwdc\\weekly-sync.bwdc-schedule', 'windows');
}

function file(target: string, mode: number, more: Partial<PathFacts> = {}): PathFacts {
  return { path: target, kind: 'file', mode, uid: BWDC_UID, gid: BWDC_UID, canRead: true, canWrite: true, canExecute: (mode & 0o100) !== 0, ...more };
}

function folder(target: string, mode = 0o700, more: Partial<PathFacts> = {}): PathFacts {
  return { path: target, kind: 'directory', mode, uid: BWDC_UID, gid: BWDC_UID, canRead: true, canWrite: true, canExecute: true, ...more };
}

/** What doctor finds on a machine where the weekly-sync job is set up right (as root). */
export function healthySnapshot(job: SyncJob = linuxJob()): DoctorSnapshot {
  return {
    job,
    runAs: { name: 'bwdc', exists: true, uid: BWDC_UID },
    scheduler: {
      kind: 'cron',
      daemon: { pid: 412 },
      daemonZone: { zone: 'Europe/Berlin', source: '/etc/timezone' },
      installed: { state: 'current' },
      accessFiles: { deny: 'daemon\nnobody\n' },
    },
    script: { ...file(job.script, 0o700), state: 'current' },
    scriptFolder: folder('/srv/bwdc', 0o755, { uid: 0, gid: 0 }),
    secret: { scheme: 'file', file: file('/home/bwdc/client_secret', 0o600) },
    bwdc: {
      file: file(job.bwdc, 0o755, { uid: 0, gid: 0, canWrite: false }),
      packaged: true,
      nativeModule: 'dc_native.linux-x64-gnu.node',
      version: { ran: true, code: 0, output: '2026.6.1\n', timedOut: false },
    },
    instances: job.instances.map((instance) => ({
      folder: folder(instance),
      dataJson: file(path.posix.join(instance, 'data.json'), 0o600),
      findings: [],
    })),
    log: file(job.log, 0o640),
    logFolder: folder('/var/log/bwdc', 0o750),
  };
}
