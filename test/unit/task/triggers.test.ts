import * as assert from 'assert';
import { nextRuns } from '../../../src/core/cron/next';
import { parseCron, type CalendarCron, type CronExpression } from '../../../src/core/cron/parse';
import { TimeZone } from '../../../src/core/cron/zone';
import { triggerRuns } from '../../../src/core/task/simulate';
import {
  cronToTriggers,
  describeTrigger,
  MAX_TRIGGERS,
  type CalendarTrigger,
  type Trigger,
  type TriggerPlan,
  type Weekday,
  type WeekOfMonth,
} from '../../../src/core/task/triggers';
import { seededRandom } from '../random';

function expressionOf(text: string): CronExpression {
  const result = parseCron(text);
  assert.ok(result.expression, `${text} should parse: ${result.problems.map((p) => p.message).join('; ')}`);
  return result.expression;
}

function exactTriggers(text: string): readonly Trigger[] {
  const plan = cronToTriggers(expressionOf(text));
  assert.ok(plan.exact, `${text} should map exactly: ${plan.exact ? '' : plan.reason}`);
  return plan.triggers;
}

/** Expressions and the triggers they must become, in describeTrigger's words. */
const MAPPED: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['0 20 * * 0', ['weekly Sun 20:00']],
  ['0 12 * * 1', ['weekly Mon 12:00']],
  ['0 20 * * 7', ['weekly Sun 20:00']],
  ['@weekly', ['weekly Sun 00:00']],
  ['*/15 9-17 * * mon-fri', ['weekly Mon,Tue,Wed,Thu,Fri 09:00, repeating every 15 min until 17:45']],
  ['*/20 9-17 * * 1-5', ['weekly Mon,Tue,Wed,Thu,Fri 09:00, repeating every 20 min until 17:40']],
  ['0 0 1,15 * *', ['monthly days 1,15 of every month 00:00']],
  ['@monthly', ['monthly days 1 of every month 00:00']],
  ['@yearly', ['monthly days 1 of Jan 00:00']],
  ['0 0 29 2 *', ['monthly days 29 of Feb 00:00']],
  ['0 2 * * *', ['daily 02:00']],
  ['@daily', ['daily 00:00']],
  ['0 0 1-31 * 1', ['daily 00:00']],
  ['0 9-17 * * *', ['daily 09:00, repeating every 1 h until 17:00']],
  ['30 */2 * * *', ['daily 00:30, repeating every 2 h until 22:30']],
  ['@hourly', ['daily 00:00, repeating every 1 h until 23:00']],
  ['* * * * *', ['daily 00:00, repeating every 1 min until 23:59']],
  ['*/15 * * * *', ['daily 00:00, repeating every 15 min until 23:45']],
  ['0 0,12 1 */2 *', ['monthly days 1 of Jan,Mar,May,Jul,Sep,Nov 00:00, repeating every 12 h until 12:00']],
  ['30 4 1 * 5', ['monthly days 1 of every month 04:30', 'weekly Fri 04:30']],
  ['30 4 1,15 * 5', ['monthly days 1,15 of every month 04:30', 'weekly Fri 04:30']],
  ['0 0 13 * 5', ['monthly days 13 of every month 00:00', 'weekly Fri 00:00']],
  ['0 9 * jan,jul mon', ['monthly weeks 1,2,3,4,Last Mon of Jan,Jul 09:00']],
  ['0 9 * 3-5 *', ['monthly days 1-31 of Mar,Apr,May 09:00']],
  ['0 0 1-7 * */2', ['monthly weeks 1 Sun,Tue,Thu,Sat of every month 00:00']],
  ['0 0 8-14,22-28 * *', ['monthly days 8-14,22-28 of every month 00:00']],
  ['0 0 8-14,22-28 * */3', ['monthly weeks 2,4 Sun,Wed,Sat of every month 00:00']],
  ['0 0 5-2 * 1', ['weekly Mon 00:00']],
  // CRON-FACTS counts 7 (one per minute value); pairing :05/:35 and :10/:40 needs only 5.
  [
    '5,10-12,30-40/5 * * * *',
    [
      'daily 00:05, repeating every 30 min until 23:35',
      'daily 00:10, repeating every 30 min until 23:40',
      'daily 00:11, repeating every 1 h until 23:11',
      'daily 00:12, repeating every 1 h until 23:12',
      'daily 00:30, repeating every 1 h until 23:30',
    ],
  ],
  ['*/35 8 * * *', ['daily 08:00, repeating every 35 min until 08:35']],
  ['@reboot', ['at system startup']],
];

