import { dayCombination, isFull, neverFires } from '../cron/analyze';
import { describeCron } from '../cron/describe';
import type { CalendarCron, CronExpression } from '../cron/parse';
import { t } from '../l10n';

/**
 * Cron expressions as Windows Task Scheduler triggers, exactly or not at all.
 *
 * A vixie schedule is a set of days D (months, day-of-month, day-of-week and vixie's AND/OR
 * rule) times a set of times of day T (minutes × hours). Each day part becomes one day-trigger
 * shape (ScheduleByDay, ScheduleByWeek, ScheduleByMonth, ScheduleByMonthDayOfWeek; two for
 * vixie's OR), and T is covered by arithmetic progressions within one day, each one
 * StartBoundary time plus a Repetition that ends before midnight. The task is their product.
 * Nothing is approximated: what cannot be expressed (the AND quirk, more than 48 triggers, a
 * schedule that never fires) is refused with the reason.
 *
 * Time and DST: Task Scheduler reads a StartBoundary without an offset as the machine's local
 * wall time, like cron reads its fields, so on ordinary days the runs are the same instants in
 * any zone. On the days the clocks change they can differ, and this mapping does not hide it:
 * - A Repetition counts elapsed time from the day's first run [belief: MS-TSCH describes the
 *   interval as a time span], whereas cron matches wall-clock minutes. On a spring-forward day
 *   an hourly repetition from 00:00 runs at 03:00 (elapsed 2 h) as cron does, but its last run
 *   lands an hour later in wall time than cron's, possibly after midnight; on a fall-back day
 *   it ends an hour early in wall time.
 * - A start time inside a spring-forward gap or a repeated hour: Task Scheduler's behaviour is
 *   unverified (CRON-FACTS §3.5). cron runs skipped fixed times once right after the jump.
 * In a zone without DST (UTC, the seeds' servers) the triggers are exact on every day; the tests
 * compare a year of runs in UTC, and in Europe/Berlin on every day but the two transition days.
 */

/** Day of week as cron counts: 0 = Sunday … 6 = Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;
/** Task Scheduler's week of the month: the nth occurrence (1–4) or the last one. */
export type WeekOfMonth = 1 | 2 | 3 | 4 | 'Last';

export type DaySchedule =
  | { readonly type: 'byDay'; readonly daysInterval: 1 }
  | { readonly type: 'byWeek'; readonly weeksInterval: 1; readonly daysOfWeek: readonly Weekday[] }
  /** Days that a month lacks (31 in April) do not fire, as in cron. `Last` is never generated: cron cannot say it. */
  | { readonly type: 'byMonth'; readonly daysOfMonth: readonly number[]; readonly months: readonly number[] }
  | { readonly type: 'byMonthDayOfWeek'; readonly weeks: readonly WeekOfMonth[]; readonly daysOfWeek: readonly Weekday[]; readonly months: readonly number[] };

export interface Repetition {
  /** Minutes between runs (the XML Interval), 1–1439. */
  readonly intervalMinutes: number;
  /**
   * How many runs the repetition makes, counting the one at the start time. The XML Duration
   * is derived from it so that the last run lies strictly inside it and the next would lie
   * strictly outside: no run depends on whether Task Scheduler includes the end.
   */
  readonly runs: number;
}

export interface CalendarTrigger {
  readonly kind: 'calendar';
  /** The StartBoundary's time of day, in minutes after midnight (local wall time). */
  readonly startMinute: number;
  readonly repetition?: Repetition;
  readonly schedule: DaySchedule;
}

export interface BootTrigger {
  readonly kind: 'boot';
}

export type Trigger = CalendarTrigger | BootTrigger;

export type RefusalCode = 'never-fires' | 'and-quirk' | 'too-many-triggers';

export type TriggerPlan =
  | { readonly exact: true; readonly triggers: readonly Trigger[] }
  | {
      readonly exact: false;
      readonly code: RefusalCode;
      /** Why Task Scheduler cannot do what cron does. */
      readonly reason: string;
      /** What cron does with the expression, in words. */
      readonly cronDoes: string;
      /** An expression with exactly the same run times that does map, if there is one. */
      readonly alternative?: string;
    };

/** The XSD's maxOccurs for triggers in one task. */
export const MAX_TRIGGERS = 48;
const MINUTES_PER_DAY = 1440;
const ALL_WEEKS: readonly WeekOfMonth[] = [1, 2, 3, 4, 'Last'];

