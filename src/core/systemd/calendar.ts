import { isFull, neverFires } from '../cron/analyze';
import { dayMatcher, memberTable } from '../cron/calendar';
import { describeCron } from '../cron/describe';
import { nextRuns } from '../cron/next';
import type { CalendarCron, CronExpression, CronField } from '../cron/parse';
import type { Run } from '../cron/run';
import { HOUR, MINUTE, type TimeZone } from '../cron/zone';
import { t } from '../l10n';

/**
 * Cron expressions as systemd timer `OnCalendar=` lines, exactly or not at all.
 *
 * A vixie schedule is a set of days (months, day-of-month, day-of-week and vixie's AND/OR rule)
 * times a set of times of day (hours × minutes). An OnCalendar expression
 * `WEEKDAYS *-MONTHS-DAYS HOURS:MINUTES:00` is the same kind of product, except that systemd
 * always requires the weekday AND the date to match. So:
 * - where Debian cron ANDs the day fields (one of them starts with `*`, `*\/2` included), one
 *   line carries both;
 * - where it ORs them (neither starts with `*` and both restrict), two lines: one with the days
 *   of the month, one with the weekdays; a timer fires when any of its lines elapses, and lines
 *   elapsing at the same instant start the service once;
 * - a field that matches every value is `*` (or no weekday at all); an empty one (a reversed
 *   range) contributes no line.
 * Value sets are written in systemd's own normalized spelling (`systemd-analyze calendar` prints
 * each line back unchanged): `*`, a progression `a..b/n`, a range `a..b`, or a list of those and
 * single values; weekdays by name (`Mon..Fri,Sun`). A progression always names its last value:
 * systemd 252 (and later, systemd#40260) computes the open form `a/n` past the end of the field
 * and lets the overflow carry into the next day, month or year, skipping its first matches there
 * (`*-*-01/7` misses 1 January after 29 December; `*:00/13` misses 00:00 after 23:52).
 *
 * The file's `timezone` becomes the zone suffix (`… Europe/Berlin`): the timer then follows that
 * zone's wall clock whatever the machine's zone, which cron cannot do. Without one, no suffix:
 * the machine's zone, as cron.
 *
 * DST (test/unit/systemd/calendar.test.ts checks all of this against `systemd-analyze calendar`
 * 252 and the cron engine, which follows Debian's cron.c): on every day without a clock change
 * the lines elapse exactly when Debian's cron runs the job. On the days the clocks change:
 * - forward: systemd skips the wall times that do not exist that day. Debian's cron runs a
 *   fixed-time job (minute and hour not starting with `*`) whose time was skipped right after
 *   the jump (03:00 for 02:30 in Europe/Berlin), one start every 10 s; the timer does not run
 *   those at all (systemd#5595). A wildcard job loses the skipped minutes under both.
 * - back: systemd elapses once per wall time, in the first pass of the repeated hour. Debian's
 *   cron does the same for a fixed-time job, but runs a wildcard job (minute or hour starting
 *   with `*`) in both passes; the timer skips the second pass (systemd#8647).
 * - and one the other way round: a timer started (boot, daemon-reload, enable) during the
 *   repeated hour computes from the wall time it reads, so it also elapses at the fixed times of
 *   the rest of the second pass, which cron ran in the first pass and does not run again.
 * `timerDstDifferences` lists the cron runs a running timer does not make, for a zone and span;
 * in a zone without DST (UTC) there are none.
 */

export type TimerRefusalCode = 'never-fires' | 'timer-inexact';

export type TimerPlan =
  | {
      readonly exact: true;
      /** The OnCalendar= values, zone suffix included; their elapses together are cron's runs. */
      readonly lines: readonly string[];
    }
  | {
      readonly exact: false;
      readonly code: TimerRefusalCode;
      /** Why a timer cannot do what cron does. */
      readonly reason: string;
      /** What cron does with the expression, in words. */
      readonly cronDoes: string;
    };

export interface TimerOptions {
  /** The file's `timezone` (canonical IANA name), written as the zone suffix. */
  readonly timezone?: string;
}

