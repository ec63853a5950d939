import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { resolveJob, type SyncJob } from '../../../src/core/schedule/job';
import { registrationDate } from '../../../src/core/task/compare';
import { taskPath, taskXml } from '../../../src/core/task/xml';
import { installTimeOf, timerInstallTime } from '../../../src/host/installTime';
import type { ProcessResult, ProcessRunner } from '../../../src/host/process';
import { useTemporaryFolders } from './support';

function job(extra: string[] = []): SyncJob {
  const text = [
    'name       daily-sync',
    'schedule   0 12 * * *',
    'platform   linux',
    'bwdc       /usr/local/bin/bwdc',
    'client-id  organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
    'secret     file:/home/bwdc/client_secret',
    ...extra,
    '',
  ].join('\n');
  const result = resolveJob(text, { scheduleFile: '/srv/daily-sync.bwdc-schedule', hostPlatform: 'linux' });
  assert.ok(result.job, JSON.stringify(result.diagnostics));
  return result.job;
}

/** `crontab -l` answering with this listing (or failing with this stderr). */
function crontab(answer: Partial<ProcessResult>): ProcessRunner & { readonly calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    run: (command, args) => {
      calls.push([command, ...args]);
      return Promise.resolve({ code: 0, stdout: '', stderr: '', ...answer });
    },
  };
}

const host = (runner: ProcessRunner): Parameters<typeof installTimeOf>[1] => ({
  runner,
  currentUser: { name: 'root', uid: 0, gid: 0 },
  commandForAdmin: 'bwdc-schedule history /srv/daily-sync.bwdc-schedule',
});
const BEGIN = '# BEGIN bwdc-schedule daily-sync (from /srv/daily-sync.bwdc-schedule; managed by bwdc Schedule, edit that file instead)\n';

describe('when a job was installed (installTimeOf)', () => {
  const folder = useTemporaryFolders();

  it("reads a cron job's time from its crontab block's install line", async () => {
    const runner = crontab({
      stdout: `${BEGIN}# installed 2026-12-04T20:41:00Z by bwdc-schedule 0.1.0\n0 12 * * * '/srv/x.sh'\n# END bwdc-schedule daily-sync\n`,
    });
    assert.deepStrictEqual(await installTimeOf(job(['run-as bwdc']), host(runner)), { kind: 'known', at: Date.parse('2026-12-04T20:41:00Z') });
    assert.deepStrictEqual(runner.calls, [['crontab', '-u', 'bwdc', '-l']]);
  });

  it('says a job without a block is not installed, and why an old block has no time', async () => {
    assert.deepStrictEqual(await installTimeOf(job(), host(crontab({ stdout: 'MAILTO=""\n' }))), { kind: 'not-installed' });
    assert.deepStrictEqual(await installTimeOf(job(), host(crontab({ code: 1, stderr: 'no crontab for root\n' }))), { kind: 'not-installed' });
    const old = await installTimeOf(job(), host(crontab({ stdout: `${BEGIN}0 12 * * * '/srv/x.sh'\n# END bwdc-schedule daily-sync\n` })));
    assert.ok(old.kind === 'unknown' && old.reason.includes('has no "# installed" line'), JSON.stringify(old));
  });

  it('says why when the crontab cannot be read (another user’s, not as root)', async () => {
    const result = await installTimeOf(job(['run-as bwdc']), { ...host(crontab({})), currentUser: { name: 'alice', uid: 1000, gid: 1000 } });
    assert.ok(result.kind === 'unknown' && result.reason.startsWith('the crontab could not be read: '), JSON.stringify(result));
  });

  it("takes a systemd job's time from its timer unit file, and reads no crontab", async () => {
    const units = folder();
    const runner = crontab({});
    assert.deepStrictEqual(await installTimeOf(job(['scheduler systemd']), { ...host(runner), unitFolder: units }), { kind: 'not-installed' });
    const timer = path.join(units, 'bwdc-daily-sync.timer');
    fs.writeFileSync(timer, '[Timer]\n');
    const when = new Date('2026-12-03T08:00:00Z');
    fs.utimesSync(timer, when, when);
    assert.deepStrictEqual(timerInstallTime({ name: 'daily-sync' }, units), { kind: 'known', at: when.getTime() });
    assert.deepStrictEqual(runner.calls, []);
  });
});

