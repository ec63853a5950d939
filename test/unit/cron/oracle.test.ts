import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { nextRuns } from '../../../src/core/cron/next';
import { parseCron, type CronExpression, type CronField, type CronProblem } from '../../../src/core/cron/parse';
import { TimeZone } from '../../../src/core/cron/zone';

/*
 * Differential test against Debian's cron 3.0pl1-162, compiled from source by
 * test/oracle/build.sh (see test/oracle/README.md). The first block uses the
 * committed table test/fixtures/cron/debian-oracle.json; the second runs the
 * harness itself on a fresh random corpus when BWDC_CRON_ORACLE points at it.
 */

interface DebianParse {
  readonly accept: boolean;
  /** D = DOM_STAR, W = DOW_STAR, R = WHEN_REBOOT, M = MIN_STAR, H = HR_STAR, '-' = none. */
  readonly flags?: string;
  /** minute, hour, day-of-month, month, day-of-week bits as "0-4,7" (day-of-week 0-7). */
  readonly fields?: readonly string[];
  /** What Debian took as the command: "/bin/true" unless part of the expression went into it. */
  readonly cmd?: string;
  readonly error?: string;
  readonly env?: boolean;
  readonly none?: boolean;
}

interface OracleStart {
  readonly id: string;
  readonly zone: string;
  readonly at: string;
  readonly why: string;
}

interface OracleCase {
  readonly expr: string;
  readonly source: 'picked' | 'random';
  readonly debian: DebianParse;
  /** Per start id: epoch minutes (UTC) at which Debian starts the job. */
  readonly runs?: Readonly<Record<string, readonly number[]>>;
  /** Per start id: [minute, starts] where Debian starts the job more than once in a minute. */
  readonly multi?: Readonly<Record<string, readonly (readonly [number, number])[]>>;
}

interface OracleTable {
  readonly randomSeed: number;
  readonly runsPerStart: number;
  readonly horizon: string;
  readonly starts: readonly OracleStart[];
  readonly cases: readonly OracleCase[];
}

interface OracleModule {
  readonly RUNS_PER_START: number;
  readonly HORIZON: string;
  readonly STARTS: readonly OracleStart[];
  randomCorpus(seed: number, count: number): string[];
  debianParse(binary: string, expressions: readonly string[]): DebianParse[];
  debianRuns(
    binary: string,
    cases: readonly { expr: string; zone: string; at: string; count: number; horizon: string }[],
  ): { minutes: number[]; multi: [number, number][] }[];
}

const MINUTE = 60_000;
const DOMAIN = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'];

/**
 * Expressions Debian accepts and the engine rejects on purpose. Each must still
 * satisfy the rule its kind states (checked below), so the list cannot hide a bug.
 *
 * - 'trailing-text': Debian's get_list() skips everything after a valid item up to
 *   the next blank; the engine reports the skipped text (cron-trailing-text or
 *   cron-unsupported-syntax). Rule: without the reported text the engine accepts
 *   the expression and reads exactly Debian's fields.
 * - 'command': there is text after the schedule (a sixth field, or text after a
 *   macro), which Debian reads as the start of the command; the engine's schedule
 *   has no command. Rule: Debian's command is that text + " /bin/true", and the
 *   schedule without it is accepted by the engine with Debian's fields.
 * - 'number-too-large': a number above 2147483647. Debian's get_number() reads it with
 *   atoi(), which on 64-bit Debian keeps the low 32 bits of strtol()'s result (itself capped
 *   at 2^63 - 1), so Debian silently misreads it (4294967301 as 5); the engine rejects it as
 *   too large (cron-out-of-range on the number). Rule: with each reported number replaced by
 *   that 32-bit value, the engine accepts the expression and reads exactly Debian's fields.
 *
 * The rules combine: a case of one kind may also need the others' corrections.
 */
