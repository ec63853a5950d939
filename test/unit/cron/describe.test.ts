import * as assert from 'assert';
import { dayCombination, neverFires } from '../../../src/core/cron/analyze';
import { compactRanges, cronstrueLocale, describeCron, explainFields, normalizedExpression } from '../../../src/core/cron/describe';
import { parseCron, type CalendarCron, type CronExpression } from '../../../src/core/cron/parse';

function parsed(text: string): CronExpression {
  const expression = parseCron(text).expression;
  assert.ok(expression, text);
  return expression;
}

function calendar(text: string): CalendarCron {
  const expression = parsed(text);
  assert.ok(expression.kind === 'calendar');
  return expression;
}

describe('describeCron', () => {
  it("describes the seeds' schedule as a newcomer expects", () => {
    assert.strictEqual(describeCron(parsed('0 12 * * 1')).text, 'At 12:00 PM, only on Monday');
    assert.strictEqual(describeCron(parsed('0 12 * * 1'), { use24HourTime: true }).text, 'At 12:00, only on Monday');
  });

  it('follows the editor language, with English as the fallback', () => {
    assert.strictEqual(describeCron(parsed('0 12 * * 1'), { locale: 'de' }).text, 'Um 12:00, nur jeden Montag');
    assert.match(describeCron(parsed('0 12 * * 1'), { locale: 'pt-br' }).text, /segunda/i);
    assert.strictEqual(describeCron(parsed('0 12 * * 1'), { locale: 'xx-unknown' }).text, 'At 12:00 PM, only on Monday');
    assert.strictEqual(cronstrueLocale('zh-cn'), 'zh_CN');
    assert.strictEqual(cronstrueLocale('en-gb'), 'en');
  });

  it('says "or" when both day fields restrict and cron ORs them', () => {
    const description = describeCron(parsed('30 4 1,15 * 5'));
    assert.strictEqual(description.text, 'At 04:30 AM, on day 1 and 15 of the month, or on Friday');
    assert.ok(description.notes.some((note) => note.includes(' or ') && note.includes('OR')));
  });

  it('explains the vixie AND for a day field starting with *', () => {
    const description = describeCron(parsed('0 0 */2 * sun'));
    assert.match(description.text, /only on Sunday/);
    assert.ok(description.notes.some((note) => /both day fields/.test(note) && /1, 3, 5, …, 31/.test(note) && /Sun/.test(note)));
  });

  it('describes never-firing expressions as such', () => {
    const description = describeCron(parsed('0 0 31 2 *'));
    assert.strictEqual(description.never, true);
    assert.match(description.text, /^Never runs: February never has day 31/);
    assert.strictEqual(describeCron(parsed('5-2 * * * *')).never, true);
  });

  it('says @reboot runs at boot', () => {
    const description = describeCron(parsed('@reboot'));
    assert.strictEqual(description.reboot, true);
    assert.match(description.text, /startup/);
  });

  it('does not repeat cronstrue\'s "every 7 minutes" for a step that restarts each hour', () => {
    const description = describeCron(parsed('*/7 * * * *'));
    assert.doesNotMatch(description.text, /Every 7 minutes/);
    assert.match(description.text, /56/);
    assert.ok(description.notes.some((note) => /gap from :56 to the next :00 is 4 minutes/.test(note)));
  });

  it('does not say "Sunday through Sunday" or "Sunday and Sunday"', () => {
    assert.doesNotMatch(describeCron(parsed('0 0 * * 0-7')).text, /Sunday through Sunday/);
    assert.doesNotMatch(describeCron(parsed('0 0 * * 0,7')).text, /Sunday and Sunday/);
  });

  it('normalizes only what cronstrue would misread', () => {
    assert.strictEqual(normalizedExpression(calendar('*/15 9-17 * * 1-5')), '*/15 9-17 * * 1-5');
    assert.strictEqual(normalizedExpression(calendar('*/35 * * * 0,7')), '0,35 * * * 0');
    assert.strictEqual(normalizedExpression(calendar('0 0,22-2 * * *')), '0 0 * * *');
    assert.strictEqual(compactRanges([1, 2, 3, 5, 7, 8]), '1-3,5,7,8');
  });

  it("explains each field in the reader's language", () => {
    const rows = explainFields(calendar('0 9-17 * * mon-fri'), { locale: 'de' });
    assert.deepStrictEqual(
      rows.map((row) => row.meaning),
      ['0', '9–17', 'every day of the month', 'every month', 'Mo–Fr'],
    );
  });
});

describe('cron analysis', () => {
  it('classifies how the day fields combine', () => {
    assert.strictEqual(dayCombination(calendar('0 0 1,15 * 5')), 'or');
    assert.strictEqual(dayCombination(calendar('0 0 1-31 * 1')), 'or-moot');
    assert.strictEqual(dayCombination(calendar('0 0 */2 * sun')), 'and-quirk');
    assert.strictEqual(dayCombination(calendar('0 0 */2 * *')), 'single');
    assert.strictEqual(dayCombination(calendar('0 0 * * 1-5')), 'single');
    assert.strictEqual(dayCombination(calendar('@weekly')), 'single');
  });

  it('knows which expressions never fire without searching', () => {
    for (const text of ['0 0 30 2 *', '0 0 31 2,4 *', '5-2 * * * *', '0 22-2 * * *', '0 0 * * 5-2', '0 0 5-2 * 5-2', '0 0 * 9-3 *']) {
      assert.ok(neverFires(calendar(text)), text);
    }
    for (const text of ['0 0 29 2 *', '0 0 31 * *', '0 0 5-2 * 1', '0 0 29 2 */7']) assert.strictEqual(neverFires(calendar(text)), undefined, text);
  });
});
