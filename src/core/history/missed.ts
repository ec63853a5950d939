import { nextRuns } from '../cron/next';
import type { CronExpression } from '../cron/parse';
import type { Run } from '../cron/run';
import { MINUTE, TimeZone } from '../cron/zone';
import { t } from '../l10n';
import type { SyncJob } from '../schedule/job';

/**
 * Missed runs: the times the scheduler should have started the job since it was installed that
 * left no trace in the log. Pure: the schedule, the install time, the clock and the runs the log
 * holds are given. The expected times come from the exact cron engine (next.ts: Debian's cron,
 * DST gaps and folds included), never from a loop over minutes.
 *
 * Only the window the log speaks for is judged: from the install time (plus a minute: cron
 * reads a changed crontab at the start of a minute, so a job installed during the minute it
 * names first runs at its next time) or the first line of the oldest log read, whichever is
 * later, up to now less the tolerance. A log rotated away (or read only from a cut) therefore
 * never produces a "missed" run for the time it no longer covers.
 */

/** After an expected time, how long its run may take to write `run started` before it counts as missed. */
export const MISSED_GRACE_MS = 15 * MINUTE;
/** The most missed times listed (the newest); the count says how many there were. */
export const MISSED_LIST_MAX = 100;
/** The longest window judged: the year before now (a job installed long ago and never run is told as much by a year). */
export const MISSED_WINDOW_MS = 366 * 24 * 60 * MINUTE;
/**
 * The most expected times judged, the newest (the cron engine takes about 6 µs a time: 20,000
 * are some 120 ms). A job every minute is judged over its last two weeks, a daily one a year.
 */
export const EXPECTED_MAX = 20_000;
/** Expected times asked of the engine at once. */
const BATCH = 1000;
/** The first stretch before `to` looked at; each next one, further back, is twice as long. */
const FIRST_STRETCH_MS = 24 * 60 * MINUTE;

export interface MissedRunsInput {
  /** The job's `schedule` lines. */
  readonly expressions: readonly CronExpression[];
  /** The zone the scheduler reads them in. */
  readonly zone: TimeZone;
  /** UTC milliseconds: when the current schedule took effect. */
  readonly installedAt: number;
  readonly now: number;
  /** The start times of the runs the log holds (UTC milliseconds, any order); test runs left out. */
  readonly runStarts: readonly number[];
  /**
   * The earliest moment the log read speaks for (the time of its first line), or undefined when
   * there is no log at all: then no run ever wrote one, and the whole time since install counts.
   */
  readonly coveredFrom: number | undefined;
  /** How long after an expected time its run may start (MISSED_GRACE_MS, plus a random delay). */
  readonly toleranceMs: number;
  /**
   * How a late run is judged. `next`: a run belongs to an expected time only until the next one
   * (cron starts every run on time; a run after the next time is that one's). `late`: any run
   * within the tolerance (a random delay may carry it past the next time). `catch-up`: also a run
   * up to the next expected time (systemd Persistent=, Task Scheduler StartWhenAvailable start
   * a run the machine slept through once it is up again).
   */
  readonly lateness: 'next' | 'late' | 'catch-up';
  /** The most missed times listed (default MISSED_LIST_MAX). */
  readonly limit?: number;
}

export interface MissedRuns {
  /** The missed times, newest first, at most `limit` of them. */
  readonly runs: readonly Run[];
  /** How many were missed in all, in the window. */
  readonly count: number;
  /** The window judged, UTC milliseconds: expected times after `from`, up to `to`. */
  readonly from: number;
  readonly to: number;
  /** How many expected times the window held (and were judged). */
  readonly expected: number;
  /** The window was cut (to MISSED_WINDOW_MS, or to EXPECTED_MAX times): earlier times were not judged. */
  readonly windowCut: boolean;
}

