import * as assert from 'assert';
import { parseCron } from '../../../src/core/cron/parse';
import { TimeZone } from '../../../src/core/cron/zone';
import { missedCheck, type MissedCheck } from '../../../src/core/history/missed';
import { parseHistory } from '../../../src/core/history/parse';
import { historyMarkdown, lastRunStatus, type HistoryPresentation, type HistoryState } from '../../../src/core/history/present';
import { germanBundle, withBundle } from '../translations';

const LOG = '/var/log/bwdc/daily-sync.log';
const NOW = Date.parse('2026-12-04T20:41:00Z');
const JOB = { schedules: [{ text: '0 12 * * *', expression: parseCron('0 12 * * *').expression!, line: 1 }], platform: 'linux' as const };
const UTC = TimeZone.get('UTC')!;

function run(day: number, result: 'synced' | 'failed' = 'synced'): string {
  const at = `2026-12-0${day}T12:00:01Z`;
  return [
    `${at} [daily-sync] run started (pid ${day})`,
    result === 'synced' ? `${at} [default] result: synced: nothing changed` : `${at} [default] login failed: the client secret was rejected`,
    result === 'synced' ? `${at} [daily-sync] run finished: default: synced; exit 0` : `${at} [daily-sync] run finished with failures: default: failed; exit 1`,
    '',
  ].join('\n');
}

/** The history state as the reader gives it: the log alone, read whole (no coveredFrom). */
function state(days: readonly number[], failed: readonly number[] = []): HistoryState {
  const parsed = parseHistory([{ name: LOG, text: days.map((day) => run(day, failed.includes(day) ? 'failed' : 'synced')).join('') }], {
    job: 'daily-sync',
    traces: true,
  });
  assert.ok(!('notOurs' in parsed));
  return { kind: 'runs', log: LOG, runs: parsed.runs, complete: true, longestRunMs: 40 * 60_000, ...(parsed.starts ? { starts: parsed.starts } : {}) };
}

function check(history: HistoryState, installed = '2026-11-30T18:00:00Z'): MissedCheck {
  return missedCheck(JOB, history, { kind: 'known', at: Date.parse(installed) }, NOW, UTC);
}

const presentation: HistoryPresentation = { now: NOW, zone: UTC, locale: 'en', use24HourTime: true, scheduleFile: '/srv/daily-sync.bwdc-schedule' };

describe('missed runs in the editor', () => {
  it('judges a log read whole and never rotated from the install time on', () => {
    const missed = check(state([2, 4]));
    assert.ok(missed.kind === 'checked');
    assert.deepStrictEqual(
      missed.missed.runs.map((entry) => new Date(entry.instant).toISOString()),
      ['2026-12-03T12:00:00.000Z', '2026-12-01T12:00:00.000Z'],
    );
  });

  it('makes a missed time newer than the last run the status: "missed run Thu 12:00 — is cron running?"', () => {
    const history = state([1, 2]);
    const status = lastRunStatus(history, presentation, check(history));
    assert.strictEqual(status.text, '$(warning) missed run Fri 12:00 — is cron running? check: bwdc-schedule doctor');
    assert.strictEqual(status.severity, 'warning');
    assert.ok(status.detail.startsWith('2 runs of the schedule since Mon 18:01 left no trace in the log. — '), status.detail);
    // The last run is still told, after.
    assert.ok(status.detail.includes('default: ok'), status.detail);
  });

  it('names the timer or the task instead of cron for those schedulers', () => {
    const history = state([1]);
    assert.match(lastRunStatus(history, { ...presentation, scheduler: 'systemd' }, check(history)).text, /is the timer active\?/);
    assert.match(lastRunStatus(history, { ...presentation, scheduler: 'task' }, check(history)).text, /is the task enabled\?/);
  });

  it('keeps the last run as the status when it is newer than the missed time, and adds the count to its detail', () => {
    const history = state([1, 2, 4], [4]);
    const status = lastRunStatus(history, presentation, check(history));
    assert.strictEqual(status.text, '$(error) last sync Fri 12:00: failed');
    assert.strictEqual(status.severity, 'error');
    assert.ok(status.detail.endsWith(' — 1 run of the schedule since Mon 18:01 left no trace in the log.'), status.detail);
  });

  it('changes nothing when no run was missed, or the check could not be made', () => {
    const history = state([1, 2, 3, 4]);
    assert.deepStrictEqual(lastRunStatus(history, presentation, check(history)), lastRunStatus(history, presentation));
    assert.deepStrictEqual(
      lastRunStatus(history, presentation, { kind: 'unknown', reason: 'the job is not installed in the crontab' }),
      lastRunStatus(history, presentation),
    );
  });

  it('tells missed runs with no log at all', () => {
    const missed = missedCheck(JOB, { kind: 'missing' }, { kind: 'known', at: Date.parse('2026-12-02T08:00:00Z') }, NOW, UTC);
    const status = lastRunStatus({ kind: 'missing', log: LOG }, presentation, missed);
    assert.strictEqual(status.text, '$(warning) missed run Fri 12:00 — is cron running? check: bwdc-schedule doctor');
    assert.ok(status.detail.startsWith('3 runs of the schedule since Wed 08:01'), status.detail);
  });

  it('gives the Sync History a "Missed runs" section: the times, and what to check', () => {
    const history = state([1, 2]);
    const markdown = historyMarkdown(history, presentation, check(history));
    const section = markdown.slice(markdown.indexOf('## Missed runs'), markdown.indexOf('| # |'));
    assert.strictEqual(
      section,
      [
        '## Missed runs',
        '',
        '2 runs of the schedule since Mon 18:01 left no trace in the log.',
        '',
        '- Fri, 12/04/2026, 12:00:00',
        '- Thu, 12/03/2026, 12:00:00',
        '',
        '**What to check**',
        '',
        '- Is the cron daemon running? systemctl status cron',
        '- Was the machine off \\(or asleep\\) at those times?',
        '- Does the script still exist where the job runs it \\(and is it executable\\)?',
        '- Is the job still installed? bwdc-schedule crontab status /srv/daily-sync.bwdc-schedule',
        '- May its user use cron? /etc/cron.deny must not list it \\(/etc/cron.allow, if it exists, must\\).',
        '- All of it at once: bwdc-schedule doctor /srv/daily-sync.bwdc-schedule',
        '',
        '',
      ].join('\n'),
    );
    const unknown = historyMarkdown(history, presentation, { kind: 'unknown', reason: 'the job is not installed in the crontab' });
    assert.ok(unknown.includes('Missed runs were not checked: the job is not installed in the crontab.'), unknown);
  });

  it('is German in a German editor', () => {
    const history = state([1, 2]);
    withBundle(germanBundle(), () => {
      assert.strictEqual(
        lastRunStatus(history, { ...presentation, locale: 'de' }, check(history)).text,
        '$(warning) verpasster Lauf Fr., 12:00 — läuft cron? Prüfen: bwdc-schedule doctor',
      );
      assert.ok(historyMarkdown(history, { ...presentation, locale: 'de' }, check(history)).includes('## Verpasste Läufe'));
    });
  });
});
