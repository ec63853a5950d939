import * as assert from 'assert';
import type { CliIo } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import type { InstallTime } from '../../../src/host/installTime';
import { fakeIo, type CliRun } from './fakeIo';

const SCHEDULE = '/work/daily-sync.bwdc-schedule';
const LOG = '/var/log/bwdc/daily-sync.log';
const SCHEDULE_TEXT = [
  'name       daily-sync',
  'schedule   0 12 * * *',
  'platform   linux',
  'bwdc       /usr/local/bin/bwdc',
  'client-id  organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
  'secret     file:/home/bwdc/client_secret',
  `log        ${LOG}`,
  '',
].join('\n');
const NOW = Date.parse('2026-12-04T20:41:00Z');

/** One finished run on that day of December 2026 at 12:00:01 UTC. */
function run(day: number): string {
  const at = `2026-12-${String(day).padStart(2, '0')}T12:00:01+00:00`;
  return `${at} [daily-sync] run started (pid ${day})\n${at} [default] result: synced: nothing changed\n${at} [daily-sync] run finished: default: synced; exit 0\n`;
}

async function history(logs: Readonly<Record<string, string>>, install: InstallTime | undefined, ...options: string[]): Promise<CliRun> {
  const fake = fakeIo({ files: { [SCHEDULE]: SCHEDULE_TEXT, ...logs }, now: NOW, hostZone: 'UTC' });
  const io: CliIo = install ? { ...fake.io, installTime: () => Promise.resolve(install) } : fake.io;
  const code = await main(['history', 'daily-sync.bwdc-schedule', ...options], io);
  return { code, stdout: fake.stdout(), stderr: fake.stderr() };
}

const installed = (iso: string): InstallTime => ({ kind: 'known', at: Date.parse(iso) });
const CHECK =
  'Check: is cron running (systemctl status cron)? was the machine off? is the job still installed (bwdc-schedule crontab status daily-sync.bwdc-schedule)? is its user in /etc/cron.deny? does the script exist at /work/bwdcSyncService.sh? bwdc-schedule doctor daily-sync.bwdc-schedule checks the set-up.';

describe('bwdc-schedule history: missed runs', () => {
  it('lists after the runs the times that left no trace, newest first, and what to check', async () => {
    const result = await history({ [LOG]: [1, 2, 4].map(run).join('') }, installed('2026-11-30T18:00:00Z'));
    assert.strictEqual(result.code, 0);
    assert.strictEqual(result.stderr, '');
    const after = result.stdout.slice(result.stdout.indexOf('missed:'));
    assert.strictEqual(
      after,
      [
        'missed: 2026-12-03 12:00:00+00:00',
        `1 run of the schedule since 2026-11-30 18:01:00+00:00 left no trace in the log (none started within 15 minutes of its time). ${CHECK}`,
        '',
      ].join('\n'),
    );
    // The runs come first, as without the check.
    assert.ok(result.stdout.startsWith('2026-12-04 12:00:01+00:00  ok'), result.stdout);
  });

  it('says nothing more when every time has its run', async () => {
    const result = await history({ [LOG]: [1, 2, 3, 4].map(run).join('') }, installed('2026-11-30T18:00:00Z'));
    assert.deepStrictEqual([result.code, result.stderr, result.stdout.includes('missed')], [0, '', false]);
  });

  it('keeps the JSON the array of runs, and tells the missed runs on stderr', async () => {
    const result = await history({ [LOG]: [1, 4].map(run).join('') }, installed('2026-11-30T18:00:00Z'), '--json');
    assert.strictEqual(result.code, 0);
    assert.deepStrictEqual(
      (JSON.parse(result.stdout) as { start: string }[]).map((entry) => entry.start),
      ['2026-12-04T12:00:01+00:00', '2026-12-01T12:00:01+00:00'],
    );
    assert.match(
      result.stderr,
      /^bwdc-schedule: missed: 2026-12-03 12:00:00\+00:00\nbwdc-schedule: missed: 2026-12-02 12:00:00\+00:00\nbwdc-schedule: 2 runs of the schedule since /,
    );
  });

  it('with no log at all, counts every time since install (on stderr, after "no runs recorded yet")', async () => {
    const result = await history({}, installed('2026-12-01T09:00:00Z'));
    assert.strictEqual(result.code, 1);
    assert.strictEqual(
      result.stderr.split('\n').slice(0, 5).join('\n'),
      [
        `bwdc-schedule: no runs recorded yet: ${LOG} does not exist`,
        'bwdc-schedule: missed: 2026-12-04 12:00:00+00:00',
        'bwdc-schedule: missed: 2026-12-03 12:00:00+00:00',
        'bwdc-schedule: missed: 2026-12-02 12:00:00+00:00',
        'bwdc-schedule: missed: 2026-12-01 12:00:00+00:00',
      ].join('\n'),
    );
  });

  it('judges only what the logs read cover: a log that begins later (rotated) is no row of missed runs', async () => {
    // LOG.1 exists: older logs were rotated away; the logs begin on Dec 3.
    const result = await history({ [`${LOG}.1`]: run(3), [LOG]: run(4) }, installed('2026-11-01T00:00:00Z'));
    assert.deepStrictEqual([result.code, result.stderr, result.stdout.includes('missed')], [0, '', false]);
  });

  it('says why it could not check, as a note', async () => {
    const result = await history({ [LOG]: run(4) }, { kind: 'unknown', reason: 'the job is not installed in the crontab' });
    assert.strictEqual(result.code, 0);
    assert.strictEqual(result.stderr, 'bwdc-schedule: note: missed runs were not checked: the job is not installed in the crontab\n');
  });

  it('says nothing of missed runs for a job that is not installed: none is expected', async () => {
    const result = await history({}, { kind: 'not-installed' });
    assert.deepStrictEqual([result.code, result.stderr], [1, `bwdc-schedule: no runs recorded yet: ${LOG} does not exist\n`]);
  });

  it('lists at most a hundred, and says how many more', async () => {
    const every = SCHEDULE_TEXT.replace('schedule   0 12 * * *', 'schedule   */5 * * * *');
    const fake = fakeIo({ files: { [SCHEDULE]: every }, now: NOW, hostZone: 'UTC' });
    const code = await main(['history', 'daily-sync.bwdc-schedule'], { ...fake.io, installTime: () => Promise.resolve(installed('2026-12-04T00:00:00Z')) });
    assert.strictEqual(code, 1);
    const lines = fake.stderr().split('\n');
    // 00:05 … 20:25 (the grace of 20:30 has not passed): 245 times.
    assert.strictEqual(lines.filter((line) => line.startsWith('bwdc-schedule: missed: ')).length, 100);
    assert.ok(lines.includes('bwdc-schedule: … and 145 more missed before them'), lines.slice(-4).join('\n'));
  });
});
