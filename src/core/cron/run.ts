/**
 * One start of a job as Debian's cron makes it: what next.ts computes and catchUp.ts simulates
 * after the clocks go forward, kept apart so that neither of them imports the other.
 */

export type RunNote =
  /** The wall time was skipped by a DST change; cron runs the job when the clocks jump. */
  | 'dst-skipped'
  /**
   * A late start from cron's catch-up after the clocks went forward: cron starts the skipped
   * times one after another, 10 s apart, and was still doing so when this minute came.
   * `wall` is the (first) wall time this minute's start or starts stand for.
   */
  | 'dst-catch-up'
  /** The wall time repeats (DST ends) and this is its second pass: only wildcard jobs run again. */
  | 'dst-repeated'
  /** A fixed-time job in a repeated hour: it runs only in the first pass. */
  | 'dst-once';

export interface Run {
  /** UTC milliseconds. */
  readonly instant: number;
  /** The wall-clock time cron matched (UTC milliseconds of the local reading); the first one when `starts` > 1. */
  readonly wall: number;
  readonly note?: RunNote;
  /**
   * How many times cron starts the job in this minute, when more than once: only in the
   * catch-up after the clocks go forward, once per skipped wall time, 10 s apart. Counted as
   * if this job were cron's only one (others would add their own 10 s pauses).
   */
  readonly starts?: number;
}
