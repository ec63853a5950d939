import { mergedNextRuns, type Run } from '../cron/next';
import { parseCron, type CronExpression } from '../cron/parse';
import type { TimeZone } from '../cron/zone';
import { displayZone } from './hover';
import { parseSchedule } from './parse';

export interface NextRun {
  /** The first run after `now` of any `schedule` line; undefined when none ever fires by time. */
  readonly run?: Run;
  readonly zone: TimeZone;
  /** The zone is the file's `timezone` line, not this machine's. */
  readonly zoneFromFile: boolean;
  /** A `schedule @reboot` line: it also runs when the machine starts. */
  readonly atBoot: boolean;
}

/** When the job of a schedule file runs next; undefined when it has no valid `schedule` line. */
export function nextRunOfSchedule(text: string, now: number, hostZone: string): NextRun | undefined {
  const document = parseSchedule(text);
  const expressions = document.directives
    .filter((directive) => directive.key === 'schedule')
    .map((directive) => parseCron(directive.value).expression)
    .filter((expression): expression is CronExpression => expression !== undefined);
  if (expressions.length === 0) return undefined;
  const { zone, fromFile } = displayZone(document, hostZone);
  const calendar = expressions.filter((expression) => expression.kind === 'calendar');
  const [run] = calendar.length > 0 ? mergedNextRuns(calendar, now, 1, zone) : [];
  return { ...(run ? { run } : {}), zone, zoneFromFile: fromFile, atBoot: expressions.some((expression) => expression.kind === 'reboot') };
}
