import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { corpus, HAND_PICKED } from '../../../bench/corpus';
import { dayMatcher } from '../../../src/core/cron/calendar';
import { nextRuns } from '../../../src/core/cron/next';
import { parseCron, type CalendarCron, type CronExpression } from '../../../src/core/cron/parse';
import { TimeZone } from '../../../src/core/cron/zone';
import { clockChanges, cronToCalendar, timerDstDifferences } from '../../../src/core/systemd/calendar';

function expressionOf(text: string): CronExpression {
  const result = parseCron(text);
  assert.ok(result.expression, `${text} should parse: ${result.problems.map((p) => p.message).join('; ')}`);
  return result.expression;
}

function linesOf(text: string, timezone?: string): readonly string[] {
  const plan = cronToCalendar(expressionOf(text), timezone ? { timezone } : {});
  assert.ok(plan.exact, `${text} should map exactly: ${plan.exact ? '' : plan.reason}`);
  return plan.lines;
}

/** Expressions and the OnCalendar= lines they must become. */
const MAPPED: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['0 12 * * 1', ['Mon *-*-* 12:00:00']],
  ['0 20 * * 0', ['Sun *-*-* 20:00:00']],
  ['0 20 * * 7', ['Sun *-*-* 20:00:00']],
  ['0 0 * * 0,7', ['Sun *-*-* 00:00:00']],
  ['0 0 * * 5-7', ['Fri..Sun *-*-* 00:00:00']],
  ['0 0 * * sat,sun', ['Sat,Sun *-*-* 00:00:00']],
  ['0 0 * * 0-5', ['Mon..Fri,Sun *-*-* 00:00:00']],
  ['*/15 9-17 * * mon-fri', ['Mon..Fri *-*-* 09..17:00..45/15:00']],
  ['*/7 * * * *', ['*-*-* *:00..56/7:00']],
  ['*/35 * * * *', ['*-*-* *:00,35:00']],
  ['* * * * *', ['*-*-* *:*:00']],
  ['0 2 * * *', ['*-*-* 02:00:00']],
  ['23 0-20/2 * * *', ['*-*-* 00..20/2:23:00']],
  ['5,10-12,30-40/5 * * * *', ['*-*-* *:05,10..12,30..40/5:00']],
  ['0-10/2,31-41/2 * * * *', ['*-*-* *:00..10/2,31..41/2:00']],
  ['1,2,4,8,16,32 * * * *', ['*-*-* *:01,02,04,08,16,32:00']],
  ['0 0 1,2 * *', ['*-*-01,02 00:00:00']],
  ['0 0,12 1 */2 *', ['*-01..11/2-01 00,12:00:00']],
  ['0 9 * jan,jul mon', ['Mon *-01,07-* 09:00:00']],
  ['0 0 29 2 *', ['*-02-29 00:00:00']],
  ['59 23 31 12 *', ['*-12-31 23:59:00']],
  // vixie's OR: one line for the days of the month, one for the weekdays.
  ['30 4 1,15 * 5', ['*-*-01,15 04:30:00', 'Fri *-*-* 04:30:00']],
  ['0 0 13 * 5', ['*-*-13 00:00:00', 'Fri *-*-* 00:00:00']],
  ['0 0 1-31/2 * sun', ['*-*-01..31/2 00:00:00', 'Sun *-*-* 00:00:00']],
  // OR made moot by a field that matches every day, or emptied by a reversed range.
  ['0 0 1-31 * 1', ['*-*-* 00:00:00']],
  ['0 0 * * 0-6', ['*-*-* 00:00:00']],
  ['0 0 5-2 * 1', ['Mon *-*-* 00:00:00']],
  ['0 0 13 * 5-2', ['*-*-13 00:00:00']],
  // Debian's AND: a day field starting with '*', one line with both.
  ['0 0 */2 * sun', ['Sun *-*-01..31/2 00:00:00']],
  ['0 0 1 * */2', ['Tue,Thu,Sat,Sun *-*-01 00:00:00']],
  ['0 0 1-7 * */2', ['Tue,Thu,Sat,Sun *-*-01..07 00:00:00']],
  ['0 0 29 2 */7', ['Sun *-02-29 00:00:00']],
  // Macros set the day flags as Debian's entry.c does.
  ['@yearly', ['*-01-01 00:00:00']],
  ['@annually', ['*-01-01 00:00:00']],
  ['@monthly', ['*-*-01 00:00:00']],
  ['@weekly', ['Sun *-*-* 00:00:00']],
  ['@daily', ['*-*-* 00:00:00']],
  ['@midnight', ['*-*-* 00:00:00']],
  ['@hourly', ['*-*-* *:00:00']],
];

