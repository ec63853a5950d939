import { neverFires } from './analyze';
import { daysInMonth, dayMatcher } from './calendar';
import type { CalendarCron, CronExpression } from './parse';
import { DAY, HOUR, MINUTE, TimeZone, utcFromFields } from './zone';

/**
 * Next run times as Debian's cron computes them, in a given IANA zone.
 *
 * DST follows Debian cron.c (the "better time-skip handling" patch): when clocks go forward,
 * fixed-time jobs whose wall time was skipped run once, right after the jump; wildcard jobs
 * (minute or hour starting with `*`) simply do not run for the skipped minutes. When clocks
 * go back, wildcard jobs run in both passes of the repeated hour, fixed-time jobs only in the first.
 */

export type RunNote =
  /** The wall time was skipped by a DST change; cron runs the job when the clocks jump. */
  | 'dst-skipped'
  /** The wall time repeats (DST ends) and this is its second pass: only wildcard jobs run again. */
  | 'dst-repeated'
  /** A fixed-time job in a repeated hour: it runs only in the first pass. */
  | 'dst-once';

export interface Run {
  /** UTC milliseconds. */
  readonly instant: number;
  /** The wall-clock time cron matched (UTC milliseconds of the local reading). */
  readonly wall: number;
  readonly note?: RunNote;
}

/** Years after which the Gregorian calendar repeats: a day pattern absent from 401 years never occurs. */
const SEARCH_YEARS = 401;
/** More than any real DST shift; how far back a fold can reach. */
const MAX_FOLD = 3 * HOUR;

export function nextRuns(expression: CronExpression, after: number, count: number, zone: TimeZone): Run[] {
  if (expression.kind === 'reboot' || count <= 0) return [];
  if (neverFires(expression)) return [];
  return calendarRuns(expression, after, count, zone);
}

function calendarRuns(cron: CalendarCron, after: number, count: number, zone: TimeZone): Run[] {
  const runs: Run[] = [];
  const matchesDay = dayMatcher(cron);
  const hours = cron.hour.values;
  const minutes = cron.minute.values;

  // If the clocks go back within the next hours, wall times earlier than now's reading occur
  // again after `after`; start early enough to see their second pass.
  const lookBack = Math.max(0, Math.min(MAX_FOLD, zone.offsetAt(after) - zone.offsetAt(after + MAX_FOLD)));
  const startWall = Math.floor(zone.wallAt(after) / MINUTE) * MINUTE - lookBack;
  const start = new Date(startWall);
  const startYear = start.getUTCFullYear();
  const startMonth = start.getUTCMonth() + 1;
  const startDay = start.getUTCDate();

  const add = (run: Run): void => {
    if (run.instant <= after) return;
    let index = runs.length;
    while (index > 0 && runs[index - 1]!.instant > run.instant) index--;
    if (index > 0 && runs[index - 1]!.instant === run.instant) return;
    runs.splice(index, 0, run);
    if (runs.length > count) runs.pop();
  };

  for (let year = startYear; year < startYear + SEARCH_YEARS; year++) {
    for (const month of cron.month.values) {
      if (year === startYear && month < startMonth) continue;
      const lastDay = daysInMonth(year, month);
      const firstDay = year === startYear && month === startMonth ? startDay : 1;
      for (let day = firstDay; day <= lastDay; day++) {
        if (!matchesDay(year, month, day)) continue;
        const midnight = utcFromFields(year, month, day);
        for (const hour of hours) {
          for (const minute of minutes) {
            const wall = midnight + hour * HOUR + minute * MINUTE;
            if (wall < startWall) continue;
            if (runs.length >= count && earliestInstant(zone, wall) > runs[count - 1]!.instant) return runs;
            placeWallTime(cron, zone, wall, add);
          }
        }
      }
    }
  }
  return runs;
}

/** No instant whose local reading is `wall` is earlier than this. */
function earliestInstant(zone: TimeZone, wall: number): number {
  return wall - Math.max(zone.offsetAt(wall - DAY), zone.offsetAt(wall + DAY), zone.offsetAt(wall));
}

function placeWallTime(cron: CalendarCron, zone: TimeZone, wall: number, add: (run: Run) => void): void {
  const { instants, gapEnd } = zone.instantsOf(wall);
  if (instants.length === 0) {
    if (!cron.wildcard && gapEnd !== undefined) add({ instant: gapEnd, wall, note: 'dst-skipped' });
    return;
  }
  if (instants.length === 1) {
    add({ instant: instants[0]!, wall });
    return;
  }
  if (cron.wildcard) {
    add({ instant: instants[0]!, wall });
    add({ instant: instants[1]!, wall, note: 'dst-repeated' });
  } else {
    add({ instant: instants[0]!, wall, note: 'dst-once' });
  }
}

/** The next runs of several expressions together (a file's `schedule` lines), without duplicates. */
export function mergedNextRuns(expressions: readonly CronExpression[], after: number, count: number, zone: TimeZone): Run[] {
  const all = expressions.flatMap((expression) => nextRuns(expression, after, count, zone));
  all.sort((a, b) => a.instant - b.instant);
  const merged: Run[] = [];
  for (const run of all) {
    if (merged.length > 0 && merged[merged.length - 1]!.instant === run.instant) continue;
    merged.push(run);
    if (merged.length === count) break;
  }
  return merged;
}