describe('cron to Task Scheduler triggers', () => {
  describe('maps each expression onto exactly these triggers', () => {
    for (const [text, expected] of MAPPED) {
      it(`${text} → ${expected.join(' + ')}`, () => {
        assert.deepStrictEqual(exactTriggers(text).map(describeTrigger), expected);
      });
    }
  });

  it('keeps the weekly Sunday trigger of the seed schedule as a plain object', () => {
    assert.deepStrictEqual(exactTriggers('0 20 * * 0'), [
      { kind: 'calendar', startMinute: 20 * 60, schedule: { type: 'byWeek', weeksInterval: 1, daysOfWeek: [0] } },
    ]);
  });

  it('repeats a business-day schedule every 15 minutes with 36 runs', () => {
    const [trigger] = exactTriggers('*/15 9-17 * * mon-fri');
    assert.ok(trigger && trigger.kind === 'calendar');
    assert.deepStrictEqual(trigger.repetition, { intervalMinutes: 15, runs: 36 });
  });

  it('uses one trigger per minute value when the minutes do not divide the hour', () => {
    assert.strictEqual(exactTriggers('*/7 * * * *').length, 9);
    assert.strictEqual(exactTriggers('*/7 9-17 * * 1-5').length, 9);
  });

  describe('refuses what Task Scheduler cannot do exactly, and says why', () => {
    const refusals: ReadonlyArray<readonly [string, string, RegExp]> = [
      ['0 0 31 2 *', 'never-fires', /Never runs/],
      ['0 0 30 2 *', 'never-fires', /Never runs/],
      ['0 0 */2 * sun', 'and-quirk', /AND/],
      ['0 0 1 * */2', 'and-quirk', /AND/],
      ['0 0 1-10 * */2', 'and-quirk', /AND/],
      ['0,1,3,6,10,15,21,28,36,45,55 0,1,3,6,10,15,21 1 * 5', 'too-many-triggers', /needs 62 triggers .*allows 48 per task/],
    ];
    for (const [text, code, reason] of refusals) {
      it(`${text}: ${code}`, () => {
        const plan = cronToTriggers(expressionOf(text));
        assert.ok(!plan.exact, `${text} should be refused`);
        assert.strictEqual(plan.code, code);
        assert.match(plan.reason, reason);
        assert.ok(plan.cronDoes.length > 0);
      });
    }

    it('says what cron does with an AND-quirk expression', () => {
      const plan = cronToTriggers(expressionOf('0 0 */2 * sun'));
      assert.ok(!plan.exact);
      assert.match(plan.cronDoes, /Sunday/);
      assert.match(plan.reason, /'\*\/2'/);
    });

    it('counts the triggers a too-large schedule would need', () => {
      const plan = cronToTriggers(expressionOf('0,1,3,6,10,15,21,28,36,45,55 0,1,3,6,10,15,21,23 1 * 5'));
      assert.ok(!plan.exact && plan.code === 'too-many-triggers');
      const needed = Number(/needs (\d+) triggers/.exec(plan.reason)?.[1]);
      assert.ok(needed > MAX_TRIGGERS, plan.reason);
    });
  });

  describe('is exact: the triggers start when cron runs, over a year', () => {
    const from = Date.UTC(2025, 0, 1);
    const to = Date.UTC(2026, 0, 1);
    const utc = TimeZone.get('UTC')!;

    for (const [text] of MAPPED) {
      if (text === '@reboot') continue;
      it(`${text} in UTC`, () => assertSameRuns(text, from, to, utc));
    }

    it('matches on ~200 random expressions of the cron grammar in UTC', function () {
      this.timeout(120_000);
      const random = seededRandom(20250604);
      const stats = { exact: 0, refused: new Map<string, number>() };
      for (let index = 0; index < 200; index++) {
        const text = randomExpression(random);
        const plan = cronToTriggers(expressionOf(text));
        if (!plan.exact) {
          stats.refused.set(plan.code, (stats.refused.get(plan.code) ?? 0) + 1);
          assertRefusalIsJustified(text, plan);
          continue;
        }
        stats.exact++;
        assertSameRuns(text, from, to, utc, plan.triggers);
      }
      // The sample must mostly exercise the mapping, not the refusals.
      assert.ok(stats.exact >= 150, `only ${stats.exact} of 200 mapped; refused ${JSON.stringify([...stats.refused])}`);
    });

    it('matches in Europe/Berlin on every day except the two DST transition days (and a repetition spilling past their midnight)', function () {
      this.timeout(120_000);
      const berlin = TimeZone.get('Europe/Berlin')!;
      // 2025-03-30 (clocks forward 02:00 → 03:00) and 2025-10-26 (03:00 → 02:00).
      const allowed = new Set(['2025-03-30', '2025-03-31', '2025-10-26', '2025-10-27']);
      const random = seededRandom(7);
      const texts = [...MAPPED.map(([text]) => text).filter((text) => text !== '@reboot'), ...Array.from({ length: 60 }, () => randomExpression(random))];
      let differing = 0;
      for (const text of texts) {
        const plan = cronToTriggers(expressionOf(text));
        if (!plan.exact) continue;
        const { simulated, cron } = runsOf(text, plan.triggers, from, to, berlin);
        const only = symmetricDifference(simulated, cron);
        if (only.length > 0) differing++;
        for (const instant of only) {
          const day = localDate(berlin, instant);
          assert.ok(allowed.has(day), `${text}: Task Scheduler and cron differ at ${new Date(instant).toISOString()} (${day}), not a DST transition day`);
        }
      }
      // Wildcard hours (`@hourly`, `*/15 * * * *`) do differ on the fall-back day: a Repetition
      // counts elapsed time, so it ends an hour early in wall time. That is stated, not hidden.
      assert.ok(differing > 0, 'expected the documented DST difference for hourly repetitions');
    });
  });
});