describe('cron to systemd OnCalendar= lines', () => {
  describe('maps each expression onto exactly these lines', () => {
    for (const [text, expected] of MAPPED) {
      it(`${text} → ${expected.join(' + ')}`, () => assert.deepStrictEqual(linesOf(text), expected));
    }
  });

  it("writes the file's timezone as the zone suffix of every line", () => {
    assert.deepStrictEqual(linesOf('30 4 1,15 * 5', 'Europe/Berlin'), ['*-*-01,15 04:30:00 Europe/Berlin', 'Fri *-*-* 04:30:00 Europe/Berlin']);
  });

  it('never writes an open repetition (a/n), which systemd 252 lets carry into the next day', () => {
    for (const text of corpus()) {
      const plan = cronToCalendar(expressionOf(text));
      if (!plan.exact) continue;
      for (const line of plan.lines) assert.doesNotMatch(line, /(^|[,:\- ])\d+\/\d+/, `${text}: ${line}`);
    }
  });

  describe('refuses what a timer cannot do exactly, and says why', () => {
    it('@reboot is timer-inexact: no calendar time, and OnBootSec= is not what cron does', () => {
      const plan = cronToCalendar(expressionOf('@reboot'));
      assert.ok(!plan.exact);
      assert.strictEqual(plan.code, 'timer-inexact');
      assert.match(plan.reason, /@reboot.*OnBootSec=/);
      assert.ok(plan.cronDoes.length > 0);
    });

    for (const text of ['0 0 31 2 *', '0 0 30 2 *', '0 22-2 * * *', '0 0 5-2 * fri-sun']) {
      it(`${text} never fires`, () => {
        const plan = cronToCalendar(expressionOf(text));
        assert.ok(!plan.exact);
        assert.strictEqual(plan.code, 'never-fires');
        assert.match(plan.reason, /Never runs/);
      });
    }
  });

  describe('DST: the cron runs a timer does not make', () => {
    const berlin = TimeZone.get('Europe/Berlin')!;
    const year = [Date.UTC(2025, 0, 1), Date.UTC(2026, 0, 1)] as const;

    it('finds the two clock changes of Europe/Berlin in 2025, to the minute', () => {
      assert.deepStrictEqual(clockChanges(berlin, ...year), [
        { instant: Date.UTC(2025, 2, 30, 1), shift: 3_600_000 },
        { instant: Date.UTC(2025, 9, 26, 1), shift: -3_600_000 },
      ]);
      assert.deepStrictEqual(clockChanges(TimeZone.get('UTC')!, ...year), []);
    });

    it('a fixed time in the skipped hour: cron runs it at 03:00, the timer not at all', () => {
      const runs = timerDstDifferences(expressionOf('30 2 * * *'), berlin, ...year);
      assert.deepStrictEqual(
        runs.map((run) => [new Date(run.instant).toISOString(), run.note]),
        [['2025-03-30T01:00:00.000Z', 'dst-skipped']],
      );
    });

    it('a wildcard job in the repeated hour: cron runs the second pass, the timer does not', () => {
      const runs = timerDstDifferences(expressionOf('*/20 2 * * *'), berlin, ...year);
      assert.deepStrictEqual(
        runs.map((run) => [new Date(run.instant).toISOString(), run.note]),
        [
          ['2025-10-26T01:00:00.000Z', 'dst-repeated'],
          ['2025-10-26T01:20:00.000Z', 'dst-repeated'],
          ['2025-10-26T01:40:00.000Z', 'dst-repeated'],
        ],
      );
    });

    it('nothing differs for a late start on a time the timer elapses at anyway, or in UTC', () => {
      // 02:00 and 02:30 are skipped; cron starts both at 03:00, where the timer elapses too.
      assert.deepStrictEqual(timerDstDifferences(expressionOf('0,30 2,3 * * *'), berlin, ...year), []);
      assert.deepStrictEqual(timerDstDifferences(expressionOf('30 2 * * *'), TimeZone.get('UTC')!, ...year), []);
      assert.deepStrictEqual(timerDstDifferences(expressionOf('0 12 * * 1'), berlin, ...year), []);
    });
  });
});