type StricterKind = 'trailing-text' | 'command' | 'number-too-large';
const STRICTER: Readonly<Record<string, { readonly kind: StricterKind; readonly reason: string }>> = {
  '@hourly extra': { kind: 'command', reason: "Debian runs 'extra /bin/true' hourly" },
  '@yearly 2025': { kind: 'command', reason: "Debian runs '2025 /bin/true' yearly" },
  '0 0 1 1 * 2025': { kind: 'command', reason: "a year field: Debian runs the command '2025 /bin/true'" },
  '0 0 * * * /bin/ls': { kind: 'command', reason: "a command in the schedule: Debian runs '/bin/ls /bin/true'" },
  '0 0 1 1 1 1': { kind: 'command', reason: "six fields: Debian runs the command '1 /bin/true'" },
  '1#1 * * * *': { kind: 'trailing-text', reason: "Debian ignores '#1' and runs minute 1" },
  '5-10/2/3 * * * *': { kind: 'trailing-text', reason: "Debian ignores the second step '/3'" },
  '*abc * * * *': { kind: 'trailing-text', reason: "Debian ignores 'abc' after '*'" },
  '*x * * * *': { kind: 'trailing-text', reason: "Debian ignores 'x' after '*'" },
  '1.5 * * * *': { kind: 'trailing-text', reason: "Debian ignores '.5' and runs minute 1" },
  '*-5 * * * *': { kind: 'trailing-text', reason: "Debian ignores '-5' after '*' (every minute)" },
  '0 0 * * 1#2': { kind: 'trailing-text', reason: "Quartz nth weekday: Debian ignores '#2' and runs every Monday" },
  '0 0 * * mon#1': { kind: 'trailing-text', reason: "Quartz nth weekday: Debian ignores '#1' and runs every Monday" },
  '0 0 1% * *': { kind: 'trailing-text', reason: "Debian ignores '%' after the day" },
  '*/15! * * * *': { kind: 'trailing-text', reason: "Debian ignores '!' after the step" },
  '0 0 * * fri-sun/2/2': { kind: 'trailing-text', reason: "Debian ignores the second step '/2'" },
  // from the random corpus (seed 20250330)
  '28-59 0-16,0-16/4 *x */5 */10': { kind: 'trailing-text', reason: "Debian ignores 'x' after '*' in the day-of-month" },
  '19-50,59,59 20 31-31 dec,* *a': { kind: 'trailing-text', reason: "Debian ignores 'a' after '*' in the day-of-week" },
  '0 0-22/2,*/13 6 5#1 */10': { kind: 'trailing-text', reason: "Debian ignores '#1' after month 5" },
  '22-41 13 *-5 * *': { kind: 'trailing-text', reason: "Debian ignores '-5' after '*' in the day-of-month" },
  '* 0#5 * 10-dec 0-7': { kind: 'trailing-text', reason: "Debian ignores '#5' after hour 0" },
  '45,29-59  0-0  29,*x  *,MAR-7  7': { kind: 'trailing-text', reason: "Debian ignores 'x' after '*' in the day-of-month" },
  '*/3 *,12-3/15 *5 10-12/6 fri,7,sun': { kind: 'trailing-text', reason: "Debian ignores '5' after '*' in the day-of-month" },
  '28 * 25,*,26 */14 0#2': { kind: 'trailing-text', reason: "Quartz nth weekday: Debian ignores '#2' and runs every Sunday" },
  '32-59 *% *,*/21 */1,11,* 5-SUN': { kind: 'trailing-text', reason: "Debian ignores '%' after '*' in the hour" },
  '*x 2-3/6 * 9 */8': { kind: 'trailing-text', reason: "Debian ignores 'x' after '*' in the minute" },
  '45-47/14 0-0/13,2-17 1 1#3 *,2': { kind: 'trailing-text', reason: "Debian ignores '#3' after month 1" },
  '59,* */19,*/2/ 7 4 SUN': { kind: 'trailing-text', reason: "Debian ignores the '/' after '*/2' in the hour" },
  '0-0 9-22/15 */7 5#3 sun-7,*/8,sun-7': { kind: 'trailing-text', reason: "Debian ignores '#3' after month 5" },
  '41,0-0 *x 9-25/4 dec 7,5-5/2': { kind: 'trailing-text', reason: "Debian ignores 'x' after '*' in the hour" },
  '* * 5 * Thu 2025': { kind: 'command', reason: "a year field: Debian runs the command '2025 /bin/true'" },
  '*/13,0-59/14 1-4 1-31 JAN-3/15 0-7,0-5 0': { kind: 'command', reason: "six fields: Debian runs the command '0 /bin/true'" },
  '*,54 23 29 5-11/5,2-DEC 5-7/12,*/2 mon': { kind: 'command', reason: "six fields: Debian runs the command 'mon /bin/true'" },
  '4294967301 * * * *': { kind: 'number-too-large', reason: "number too large: Debian's atoi overflows and misreads it as minute 5" },
  '*/4294967297 * * * *': { kind: 'number-too-large', reason: "number too large: Debian's atoi overflows and misreads it as the step 1 (every minute)" },
  '0 0 * * 4294967297': { kind: 'number-too-large', reason: "number too large: Debian's atoi overflows and misreads it as Monday" },
};

// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain JavaScript outside the compiled tree (out/), found from the repository root at run time
const oracle = require(path.join(process.cwd(), 'test/oracle/oracle.cjs')) as OracleModule;
const table = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'test/fixtures/cron/debian-oracle.json'), 'utf8')) as OracleTable;

function show(expr: string): string {
  return JSON.stringify(expr);
}

function iso(minute: number): string {
  return new Date(minute * MINUTE).toISOString().replace(':00.000Z', 'Z');
}

/** "0-4,7" -> [0,1,2,3,4,7]; day-of-week 7 folded into 0 as the engine does. */
function expand(list: string, dayOfWeek: boolean): number[] {
  const values = new Set<number>();
  for (const part of list.split(',').filter((p) => p.length > 0)) {
    const [from, to] = part.split('-').map(Number) as [number, number?];
    for (let v = from; v <= (to ?? from); v++) values.add(dayOfWeek && v === 7 ? 0 : v);
  }
  return [...values].sort((a, b) => a - b);
}

function errors(problems: readonly CronProblem[]): CronProblem[] {
  return problems.filter((p) => p.severity === 'error');
}

/** Where the engine's reading of an accepted expression differs from Debian's, or undefined. */
function fieldDifference(expression: CronExpression, debian: DebianParse): string | undefined {
  const flags = debian.flags ?? '';
  if (expression.kind === 'reboot') return flags.includes('R') ? undefined : `the engine reads @reboot, Debian flags '${flags}'`;
  if (flags.includes('R')) return 'Debian reads @reboot, the engine a calendar schedule';
  const fields: CronField[] = [expression.minute, expression.hour, expression.dayOfMonth, expression.month, expression.dayOfWeek];
  const differences: string[] = [];
  fields.forEach((field, index) => {
    const expected = expand(debian.fields![index]!, index === 4).join(',');
    const actual = field.values.join(',');
    if (expected !== actual) differences.push(`${DOMAIN[index]}: Debian {${expected}}, engine {${actual}}`);
  });
  const star = (letter: string, field: CronField, name: string): void => {
    if (flags.includes(letter) !== field.starLed) differences.push(`${name} starts with '*': Debian ${flags.includes(letter)}, engine ${field.starLed}`);
  };
  star('M', expression.minute, 'minute');
  star('H', expression.hour, 'hour');
  star('D', expression.dayOfMonth, 'day-of-month');
  star('W', expression.dayOfWeek, 'day-of-week');
  const and = flags.includes('D') || flags.includes('W');
  if ((expression.dayRule === 'and') !== and) differences.push(`day rule: Debian ${and ? 'AND' : 'OR'}, engine ${expression.dayRule}`);
  const wildcard = flags.includes('M') || flags.includes('H');
  if (expression.wildcard !== wildcard) differences.push(`wildcard job: Debian ${wildcard}, engine ${expression.wildcard}`);
  return differences.length > 0 ? differences.join('; ') : undefined;
}

const INT_MAX = 2n ** 31n - 1n;
const LONG_MAX = 2n ** 63n - 1n;

/** What Debian's atoi() makes of a decimal number on 64-bit Linux: strtol() capped at LONG_MAX, cut to an int. */
function atoi32(digits: string): bigint {
  const value = BigInt(digits);
  return BigInt.asIntN(32, value > LONG_MAX ? LONG_MAX : value);
}

/** An error on a number that does not fit Debian's int: the engine's "too large". */
function isTooLarge(expr: string, p: CronProblem): boolean {
  const text = expr.slice(p.start, p.end);
  return p.code === 'cron-out-of-range' && /^[0-9]+$/.test(text) && BigInt(text) > INT_MAX;
}