export function cronToCalendar(expression: CronExpression, options: TimerOptions = {}): TimerPlan {
  if (expression.kind === 'reboot') {
    return {
      exact: false,
      code: 'timer-inexact',
      reason: t(
        "@reboot is not a calendar time: cron starts the job once when cron starts after a boot, and no OnCalendar= line can say that. A timer would need OnBootSec=, which counts from the kernel's start rather than cron's; use a clock time, or keep this job on cron.",
      ),
      cronDoes: describeCron(expression, { use24HourTime: true }).text,
    };
  }
  const never = neverFires(expression);
  if (never) return { exact: false, code: 'never-fires', reason: never.message, cronDoes: t('cron never runs it') };

  const time = `${numbers(expression.hour)}:${numbers(expression.minute)}:00`;
  const months = numbers(expression.month);
  const zone = options.timezone ? ` ${options.timezone}` : '';
  const line = (weekdays: string, days: string): string => `${weekdays ? `${weekdays} ` : ''}*-${months}-${days} ${time}${zone}`;

  return { exact: true, lines: dayParts(expression).map(([weekdays, days]) => line(weekdays, days)) };
}

/** [weekdays, days of the month] of each line: one for vixie's AND, one or two for its OR. */
function dayParts(cron: CalendarCron): [string, string][] {
  const dom = cron.dayOfMonth;
  const dow = cron.dayOfWeek;
  const everyDay: [string, string] = ['', '*'];
  if (cron.dayRule === 'and') return [[isFull(dow) ? '' : weekdays(dow.values), numbers(dom)]];
  // OR: a day matching either field runs. An empty field (a reversed range) adds no days; a
  // full one makes every day match.
  if (isFull(dom) || isFull(dow)) return [everyDay];
  const parts: [string, string][] = [];
  if (dom.values.length > 0) parts.push(['', numbers(dom)]);
  if (dow.values.length > 0) parts.push([weekdays(dow.values), '*']);
  return parts;
}

/** A numeric field in systemd's normalized spelling. */
function numbers(field: CronField): string {
  if (isFull(field)) return '*';
  const pad = (value: number): string => String(value).padStart(2, '0');
  return components(field.values)
    .map(({ from, to, step }) => (step > 1 ? `${pad(from)}..${pad(to)}/${step}` : from === to ? pad(from) : `${pad(from)}..${pad(to)}`))
    .join(',');
}

interface Component {
  readonly from: number;
  readonly to: number;
  readonly step: number;
}

/**
 * A sorted value set as few components as this finds: from the smallest value not yet covered,
 * the progression (`a..b/n`, or a range for n = 1) through the most uncovered values, if it has
 * three or more, else that value alone. Components come out sorted by their first value, as
 * systemd's normalized form lists them.
 */
function components(values: readonly number[]): Component[] {
  const uncovered = new Set(values);
  const parts: Component[] = [];
  for (const from of values) {
    if (!uncovered.has(from)) continue;
    let best: Component = { from, to: from, step: 1 };
    let bestCount = 1;
    for (const next of values) {
      if (next <= from || !uncovered.has(next)) continue;
      const step = next - from;
      let to = from;
      let count = 1;
      while (uncovered.has(to + step)) {
        to += step;
        count++;
      }
      if (count > bestCount) {
        best = { from, to, step };
        bestCount = count;
      }
    }
    if (bestCount < 3) best = { from, to: from, step: 1 };
    for (let value = best.from; value <= best.to; value += best.step) uncovered.delete(value);
    parts.push(best);
  }
  return parts;
}