/** The expected run times of the window without a run that accounts for them, newest first. */
export function missedRuns(input: MissedRunsInput): MissedRuns {
  const limit = Math.max(0, input.limit ?? MISSED_LIST_MAX);
  const to = input.now - input.toleranceMs;
  const since = Math.max(input.installedAt + MINUTE, input.coveredFrom ?? Number.NEGATIVE_INFINITY);
  const { from, expected } = expectedTimes(input.expressions, input.zone, Math.max(since, to - MISSED_WINDOW_MS), to);
  const starts = [...input.runStarts].filter(Number.isFinite).sort((a, b) => a - b);
  const judged = expected;
  const missed: Run[] = [];
  let count = 0;
  // Both ascending: each run accounts for at most one expected time, the earliest it can. The
  // windows' starts and ends rise with the expected time, so taking the earliest run that fits
  // leaves the most for the times after it.
  let next = 0;
  for (let index = 0; index < judged.length; index++) {
    const run = judged[index]!;
    const following = judged[index + 1]?.instant ?? Number.POSITIVE_INFINITY;
    const end = windowEnd(run.instant, following, input);
    // A run before this expected time is no trace of it (a manual run, or one already counted).
    while (next < starts.length && starts[next]! < floorSecond(run.instant)) next++;
    if (next < starts.length && starts[next]! < end) {
      next++;
      continue;
    }
    count++;
    missed.push(run);
    if (missed.length > limit) missed.shift();
  }
  return { runs: missed.reverse(), count, from, to, expected: judged.length, windowCut: from > since };
}

/** The log's times have whole seconds: a run started at 12:00:00.7 is logged as 12:00:00. */
function floorSecond(instant: number): number {
  return Math.floor(instant / 1000) * 1000;
}

function windowEnd(expected: number, following: number, input: MissedRunsInput): number {
  const late = expected + input.toleranceMs;
  switch (input.lateness) {
    case 'next':
      return Math.min(late, following);
    case 'late':
      return late;
    case 'catch-up':
      return Math.max(late, following);
  }
}

/**
 * The expected starts in (from, to], ascending, of all the expressions together: at most
 * EXPECTED_MAX, the newest, with the `from` they start after. The engine only looks forward, so
 * the window is walked backwards in stretches (a day, two, four …), each computed forwards.
 */
function expectedTimes(expressions: readonly CronExpression[], zone: TimeZone, from: number, to: number): { from: number; expected: Run[] } {
  if (!(to > from)) return { from, expected: [] };
  const stretches: Run[][] = [];
  let count = 0;
  let end = to;
  let length = FIRST_STRETCH_MS;
  while (end > from && count < EXPECTED_MAX) {
    const start = Math.max(from, end - length);
    const runs = stretch(expressions, zone, start, end);
    stretches.unshift(runs);
    count += runs.length;
    end = start;
    length *= 2;
  }
  let expected = stretches.flat();
  let after = end;
  if (expected.length > EXPECTED_MAX) {
    expected = expected.slice(expected.length - EXPECTED_MAX);
    after = expected[0]!.instant - 1;
  }
  return { from: after, expected };
}

/** The expected starts in (from, to], ascending, one per instant. */
function stretch(expressions: readonly CronExpression[], zone: TimeZone, from: number, to: number): Run[] {
  const all: Run[] = [];
  for (const expression of expressions) {
    let after = from;
    for (;;) {
      const batch = nextRuns(expression, after, BATCH, zone);
      for (const run of batch) if (run.instant <= to) all.push(run);
      const last = batch[batch.length - 1];
      if (batch.length < BATCH || !last || last.instant > to) break;
      after = last.instant;
    }
  }
  all.sort((a, b) => a.instant - b.instant);
  // Two `schedule` lines naming the same minute start the job once each in cron, but one run
  // is what the log can show per start; keep one expected time per instant.
  return all.filter((run, index) => index === 0 || all[index - 1]!.instant !== run.instant);
}

