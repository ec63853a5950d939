import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { mergedNextRuns, nextRuns } from '../../../src/core/cron/next';
import { parseCron, type CronExpression } from '../../../src/core/cron/parse';
import { TimeZone } from '../../../src/core/cron/zone';

interface KnownCase {
  readonly expression: string;
  readonly zone: string;
  readonly from: string;
  readonly why: string;
  readonly expected: readonly string[];
}

const table = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'test/fixtures/known-fire-times.json'), 'utf8')) as { cases: KnownCase[] };

function expressionOf(text: string): CronExpression {
  const result = parseCron(text);
  assert.ok(result.expression, `${text} should parse: ${result.problems.map((p) => p.message).join('; ')}`);
  return result.expression;
}

function iso(instant: number): string {
  return new Date(instant).toISOString().replace('.000Z', 'Z');
}

describe('next runs', () => {
  describe('match the hand-computed table', () => {
    for (const known of table.cases) {
      it(`${known.expression} in ${known.zone} from ${known.from}: ${known.why}`, () => {
        const zone = TimeZone.get(known.zone)!;
        const runs = nextRuns(expressionOf(known.expression), Date.parse(known.from), Math.max(known.expected.length, 1), zone);
        assert.deepStrictEqual(
          runs.map((run) => iso(run.instant)),
          known.expected,
        );
      });
    }
  });

  it('are strictly after the start, even when the start is a run time', () => {
    const runs = nextRuns(expressionOf('0 12 * * 1'), Date.parse('2025-01-06T12:00:00Z'), 1, TimeZone.get('UTC')!);
    assert.strictEqual(iso(runs[0]!.instant), '2025-01-13T12:00:00Z');
  });

  it('mark a run moved by a spring-forward gap and the second pass of a repeated hour', () => {
    const berlin = TimeZone.get('Europe/Berlin')!;
    const gap = nextRuns(expressionOf('30 2 * * *'), Date.parse('2025-03-29T12:00:00Z'), 1, berlin)[0]!;
    assert.strictEqual(gap.note, 'dst-skipped');
    assert.strictEqual(new Date(gap.wall).toISOString().slice(11, 16), '02:30');
    const fold = nextRuns(expressionOf('*/30 2 * * *'), Date.parse('2025-10-26T00:45:00Z'), 2, berlin);
    assert.deepStrictEqual(
      fold.map((run) => run.note),
      ['dst-repeated', 'dst-repeated'],
    );
    const once = nextRuns(expressionOf('30 2 * * *'), Date.parse('2025-10-25T12:00:00Z'), 1, berlin)[0]!;
    assert.strictEqual(once.note, 'dst-once');
  });

  describe("follow cron's catch-up after the clocks go forward (Debian cron.c, checked with the oracle)", () => {
    const berlin = TimeZone.get('Europe/Berlin')!;
    const newYork = TimeZone.get('America/New_York')!;
    const hhmm = (wall: number): string => new Date(wall).toISOString().slice(11, 16);

    it('one run per minute, with the number of starts when there are several', () => {
      const runs = nextRuns(expressionOf('0-59/5 2 * * *'), Date.parse('2025-03-29T12:00:00Z'), 3, berlin);
      assert.deepStrictEqual(
        runs.map((run) => [iso(run.instant), hhmm(run.wall), run.note, run.starts]),
        [
          ['2025-03-30T01:00:00Z', '02:00', 'dst-skipped', 6],
          ['2025-03-30T01:01:00Z', '02:30', 'dst-catch-up', 6],
          ['2025-03-31T00:00:00Z', '02:00', undefined, undefined],
        ],
      );
    });

    it('a single skipped time is one start at the jump, as before', () => {
      const run = nextRuns(expressionOf('30 2 * * *'), Date.parse('2025-03-29T12:00:00Z'), 1, berlin)[0]!;
      assert.deepStrictEqual([iso(run.instant), run.note, run.starts], ['2025-03-30T01:00:00Z', 'dst-skipped', undefined]);
    });

    it('delays an existing wall time that comes while cron is still catching up', () => {
      // 02:00-02:59 and 03:00-03:59: the 03:00 job waits until cron has caught up on the skipped hour.
      const runs = nextRuns(expressionOf('0-59 2,3 * * *'), Date.parse('2025-03-09T06:00:00Z'), 12, newYork);
      assert.deepStrictEqual(
        runs.map((run) => iso(run.instant).slice(11, 16)),
        ['07:00', '07:01', '07:02', '07:03', '07:04', '07:05', '07:06', '07:07', '07:08', '07:09', '07:10', '07:11'],
      );
      assert.deepStrictEqual(
        runs.map((run) => run.starts ?? 1),
        [6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 2, 1],
      );
      assert.strictEqual(hhmm(runs[9]!.wall), '03:02');
      assert.strictEqual(runs[11]!.note, undefined);
    });

    it('finds the rest of a catch-up when starting in the middle of it', () => {
      const runs = nextRuns(expressionOf('0-59 2,3 * * *'), Date.parse('2025-03-09T07:03:30Z'), 2, newYork);
      assert.deepStrictEqual(
        runs.map((run) => [iso(run.instant), hhmm(run.wall), run.note, run.starts]),
        [
          ['2025-03-09T07:04:00Z', '02:27', 'dst-catch-up', 7],
          ['2025-03-09T07:05:00Z', '02:34', 'dst-catch-up', 7],
        ],
      );
    });

    it('leaves wildcard jobs alone: skipped minutes just do not run', () => {
      const runs = nextRuns(expressionOf('*/20 2-3 * * *'), Date.parse('2025-03-30T00:50:00Z'), 2, berlin);
      assert.deepStrictEqual(
        runs.map((run) => [iso(run.instant), run.note, run.starts]),
        [
          ['2025-03-30T01:00:00Z', undefined, undefined],
          ['2025-03-30T01:20:00Z', undefined, undefined],
        ],
      );
    });

    it('treats a jump of more than 3 hours as a clock correction: the skipped times never run', () => {
      // Samoa skipped 30 December 2011 (-10 to +14).
      const runs = nextRuns(expressionOf('0 12 * * *'), Date.parse('2011-12-29T12:00:00Z'), 2, TimeZone.get('Pacific/Apia')!);
      assert.deepStrictEqual(
        runs.map((run) => [iso(run.instant), run.note]),
        [
          ['2011-12-29T22:00:00Z', undefined],
          ['2011-12-30T22:00:00Z', undefined],
        ],
      );
    });
  });

  it('are ascending and unique over a year of DST changes in several zones', () => {
    for (const zoneName of ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'America/Santiago', 'Pacific/Chatham']) {
      const zone = TimeZone.get(zoneName)!;
      for (const text of ['*/20 * * * *', '0,30 0-3 * * *', '15 2 * * *', '@hourly']) {
        const runs = nextRuns(expressionOf(text), Date.parse('2025-01-01T00:00:00Z'), 3000, zone);
        for (let i = 1; i < runs.length; i++) assert.ok(runs[i]!.instant > runs[i - 1]!.instant, `${zoneName} ${text} at ${i}`);
      }
    }
  });

  it('give nothing for @reboot', () => {
    assert.deepStrictEqual(nextRuns(expressionOf('@reboot'), 0, 5, TimeZone.get('UTC')!), []);
  });

  it('agree with a minute-by-minute walk in UTC on many expressions', () => {
    // The walk tests the search (day skipping, field iteration), not the parser: it uses the
    // parsed value sets with vixie's day rule written out plainly.
    const expressions = ['*/13 */5 * * *', '7 3 */3 * *', '0 0 1,15 * 1-5', '0 0 */10 * 3', '45 23 * 2 *', '0 12 1-7 * 1', '5 5 5 5,11 *', '0 0 * * 6-7'];
    for (const text of expressions) {
      const expression = expressionOf(text);
      if (expression.kind !== 'calendar') continue;
      const from = Date.parse('2025-01-01T00:00:00Z');
      const walked: string[] = [];
      const dom = new Set(expression.dayOfMonth.values);
      const dow = new Set(expression.dayOfWeek.values);
      for (let t = from + 60_000; walked.length < 12; t += 60_000) {
        const d = new Date(t);
        const dayOk = expression.dayRule === 'and' ? dom.has(d.getUTCDate()) && dow.has(d.getUTCDay()) : dom.has(d.getUTCDate()) || dow.has(d.getUTCDay());
        if (
          expression.minute.values.includes(d.getUTCMinutes()) &&
          expression.hour.values.includes(d.getUTCHours()) &&
          expression.month.values.includes(d.getUTCMonth() + 1) &&
          dayOk
        ) {
          walked.push(iso(t));
        }
      }
      assert.deepStrictEqual(
        nextRuns(expression, from, 12, TimeZone.get('UTC')!).map((run) => iso(run.instant)),
        walked,
        text,
      );
    }
  });

  it('merge several schedule lines without duplicates', () => {
    const runs = mergedNextRuns(
      [expressionOf('0 12 * * 1'), expressionOf('0 12 * * 1-2'), expressionOf('@reboot')],
      Date.parse('2025-01-01T00:00:00Z'),
      4,
      TimeZone.get('UTC')!,
    );
    assert.deepStrictEqual(
      runs.map((run) => iso(run.instant)),
      ['2025-01-06T12:00:00Z', '2025-01-07T12:00:00Z', '2025-01-13T12:00:00Z', '2025-01-14T12:00:00Z'],
    );
  });
});