const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** Cron weekdays (0 = Sunday) as systemd writes them: Monday first, three or more in a row as a range. */
function weekdays(values: readonly number[]): string {
  const indexes = [...new Set(values.map((day) => (day + 6) % 7))].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < indexes.length;) {
    let j = i;
    while (j + 1 < indexes.length && indexes[j + 1] === indexes[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${WEEKDAY_NAMES[indexes[i]!]}..${WEEKDAY_NAMES[indexes[j]!]}`);
    else for (let k = i; k <= j; k++) parts.push(WEEKDAY_NAMES[indexes[k]!]!);
    i = j + 1;
  }
  return parts.join(',');
}

/** A clock change of a zone: the first instant of the new offset, and the shift (positive: forward). */
export interface ClockChange {
  readonly instant: number;
  readonly shift: number;
}

/** The zone's clock changes in [from, until). */
export function clockChanges(zone: TimeZone, from: number, until: number): ClockChange[] {
  const changes: ClockChange[] = [];
  for (let year = new Date(from).getUTCFullYear(); year <= new Date(until).getUTCFullYear(); year++) {
    for (const change of changesInYear(zone, year)) if (change.instant >= from && change.instant < until) changes.push(change);
  }
  return changes;
}

const changesByZoneYear = new Map<string, readonly ClockChange[]>();

/** A UTC year's clock changes, found by looking every 12 hours, then to the minute; kept per zone. */
function changesInYear(zone: TimeZone, year: number): readonly ClockChange[] {
  const key = `${zone.name} ${year}`;
  const known = changesByZoneYear.get(key);
  if (known) return known;
  const changes: ClockChange[] = [];
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const step = 12 * HOUR;
  for (let low = start; low < end; low += step) {
    const high = Math.min(low + step, end);
    if (zone.offsetAt(low) === zone.offsetAt(high)) continue;
    let before = low;
    let after = high;
    while (after - before > MINUTE) {
      const middle = before + Math.floor((after - before) / 2 / MINUTE) * MINUTE;
      if (zone.offsetAt(middle) === zone.offsetAt(before)) before = middle;
      else after = middle;
    }
    changes.push({ instant: after, shift: zone.offsetAt(after) - zone.offsetAt(before) });
  }
  if (changesByZoneYear.size > 1000) changesByZoneYear.clear();
  changesByZoneYear.set(key, changes);
  return changes;
}

/** How far around a clock change cron's runs can differ from the timer's (catch-up included). */
const BEFORE_CHANGE = 4 * HOUR;
const AFTER_CHANGE = 6 * HOUR;
const CHUNK = 120;

/**
 * Cron's runs in [from, until) that a running timer with this expression's lines does not make:
 * on the days the clocks go forward, the fixed-time runs cron makes late for skipped wall times
 * (unless the late start falls on a time the timer elapses at anyway); on the days they go back,
 * a wildcard job's second pass through the repeated hour. Empty in a zone without DST.
 */
export function timerDstDifferences(expression: CronExpression, zone: TimeZone, from: number, until: number): Run[] {
  if (expression.kind === 'reboot' || neverFires(expression)) return [];
  const matches = wallMatcher(expression);
  const days = dayMatcher(expression);
  const differences: Run[] = [];
  for (const change of clockChanges(zone, from, until)) {
    const windowStart = Math.max(from, change.instant - BEFORE_CHANGE);
    const windowEnd = Math.min(until, change.instant + AFTER_CHANGE);
    // Most expressions do not run on the day of a change at all: no need to ask the engine.
    const dates = [zone.wallAt(windowStart), zone.wallAt(windowEnd)].map((wall) => new Date(wall));
    if (!dates.some((date) => days(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()))) continue;
    let after = windowStart - 1;
    for (;;) {
      const runs = nextRuns(expression, after, CHUNK, zone);
      for (const run of runs) {
        if (run.instant >= windowEnd) break;
        if (timerMisses(run, zone, matches)) differences.push(run);
      }
      if (runs.length < CHUNK || runs[runs.length - 1]!.instant >= windowEnd) break;
      after = runs[runs.length - 1]!.instant;
    }
  }
  return differences;
}

function timerMisses(run: Run, zone: TimeZone, matches: (wall: number) => boolean): boolean {
  switch (run.note) {
    case 'dst-skipped':
    case 'dst-catch-up':
      // A late start lands on a minute that exists; the timer elapses there only if that minute matches.
      return !matches(zone.wallAt(run.instant));
    case 'dst-repeated':
      return true;
    default:
      return false;
  }
}

/** Whether a wall-clock minute (UTC milliseconds of the local reading) is one of the expression's times. */
function wallMatcher(cron: CalendarCron): (wall: number) => boolean {
  const minutes = memberTable(cron.minute.values, 60);
  const hours = memberTable(cron.hour.values, 24);
  const days = dayMatcher(cron);
  return (wall) => {
    const date = new Date(wall);
    return minutes[date.getUTCMinutes()] === 1 && hours[date.getUTCHours()] === 1 && days(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
  };
}
