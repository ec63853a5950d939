import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { resolveJob, type SyncJob } from '../../../src/core/schedule/job';
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
