import { dayMatcher, memberTable } from './calendar';
import type { CalendarCron } from './parse';
import type { Run } from './run';
import { MINUTE, type TimeZone } from './zone';

/**
 * What Debian's cron does with one crontab entry when the clocks go forward: a faithful
 * simulation of the main loop of cron.c (3.0pl1-162, "better time-skip handling"), for the
 * few minutes around one spring-forward transition.
 *
 * Why a simulation: cron does not simply run the skipped jobs "at the jump". It wakes up
 * once a minute, notices how far the wall clock moved, and in the common DST case (the
 * "medium" case: 6 to 180 minutes since the minute it last handled) walks its virtual clock
 * through every skipped minute,
 * queueing the fixed-time jobs of each one and running the queue, sleeping 10 seconds after
 * every minute that started something. Many skipped matches therefore take several real
 * minutes (about six starts per minute), the walk stops whenever the wall clock reaches a
 * new minute, and the next pass of the main loop classifies what is left again, possibly as
 * a "small" jump, which runs every job of each remaining virtual minute.
 *
 * ASSUMPTIONS: the entry is the only job in cron's database: every other job that cron
 * starts during the catch-up costs another 10 seconds and would push these starts later.
 * And cron is in its steady state in the minute before the jump (no other clock change in
 * the hours before), as it is at every real DST transition.
 *
 * The daemon's state, all integers:
 * - `now`: the real time in seconds (UTC), what time() returns. The oracle harness adds a
 *   microsecond per call; that never moves a start across a minute here, because cron wakes
 *   at second 1 of a minute and the catch-up only adds whole 10-second steps.
 * - `gmtOff`: the UTC offset in seconds as of the last set_time() call. cron_sleep() uses this
 *   stale value, which is how cron oversleeps into the new offset at the transition.
 * - `clockTime`, `timeRunning`, `virtualTime`: local minutes since the epoch, as in cron.c:
 *   the wall clock at the last set_time(), the minute cron last woke up for, and the minute
 *   whose jobs have all been queued ("the time it would be if nobody changed the clock").
 */

/** Starts decided by the simulation, and the wall-clock minutes they account for. */
export interface CatchUp {
  /** The first wall-clock minute (UTC ms of the reading) the simulation decides: the first one skipped. */
  readonly firstWall: number;
  /** The last wall-clock minute it decides; later ones run normally again. */
  readonly lastWall: number;
  /** The starts, one Run per minute (with `starts` when there are several), ascending. */
  readonly runs: readonly Run[];
}

/** cron.c: jumps of more than 5 minutes are "medium", of more than 3 × 60 "large". */
const SMALL_JUMP = 5;
const LARGE_JUMP = 3 * 60;
/** The sleep after each pass of the catch-up loops that started a job. */
const JOB_SLEEP = 10;
/** Far more passes of the main loop than any real catch-up needs (at most about 30); a guard against bugs. */
const MAX_PASSES = 5000;

/**
 * Whether cron's catch-up can start this entry differently from "once per existing wall time".
 * For a wildcard job (minute or hour starting with `*`) a medium jump changes nothing but the
 * loss of the skipped minutes, so no simulation is needed; small and large jumps differ.
 */
export function catchUpMatters(cron: CalendarCron, gapMinutes: number): boolean {
  const timeDiff = gapMinutes + 1;
  const medium = timeDiff > SMALL_JUMP && timeDiff <= LARGE_JUMP;
  return !(cron.wildcard && medium);
}

/**
 * Simulates cron from its steady state in the minute before `jump` (UTC ms of the first instant
 * after the clocks went forward) until it has caught up and is steady again.
 */