/**
 * Day-of-month windows against a restricted weekday. Task Scheduler's monthly day-of-week trigger
 * names the 1st–4th occurrence of a weekday (days 1-7, 8-14, 15-21, 22-28) or the Last one, so
 * under vixie's AND a day-of-month field maps exactly only when it is a union of those whole
 * weeks; under OR it is always a monthly-days trigger plus a weekly one. Each row: the field, its
 * days as describeTrigger writes them, and the weeks the AND mapping names (undefined: refused).
 * Every boundary is here on both sides, so that moving the day-28 limit, the week windows or any
 * comparison in them fails a named row.
 */
const WINDOWS: ReadonlyArray<readonly [dom: string, days: string, weeks: string | undefined]> = [
  // The four whole weeks, and unions of them written as ranges, lists and steps.
  ['1-7', '1-7', '1'],
  ['8-14', '8-14', '2'],
  ['15-21', '15-21', '3'],
  ['22-28', '22-28', '4'],
  ['1-14', '1-14', '1,2'],
  ['1-7,8-14', '1-14', '1,2'],
  ['8-21', '8-21', '2,3'],
  ['15-28', '15-28', '3,4'],
  ['1-21', '1-21', '1,2,3'],
  ['8-28', '8-28', '2,3,4'],
  ['1-28', '1-28', '1,2,3,4'],
  ['1-7,15-21', '1-7,15-21', '1,3'],
  ['1-7,22-28', '1-7,22-28', '1,4'],
  ['8-14,22-28', '8-14,22-28', '2,4'],
  ['22-28,1-7', '1-7,22-28', '1,4'],
  ['1-7/1', '1-7', '1'],
  ['1,2,3,4,5,6,7', '1-7', '1'],
  ['22-25,26-28', '22-28', '4'],
  ['5-2,8-14', '8-14', '2'],
  // Each week one day short or long, at either end.
  ['1-6', '1-6', undefined],
  ['2-7', '2-7', undefined],
  ['1-8', '1-8', undefined],
  ['2-8', '2-8', undefined],
  ['7-13', '7-13', undefined],
  ['7-14', '7-14', undefined],
  ['8-13', '8-13', undefined],
  ['8-15', '8-15', undefined],
  ['9-14', '9-14', undefined],
  ['9-15', '9-15', undefined],
  ['14-20', '14-20', undefined],
  ['14-21', '14-21', undefined],
  ['15-20', '15-20', undefined],
  ['15-22', '15-22', undefined],
  ['16-21', '16-21', undefined],
  ['16-22', '16-22', undefined],
  ['21-27', '21-27', undefined],
  ['21-28', '21-28', undefined],
  ['22-27', '22-27', undefined],
  ['22-29', '22-29', undefined],
  ['23-28', '23-28', undefined],
  ['23-29', '23-29', undefined],
  // Single days at the week boundaries.
  ['1', '1', undefined],
  ['7', '7', undefined],
  ['8', '8', undefined],
  ['14', '14', undefined],
  ['15', '15', undefined],
  ['21', '21', undefined],
  ['22', '22', undefined],
  ['28', '28', undefined],
  ['29', '29', undefined],
  ['30', '30', undefined],
  ['31', '31', undefined],
  // Past day 28: fifth occurrences, which Task Scheduler can only reach through Last.
  ['29-31', '29-31', undefined],
  ['22-31', '22-31', undefined],
  ['15-31', '15-31', undefined],
  ['25-31', '25-31', undefined],
  ['24-30', '24-30', undefined],
  ['1-28,29', '1-29', undefined],
  ['1-7,29', '1-7,29', undefined],
  ['22-28,29', '22-29', undefined],
  ['1-7,30', '1-7,30', undefined],
  ['1-7,31', '1-7,31', undefined],
  ['1-30', '1-30', undefined],
  ['2-31', '2-31', undefined],
  // Lists and steps that straddle two weeks or leave gaps in one.
  ['5-11', '5-11', undefined],
  ['7,8', '7-8', undefined],
  ['14-15', '14-15', undefined],
  ['21-22', '21-22', undefined],
  ['1-7,14', '1-7,14', undefined],
  ['1-7,8-13', '1-13', undefined],
  ['1-7,9-14', '1-7,9-14', undefined],
  ['1-7/2', '1,3,5,7', undefined],
  ['1-14/2', '1,3,5,7,9,11,13', undefined],
  ['1-28/7', '1,8,15,22', undefined],
  ['1-31/7', '1,8,15,22,29', undefined],
  ['2-28/2', '2,4,6,8,10,12,14,16,18,20,22,24,26,28', undefined],
];