export function cronToTriggers(expression: CronExpression): TriggerPlan {
  if (expression.kind === 'reboot') return { exact: true, triggers: [{ kind: 'boot' }] };
  const cronDoes = (): string => describeCron(expression, { use24HourTime: true }).text;

  const never = neverFires(expression);
  if (never) {
    return { exact: false, code: 'never-fires', reason: never.message, cronDoes: t('cron never runs it') };
  }
  const days = daySchedules(expression);
  if (!days) {
    return {
      exact: false,
      code: 'and-quirk',
      reason: t(
        "Task Scheduler cannot combine a day of the month with a weekday: in cron, a day field that starts with '*' ('{0}' or '{1}') makes a day match both fields (AND), and no trigger intersects days of the month with weekdays. Use a weekday-only or a day-of-month-only schedule, or check the date in the script.",
        expression.dayOfMonth.text,
        expression.dayOfWeek.text,
      ),
      cronDoes: cronDoes(),
    };
  }
  const times = timesOfDay(expression);
  const count = times.length * days.length;
  if (count > MAX_TRIGGERS) {
    return {
      exact: false,
      code: 'too-many-triggers',
      reason: t(
        'This schedule needs {0} triggers ({1} start times or repetitions a day × {2} day patterns); Task Scheduler allows {3} per task. Split it into several schedule files, or use fewer distinct minutes.',
        count,
        times.length,
        days.length,
        MAX_TRIGGERS,
      ),
      cronDoes: cronDoes(),
    };
  }
  const triggers: CalendarTrigger[] = [];
  for (const schedule of days) {
    for (const time of times)
      triggers.push({
        kind: 'calendar',
        startMinute: time.start,
        ...(time.runs > 1 ? { repetition: { intervalMinutes: time.step, runs: time.runs } } : {}),
        schedule,
      });
  }
  return { exact: true, triggers };
}

/** The day part as trigger schedules (two for vixie's OR), or undefined for the AND quirk. */
function daySchedules(cron: CalendarCron): DaySchedule[] | undefined {
  const months = cron.month.values;
  const doms = cron.dayOfMonth.values;
  const dows = cron.dayOfWeek.values as readonly Weekday[];
  const allMonths = months.length === 12;
  const domFull = isFull(cron.dayOfMonth);
  const dowFull = isFull(cron.dayOfWeek);

  const everyDay = (): DaySchedule => (allMonths ? { type: 'byDay', daysInterval: 1 } : { type: 'byMonth', daysOfMonth: range(1, 31), months });
  const weekdays = (): DaySchedule =>
    dows.length === 7
      ? everyDay()
      : allMonths
        ? { type: 'byWeek', weeksInterval: 1, daysOfWeek: dows }
        : { type: 'byMonthDayOfWeek', weeks: ALL_WEEKS, daysOfWeek: dows, months };
  const monthDays = (): DaySchedule => (doms.length === 31 ? everyDay() : { type: 'byMonth', daysOfMonth: doms, months });

  if (cron.dayRule === 'or') {
    // An empty field (a reversed range) adds no days; a full one makes the other moot.
    if (doms.length === 0) return [weekdays()];
    if (dows.length === 0) return [monthDays()];
    if (domFull || dowFull) return [everyDay()];
    return [monthDays(), weekdays()];
  }
  if (dowFull) return [monthDays()];
  if (domFull) return [weekdays()];
  // AND with both restricted. Exact only when the days of the month are whole weeks of the
  // month (1-7, 8-14, 15-21, 22-28): the nth occurrence of each weekday.
  const weeks = wholeWeeks(doms);
  if (weeks) return [{ type: 'byMonthDayOfWeek', weeks, daysOfWeek: dows, months }];
  if (dayCombination(cron) !== 'and-quirk') throw new Error(`unexpected day combination for ${cron.text}`);
  return undefined;
}

function wholeWeeks(doms: readonly number[]): WeekOfMonth[] | undefined {
  const set = new Set(doms);
  const weeks: WeekOfMonth[] = [];
  for (const week of [1, 2, 3, 4] as const) {
    const days = range(week * 7 - 6, week * 7);
    const present = days.filter((day) => set.has(day)).length;
    if (present === 7) weeks.push(week);
    else if (present !== 0) return undefined;
  }
  if (doms.some((day) => day > 28) || weeks.length === 0) return undefined;
  return weeks;
}

interface Progression {
  /** Minute of the day of the first run. */
  readonly start: number;
  /** Minutes between runs. */
  readonly step: number;
  readonly runs: number;
}

/**
 * The times of day (minutes × hours) as few arithmetic progressions as this finds, each within
 * one day. The smaller of two covers: one trigger per minute value with an hourly-or-coarser
 * repetition, and a greedy cover of the whole set. Both use only times that cron runs.
 */
export function timesOfDay(cron: CalendarCron): Progression[] {
  const times: number[] = [];
  for (const hour of cron.hour.values) for (const minute of cron.minute.values) times.push(hour * 60 + minute);
  times.sort((a, b) => a - b);
  const whole = asProgression(times);
  if (whole) return [whole];

  const byMinute: Progression[] = [];
  for (const minute of cron.minute.values) {
    for (const hours of greedyCover(cron.hour.values, Infinity)) byMinute.push({ start: hours.start * 60 + minute, step: hours.step * 60, runs: hours.runs });
  }
  const greedy = greedyCover(times, Math.min(byMinute.length, MAX_TRIGGERS + 1));
  return greedy.length < byMinute.length ? greedy : byMinute;
}

