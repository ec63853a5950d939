import * as assert from 'assert';
import { nextRuns } from '../../../src/core/cron/next';
import { parseCron, type CronExpression } from '../../../src/core/cron/parse';
import { TimeZone } from '../../../src/core/cron/zone';
import { EXPECTED_MAX, MISSED_GRACE_MS, MISSED_LIST_MAX, missedRuns, schedulerTiming, type MissedRunsInput } from '../../../src/core/history/missed';
import { parseHistory } from '../../../src/core/history/parse';
import { seededRandom } from '../random';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const UTC = TimeZone.get('UTC')!;
const BERLIN = TimeZone.get('Europe/Berlin')!;

function cron(text: string): CronExpression {
  const parsed = parseCron(text);
  assert.ok(parsed.expression, text);
  return parsed.expression;
}

const at = (iso: string): number => Date.parse(iso);
const iso = (instant: number): string => new Date(instant).toISOString().replace('.000Z', 'Z');

/** The input for a cron job read in `zone`, judged the way cron starts jobs. */
function input(schedule: string | readonly string[], overrides: Partial<MissedRunsInput> & Pick<MissedRunsInput, 'installedAt' | 'now'>): MissedRunsInput {
  return {
    expressions: (typeof schedule === 'string' ? [schedule] : schedule).map(cron),
    zone: UTC,
    runStarts: [],
    coveredFrom: undefined,
    toleranceMs: MISSED_GRACE_MS,
    lateness: 'next',
    ...overrides,
  };
}

/** The times cron starts these schedules in (after, until], as the script would log them (a second later). */
function cronStarts(expressions: readonly CronExpression[], zone: TimeZone, after: number, until: number): number[] {
  const all = new Set<number>();
  for (const expression of expressions) {
    let from = after;
    for (;;) {
      const batch = nextRuns(expression, from, 500, zone);
      for (const run of batch) if (run.instant <= until) all.add(run.instant);
      if (batch.length < 500 || batch[batch.length - 1]!.instant > until) break;
      from = batch[batch.length - 1]!.instant;
    }
  }
  return [...all].sort((a, b) => a - b);
}