/**
 * Fields that start with `*` and so force AND, though only the weekday restricts or both do.
 * A `*` item always includes day 1 (`*\/31` is just the 1st), so these windows all start there.
 */
const STAR_LED_WINDOWS: ReadonlyArray<readonly [dom: string, weeks: string | undefined]> = [
  ['*/31,2-7', '1'],
  ['*/31,2-14', '1,2'],
  ['*/31,2-28', '1,2,3,4'],
  ['*/31,2-7,15-21', '1,3'],
  ['*/31', undefined],
  ['*/31,2-6', undefined],
  ['*/31,2-8', undefined],
  ['*/27,2-7', undefined], // 1-7 and 28
  ['*/28,2-7', undefined], // 1-7 and 29
  ['*/30,2-7', undefined], // 1-7 and 31
  ['*/7', undefined],
  ['*/8', undefined],
  ['*/14', undefined],
  ['*/2', undefined],
];

/** Star-led weekday fields that restrict (so AND applies), with the days they name. */
const STAR_LED_WEEKDAYS: ReadonlyArray<readonly [dow: string, days: string]> = [
  ['*/2', 'Sun,Tue,Thu,Sat'],
  ['*/3', 'Sun,Wed,Sat'],
  ['*/4', 'Sun,Thu'],
  ['*/5', 'Sun,Fri'],
  ['*/6', 'Sun,Sat'],
  ['*/7', 'Sun'],
  ['*/2,1', 'Sun,Mon,Tue,Thu,Sat'],
  ['*/3,1', 'Sun,Mon,Wed,Sat'],
];

/**
 * Refused AND windows that one monthly day-of-week trigger does express exactly, found by the
 * oracle below: Weeks 4 + Last is every 4th and 5th occurrence, i.e. days 22-31 in every month.
 * The mapping refuses them today (its limit is day 28); if it learns them, move these rows.
 */