/*
 * The oracle: systemd's own calendar code (`systemd-analyze calendar`, systemd 252 here) computes
 * the elapses of every line; merged, they must be the cron engine's runs (src/core/cron/next.ts,
 * itself checked against Debian's cron.c by test/unit/cron/oracle.test.ts) over the same span.
 *
 * Corpus: every expression of the committed Debian oracle table and of the benchmark corpus that
 * maps (not @reboot, not never-firing). Each line gets ITERATIONS elapses from each base time;
 * the span compared ends at the earliest last elapse of a line that had that many (so no line
 * is cut short), at the engine's last run when it returned as many as asked, and at 2100
 * (systemd's calendar ends in 2199).
 *
 * UTC: no difference at all. Europe/Berlin, from 1 January 2025 and from around both clock
 * changes of 2025 (the lines without a suffix, systemd-analyze run with TZ=Europe/Berlin: the
 * machine's zone, as for a file without `timezone`): the only differences are on those two days,
 * and they are exactly these:
 * - 30 March (02:00 CET → 03:00 CEST): cron's late starts of fixed-time jobs whose wall time was
 *   skipped (notes dst-skipped, dst-catch-up) that fall on a minute the timer does not elapse at.
 *   The timer skips wall times that do not exist.
 * - 26 October (03:00 CEST → 02:00 CET): cron's second pass of wildcard jobs through the repeated
 *   hour (note dst-repeated). The timer elapses once per wall time, in the first pass.
 * - and from the base inside the repeated hour (02:15 CET, second pass), the other way round: a
 *   timer computed there elapses at the fixed-time job's remaining wall times of the second pass,
 *   which cron ran in the first pass and does not repeat.
 * The first two are what timerDstDifferences predicts (the hover shows them); the test holds
 * the prediction to systemd exactly. With the zone suffix (a file's `timezone`), the lines elapse
 * as without it under that machine zone (checked on the hand-picked expressions; systemd loads
 * the zone for every elapse with a suffix, about 2.5 ms each, so that check is kept small).
 */

const ITERATIONS = 200;
const SUFFIX_ITERATIONS = 24;
const MINUTE = 60_000;
const SPAN_END = Date.UTC(2100, 0, 1);

interface Mapped {
  readonly text: string;
  readonly expression: CalendarCron;
  readonly lines: readonly string[];
}

interface Elapses {
  readonly normalized: string;
  readonly instants: readonly number[];
}

function systemdAnalyze(): string | undefined {
  const found = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.split('\n')[0] : undefined;
}

/** `systemd-analyze calendar` for many lines in one call; its output parsed per line, in order. */
function calendar(lines: readonly string[], base: number, iterations: number, tz: string): Elapses[] {
  const output = execFileSync('systemd-analyze', ['calendar', `--iterations=${iterations}`, `--base-time=@${base / 1000}`, ...lines], {
    encoding: 'utf8',
    env: { ...process.env, TZ: tz, LC_ALL: 'C' },
    maxBuffer: 1 << 28,
  });
  // One block per expression, separated by a blank line. Each elapse is printed in TZ, and with
  // TZ other than UTC once more "(in UTC): Sun 2025-03-30 01:00:00 UTC": the UTC ones are taken.
  const blocks = output.split('\n\n').filter((block) => block.trim().length > 0);
  assert.strictEqual(blocks.length, lines.length, `systemd-analyze printed ${blocks.length} blocks for ${lines.length} lines`);
  return blocks.map((block) => ({
    normalized: /Normalized form: (.*)/.exec(block)![1]!,
    instants: [...block.matchAll(/ (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) UTC$/gm)].map((match) => Date.parse(`${match[1]}T${match[2]}Z`)),
  }));
}

