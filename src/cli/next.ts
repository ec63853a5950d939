import { redactSecrets } from '../core/redact';
import * as path from 'path';
import { isoLocal } from '../core/cron/format';
import { mergedNextRuns, type Run } from '../core/cron/next';
import { parseCron, type CronExpression } from '../core/cron/parse';
import { neverFires } from '../core/cron/analyze';
import { TimeZone, utcFromFields } from '../core/cron/zone';
import { displayZone } from '../core/schedule/hover';
import { parseSchedule } from '../core/schedule/parse';
import { integerOption, parse, stringOption } from './args';
import { printable } from './check';
import type { CliIo } from './io';
import { UsageError } from './io';
import { readInput } from './read';

export const NEXT_HELP = `Usage: bwdc-schedule next EXPR|FILE [--count N] [--from ISO-8601] [--tz ZONE] [--json]

Prints the next run times strictly after --from (default: now), computed the
way Debian cron runs them, including its day-of-month/day-of-week rule and DST.
For a schedule FILE, the runs of all its schedule lines together.

Options:
  --count N     how many (default 5, at most 1000)
  --from TIME   start, e.g. 2025-01-01T00:00:00Z; without an offset it is a
                local time in the zone
  --tz ZONE     IANA zone (default: the file's timezone line, else this machine's)
  --json        a JSON array of UTC instants ("2025-01-06T12:00:00.000Z")
  -h, --help    show this help

A never-firing expression prints nothing (JSON: []) and exits 0; @reboot too,
with the reason on stderr. Exit status 1: an invalid expression; 2: usage error.
`;

export function runNext(args: readonly string[], io: CliIo): number {
  const parsed = parse('next', args, { count: { type: 'string' }, from: { type: 'string' }, tz: { type: 'string' }, json: { type: 'boolean' } });
  if (parsed.values['help']) {
    io.stdout(NEXT_HELP);
    return 0;
  }
  if (parsed.positionals.length === 0) throw new UsageError("next: give a cron expression or a schedule file, for example: bwdc-schedule next '0 12 * * 1'");
  const count = integerOption(parsed, 'next', 'count', 5, 1, 1000);
  const json = parsed.values['json'] === true;
  const target = parsed.positionals.join(' ');

  const tzName = stringOption(parsed, 'tz');
  let zone: TimeZone | undefined;
  if (tzName !== undefined) {
    zone = TimeZone.get(tzName);
    if (!zone) throw new UsageError(`next: unknown time zone '${tzName}'; use an IANA name such as Europe/Berlin or UTC.`);
  }

  let expressions: CronExpression[];
  const isFile = parsed.positionals.length === 1 && (target.endsWith('.bwdc-schedule') || io.pathKind(path.resolve(io.cwd, target)) === 'file');
  if (isFile) {
    const text = readInput(target, io);
    if (text === undefined) return 2;
    const document = parseSchedule(text);
    zone ??= displayZone(document, io.hostZone).zone;
    expressions = [];
    let failed = false;
    for (const directive of document.directives.filter((d) => d.key === 'schedule')) {
      const result = parseCron(directive.value);
      if (result.expression) expressions.push(result.expression);
      for (const problem of result.problems.filter((p) => p.severity === 'error')) {
        io.stderr(
          `${printable(`${target}:${directive.line + 1}:${directive.valueRange.start.character + problem.start + 1}: error ${problem.code}: ${problem.message}`)}\n`,
        );
        failed = true;
      }
    }
    if (failed) return 1;
    if (expressions.length === 0) {
      io.stderr(`bwdc-schedule: ${target}: has no schedule line\n`);
      return 1;
    }
  } else {
    const result = parseCron(target);
    if (!result.expression) {
      for (const problem of result.problems.filter((p) => p.severity === 'error')) io.stderr(`bwdc-schedule: ${redactSecrets(target)}: ${problem.message}\n`);
      return 1;
    }
    expressions = [result.expression];
  }
  zone ??= TimeZone.get(io.hostZone) ?? TimeZone.get('UTC')!;

  const fromText = stringOption(parsed, 'from');
  const from = fromText === undefined ? io.now() : parseInstant(fromText, zone);

  for (const expression of expressions) {
    if (expression.kind === 'reboot') io.stderr(`bwdc-schedule: ${expression.text.trim()} runs once when cron starts after a boot, not at clock times\n`);
    else {
      const never = neverFires(expression);
      if (never) io.stderr(`bwdc-schedule: ${redactSecrets(expression.text.trim())}: ${never.message}\n`);
    }
  }
  const runs = mergedNextRuns(expressions, from, count, zone);
  if (json) io.stdout(`${JSON.stringify(runs.map((run) => new Date(run.instant).toISOString()))}\n`);
  else for (const run of runs) io.stdout(`${humanRun(run, zone)}\n`);
  return 0;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function humanRun(run: Run, zone: TimeZone): string {
  const weekday = WEEKDAYS[new Date(run.instant + zone.offsetAt(run.instant)).getUTCDay()];
  const note =
    run.note === 'dst-skipped'
      ? `  (${new Date(run.wall).toISOString().slice(11, 16)}${run.starts ? ' and later' : ''} skipped by DST; runs when the clocks jump${run.starts ? `, ${run.starts} starts 10 s apart` : ''})`
      : run.note === 'dst-catch-up'
        ? `  (late: DST catch-up from ${new Date(run.wall).toISOString().slice(11, 16)}${run.starts ? `, ${run.starts} starts 10 s apart` : ''})`
        : run.note === 'dst-repeated'
          ? '  (repeated hour, second pass)'
          : run.note === 'dst-once'
            ? '  (repeated hour: runs only in the first pass)'
            : '';
  return `${isoLocal(run.instant, zone)}  ${weekday}  ${zone.name}${note}`;
}

/** ISO 8601 date or date-time; without an offset, a wall time in `zone`. */
export function parseInstant(text: string, zone: TimeZone): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(text.trim());
  if (!match) throw new UsageError(`next: --from '${text}' is not an ISO 8601 time such as 2025-01-01T00:00:00Z or 2025-01-01.`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0', offset] = match;
  const fields = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)] as const;
  if (
    fields[1] < 1 ||
    fields[1] > 12 ||
    fields[2] < 1 ||
    fields[2] > 31 ||
    fields[3] > 23 ||
    fields[4] > 59 ||
    fields[5] > 59 ||
    fields[0] < 1900 ||
    fields[0] > 9000
  ) {
    throw new UsageError(`next: --from '${text}' is not a valid time (years 1900–9000).`);
  }
  const wall = utcFromFields(...fields) + Number(ms.padEnd(3, '0'));
  if (new Date(wall).getUTCDate() !== fields[2]) throw new UsageError(`next: --from '${text}' is not a valid date.`);
  if (offset) {
    if (offset.toUpperCase() === 'Z') return wall;
    const sign = offset.startsWith('-') ? -1 : 1;
    const digits = offset.slice(1).replace(':', '');
    return wall - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  const { instants, gapEnd } = zone.instantsOf(wall - (wall % 60_000));
  return (instants[0] ?? gapEnd ?? wall) + (wall % 60_000);
}