describe('missed runs', () => {
  const installedAt = at('2026-11-20T13:13:27Z');
  const now = at('2026-12-04T20:41:00Z');
  const daily = (day: number): number => at(`2026-11-${String(day).padStart(2, '0')}T12:00:01Z`);

  it('finds no missed run when the log has a run at every time since install', () => {
    const starts = [21, 22, 23, 24, 25, 26, 27, 28, 29, 30].map(daily).concat([1, 2, 3, 4].map((day) => at(`2026-12-0${day}T12:00:01Z`)));
    const result = missedRuns(input('0 12 * * *', { installedAt, now, runStarts: starts, coveredFrom: installedAt }));
    assert.deepStrictEqual([result.count, result.runs, result.expected], [0, [], 14]);
  });

  it('lists the times without a run, newest first, with their count', () => {
    const starts = [21, 22, 24, 25, 26, 27, 28, 30].map(daily).concat([1, 2, 4].map((day) => at(`2026-12-0${day}T12:00:01Z`)));
    const result = missedRuns(input('0 12 * * *', { installedAt, now, runStarts: starts, coveredFrom: installedAt }));
    assert.strictEqual(result.count, 3);
    assert.deepStrictEqual(
      result.runs.map((run) => iso(run.instant)),
      ['2026-12-03T12:00:00Z', '2026-11-29T12:00:00Z', '2026-11-23T12:00:00Z'],
    );
  });

  it('judges nothing before the install time: runs before it were never asked for', () => {
    // Installed at 12:00:30 on the 3rd: cron had read its crontab for that minute already.
    const result = missedRuns(
      input('0 12 * * *', { installedAt: at('2026-12-03T12:00:30Z'), now, runStarts: [at('2026-12-04T12:00:01Z')], coveredFrom: undefined }),
    );
    assert.deepStrictEqual([result.count, result.expected], [0, 1]);
    // Installed a minute before: cron may not have seen the change when it woke at 12:00 (it
    // compares the spool's mtime in whole seconds); a minute and more before, the 12:00 run is expected.
    const sameMinute = missedRuns(
      input('0 12 * * *', { installedAt: at('2026-12-03T11:59:30Z'), now, runStarts: [at('2026-12-04T12:00:01Z')], coveredFrom: undefined }),
    );
    assert.strictEqual(sameMinute.count, 0);
    const earlier = missedRuns(
      input('0 12 * * *', { installedAt: at('2026-12-03T11:58:59Z'), now, runStarts: [at('2026-12-04T12:00:01Z')], coveredFrom: undefined }),
    );
    assert.deepStrictEqual(
      earlier.runs.map((run) => iso(run.instant)),
      ['2026-12-03T12:00:00Z'],
    );
  });

  it('judges only the time the log read covers, so a rotated-away log is not a row of missed runs', () => {
    // Installed a month ago; the log read begins on Dec 1 (older runs were rotated away).
    const starts = [1, 2, 3, 4].map((day) => at(`2026-12-0${day}T12:00:01Z`));
    const result = missedRuns(input('0 12 * * *', { installedAt: at('2026-11-01T08:00:00Z'), now, runStarts: starts, coveredFrom: starts[0] }));
    assert.deepStrictEqual([result.count, result.expected, iso(result.from)], [0, 3, '2026-12-01T12:00:01Z']);
    // The Dec 1 run itself is the first line: its expected time (12:00:00) lies before what the log covers, and is not judged.
    const gap = missedRuns(input('0 12 * * *', { installedAt: at('2026-11-01T08:00:00Z'), now, runStarts: [starts[0]!, starts[3]!], coveredFrom: starts[0] }));
    assert.deepStrictEqual(
      gap.runs.map((run) => iso(run.instant)),
      ['2026-12-03T12:00:00Z', '2026-12-02T12:00:00Z'],
    );
  });

  it('with no log at all, counts every time since install', () => {
    const result = missedRuns(input('0 12 * * *', { installedAt, now, coveredFrom: undefined }));
    assert.strictEqual(result.count, 14);
    assert.strictEqual(iso(result.runs[0]!.instant), '2026-12-04T12:00:00Z');
    assert.strictEqual(iso(result.runs[13]!.instant), '2026-11-21T12:00:00Z');
  });

  it('gives a run its grace: a time is missed only once the grace after it has passed', () => {
    const base = { installedAt: at('2026-12-04T11:00:00Z'), coveredFrom: undefined };
    assert.strictEqual(missedRuns(input('0 12 * * *', { ...base, now: at('2026-12-04T12:14:59Z') })).count, 0);
    assert.strictEqual(missedRuns(input('0 12 * * *', { ...base, now: at('2026-12-04T12:15:00Z') })).count, 1);
    // A run 14 minutes late (a loaded machine) is no miss; 16 minutes late is (and is no trace of it).
    assert.strictEqual(missedRuns(input('0 12 * * *', { ...base, now, runStarts: [at('2026-12-04T12:14:00Z')] })).count, 0);
    assert.strictEqual(missedRuns(input('0 12 * * *', { ...base, now, runStarts: [at('2026-12-04T12:16:00Z')] })).count, 1);
    // A run before its time (a manual run) is no trace of it either.
    assert.strictEqual(missedRuns(input('0 12 * * *', { ...base, now, runStarts: [at('2026-12-04T11:59:59Z')] })).count, 1);
  });

  it("lets a cron run account only for its own time: one run does not cover the next time's", () => {
    const result = missedRuns(
      input('*/5 * * * *', {
        installedAt: at('2026-12-04T11:58:00Z'),
        now: at('2026-12-04T13:00:00Z'),
        runStarts: [at('2026-12-04T12:00:01Z'), at('2026-12-04T12:10:01Z')],
      }),
    );
    // 12:00 … 12:45 are judged (12:45 + 15 min = 13:00); 12:05 and 12:15 … 12:45 left no trace.
    assert.deepStrictEqual(
      result.runs.map((run) => iso(run.instant).slice(11, 16)),
      ['12:45', '12:40', '12:35', '12:30', '12:25', '12:20', '12:15', '12:05'],
    );
  });

  it('counts a run as the trace of one time only, also when two schedule lines are minutes apart', () => {
    const result = missedRuns(
      input(['0 12 * * *', '5 12 * * *'], {
        installedAt: at('2026-12-04T11:00:00Z'),
        now: at('2026-12-04T13:00:00Z'),
        runStarts: [at('2026-12-04T12:00:01Z')],
      }),
    );
    assert.deepStrictEqual(
      result.runs.map((run) => iso(run.instant)),
      ['2026-12-04T12:05:00Z'],
    );
    // Two lines naming the same minute are one start.
    const same = missedRuns(
      input(['0 12 * * *', '0 12 * * 5'], {
        installedAt: at('2026-12-04T11:00:00Z'),
        now: at('2026-12-04T13:00:00Z'),
        runStarts: [at('2026-12-04T12:00:01Z')],
      }),
    );
    assert.deepStrictEqual([same.count, same.expected], [0, 1]);
  });

  it("ORs the day fields when both are restricted, as cron does, and ANDs them when one starts with '*'", () => {
    const window = { installedAt: at('2026-12-01T00:00:00Z'), now: at('2026-12-31T23:00:00Z') };
    // Dec 1 and every Monday: 1, 7, 14, 21, 28.
    const or = missedRuns(input('0 12 1 * 1', window));
    assert.deepStrictEqual(or.runs.map((run) => iso(run.instant).slice(0, 10)).reverse(), [
      '2026-12-01',
      '2026-12-07',
      '2026-12-14',
      '2026-12-21',
      '2026-12-28',
    ]);
    // */2 starts with '*': odd days that are Mondays (7, 21).
    const and = missedRuns(input('0 12 */2 * 1', window));
    assert.deepStrictEqual(and.runs.map((run) => iso(run.instant).slice(0, 10)).reverse(), ['2026-12-07', '2026-12-21']);
  });

  it('follows cron through the clocks going forward: a skipped 02:30 is expected when the clocks jump, and the run then is its trace', () => {
    const window = { zone: BERLIN, installedAt: at('2026-03-27T00:00:00Z'), now: at('2026-03-31T00:00:00Z') };
    const none = missedRuns(input('30 2 * * *', window));
    const times = none.runs.map((run) => iso(run.instant)).reverse();
    // 02:30 CET is 01:30Z; on the 29th 02:30 does not exist: Debian's cron runs it when the clocks jump, 03:00 CEST (01:00Z).
    assert.deepStrictEqual(times, ['2026-03-27T01:30:00Z', '2026-03-28T01:30:00Z', '2026-03-29T01:00:00Z', '2026-03-30T00:30:00Z']);
    assert.strictEqual(none.runs.find((run) => iso(run.instant) === '2026-03-29T01:00:00Z')?.note, 'dst-skipped');
    const logged = ['2026-03-27T02:30:01+01:00', '2026-03-28T02:30:01+01:00', '2026-03-29T03:00:01+02:00', '2026-03-30T02:30:01+02:00'].map(at);
    assert.strictEqual(missedRuns(input('30 2 * * *', { ...window, runStarts: logged })).count, 0);
  });

  it('follows cron through the clocks going back: a wildcard job runs in both passes of the repeated hour, a fixed one once', () => {
    const window = { zone: BERLIN, installedAt: at('2026-10-24T23:00:00Z'), now: at('2026-10-25T03:00:00Z') };
    // 02:00–02:59 happens twice on Oct 25 (00:00Z–01:59Z); 02:30 runs at its first pass only.
    assert.deepStrictEqual(
      missedRuns(input('30 2 * * *', window)).runs.map((run) => iso(run.instant)),
      ['2026-10-25T00:30:00Z'],
    );
    const wildcard = missedRuns(input('*/30 2 * * *', window))
      .runs.map((run) => iso(run.instant))
      .reverse();
    assert.deepStrictEqual(wildcard, ['2026-10-25T00:00:00Z', '2026-10-25T00:30:00Z', '2026-10-25T01:00:00Z', '2026-10-25T01:30:00Z']);
  });

  it('lists at most the newest hundred, and counts them all', () => {
    const result = missedRuns(input('*/5 * * * *', { installedAt: at('2026-12-01T00:00:00Z'), now: at('2026-12-02T00:15:00Z') }));
    // 00:05 on the 1st (a minute after install) to 00:00 on the 2nd (its grace ends at 00:15).
    assert.strictEqual(result.count, 24 * 12);
    assert.strictEqual(result.runs.length, MISSED_LIST_MAX);
    assert.strictEqual(iso(result.runs[0]!.instant), '2026-12-02T00:00:00Z');
  });

  it('judges at most the year before now, and says it did', () => {
    const result = missedRuns(input('0 12 * * *', { installedAt: at('2020-01-01T00:00:00Z'), now }));
    assert.ok(result.windowCut);
    assert.ok(result.count >= 365 && result.count <= 367, String(result.count));
    const fresh = missedRuns(input('0 12 * * *', { installedAt, now }));
    assert.ok(!fresh.windowCut);
  });

  it('judges at most the newest EXPECTED_MAX times, quickly, and says it did', () => {
    const started = Date.now();
    const result = missedRuns(input('* * * * *', { installedAt: at('2026-01-01T00:00:00Z'), now }));
    assert.deepStrictEqual([result.count, result.expected, result.windowCut], [EXPECTED_MAX, EXPECTED_MAX, true]);
    assert.strictEqual(iso(result.runs[0]!.instant), iso(now - MISSED_GRACE_MS));
    // The oldest judged is EXPECTED_MAX - 1 minutes before the newest; the window starts just before it.
    assert.strictEqual(result.from, now - MISSED_GRACE_MS - (EXPECTED_MAX - 1) * MINUTE - 1);
    assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
  });

  it("accepts a systemd or Task Scheduler catch-up: a late run up to the next time is the missed one's trace", () => {
    const window = { installedAt: at('2026-12-01T00:00:00Z'), now: at('2026-12-04T13:00:00Z') };
    // The machine was off on the 2nd from 11:00 to 18:00; the timer started the run at boot.
    const starts = ['2026-12-01T12:00:03Z', '2026-12-02T18:02:11Z', '2026-12-03T12:00:02Z', '2026-12-04T12:00:04Z'].map(at);
    assert.strictEqual(missedRuns(input('0 12 * * *', { ...window, runStarts: starts, lateness: 'catch-up' })).count, 0);
    assert.strictEqual(missedRuns(input('0 12 * * *', { ...window, runStarts: starts, lateness: 'next' })).count, 1);
  });

  it('takes the zone, grace and lateness from the scheduler', () => {
    const host = UTC;
    const cronTiming = schedulerTiming({ platform: 'linux', timezone: 'Europe/Berlin', randomDelaySeconds: 600 }, host, BERLIN);
    // cron: the daemon's zone (no per-crontab zone on Debian), no random delay, no catch-up.
    assert.deepStrictEqual(cronTiming, { zone: host, toleranceMs: MISSED_GRACE_MS, lateness: 'next' });
    const timer = schedulerTiming(
      { platform: 'linux', scheduler: 'systemd', timezone: 'Europe/Berlin', randomDelaySeconds: 600, catchUp: false },
      host,
      BERLIN,
    );
    assert.deepStrictEqual(timer, { zone: BERLIN, toleranceMs: MISSED_GRACE_MS + 600_000, lateness: 'late' });
    assert.strictEqual(schedulerTiming({ platform: 'windows' }, host).lateness, 'catch-up');
  });

  it('counts every run the log holds, whatever its result (one skipped for a lock too), and no test run', () => {
    const log = [
      '2026-12-03T12:00:01Z [weekly-sync] run started (pid 10)',
      '2026-12-03T12:00:01Z [default] skipped: another run is using this instance folder (lock /srv/bwdc/.bwdc-schedule.lock)',
      '2026-12-03T12:00:01Z [default] result: skipped: locked by another run',
      '2026-12-03T12:00:02Z [weekly-sync] run finished: default: skipped; exit 0',
      '2026-12-04T11:30:00Z [weekly-sync] run started in test mode (pid 11)',
      '2026-12-04T11:30:09Z [weekly-sync] run finished: default: synced; exit 0',
      '',
    ].join('\n');
    const history = parseHistory([{ name: 'sync.log', text: log }], { job: 'weekly-sync', limit: 1, traces: true });
    assert.ok(!('notOurs' in history));
    assert.deepStrictEqual([history.starts, history.firstTime], [['2026-12-03T12:00:01Z'], '2026-12-03T12:00:01Z']);
    const result = missedRuns(
      input('0 12 * * *', { installedAt: at('2026-12-01T00:00:00Z'), now, runStarts: history.starts!.map(at), coveredFrom: at(history.firstTime!) }),
    );
    // The 3rd left a trace (skipped, still a run); the 4th only a test run: missed.
    assert.deepStrictEqual(
      result.runs.map((run) => iso(run.instant)),
      ['2026-12-04T12:00:00Z'],
    );
  });

  describe('property: a log of exactly the cron runs has none missed; dropping k runs misses exactly those k', () => {
    const random = seededRandom(20261204);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const minutes = ['0', '*/7', '15,45', '*/20', '5-10', '30'];
    const hours = ['*', '*/3', '1-3', '2', '12', '0,12', '22-23'];
    const days = ['*', '1', '*/2', '1-7', '15,28-31'];
    const months = ['*', '3', '10', '3,10', '1-6'];
    const weekdays = ['*', '0', '1-5', '6', '*/3'];
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'America/Santiago'];
    for (let index = 0; index < 40; index++) {
      const schedule = [pick(minutes), pick(hours), pick(days), pick(months), pick(weekdays)].join(' ');
      const zone = TimeZone.get(pick(zones))!;
      const installed = Date.UTC(2026, Math.floor(random() * 12), 1 + Math.floor(random() * 28), Math.floor(random() * 24), Math.floor(random() * 60));
      const now = installed + Math.floor((5 + random() * 120) * DAY);
      it(`${schedule} in ${zone.name}`, () => {
        const expression = cron(schedule);
        const timing = { zone, installedAt: installed, now };
        const starts = cronStarts([expression], zone, installed + MINUTE, now - MISSED_GRACE_MS).map((instant) => instant + 1000);
        const all = missedRuns(input(schedule, { ...timing, runStarts: starts, coveredFrom: undefined }));
        assert.deepStrictEqual([all.count, all.expected], [0, starts.length]);
        if (starts.length === 0) return;
        const dropped = new Set<number>();
        const k = 1 + Math.floor(random() * Math.min(10, starts.length));
        while (dropped.size < k) dropped.add(Math.floor(random() * starts.length));
        const kept = starts.filter((_, position) => !dropped.has(position));
        const result = missedRuns(input(schedule, { ...timing, runStarts: kept, coveredFrom: undefined }));
        const expected = [...dropped].sort((a, b) => b - a).map((position) => iso(starts[position]! - 1000));
        assert.strictEqual(result.count, k);
        assert.deepStrictEqual(
          result.runs.map((run) => iso(run.instant)),
          expected,
        );
      });
    }
  });
});
