import { neverFires } from './analyze';
import { catchUpMatters, simulateCatchUp, type CatchUp } from './catchUp';
import { daysInMonth, dayMatcher } from './calendar';
import type { CalendarCron, CronExpression } from './parse';
import type { Run } from './run';
import { DAY, HOUR, MINUTE, TimeZone, utcFromFields } from './zone';

/**
 * Next run times as Debian's cron computes them, in a given IANA zone.
 *
 * DST follows Debian cron.c (the "better time-skip handling" patch). When clocks go forward,
 * wildcard jobs (minute or hour starting with `*`) simply do not run for the skipped minutes,
 * and fixed-time jobs whose wall time was skipped run after the jump: cron catches up on them
 * one at a time, 10 seconds apart, which can spill into the following minutes. That catch-up is
 * simulated step by step (catchUp.ts) for the gaps that need it. When clocks go back, wildcard
 * jobs run in both passes of the repeated hour, fixed-time jobs only in the first.
 */

// Re-exported for the importers that predate run.ts.
export type { Run, RunNote } from './run';

/** Years after which the Gregorian calendar repeats: a day pattern absent from 401 years never occurs. */
const SEARCH_YEARS = 401;
/** More than any real DST shift; how far back a fold can reach. */
const MAX_FOLD = 3 * HOUR;
/**
 * Longer than cron's catch-up after any spring-forward gap lasts (over all zones since 1970,
 * the longest, a 2-hour gap matching every minute, takes 20 minutes; gaps of 3 hours or more
 * are not caught up at all): a start this soon after a gap may still be inside one.
 */
const MAX_CATCH_UP = 2 * HOUR;

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
  let startWall = Math.floor(zone.wallAt(after) / MINUTE) * MINUTE - lookBack;
  // If the clocks went forward shortly before, cron may still be catching up at `after`:
  // start before that gap, so that its skipped wall times are seen and simulated.
  if (zone.offsetAt(after - MAX_CATCH_UP) < zone.offsetAt(after)) {
    startWall = Math.min(startWall, Math.floor(zone.wallAt(after - MAX_CATCH_UP) / MINUTE) * MINUTE);
  }
  const start = new Date(startWall);
  const startYear = start.getUTCFullYear();
  const startMonth = start.getUTCMonth() + 1;
  const startDay = start.getUTCDate();

  let catchUp: CatchUp | undefined;
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
            // Wall times up to the end of a simulated catch-up were decided by the simulation.
            if (catchUp && wall <= catchUp.lastWall) continue;
            catchUp = placeWallTime(cron, zone, wall, add) ?? catchUp;
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

/** Adds the runs of one matching wall time; a catch-up simulation when it lies in a gap that needs one. */
function placeWallTime(cron: CalendarCron, zone: TimeZone, wall: number, add: (run: Run) => void): CatchUp | undefined {
  const { instants, gapEnd } = zone.instantsOf(wall);
  if (instants.length === 0) {
    if (gapEnd === undefined) return undefined;
    const gapMinutes = Math.round((zone.offsetAt(gapEnd) - zone.offsetAt(gapEnd - MINUTE)) / MINUTE);
    // A wildcard job just loses the skipped minutes (cron.c's medium case runs it only for the new minute).
    if (!catchUpMatters(cron, gapMinutes)) return undefined;
    const catchUp = simulateCatchUp(cron, zone, gapEnd);
    for (const run of catchUp.runs) add(run);
    return catchUp;
  }
  if (instants.length === 1) {
    add({ instant: instants[0]!, wall });
    return undefined;
  }
  if (cron.wildcard) {
    add({ instant: instants[0]!, wall });
    add({ instant: instants[1]!, wall, note: 'dst-repeated' });
  } else {
    add({ instant: instants[0]!, wall, note: 'dst-once' });
  }
  return undefined;
}

/**
 * The next runs of several expressions together (a file's `schedule` lines), without duplicates.
 * Each expression's catch-up after a spring-forward gap is computed as if it were cron's only job.
 */
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