function isSkippedText(p: CronProblem): boolean {
  return p.code === 'cron-trailing-text' || p.code === 'cron-unsupported-syntax';
}

/** Apply the stricter kinds' corrections: drop the text Debian skips, put Debian's 32-bit value for a too-large number. */
function withDebiansReading(expr: string, problems: readonly CronProblem[]): string {
  let text = expr;
  for (const p of [...problems].sort((a, b) => b.start - a.start)) {
    const replacement = isTooLarge(expr, p) ? String(atoi32(expr.slice(p.start, p.end))) : '';
    text = text.slice(0, p.start) + replacement + text.slice(p.end);
  }
  return text;
}

/** The stricter kind an expression Debian accepts and the engine rejects belongs to. */
function stricterKindOf(expr: string, debian: DebianParse, problems: readonly CronProblem[]): StricterKind {
  if (debian.cmd !== '/bin/true') return 'command';
  return errors(problems).some((p) => isTooLarge(expr, p)) ? 'number-too-large' : 'trailing-text';
}

/**
 * Checks one expression against Debian's verdict; returns a failure message or
 * undefined. `stricter` is the kind the expression is listed under, if any.
 */
function parseMismatch(expr: string, debian: DebianParse, stricter: StricterKind | undefined): string | undefined {
  const result = parseCron(expr);
  const said = errors(result.problems)
    .map((p) => `${p.code}: ${p.message}`)
    .join(' | ');

  if (!debian.accept) {
    if (stricter) return `listed as stricter, but Debian rejects it (${debian.error ?? 'no entry'})`;
    if (result.expression) {
      const why = debian.error ? `"${debian.error}"` : debian.env ? 'an environment assignment' : 'no crontab entry (blank or comment)';
      return `the engine accepts it, Debian rejects it: ${why}`;
    }
    return undefined;
  }

  const fullSchedule = debian.cmd === '/bin/true';
  if (result.expression) {
    if (!fullSchedule) return `the engine accepts it, but Debian reads part of it as the command: '${debian.cmd}'`;
    if (stricter) return `listed as stricter (${stricter}), but the engine accepts it: remove it from STRICTER`;
    const difference = fieldDifference(result.expression, debian);
    return difference ? `both accept it, but they read it differently: ${difference}` : undefined;
  }

  // Debian accepts, the engine rejects: only the documented kinds are allowed.
  const kind = stricterKindOf(expr, debian, result.problems);
  if (!stricter) {
    return `Debian accepts it (fields ${debian.fields!.join(' | ')}; command '${debian.cmd}'), the engine rejects it: ${said}`;
  }
  if (stricter !== kind) return `listed as ${stricter}, but it is a ${kind} case`;
  let schedule = expr;
  if (kind === 'command') {
    const suffix = ' /bin/true';
    const extra = debian.cmd!.endsWith(suffix) ? debian.cmd!.slice(0, -suffix.length) : undefined;
    const at = extra === undefined ? -1 : expr.lastIndexOf(extra);
    if (extra === undefined || at < 0 || expr.slice(at + extra.length).trim() !== '') {
      return `Debian's command '${debian.cmd}' is not the end of the expression plus /bin/true`;
    }
    schedule = expr.slice(0, at);
  }
  // Text Debian skips inside the schedule must be what the engine reports, and a too-large
  // number must be one Debian reads as its 32-bit remainder. A field stops at its first
  // error, so correct and re-read until nothing is left to correct.
  let reread = parseCron(schedule);
  for (let round = 0; !reread.expression && round < 5; round++) {
    const rereadErrors = errors(reread.problems);
    const explained = rereadErrors.every((p) => isSkippedText(p) || isTooLarge(schedule, p));
    if (!explained) {
      const rest = rereadErrors.map((p) => `${p.code}: ${p.message}`).join(' | ');
      return kind === 'command' && schedule !== expr && round === 0
        ? `without the text Debian takes as the command (${show(schedule)}) the engine still rejects it: ${rest}`
        : `Debian accepts ${show(schedule)}; the engine rejects it for another reason than skipped text or a too-large number: ${rest}`;
    }
    schedule = withDebiansReading(schedule, rereadErrors);
    reread = parseCron(schedule);
  }
  if (!reread.expression) {
    return `corrected as Debian reads it (${show(schedule)}) the engine still rejects it: ${errors(reread.problems)
      .map((p) => p.message)
      .join(' | ')}`;
  }
  const difference = fieldDifference(reread.expression, debian);
  return difference ? `Debian's reading differs from the engine's reading of ${show(schedule)}: ${difference}` : undefined;
}

