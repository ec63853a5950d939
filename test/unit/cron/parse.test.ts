import * as assert from 'assert';
import { parseCron } from '../../../src/core/cron/parse';

/** [expression, expected code, text the error points at, words the message must contain] */
const REJECTED: ReadonlyArray<readonly [string, string, string, readonly string[]]> = [
  ['', 'cron-syntax', '', ['Empty', '5 fields']],
  ['1/20 * * * *', 'cron-step-without-range', '1/20', ['1-59/20', '*/20']],
  ['1#1 * * * *', 'cron-trailing-text', '#1', ['ignores', "'1'"]],
  ['* * * * 1#1', 'cron-unsupported-syntax', '#1', ['Quartz', "'1'"]],
  ['5-10/2/3 * * * *', 'cron-trailing-text', '/3', ['5-10/2']],
  ['*abc * * * *', 'cron-trailing-text', 'abc', ["'*'"]],
  ['*-5 * * * *', 'cron-trailing-text', '-5', ["'*'"]],
  ['L * * * *', 'cron-unsupported-syntax', 'L', ['Quartz']],
  ['0 0 L * *', 'cron-unsupported-syntax', 'L', ['Quartz']],
  ['0 0 15W * *', 'cron-unsupported-syntax', '15W', ['Quartz']],
  ['? * * * *', 'cron-unsupported-syntax', '?', ['*']],
  ['H * * * *', 'cron-unsupported-syntax', 'H', ['Jenkins']],
  ['0 0 12 * * 1', 'cron-field-count', '1', ['6 fields', 'seconds']],
  ['0 12 * *', 'cron-field-count', '0 12 * *', ['day-of-week missing']],
  ['* * * * monday', 'cron-bad-name', 'monday', ["'mon'"]],
  ['* * * january *', 'cron-bad-name', 'january', ["'jan'"]],
  ['* * * jan-sun *', 'cron-bad-name', 'sun', ['day name']],
  ['* * * * jan', 'cron-bad-name', 'jan', ['month name']],
  ['mon * * * *', 'cron-bad-name', 'mon', ['names are allowed only']],
  ['@Daily', 'cron-bad-macro', '@Daily', ['@daily', 'lowercase']],
  ['@often', 'cron-bad-macro', '@often', ['@hourly']],
  ['@daily 5', 'cron-syntax', '5', ['remove']],
  ['60 * * * *', 'cron-out-of-range', '60', ['0–59']],
  ['* 24 * * *', 'cron-out-of-range', '24', ['0–23']],
  ['* * 0 * *', 'cron-out-of-range', '0', ['1–31']],
  ['* * 32 * *', 'cron-out-of-range', '32', ['1–31']],
  ['* * * 13 *', 'cron-out-of-range', '13', ['1–12']],
  ['* * * * 8', 'cron-out-of-range', '8', ['0–7', 'Sunday']],
  ['5-64/30 * * * *', 'cron-out-of-range', '64', ['0–59']],
  ['*/0 * * * *', 'cron-syntax', '0', ['step of 0']],
  ['*/x * * * *', 'cron-syntax', 'x', ['whole number']],
  ['1,,2 * * * *', 'cron-syntax', ',', ['empty item']],
  ['1, * * * *', 'cron-syntax', ',', ['empty item']],
  ['1- * * * *', 'cron-syntax', '-', ['missing']],
  ['-5 * * * *', 'cron-syntax', '-5', ['expected a number']],
  // Debian's atoi() wraps numbers above 2147483647 (4294967301 is minute 5, */4294967297 is */1)
  ['4294967301 * * * *', 'cron-out-of-range', '4294967301', ['too large', '2147483647', 'to 5']],
  ['*/4294967297 * * * *', 'cron-out-of-range', '4294967297', ['too large', 'to 1']],
  ['0 0 * * 02147483648', 'cron-out-of-range', '02147483648', ['too large', '-2147483648']],
  ['*/99999999999999999999 * * * *', 'cron-out-of-range', '99999999999999999999', ['too large', 'to -1']],
  // ... and rejects a step whose int counter overflows after the first value
  ['5-59/2147483643 * * * *', 'cron-out-of-range', '2147483643', ['too large', 'just 5']],
  ['0 0 */2147483647 * *', 'cron-out-of-range', '2147483647', ['too large', 'just 1']],
];

/** Debian accepts these, and so do we. */
const ACCEPTED: readonly string[] = [
  '0 12 * * 1',
  '* * * * *',
  '*/15 9-17 * * mon-fri',
  '0 0 1,15 * *',
  '0 0 * jan,JUL *',
  '0 0 * * SUN',
  '0 0 * * 0,7',
  '0 0 * * 1-7',
  '05 04 * * *',
  '0-59/7 * * * *',
  '0 0 */2 * sun',
  '5-2 * * * *',
  '0 22-2 * * *',
  '0 0 30 2 *',
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
  '@reboot',
  '  0\t12  * *   1 ',
  // leading zeros do not count; steps up to 2147483647 are fine while the counter cannot overflow
  '00000000001 * * * *',
  '59 * 28,* 2-6/3 00000000001',
  '*/100 * * * *',
  '*/2147483647 * * * *',
  '5-59/2147483642 * * * *',
  '0 0 */2147483646 * *',
  '5-2/2147483647 * * * *',
];