export function simulateCatchUp(cron: CalendarCron, zone: TimeZone, jump: number): CatchUp {
  const matchesDay = dayMatcher(cron);
  const minutes = memberTable(cron.minute.values, 60);
  const hours = memberTable(cron.hour.values, 24);
  const wild = cron.wildcard;

  const offsetAt = (second: number): number => zone.offsetAt(second * 1000) / 1000;
  const localMinute = (second: number, offset: number): number => Math.floor((second + offset) / 60);

  // Steady state one minute before the jump: cron woke at second 1 of that minute, its jobs
  // (if any) have run, and all three clocks agree.
  let now = jump / 1000 - 60 + 1;
  let gmtOff = offsetAt(now);
  let clockTime = localMinute(now, gmtOff);
  let timeRunning = clockTime;
  let virtualTime = clockTime;

  // Debian's job queue for this one entry: job_add() ignores an entry already queued.
  let queuedWall: number | undefined;
  const starts: { second: number; wall: number }[] = [];

  /** set_time(): read the clock and the current offset. */
  const setTime = (): void => {
    gmtOff = offsetAt(now);
    clockTime = localMinute(now, gmtOff);
  };
  /** cron_sleep(target): sleep to second 1 of local minute `target`, by the offset cron last saw. */
  const cronSleep = (target: number): void => {
    const seconds = target * 60 - (now + gmtOff) + 1;
    if (seconds > 0 && seconds < 65) now += seconds;
  };
  /** find_jobs(vtime, doWild, doNonWild): queue the entry if local minute `vtime` matches. */
  const findJobs = (vtime: number, doWild: boolean, doNonWild: boolean): void => {
    if (!(wild ? doWild : doNonWild)) return;
    const wall = vtime * MINUTE;
    const date = new Date(wall);
    if (!minutes[date.getUTCMinutes()] || !hours[date.getUTCHours()]) return;
    if (!matchesDay(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())) return;
    queuedWall ??= wall;
  };
  /** job_runqueue(): start what is queued now; how many jobs that was. */
  const runQueue = (): number => {
    if (queuedWall === undefined) return 0;
    starts.push({ second: now, wall: queuedWall });
    queuedWall = undefined;
    return 1;
  };

  const firstWall = (virtualTime + 1) * MINUTE;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    // Wait for the minute to change: sleep to the next minute, and again if still in the same one.
    do {
      cronSleep(timeRunning + 1);
      setTime();
    } while (clockTime === timeRunning);
    timeRunning = clockTime;

    const timeDiff = timeRunning - virtualTime;
    if (timeDiff === 1) {
      // The usual minute.
      virtualTime = timeRunning;
      findJobs(virtualTime, true, true);
    } else if (timeDiff > SMALL_JUMP && timeDiff <= LARGE_JUMP) {
      // Medium jump (DST began): wildcard jobs once for the current minute, then the fixed-time
      // jobs of each skipped minute in turn, 10 s after each minute that started one, until
      // caught up or until the wall clock reaches another minute.
      findJobs(timeRunning, true, false);
      do {
        if (runQueue()) now += JOB_SLEEP;
        virtualTime++;
        findJobs(virtualTime, false, true);
        setTime();
      } while (virtualTime < timeRunning && clockTime === timeRunning);
    } else if (timeDiff > 0 && timeDiff <= SMALL_JUMP) {
      // Small jump (woke up late): every job of each missed minute, 10 s after each that ran.
      // This loop does not look at the clock, so it can run past the minute.
      do {
        if (runQueue()) now += JOB_SLEEP;
        virtualTime++;
        findJobs(virtualTime, true, true);
      } while (virtualTime < timeRunning);
    } else if (timeDiff > -LARGE_JUMP && timeDiff <= 0) {
      // Clock went back (or did not move): wildcard jobs only; virtual time waits.
      findJobs(timeRunning, true, false);
    } else {
      // Large jump: treat it as a clock correction; skipped minutes are not run.
      virtualTime = timeRunning;
      findJobs(timeRunning, true, true);
    }
    runQueue();

    // Steady again: virtual time has caught up, and cron will next wake at second 1 of the
    // following minute, exactly as in normal operation.
    if (virtualTime === timeRunning && localMinute(now, offsetAt(now)) === timeRunning) break;
  }

  return { firstWall, lastWall: timeRunning * MINUTE, runs: groupByMinute(starts, zone, jump) };
}

/** One Run per minute; a note unless the start is simply its own wall time, on time. */
function groupByMinute(starts: readonly { second: number; wall: number }[], zone: TimeZone, jump: number): Run[] {
  const runs: Run[] = [];
  for (let i = 0; i < starts.length;) {
    const instant = Math.floor(starts[i]!.second / 60) * MINUTE;
    let j = i + 1;
    while (j < starts.length && Math.floor(starts[j]!.second / 60) * MINUTE === instant) j++;
    const count = j - i;
    const wall = starts[i]!.wall;
    const onTime = count === 1 && zone.instantsOf(wall).instants.includes(instant);
    const note = onTime ? undefined : instant === jump ? 'dst-skipped' : 'dst-catch-up';
    runs.push({ instant, wall, ...(note ? { note } : {}), ...(count > 1 ? { starts: count } : {}) });
    i = j;
  }
  return runs;
}