/** How the job's scheduler starts it: which zone, how late, and how a late run is judged. */
export interface SchedulerTiming {
  readonly zone: TimeZone;
  readonly toleranceMs: number;
  readonly lateness: MissedRunsInput['lateness'];
}

/**
 * The timing of a job's scheduler. cron reads the schedule in the daemon's zone (Debian has no
 * per-crontab zone, CRON-FACTS.md), so the host's; Task Scheduler in the machine's local time;
 * a systemd timer in the file's `timezone` (its OnCalendar= zone suffix), else the host's.
 * cron starts a job in the first seconds of its minute; the grace (15 minutes) covers a loaded
 * machine and cron's catch-up after the clocks go forward. A run waiting for the lock of the
 * run before writes its `run started` with the time it began, so the job's time limit is no
 * part of the grace. A random delay (systemd RandomizedDelaySec=) is added to it.
 */
export function schedulerTiming(
  job: Pick<SyncJob, 'scheduler' | 'platform' | 'timezone' | 'catchUp' | 'randomDelaySeconds'>,
  hostZone: TimeZone,
  fileZone?: TimeZone,
): SchedulerTiming {
  const scheduler = job.scheduler ?? (job.platform === 'windows' ? 'task' : 'cron');
  const randomDelay = scheduler === 'systemd' ? (job.randomDelaySeconds ?? 0) * 1000 : 0;
  const catchUp = scheduler !== 'cron' && job.catchUp !== false;
  return {
    zone: scheduler === 'systemd' && fileZone ? fileZone : hostZone,
    toleranceMs: MISSED_GRACE_MS + randomDelay,
    lateness: catchUp ? 'catch-up' : randomDelay > 0 ? 'late' : 'next',
  };
}

/** What the missed-run check found for a job, or why it could not check. */
export type MissedCheck =
  | { readonly kind: 'checked'; readonly missed: MissedRuns }
  | { readonly kind: 'unknown'; readonly reason: string }
  /** Nothing to check: the job is not installed (nothing is expected to run), said by its own status. */
  | { readonly kind: 'not-installed' };

/**
 * The missed runs of a job from what its logs held (host/history.ts readHistory) and when its
 * schedule took effect (host/installTime.ts); or why there are none to tell: the install time
 * is not known, or the log could not be read.
 */
export function missedCheck(
  job: Pick<SyncJob, 'schedules' | 'scheduler' | 'platform' | 'timezone' | 'catchUp' | 'randomDelaySeconds'>,
  /** What reading the logs found (present.ts HistoryState, which imports this file's types). */
  state: { readonly kind: string; readonly starts?: readonly string[]; readonly coveredFrom?: string },
  install: { readonly kind: 'known'; readonly at: number } | { readonly kind: 'unknown'; readonly reason: string } | { readonly kind: 'not-installed' },
  now: number,
  hostZone: TimeZone,
): MissedCheck {
  if (install.kind !== 'known') return install;
  if (state.kind !== 'runs' && state.kind !== 'missing') return { kind: 'unknown', reason: t('the log could not be read') };
  const fileZone = job.timezone ? TimeZone.get(job.timezone) : undefined;
  const timing = schedulerTiming(job, hostZone, fileZone);
  const parsed = (text: string | undefined): number | undefined => {
    const instant = text === undefined ? Number.NaN : Date.parse(text);
    return Number.isFinite(instant) ? instant : undefined;
  };
  const missed = missedRuns({
    expressions: job.schedules.map((schedule) => schedule.expression),
    zone: timing.zone,
    installedAt: install.at,
    now,
    runStarts: state.kind === 'runs' ? (state.starts ?? []).map((start) => parsed(start) ?? Number.NaN) : [],
    // No log, or the log alone read whole (never rotated): it speaks for all the time since install.
    coveredFrom: state.kind === 'missing' ? undefined : parsed(state.coveredFrom),
    toleranceMs: timing.toleranceMs,
    lateness: timing.lateness,
  });
  return { kind: 'checked', missed };
}