describe('install time of a Task Scheduler task (RegistrationInfo/Date, read back)', () => {
  function windowsJob(): SyncJob {
    const text = [
      'name       daily-sync',
      'schedule   0 12 * * *',
      'platform   windows',
      'run-as     HOST\\svc-bwdc',
      'bwdc       C:\\Program Files\\Bitwarden\\bwdc.exe',
      'client-id  organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
      'secret     dpapi:C:\\ProgramData\\bwdc\\client_secret.dpapi',
      '',
    ].join('\n');
    const result = resolveJob(text, { scheduleFile: 'C:\\bwdc\\daily-sync.bwdc-schedule', hostPlatform: 'windows' });
    assert.ok(result.job, JSON.stringify(result.diagnostics));
    return result.job;
  }
  const tasks = (answer: () => Promise<string | undefined>): { read: (path: string) => Promise<string | undefined>; readonly asked: string[] } => {
    const asked: string[] = [];
    return {
      asked,
      read: (path) => {
        asked.push(path);
        return answer();
      },
    };
  };
  const taskHost = (reader: { read: (path: string) => Promise<string | undefined> }): Parameters<typeof installTimeOf>[1] => ({
    runner: crontab({ code: 1, stderr: 'crontab must not be asked for a task' }),
    currentUser: { name: 'svc-bwdc', uid: 1000, gid: 1000 },
    commandForAdmin: 'bwdc-schedule history C:\\bwdc\\daily-sync.bwdc-schedule',
    tasks: reader,
  });

  it('is the Date task install wrote, read in local time, of the task this file names', async () => {
    const job = windowsJob();
    const reader = tasks(async () => taskXml(job, { version: '0.1.0', registrationDate: '2026-11-30T08:15:00' }));
    assert.deepStrictEqual(await installTimeOf(job, taskHost(reader)), { kind: 'known', at: new Date(2026, 10, 30, 8, 15, 0).getTime() });
    assert.deepStrictEqual(reader.asked, [taskPath(job)]);
  });

  it('is "not installed" without a task, and unknown, saying why, for a task without a Date or one that cannot be read', async () => {
    const job = windowsJob();
    assert.deepStrictEqual(await installTimeOf(job, taskHost(tasks(async () => undefined))), { kind: 'not-installed' });
    const noDate = await installTimeOf(job, taskHost(tasks(async () => taskXml(job, { version: '0.1.0' }))));
    assert.strictEqual(noDate.kind, 'unknown');
    assert.match(noDate.kind === 'unknown' ? noDate.reason : '', /has no RegistrationInfo\/Date .*bwdc-schedule task install FILE/);
    const broken = await installTimeOf(job, taskHost(tasks(async () => '<Task><RegistrationInfo><Date>2026-11-30T08:15:00</Date>')));
    assert.strictEqual(broken.kind, 'unknown');
    const failing = await installTimeOf(
      job,
      taskHost(
        tasks(async () => {
          throw new Error('Access is denied.');
        }),
      ),
    );
    assert.deepStrictEqual(failing, { kind: 'unknown', reason: 'the task could not be read: Access is denied.' });
  });

  it('without the Task Scheduler (not Windows) is unknown, as before', async () => {
    const job = windowsJob();
    const result = await installTimeOf(job, { ...taskHost(tasks(async () => undefined)), tasks: undefined } as Parameters<typeof installTimeOf>[1]);
    assert.strictEqual(result.kind, 'unknown');
  });
});

describe('registrationDate', () => {
  it('reads RegistrationInfo/Date of exported XML, namespaced or not, and nothing else', () => {
    assert.strictEqual(
      registrationDate(
        '<?xml version="1.0" encoding="UTF-16"?>\n<t:Task xmlns:t="http://schemas.microsoft.com/windows/2004/02/mit/task"><t:RegistrationInfo><t:Date>2026-11-30T08:15:00.1234567</t:Date></t:RegistrationInfo></t:Task>',
      ),
      '2026-11-30T08:15:00.1234567',
    );
    assert.strictEqual(registrationDate('<Task><RegistrationInfo><Author>x</Author></RegistrationInfo></Task>'), undefined);
    assert.strictEqual(registrationDate('<Task><Triggers><Date>2026-11-30T08:15:00</Date></Triggers></Task>'), undefined);
    assert.strictEqual(registrationDate('<Task><RegistrationInfo><Date>yesterday</Date></RegistrationInfo></Task>'), undefined);
    assert.strictEqual(registrationDate('not xml <'), undefined);
  });
});