const zones = new Map<string, TimeZone>();
function zone(name: string): TimeZone {
  let found = zones.get(name);
  if (!found) {
    found = TimeZone.get(name);
    assert.ok(found, `unknown zone ${name}`);
    zones.set(name, found);
  }
  return found;
}

function local(minute: number, zoneName: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zoneName, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', day: '2-digit', month: 'short' }).format(
    minute * MINUTE,
  );
}

/** Compare the engine's runs with Debian's for one start; a message or undefined. */
function runsMismatch(
  expression: CronExpression,
  start: OracleStart,
  debian: readonly number[],
  debianMulti: readonly (readonly [number, number])[],
  runsPerStart: number,
  horizon: number,
): string | undefined {
  let runs = nextRuns(expression, Date.parse(start.at), runsPerStart, zone(start.zone));
  const fractional = runs.find((run) => run.instant % MINUTE !== 0);
  if (fractional) return `${start.id}: the engine's run ${fractional.instant} is not on a minute`;
  // Debian's list is cut at the horizon when it has fewer runs (see oracle.cjs HORIZON).
  if (debian.length < runsPerStart) runs = runs.filter((run) => run.instant < horizon);
  const engine = runs.map((run) => run.instant / MINUTE);
  if (engine.length === debian.length && engine.every((m, i) => m === debian[i])) {
    // Same minutes; where Debian starts the job several times in a minute, so must the engine.
    const engineMulti = runs.filter((run) => (run.starts ?? 1) > 1).map((run) => `${iso(run.instant / MINUTE)}×${run.starts}`);
    const expectedMulti = debianMulti.map(([minute, count]) => `${iso(minute)}×${count}`);
    if (engineMulti.join(' ') === expectedMulti.join(' ')) return undefined;
    return `${start.id} (${start.zone}, from ${start.at}): same minutes, but several starts in a minute differ; Debian ${expectedMulti.join(' ') || 'none'}; engine ${engineMulti.join(' ') || 'none'}`;
  }
  const first = engine.findIndex((m, i) => m !== debian[i]);
  const at = first < 0 ? Math.min(engine.length, debian.length) : first;
  const describe = (list: readonly number[]): string =>
    list
      .slice(at, at + 4)
      .map((m) => `${iso(m)} (${local(m, start.zone)})`)
      .join(', ') || 'nothing';
  return (
    `${start.id} (${start.zone}, from ${start.at}): run #${at + 1} differs; ` +
    `Debian ${describe(debian)}; engine ${describe(engine)} [Debian ${debian.length} runs, engine ${engine.length}]`
  );
}

