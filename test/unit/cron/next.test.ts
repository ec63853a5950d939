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
        assert.deepStrictEqual(runs.map((run) => iso(run.instant)), known.expected);
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
    assert.deepStrictEqual(fold.map((run) => run.note), ['dst-repeated', 'dst-repeated']);
    const once = nextRuns(expressionOf('30 2 * * *'), Date.parse('2025-10-25T12:00:00Z'), 1, berlin)[0]!;
    assert.strictEqual(once.note, 'dst-once');
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
        if (expression.minute.values.includes(d.getUTCMinutes()) && expression.hour.values.includes(d.getUTCHours()) && expression.month.values.includes(d.getUTCMonth() + 1) && dayOk) {
          walked.push(iso(t));
        }
      }
      assert.deepStrictEqual(nextRuns(expression, from, 12, TimeZone.get('UTC')!).map((run) => iso(run.instant)), walked, text);
    }
  });

  it('merge several schedule lines without duplicates', () => {
    const runs = mergedNextRuns([expressionOf('0 12 * * 1'), expressionOf('0 12 * * 1-2'), expressionOf('@reboot')], Date.parse('2025-01-01T00:00:00Z'), 4, TimeZone.get('UTC')!);
    assert.deepStrictEqual(runs.map((run) => iso(run.instant)), ['2025-01-06T12:00:00Z', '2025-01-07T12:00:00Z', '2025-01-13T12:00:00Z', '2025-01-14T12:00:00Z']);
  });
});