describe('parseCron', () => {
  describe('rejects what Debian rejects, and what Debian silently misreads', () => {
    for (const [expression, code, pointsAt, words] of REJECTED) {
      it(`rejects '${expression}' with ${code}`, () => {
        const result = parseCron(expression);
        assert.strictEqual(result.expression, undefined);
        const problem = result.problems.find((p) => p.severity === 'error');
        assert.ok(problem, 'an error is reported');
        assert.strictEqual(problem.code, code, problem.message);
        assert.strictEqual(expression.slice(problem.start, problem.end), pointsAt, `range of: ${problem.message}`);
        for (const word of words) assert.ok(problem.message.includes(word), `'${problem.message}' mentions '${word}'`);
      });
    }
  });

  describe('accepts what Debian accepts', () => {
    for (const expression of ACCEPTED) {
      it(`accepts '${expression}'`, () => {
        const result = parseCron(expression);
        assert.ok(result.expression, result.problems.map((p) => p.message).join('; '));
        assert.ok(result.problems.every((p) => p.severity === 'warning'));
      });
    }
  });

  it('reads numbers as Debian does: leading zeros ignored, a huge step means only the first value', () => {
    const result = parseCron('00000000001 * * * 0007');
    assert.ok(result.expression?.kind === 'calendar');
    assert.deepStrictEqual(result.expression.minute.values, [1]);
    assert.deepStrictEqual(result.expression.dayOfWeek.values, [0]);
    const step = parseCron('*/2147483647 * * * *').expression;
    assert.ok(step?.kind === 'calendar');
    assert.deepStrictEqual(step.minute.values, [0]);
  });

  it("gives up on a number of 1000 characters, as Debian's get_number does (MAX_TEMPSTR)", () => {
    assert.ok(parseCron(`${'0'.repeat(998)}1 * * * *`).expression);
    const problem = parseCron(`${'0'.repeat(999)}1 * * * *`).problems[0]!;
    assert.strictEqual(problem.code, 'cron-syntax');
    assert.deepStrictEqual([problem.start, problem.end], [0, 1000]);
    assert.match(problem.message, /too long/);
  });

  it('names the field in every error message', () => {
    assert.match(parseCron('0 25 * * *').problems[0]!.message, /^hour:/);
    assert.match(parseCron('0 0 * * 9').problems[0]!.message, /^day-of-week:/);
  });

  it('reports every bad field, not only the first', () => {
    const codes = parseCron('60 24 * * *').problems.map((p) => p.code);
    assert.deepStrictEqual(codes, ['cron-out-of-range', 'cron-out-of-range']);
  });

  it('reads names in ranges and lists, and folds 7 into Sunday', () => {
    const result = parseCron('0 0 * jan-mar,dec sat-7');
    assert.ok(result.expression?.kind === 'calendar');
    assert.deepStrictEqual(result.expression.month.values, [1, 2, 3, 12]);
    assert.deepStrictEqual(result.expression.dayOfWeek.values, [0, 6]);
  });

  it('steps within the field: */7 dow is Sunday only; */2 dow is Sun, Tue, Thu, Sat', () => {
    const seven = parseCron('0 0 * * */7').expression;
    const two = parseCron('0 0 * * */2').expression;
    assert.ok(seven?.kind === 'calendar' && two?.kind === 'calendar');
    assert.deepStrictEqual(seven.dayOfWeek.values, [0]);
    assert.deepStrictEqual(two.dayOfWeek.values, [0, 2, 4, 6]);
  });

  it("uses AND for the day fields when either starts with '*', OR otherwise", () => {
    const rule = (text: string): string | undefined => {
      const expression = parseCron(text).expression;
      return expression?.kind === 'calendar' ? expression.dayRule : undefined;
    };
    assert.strictEqual(rule('0 0 */2 * sun'), 'and');
    assert.strictEqual(rule('0 0 1 * */2'), 'and');
    assert.strictEqual(rule('0 0 1-31/2 * sun'), 'or');
    assert.strictEqual(rule('0 0 1,15 * 5'), 'or');
    assert.strictEqual(rule('@weekly'), 'and');
    assert.strictEqual(rule('@monthly'), 'and');
  });

  it('marks wildcard jobs as vixie does: minute or hour starting with *, and @hourly', () => {
    const wildcard = (text: string): boolean | undefined => {
      const expression = parseCron(text).expression;
      return expression?.kind === 'calendar' ? expression.wildcard : undefined;
    };
    assert.strictEqual(wildcard('*/5 2 * * *'), true);
    assert.strictEqual(wildcard('30 * * * *'), true);
    assert.strictEqual(wildcard('0-59/5 2 * * *'), false);
    assert.strictEqual(wildcard('@hourly'), true);
    assert.strictEqual(wildcard('@daily'), false);
  });

  it('warns about a reversed range and offers exact spellings as fixes', () => {
    const hours = parseCron('0 22-2 * * *').problems[0]!;
    assert.strictEqual(hours.code, 'cron-reversed-range');
    assert.deepStrictEqual(
      hours.fixes?.map((f) => f.text),
      ['22-23,0-2', '2-22'],
    );
    const weekend = parseCron('0 0 * * sat-sun').problems[0]!;
    assert.deepStrictEqual(
      weekend.fixes?.map((f) => f.text),
      ['6-7'],
    );
  });
});
