import { dayOfWeek, daysInMonth } from '../cron/calendar';
import { DAY, MINUTE, TimeZone, utcFromFields } from '../cron/zone';
import { repetitionDurationSeconds, type CalendarTrigger, type DaySchedule, type Trigger } from './triggers';

/**
 * When Task Scheduler starts a task with these triggers: the instants in [from, to), ascending,
 * without duplicates (two triggers starting at the same instant give one run). Boot triggers
 * have no time and are left out. The StartBoundary date is taken to lie before `from`.
 *
 * The model, per CRON-FACTS §3: a calendar trigger fires on each day its schedule matches at
 * the StartBoundary's local wall time; a Repetition adds runs every Interval of elapsed time
 * [belief] while strictly inside the Duration. Where Windows' behaviour is unknown it is
 * modelled like cron and said so: a start time inside a spring-forward gap fires when the
 * clocks jump; a start time in a repeated hour fires once, in its first pass.
 */
export function triggerRuns(triggers: readonly Trigger[], from: number, to: number, zone: TimeZone): number[] {
  const runs = new Set<number>();
  const calendar = triggers.filter((trigger): trigger is CalendarTrigger => trigger.kind === 'calendar');
  // A day's runs end within a day of its midnight, and a zone's offset is within ±1 day.
  const first = new Date(zone.wallAt(from) - 2 * DAY);
  const lastWall = zone.wallAt(to) + DAY;
  for (let midnight = utcFromFields(first.getUTCFullYear(), first.getUTCMonth() + 1, first.getUTCDate()); midnight <= lastWall; midnight += DAY) {
    const date = new Date(midnight);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    for (const trigger of calendar) {
      if (!scheduleMatches(trigger.schedule, year, month, day)) continue;
      const start = startInstant(zone, midnight + trigger.startMinute * MINUTE);
      const repetition = trigger.repetition;
      const count = repetition ? repetition.runs : 1;
      if (repetition && repetitionDurationSeconds(repetition) <= (repetition.runs - 1) * repetition.intervalMinutes * 60) {
        throw new Error('a repetition whose Duration does not reach past its last run');
      }
      for (let k = 0; k < count; k++) {
        const instant = start + k * (repetition ? repetition.intervalMinutes : 0) * MINUTE;
        if (instant >= from && instant < to) runs.add(instant);
      }
    }
  }
  return [...runs].sort((a, b) => a - b);
}

/** Whether a calendar trigger's schedule fires on this date. */
export function scheduleMatches(schedule: DaySchedule, year: number, month: number, day: number): boolean {
  switch (schedule.type) {
    case 'byDay':
      return true;
    case 'byWeek':
      return (schedule.daysOfWeek as readonly number[]).includes(dayOfWeek(year, month, day));
    case 'byMonth':
      return schedule.months.includes(month) && schedule.daysOfMonth.includes(day);
    case 'byMonthDayOfWeek': {
      if (!schedule.months.includes(month) || !(schedule.daysOfWeek as readonly number[]).includes(dayOfWeek(year, month, day))) return false;
      const occurrence = Math.ceil(day / 7);
      const last = day + 7 > daysInMonth(year, month);
      return (schedule.weeks as readonly (number | string)[]).includes(occurrence) || (last && schedule.weeks.includes('Last'));
    }
  }
}

function startInstant(zone: TimeZone, wall: number): number {
  const { instants, gapEnd } = zone.instantsOf(wall);
  if (instants.length > 0) return instants[0]!;
  return gapEnd!;
}