function asProgression(sorted: readonly number[]): Progression | undefined {
  if (sorted.length === 1) return { start: sorted[0]!, step: 1, runs: 1 };
  const step = sorted[1]! - sorted[0]!;
  for (let index = 2; index < sorted.length; index++) if (sorted[index]! - sorted[index - 1]! !== step) return undefined;
  return { start: sorted[0]!, step, runs: sorted.length };
}

/**
 * Covers a sorted set with disjoint progressions of its members: from the smallest uncovered
 * value, the step that covers the most uncovered values. Stops early once it has `limit` of them.
 */
function greedyCover(sorted: readonly number[], limit: number): Progression[] {
  const uncovered = new Set(sorted);
  const cover: Progression[] = [];
  for (const start of sorted) {
    if (!uncovered.has(start)) continue;
    if (cover.length >= limit) return [...cover, { start, step: 1, runs: 1 }];
    let best: Progression = { start, step: 1, runs: 1 };
    let bestGain = 1;
    for (const next of sorted) {
      if (next <= start) continue;
      const step = next - start;
      let runs = 1;
      let gain = 1;
      // Only uncovered members: no two triggers of one day pattern start the same instant.
      for (let value = next; uncovered.has(value); value += step) {
        runs++;
        gain++;
      }
      if (gain > bestGain) {
        best = { start, step, runs };
        bestGain = gain;
      }
    }
    cover.push(best);
    for (let k = 0; k < best.runs; k++) uncovered.delete(best.start + k * best.step);
  }
  return cover;
}

function range(from: number, to: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value++) values.push(value);
  return values;
}

/** The XML Duration of a repetition, in seconds: past the last run, short of the next. */
export function repetitionDurationSeconds(repetition: Repetition): number {
  const lastRun = (repetition.runs - 1) * repetition.intervalMinutes * 60;
  // One minute past the last run (CRON-FACTS' "PT8H41M"), or half a minute for a 1-minute interval.
  return lastRun + (repetition.intervalMinutes > 1 ? 60 : 30);
}

/** Checks the invariants every generated trigger keeps; throws on a violation. */
export function assertWithinDay(trigger: CalendarTrigger): void {
  const last = trigger.startMinute + (trigger.repetition ? (trigger.repetition.runs - 1) * trigger.repetition.intervalMinutes : 0);
  const end = trigger.startMinute * 60 + (trigger.repetition ? repetitionDurationSeconds(trigger.repetition) : 0);
  if (last >= MINUTES_PER_DAY || end > MINUTES_PER_DAY * 60) throw new Error(`trigger at minute ${trigger.startMinute} repeats past midnight`);
}

/** A short account of a trigger in the user's language, for hovers and test failures. */
export function describeTrigger(trigger: Trigger): string {
  if (trigger.kind === 'boot') return t('at system startup');
  const time = clock(trigger.startMinute);
  const schedule = trigger.schedule;
  const days = (list: readonly Weekday[]): string => list.map(weekdayAbbreviation).join(',');
  const months = (list: readonly number[]): string => (list.length === 12 ? t('every month') : list.map(monthAbbreviation).join(','));
  const weeks = (list: readonly WeekOfMonth[]): string => list.map((week) => (week === 'Last' ? t('Last') : String(week))).join(',');
  const when =
    schedule.type === 'byDay'
      ? t('daily {0}', time)
      : schedule.type === 'byWeek'
        ? t('weekly {0} {1}', days(schedule.daysOfWeek), time)
        : schedule.type === 'byMonth'
          ? t('monthly days {0} of {1} {2}', compact(schedule.daysOfMonth), months(schedule.months), time)
          : t('monthly weeks {0} {1} of {2} {3}', weeks(schedule.weeks), days(schedule.daysOfWeek), months(schedule.months), time);
  if (!trigger.repetition) return when;
  const { intervalMinutes, runs } = trigger.repetition;
  const every = intervalMinutes % 60 === 0 ? t('{0} h', intervalMinutes / 60) : t('{0} min', intervalMinutes);
  return t('{0}, repeating every {1} until {2}', when, every, clock(trigger.startMinute + (runs - 1) * intervalMinutes));
}

function weekdayAbbreviation(day: Weekday): string {
  switch (day) {
    case 0:
      return t('Sun');
    case 1:
      return t('Mon');
    case 2:
      return t('Tue');
    case 3:
      return t('Wed');
    case 4:
      return t('Thu');
    case 5:
      return t('Fri');
    case 6:
      return t('Sat');
  }
}

function monthAbbreviation(month: number): string {
  switch (month) {
    case 1:
      return t('Jan');
    case 2:
      return t('Feb');
    case 3:
      return t('Mar');
    case 4:
      return t('Apr');
    case 5:
      return t('May');
    case 6:
      return t('Jun');
    case 7:
      return t('Jul');
    case 8:
      return t('Aug');
    case 9:
      return t('Sep');
    case 10:
      return t('Oct');
    case 11:
      return t('Nov');
    default:
      return t('Dec');
  }
}

function clock(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
}

function compact(values: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length;) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j]! + 1) j++;
    parts.push(j > i ? `${values[i]}-${values[j]}` : `${values[i]}`);
    i = j + 1;
  }
  return parts.join(',');
}