const EXACT_BUT_REFUSED: ReadonlyMap<string, string> = new Map([
  ['0 0 22-31 * */2', '4,Last'],
  ['0 0 15-31 * */2', '3,4,Last'],
  ['0 0 22-31 feb */2', '4,Last'],
  ['0 0 25-31 jan,mar,may,jul,aug,oct,dec */2', 'Last'],
  ['0 0 24-30 apr,jun,sep,nov */2', 'Last'],
]);

describe('cron to Task Scheduler triggers: day-of-month windows against weekdays', () => {
  const utc = TimeZone.get('UTC')!;
  const from = Date.UTC(2025, 0, 1);
  const to = Date.UTC(2026, 0, 1);

  describe("AND (the weekday field starts with '*'): whole weeks map to Week n, anything else is refused", () => {
    for (const [dom, , weeks] of WINDOWS) {
      const text = `0 0 ${dom} * */2`;
      if (weeks === undefined) it(`${text}: and-quirk`, () => assertAndQuirk(text, dom, '*/2'));
      else it(`${text} → weeks ${weeks}`, () => assertMapsTo(text, [`monthly weeks ${weeks} Sun,Tue,Thu,Sat of every month 00:00`], from, to, utc));
    }
  });

  describe("AND (the day-of-month field starts with '*')", () => {
    for (const [dom, weeks] of STAR_LED_WINDOWS) {
      const text = `0 0 ${dom} * 1`;
      if (weeks === undefined) it(`${text}: and-quirk`, () => assertAndQuirk(text, dom, '1'));
      else it(`${text} → weeks ${weeks}`, () => assertMapsTo(text, [`monthly weeks ${weeks} Mon of every month 00:00`], from, to, utc));
    }
  });

  describe('AND with every star-led weekday field, on the first and the fourth week and just past them', () => {
    for (const [dow, days] of STAR_LED_WEEKDAYS) {
      it(`0 0 1-7 * ${dow} → week 1 ${days}`, () => assertMapsTo(`0 0 1-7 * ${dow}`, [`monthly weeks 1 ${days} of every month 00:00`], from, to, utc));
      it(`0 0 22-28 * ${dow} → week 4 ${days}`, () => assertMapsTo(`0 0 22-28 * ${dow}`, [`monthly weeks 4 ${days} of every month 00:00`], from, to, utc));
      it(`0 0 1-8 * ${dow}: and-quirk`, () => assertAndQuirk(`0 0 1-8 * ${dow}`, '1-8', dow));
      it(`0 0 22-29 * ${dow}: and-quirk`, () => assertAndQuirk(`0 0 22-29 * ${dow}`, '22-29', dow));
    }
  });

  describe('OR (neither field starts with *): a monthly-days trigger plus a weekly one, whatever the window', () => {
    for (const [dom, days] of WINDOWS) {
      const text = `0 0 ${dom} * 1`;
      it(`${text} → days ${days} + Mon`, () => assertMapsTo(text, [`monthly days ${days} of every month 00:00`, 'weekly Mon 00:00'], from, to, utc));
    }
  });

  describe('fields that match every day take the other field alone, under either rule', () => {
    const cases: ReadonlyArray<readonly [string, readonly string[]]> = [
      ['0 0 1-31 * */2', ['weekly Sun,Tue,Thu,Sat 00:00']], // AND, day of month full
      ['0 0 */1 * */2', ['weekly Sun,Tue,Thu,Sat 00:00']],
      ['0 0 1-7 * *', ['monthly days 1-7 of every month 00:00']], // AND, weekday full
      ['0 0 1-7 * */1', ['monthly days 1-7 of every month 00:00']],
      ['0 0 22-31 * *', ['monthly days 22-31 of every month 00:00']],
      ['0 0 1-7 * 0-6', ['daily 00:00']], // OR, weekday full
      ['0 0 1-7 * 1-7', ['daily 00:00']],
      ['0 0 1-31 * 1', ['daily 00:00']], // OR, day of month full
      ['0 0 1-31 jan */2', ['monthly weeks 1,2,3,4,Last Sun,Tue,Thu,Sat of Jan 00:00']],
    ];
    for (const [text, expected] of cases) it(`${text} → ${expected.join(' + ')}`, () => assertMapsTo(text, expected, from, to, utc));
  });

  describe('windows in some months only keep the months', () => {
    const cases: ReadonlyArray<readonly [string, readonly string[]]> = [
      ['0 0 8-14 jan,jul */2', ['monthly weeks 2 Sun,Tue,Thu,Sat of Jan,Jul 00:00']],
      ['0 0 22-28 2 */7', ['monthly weeks 4 Sun of Feb 00:00']],
      ['0 0 */31,2-7 */3 1', ['monthly weeks 1 Mon of Jan,Apr,Jul,Oct 00:00']],
      ['0 0 1-7,22-28 feb-apr */3', ['monthly weeks 1,4 Sun,Wed,Sat of Feb,Mar,Apr 00:00']],
      ['0 0 1-7 jan,jul 1', ['monthly days 1-7 of Jan,Jul 00:00', 'monthly weeks 1,2,3,4,Last Mon of Jan,Jul 00:00']],
    ];
    for (const [text, expected] of cases) it(`${text} → ${expected.join(' + ')}`, () => assertMapsTo(text, expected, from, to, utc));
    for (const text of ['0 0 22-31 feb */2', '0 0 29-31 jan */2', '0 0 8-15 jan,jul */2', '0 0 */31,2-8 */3 1']) {
      it(`${text}: and-quirk`, () => assertAndQuirk(text, text.split(' ')[2]!, text.split(' ')[4]!));
    }
  });

  it('rejects day 0 and day 32 before any mapping', () => {
    for (const text of ['0 0 0-7 * */2', '0 0 0 * 1', '0 0 22-32 * */2']) {
      assert.deepStrictEqual(
        parseCron(text).problems.map((problem) => problem.code),
        ['cron-out-of-range'],
        text,
      );
    }
  });

  it('maps 1-7 × */2 onto exactly one plain monthly day-of-week trigger', () => {
    assert.deepStrictEqual(exactTriggers('0 0 1-7 * */2'), [
      {
        kind: 'calendar',
        startMinute: 0,
        schedule: { type: 'byMonthDayOfWeek', weeks: [1], daysOfWeek: [0, 2, 4, 6], months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
      },
    ]);
  });

  describe('is right to refuse: no monthly day-of-week trigger repeats cron over 2024–2028', () => {
    const start = Date.UTC(2024, 0, 1);
    const end = Date.UTC(2029, 0, 1);
    const texts = [
      ...WINDOWS.filter(([, , weeks]) => weeks === undefined).map(([dom]) => `0 0 ${dom} * */2`),
      ...STAR_LED_WINDOWS.filter(([, weeks]) => weeks === undefined).map(([dom]) => `0 0 ${dom} * 1`),
      ...EXACT_BUT_REFUSED.keys(),
    ];
    for (const text of [...new Set(texts)]) {
      const known = EXACT_BUT_REFUSED.get(text);
      it(`${text}${known ? ` (refused, though Weeks ${known} is exact)` : ''}`, () => {
        const plan = cronToTriggers(expressionOf(text));
        assert.ok(!plan.exact && plan.code === 'and-quirk', `${text} should be refused as and-quirk`);
        assert.deepStrictEqual(exactWeekSubsets(text, start, end, utc), known ? [known] : []);
      });
    }
  });

  describe('refuses at the 48-trigger limit, not before', () => {
    // Times whose cover needs 24, 25, 48 and 49 triggers a day with today's greedy cover; if the
    // cover gets better, these counts drop and the boundary needs new expressions.
    const times24 = '0,12,17,29,31,36,54,57 4,6,9,11,15,16,19,23';
    const times25 = '0,1,7,13,15,16,17,25,28,40,48 0,10,12,13,14,16,20';
    const times48 = '0,1,8,11,12,13,16,18,24,28,39,41,46,49 1,4,5,10,12,18,19,21,22';
    const times49 = '2,3,6,11,12,28,31,37,39,40,43,58 0,1,4,8,9,10,11,14,15,16,19,21';
    const accepted: ReadonlyArray<readonly [string, number]> = [
      [`${times24} 1-7 * 1`, 48], // OR: 24 × 2
      [`${times24} 1-7 * */2`, 24], // AND: 24 × 1
      [`${times48} 1-7 * */2`, 48],
      [`${times48} 1-7 * *`, 48],
    ];
    for (const [text, count] of accepted) {
      it(`${text}: ${count} triggers`, function () {
        this.timeout(30_000);
        assert.strictEqual(exactTriggers(text).length, count);
        assertSameRuns(text, from, to, utc);
      });
    }
    const refused: ReadonlyArray<readonly [string, RegExp]> = [
      [`${times25} 1-7 * 1`, /^This schedule needs 50 triggers \(25 start times or repetitions a day × 2 day patterns\); Task Scheduler allows 48 per task\./],
      [
        `${times49} 1-7 * */2`,
        /^This schedule needs 49 triggers \(49 start times or repetitions a day × 1 day patterns\); Task Scheduler allows 48 per task\./,
      ],
      [`${times49} 22-28 * *`, /^This schedule needs 49 triggers \(49 .* × 1 day patterns\)/],
      [`${times48} 1-7 * 1`, /^This schedule needs 96 triggers \(48 .* × 2 day patterns\)/],
    ];
    for (const [text, reason] of refused) {
      it(`${text}: too-many-triggers`, () => {
        const plan = cronToTriggers(expressionOf(text));
        assert.ok(!plan.exact, `${text} should be refused`);
        assert.strictEqual(plan.code, 'too-many-triggers');
        assert.match(plan.reason, reason);
        assert.ok(plan.cronDoes.length > 0);
      });
    }
    // An AND-quirk day part is refused for that, whatever the trigger count would be.
    it(`${times49} 1-8 * */2: and-quirk before counting`, () => assertAndQuirk(`${times49} 1-8 * */2`, '1-8', '*/2'));
  });
});

function assertMapsTo(text: string, expected: readonly string[], from: number, to: number, zone: TimeZone): void {
  const triggers = exactTriggers(text);
  assert.deepStrictEqual(triggers.map(describeTrigger), expected, text);
  assertSameRuns(text, from, to, zone, triggers);
}

function assertAndQuirk(text: string, dom: string, dow: string): void {
  const plan = cronToTriggers(expressionOf(text));
  assert.ok(!plan.exact, `${text} should be refused, not mapped to ${plan.exact ? plan.triggers.map(describeTrigger).join(' + ') : ''}`);
  assert.strictEqual(plan.code, 'and-quirk', `${text}: ${plan.reason}`);
  assert.match(plan.reason, /^Task Scheduler cannot combine a day of the month with a weekday/);
  assert.match(plan.reason, /\(AND\)/);
  assert.ok(plan.reason.includes(`('${dom}' or '${dow}')`), `${text}: the reason names both fields: ${plan.reason}`);
  assert.strictEqual(plan.alternative, undefined);
  assert.ok(plan.cronDoes.length > 0);
}

/**
 * An oracle that does not use the mapping: every subset of Task Scheduler's weeks of the month,
 * as one monthly day-of-week trigger with the expression's weekdays, months and (single) time,
 * whose runs over [from, to) are exactly cron's.
 */
function exactWeekSubsets(text: string, from: number, to: number, zone: TimeZone): string[] {
  const cron = expressionOf(text) as CalendarCron;
  assert.ok(cron.minute.values.length === 1 && cron.hour.values.length === 1, `${text}: one time a day`);
  const cronRuns = cronRunsBetween(cron, from, to, zone);
  const all: readonly WeekOfMonth[] = [1, 2, 3, 4, 'Last'];
  const exact: string[] = [];
  for (let mask = 1; mask < 1 << all.length; mask++) {
    const weeks = all.filter((_, index) => mask & (1 << index));
    const trigger: CalendarTrigger = {
      kind: 'calendar',
      startMinute: cron.hour.values[0]! * 60 + cron.minute.values[0]!,
      schedule: { type: 'byMonthDayOfWeek', weeks, daysOfWeek: cron.dayOfWeek.values as readonly Weekday[], months: cron.month.values },
    };
    const runs = triggerRuns([trigger], from, to, zone);
    if (runs.length === cronRuns.length && runs.every((run, index) => run === cronRuns[index])) exact.push(weeks.join(','));
  }
  return exact;
}

function cronRunsBetween(cron: CalendarCron, from: number, to: number, zone: TimeZone): number[] {
  const runs: number[] = [];
  for (let after = from - 1; ;) {
    const batch = nextRuns(cron, after, 500, zone).map((run) => run.instant);
    runs.push(...batch.filter((instant) => instant < to));
    if (batch.length < 500 || batch[batch.length - 1]! >= to) return [...new Set(runs)];
    after = batch[batch.length - 1]!;
  }
}

function runsOf(text: string, triggers: readonly Trigger[], from: number, to: number, zone: TimeZone): { simulated: number[]; cron: number[] } {
  const simulated = triggerRuns(triggers, from, to, zone);
  // More than the triggers give (a fall-back day adds up to 60 runs): if cron had another run before `to`, it shows.
  const cron = nextRuns(expressionOf(text), from - 1, simulated.length + 61, zone)
    .map((run) => run.instant)
    .filter((instant) => instant < to);
  return { simulated, cron: [...new Set(cron)] };
}

function assertSameRuns(text: string, from: number, to: number, zone: TimeZone, given?: readonly Trigger[]): void {
  const triggers = given ?? exactTriggers(text);
  const { simulated, cron } = runsOf(text, triggers, from, to, zone);
  const only = symmetricDifference(simulated, cron).slice(0, 5);
  assert.deepStrictEqual(
    only.map((instant) => new Date(instant).toISOString()),
    [],
    `${text}: ${simulated.length} trigger runs vs ${cron.length} cron runs; triggers ${triggers.map(describeTrigger).join(' + ')}`,
  );
  assert.strictEqual(simulated.length, cron.length);
}

function assertRefusalIsJustified(text: string, plan: Extract<TriggerPlan, { exact: false }>): void {
  const cron = expressionOf(text);
  assert.ok(cron.kind === 'calendar');
  if (plan.code === 'never-fires') assert.deepStrictEqual(nextRuns(cron, Date.UTC(2025, 0, 1), 1, TimeZone.get('UTC')!), [], text);
  if (plan.code === 'and-quirk') assert.strictEqual(cron.dayRule, 'and', text);
  if (plan.code === 'too-many-triggers') assert.ok(Number(/needs (\d+)/.exec(plan.reason)?.[1]) > MAX_TRIGGERS, text);
}

function symmetricDifference(a: readonly number[], b: readonly number[]): number[] {
  const setA = new Set(a);
  const setB = new Set(b);
  return [...a.filter((x) => !setB.has(x)), ...b.filter((x) => !setA.has(x))].sort((x, y) => x - y);
}

function localDate(zone: TimeZone, instant: number): string {
  return new Date(zone.wallAt(instant)).toISOString().slice(0, 10);
}

/** A random expression of the cron grammar: `*`, `*\/n`, values, ranges, stepped ranges, lists, names. */
function randomExpression(random: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const int = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
  const item = (low: number, high: number, names?: readonly string[]): string => {
    const value = (): string => {
      const n = int(low, high);
      return names && random() < 0.3 ? names[n - low]! : String(n);
    };
    switch (pick(['value', 'value', 'range', 'stepRange'] as const)) {
      case 'value':
        return value();
      case 'range': {
        const a = int(low, high);
        return `${a}-${int(a, high)}`;
      }
      case 'stepRange': {
        const a = int(low, high);
        return `${a}-${int(a, high)}/${int(1, Math.max(1, Math.floor((high - low) / 2)))}`;
      }
    }
  };
  const field = (low: number, high: number, weights: { star: number; step: number }, names?: readonly string[]): string => {
    const roll = random();
    if (roll < weights.star) return '*';
    if (roll < weights.star + weights.step) return `*/${int(2, Math.max(2, Math.floor((high - low + 1) / 2)))}`;
    const count = pick([1, 1, 1, 2, 3]);
    return Array.from({ length: count }, () => item(low, high, names)).join(',');
  };
  const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
  const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
  if (random() < 0.03) return pick(['@yearly', '@monthly', '@weekly', '@daily', '@hourly', '@midnight']);
  return [
    field(0, 59, { star: 0.1, step: 0.25 }),
    field(0, 23, { star: 0.3, step: 0.2 }),
    field(1, 31, { star: 0.6, step: 0.05 }),
    field(1, 12, { star: 0.7, step: 0.1 }, months),
    field(0, 7, { star: 0.6, step: 0.05 }, [...days, 'sun']),
  ].join(' ');
}