describe('the cron engine against Debian cron 3.0pl1-162 (committed oracle table)', () => {
  const horizon = Date.parse(table.horizon);

  it('has a table of at least 400 expressions, with runs from every start for each one Debian accepts', () => {
    assert.ok(table.cases.length >= 400, `${table.cases.length} expressions`);
    const accepted = table.cases.filter((c) => c.debian.accept && c.debian.cmd === '/bin/true');
    assert.ok(accepted.length >= 200, `${accepted.length} accepted`);
    for (const c of accepted) assert.deepStrictEqual(Object.keys(c.runs ?? {}).sort(), table.starts.map((s) => s.id).sort(), show(c.expr));
  });

  it('lists as stricter only expressions that are in the table', () => {
    const inTable = new Set(table.cases.map((c) => c.expr));
    assert.deepStrictEqual(
      Object.keys(STRICTER).filter((expr) => !inTable.has(expr)),
      [],
    );
  });

  describe('accepts what Debian accepts, rejects what it rejects, and reads the same fields', () => {
    for (const c of table.cases) {
      const stricter = STRICTER[c.expr];
      const verdict = !c.debian.accept
        ? `is rejected, as Debian rejects it (${c.debian.error ?? (c.debian.env ? 'environment line' : 'no entry')})`
        : stricter
          ? `is rejected although Debian accepts it: ${stricter.reason}`
          : `is accepted with Debian's fields`;
      it(`${show(c.expr)} ${verdict}`, () => {
        const mismatch = parseMismatch(c.expr, c.debian, stricter?.kind);
        assert.ok(!mismatch, mismatch);
      });
    }
  });

  describe('runs when Debian runs (next runs from every start, DST included)', () => {
    for (const c of table.cases) {
      // Expressions the engine rejects have no runs to compare; their reading is checked above.
      if (!c.runs || !parseCron(c.expr).expression) continue;
      it(`${show(c.expr)} starts at the same minutes as under Debian's cron.c`, () => {
        const result = parseCron(c.expr);
        const mismatches: string[] = [];
        for (const start of table.starts) {
          const mismatch = runsMismatch(result.expression!, start, c.runs![start.id]!, c.multi?.[start.id] ?? [], table.runsPerStart, horizon);
          if (mismatch) mismatches.push(mismatch);
        }
        assert.ok(mismatches.length === 0, `${show(c.expr)}:\n  ${mismatches.join('\n  ')}`);
      });
    }
  });
});

describe('the cron engine against a freshly built Debian cron harness (BWDC_CRON_ORACLE)', function () {
  const binary = process.env.BWDC_CRON_ORACLE;
  if (!binary) {
    it('runs only when BWDC_CRON_ORACLE names the harness (bash test/oracle/build.sh prints its path)', function () {
      this.skip();
    });
    return;
  }
  const seed = Number(process.env.BWDC_CRON_ORACLE_SEED) || Math.floor(Math.random() * 2 ** 31);
  const count = Number(process.env.BWDC_CRON_ORACLE_COUNT) || 300;
  const corpus = [...new Set(oracle.randomCorpus(seed, count))];
  const horizon = Date.parse(oracle.HORIZON);
  let parses: DebianParse[] = [];
  const runs = new Map<string, { minutes: number[]; multi: [number, number][] }[]>();

  before(function () {
    this.timeout(600_000);
    parses = oracle.debianParse(binary, corpus);
    const cases: { expr: string; zone: string; at: string; count: number; horizon: string }[] = [];
    corpus.forEach((expr, index) => {
      if (!parses[index]!.accept || parses[index]!.cmd !== '/bin/true') return;
      for (const start of oracle.STARTS) cases.push({ expr, zone: start.zone, at: start.at, count: oracle.RUNS_PER_START, horizon: oracle.HORIZON });
    });
    const results = oracle.debianRuns(binary, cases);
    cases.forEach((c, i) => {
      const list = runs.get(c.expr) ?? [];
      list.push(results[i]!);
      runs.set(c.expr, list);
    });
  });

  it(`uses the random corpus of seed ${seed} (${corpus.length} expressions; set BWDC_CRON_ORACLE_SEED=${seed} to repeat it)`, () => {
    assert.strictEqual(parses.length, corpus.length);
  });

  corpus.forEach((expr, index) => {
    it(`${show(expr)} is read like Debian reads it and starts at the same minutes`, () => {
      const debian = parses[index]!;
      const fullSchedule = debian.accept && debian.cmd === '/bin/true';
      const result = parseCron(expr);
      // Without a hand-written list, a Debian-accepted expression the engine rejects
      // must fit one of the stricter kinds and pass that kind's rule.
      const kind = debian.accept && !result.expression ? stricterKindOf(expr, debian, result.problems) : undefined;
      const mismatch = parseMismatch(expr, debian, kind);
      assert.ok(!mismatch, mismatch);
      if (!fullSchedule || !result.expression) return;
      const lists = runs.get(expr)!;
      const mismatches = oracle.STARTS.map((start, i) =>
        runsMismatch(result.expression!, start, lists[i]!.minutes, lists[i]!.multi, oracle.RUNS_PER_START, horizon),
      ).filter((m): m is string => m !== undefined);
      assert.ok(mismatches.length === 0, `${show(expr)}:\n  ${mismatches.join('\n  ')}`);
    });
  });
});