/** Every expression of the cron test corpus that maps onto lines. */
function mappedCorpus(): Mapped[] {
  const table = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'test/fixtures/cron/debian-oracle.json'), 'utf8')) as { cases: { expr: string }[] };
  const texts = [...new Set([...table.cases.map((c) => c.expr), ...corpus()])];
  const mapped: Mapped[] = [];
  for (const text of texts) {
    const expression = parseCron(text).expression;
    if (!expression || expression.kind !== 'calendar') continue;
    const plan = cronToCalendar(expression);
    if (plan.exact) mapped.push({ text, expression, lines: plan.lines });
  }
  return mapped;
}

interface Comparison {
  readonly onlyCron: readonly number[];
  readonly onlyTimer: readonly number[];
  /** The end of the span compared (inclusive). */
  readonly end: number;
}

/** The timer's merged elapses against the engine's runs from `base`, over the span both cover. */
function compare(item: Mapped, elapses: readonly Elapses[], base: number, zone: TimeZone, iterations: number): Comparison {
  let end = SPAN_END;
  for (const line of elapses) if (line.instants.length === iterations) end = Math.min(end, line.instants[iterations - 1]!);
  const want = iterations * item.lines.length + 100;
  const runs = nextRuns(item.expression, base, want, zone);
  if (runs.length === want) end = Math.min(end, runs[want - 1]!.instant);
  const timer = new Set(elapses.flatMap((line) => line.instants).filter((instant) => instant <= end));
  const cron = new Set(runs.map((run) => run.instant).filter((instant) => instant <= end));
  return {
    onlyCron: [...cron].filter((instant) => !timer.has(instant)).sort((a, b) => a - b),
    onlyTimer: [...timer].filter((instant) => !cron.has(instant)).sort((a, b) => a - b),
    end,
  };
}

/** The batch for one base: every line of every expression, in one call. */
function elapsesByExpression(items: readonly Mapped[], base: number, iterations: number, tz: string, lines = (item: Mapped) => item.lines): Elapses[][] {
  const all = calendar(
    items.flatMap((item) => lines(item)),
    base,
    iterations,
    tz,
  );
  const result: Elapses[][] = [];
  let index = 0;
  for (const item of items) {
    result.push(all.slice(index, index + lines(item).length));
    index += lines(item).length;
  }
  return result;
}

const iso = (instant: number): string => new Date(instant).toISOString().replace(':00.000Z', 'Z');

/**
 * What a timer computed from `base` does and cron does not: if `base` lies in the second pass of
 * a repeated hour, a fixed-time job's matching wall times from there to the end of the fold.
 */
function timerStartedInFold(item: Mapped, base: number, zone: TimeZone, end: number): number[] {
  if (item.expression.wildcard) return [];
  const fold = clockChanges(zone, base - 3 * 3_600_000, base + 1).find((change) => change.shift < 0);
  if (!fold || base >= fold.instant - fold.shift) return [];
  const instants: number[] = [];
  for (let instant = Math.floor(base / MINUTE) * MINUTE + MINUTE; instant < fold.instant - fold.shift && instant <= end; instant += MINUTE) {
    const wall = new Date(zone.wallAt(instant));
    const matches =
      item.expression.minute.values.includes(wall.getUTCMinutes()) &&
      item.expression.hour.values.includes(wall.getUTCHours()) &&
      dayMatcher(item.expression)(wall.getUTCFullYear(), wall.getUTCMonth() + 1, wall.getUTCDate());
    if (matches) instants.push(instant);
  }
  return instants;
}

describe('OnCalendar= lines against systemd-analyze calendar (the cron test corpus)', function () {
  this.timeout(120_000);
  const version = systemdAnalyze();
  if (!version) {
    it('needs systemd-analyze (Debian package systemd; scripts/setup.sh installs it): skipped, it is not installed', function () {
      this.skip();
    });
    return;
  }
  const items = mappedCorpus();

  it(`covers the corpus: ${items.length} expressions map, each line checked with ${version}`, () => {
    assert.ok(items.length >= 450, `${items.length} expressions`);
  });

  it('writes every line in systemd’s normalized form, and in UTC the merged elapses are cron’s runs exactly', () => {
    const utc = TimeZone.get('UTC')!;
    const base = Date.UTC(2025, 0, 1);
    const results = elapsesByExpression(items, base, ITERATIONS, 'UTC');
    const failures: string[] = [];
    let compared = 0;
    items.forEach((item, index) => {
      const elapses = results[index]!;
      elapses.forEach((line, lineIndex) => {
        if (line.normalized !== item.lines[lineIndex])
          failures.push(`${item.text}: wrote '${item.lines[lineIndex]}', systemd normalizes to '${line.normalized}'`);
      });
      const { onlyCron, onlyTimer } = compare(item, elapses, base, utc, ITERATIONS);
      compared += elapses.reduce((sum, line) => sum + line.instants.length, 0);
      if (onlyCron.length > 0 || onlyTimer.length > 0)
        failures.push(
          `${item.text} → ${item.lines.join(' + ')}: cron only ${onlyCron.slice(0, 3).map(iso).join(' ')}; timer only ${onlyTimer.slice(0, 3).map(iso).join(' ')}`,
        );
    });
    assert.deepStrictEqual(failures, []);
    assert.ok(compared > items.length * ITERATIONS, `${compared} elapses compared`);
  });

  describe('Europe/Berlin (DST): differences only on the change days, exactly the predicted ones', () => {
    const berlin = TimeZone.get('Europe/Berlin')!;
    const bases: ReadonlyArray<readonly [string, number]> = [
      ['1 January 2025', Date.UTC(2025, 0, 1)],
      ['01:50 CET on 30 March 2025, 10 minutes before the clocks go forward', Date.UTC(2025, 2, 30, 0, 50)],
      ['02:45 CEST on 26 October 2025, in the first pass of the repeated hour', Date.UTC(2025, 9, 26, 0, 45)],
      ['02:15 CET on 26 October 2025, in the second pass of the repeated hour', Date.UTC(2025, 9, 26, 1, 15)],
    ];
    for (const [label, base] of bases) {
      it(`from ${label}`, () => {
        const results = elapsesByExpression(items, base, ITERATIONS, 'Europe/Berlin');
        const failures: string[] = [];
        let differing = 0;
        items.forEach((item, index) => {
          const { onlyCron, onlyTimer, end } = compare(item, results[index]!, base, berlin, ITERATIONS);
          const predicted = timerDstDifferences(item.expression, berlin, base + 1, end + 1).map((run) => run.instant);
          const startedInFold = timerStartedInFold(item, base, berlin, end);
          if (onlyCron.length > 0 || onlyTimer.length > 0) differing++;
          if (onlyCron.join() !== predicted.join() || onlyTimer.join() !== startedInFold.join()) {
            failures.push(
              `${item.text} → ${item.lines.join(' + ')}:\n    cron only  ${onlyCron.map(iso).join(' ') || '-'}\n    predicted  ${predicted.map(iso).join(' ') || '-'}\n` +
                `    timer only ${onlyTimer.map(iso).join(' ') || '-'}\n    predicted  ${startedInFold.map(iso).join(' ') || '-'}`,
            );
          }
        });
        assert.deepStrictEqual(failures, []);
        // The DST difference is real: it must show up, not only be allowed.
        if (base !== Date.UTC(2025, 0, 1)) assert.ok(differing > 0, 'expected runs that differ around the clock change');
      });
    }

    it('with the zone suffix the lines elapse as they do in that machine zone (hand-picked expressions)', () => {
      const picked = items.filter((item) => HAND_PICKED.includes(item.text) && item.expression.hour.values.some((hour) => hour <= 3));
      assert.ok(picked.length >= 20, `${picked.length} expressions`);
      for (const base of [Date.UTC(2025, 2, 30, 0, 50), Date.UTC(2025, 9, 26, 0, 45)]) {
        const suffixed = elapsesByExpression(picked, base, SUFFIX_ITERATIONS, 'UTC', (item) => linesOf(item.text, 'Europe/Berlin'));
        const local = elapsesByExpression(picked, base, SUFFIX_ITERATIONS, 'Europe/Berlin');
        picked.forEach((item, index) => {
          assert.deepStrictEqual(
            suffixed[index]!.map((line) => line.instants),
            local[index]!.map((line) => line.instants),
            item.text,
          );
          assert.deepStrictEqual(
            suffixed[index]!.map((line) => line.normalized),
            linesOf(item.text, 'Europe/Berlin'),
          );
        });
      }
    });
  });
});
