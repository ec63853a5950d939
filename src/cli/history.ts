import { TimeZone } from '../core/cron/zone';
import { logFiles } from '../core/history/job';
import { missedCheck, schedulerTiming, type MissedCheck } from '../core/history/missed';
import type { InstanceRecord, RunRecord } from '../core/history/parse';
import { runDuration, type HistoryState } from '../core/history/present';
import { readHistory, type HistoryReader } from '../host/history';
import { integerOption, parse } from './args';
import { printable } from './check';
import { UsageError, type CliIo } from './io';
import { loadJob } from './job';
import type { SyncJob } from '../core/schedule/job';

export const HISTORY_HELP = `Usage: bwdc-schedule history FILE [--count N] [--json]

Lists the runs of a schedule file's job, newest first, as its sync script logged
them: the log and the rotated logs beside it (LOG.1 … LOG.3); for a
'scheduler systemd' job without a log file, the service's journal
(journalctl -u bwdc-<name>.service, where the script's lines go too). Per run: when it
started, how long it took, its result (ok, failed, skipped, running, test) and,
per instance, what happened to it.

Options:
  --count N   how many runs (default 10, at most 10000)
  --json      a JSON array, newest first, of {start, end, result, bwdcVersion,
              instances: [{label, folder, result, message, users, groups}]}
              (the same as the <log>.last.json the script writes after each run)
  -h, --help  show this help

Missed runs: the times the schedule named since the job was installed (the
"# installed" line of its crontab block; for systemd, when its timer unit file
was written) at which no run started within 15 minutes, as "missed: TIME" lines
after the runs, with what to check. Only the time the logs read cover is judged
(a rotated-away log is no missed run). With --json, and when there is no log,
they are notes on stderr: the JSON stays the array of runs.

Exit status: 0 listed (whatever the runs' results), 1 no log yet or a file at the
log's path that the script did not write, 2 usage error or a file that cannot be read.
`;

/** Far beyond the 5 MB the script rotates at; of a larger file only its end is read. */
export const HISTORY_FILE_MAX_BYTES = 64 * 1024 * 1024;

export function runHistory(args: readonly string[], io: CliIo): number | Promise<number> {
  const parsed = parse('history', args, { count: { type: 'string' }, json: { type: 'boolean' } });
  if (parsed.values['help']) {
    io.stdout(HISTORY_HELP);
    return 0;
  }
  if (parsed.positionals.length !== 1) throw new UsageError('history: name exactly one schedule file.');
  const count = integerOption(parsed, 'history', 'count', 10, 1, 10_000);
  const json = parsed.values['json'] === true;
  const loaded = loadJob(parsed.positionals[0]!, io);
  if ('exitCode' in loaded) return loaded.exitCode;
  const { job } = loaded;

  const state = readHistory(job, {
    runs: count,
    // Each log up to its own bound, all of them (the log and LOG.1 … LOG.3) when the runs asked for need it.
    maxBytes: HISTORY_FILE_MAX_BYTES * logFiles(job).length,
    fileMaxBytes: HISTORY_FILE_MAX_BYTES,
    reader: historyReader(io),
    onFileCut: (file, bytes) =>
      io.stderr(`bwdc-schedule: note: ${printable(file)} is larger than ${bytes / 1024 / 1024} MB; only its last ${bytes / 1024 / 1024} MB were read\n`),
  });
  const file = parsed.positionals[0]!;
  const list = (check?: MissedCheck): number => listHistory(io, job, file, state, json, check);
  // Missed runs need the install time (the crontab is read with crontab -l): only with an io that can tell it.
  if (!io.installTime || (state.kind !== 'runs' && state.kind !== 'missing')) return list();
  const hostZone = TimeZone.get(io.hostZone) ?? TimeZone.get('UTC')!;
  return io.installTime(job).then((install) => list(missedCheck(job, state, install, io.now(), hostZone)));
}

function listHistory(io: CliIo, job: SyncJob, file: string, state: HistoryState, json: boolean, check: MissedCheck | undefined): number {
  switch (state.kind) {
    case 'unavailable':
      io.stderr(`bwdc-schedule: ${state.reason}\n`);
      return 1;
    case 'missing':
      io.stderr(
        job.scheduler === 'systemd'
          ? `bwdc-schedule: no runs recorded yet: ${printable(job.log)} does not exist, and the journal of bwdc-${job.name}.service has no lines that this user can read (root and the groups systemd-journal and adm can)\n`
          : `bwdc-schedule: no runs recorded yet: ${printable(job.log)} does not exist\n`,
      );
      reportMissed(io, check, job, file, true);
      return 1;
    case 'unreadable':
      io.stderr(`bwdc-schedule: ${unreadable(state, job.runAs)}\n`);
      return 2;
    case 'not-ours':
      io.stderr(
        `bwdc-schedule: ${printable(state.file)}: not a log this script wrote (its first line is not "<time> [<label>] <message>"); nothing of it was read. Check the log line of ${printable(file)}.\n`,
      );
      return 1;
  }
  if (state.skipped) {
    const { file, line } = state.skipped;
    const lines = state.skipped.lines === 1 ? '1 line' : `${state.skipped.lines} lines`;
    io.stderr(`bwdc-schedule: note: ${lines} of the log were not understood and skipped (the first: ${printable(file)}:${line})\n`);
  }
  const history = { runs: state.runs };
  if (json) {
    io.stdout(`${JSON.stringify(history.runs, null, 2)}\n`);
    // The JSON stays the array of runs the issue fixes (and <log>.last.json shares): a missed
    // time is no run, so it is told on stderr, as a note.
    reportMissed(io, check, job, file, true);
    return 0;
  }
  if (history.runs.length === 0) io.stdout(`no runs in ${printable(job.log)} yet\n`);
  else io.stdout(table(history.runs));
  reportMissed(io, check, job, file, false);
  return 0;
}

/**
 * The missed runs after the list: one `missed: TIME` line each (newest first, at most 100) and
 * what to check, on stdout with the table; on stderr as a note with --json and when there is no
 * log (the JSON stays the runs, and "no runs yet" is an error). Why they could not be checked,
 * as a note, only when that is worth knowing (the job is installed, its time is not known).
 */
function reportMissed(io: CliIo, check: MissedCheck | undefined, job: SyncJob, file: string, asNote: boolean): void {
  if (!check || check.kind === 'not-installed') return;
  const out = asNote ? io.stderr : io.stdout;
  if (check.kind === 'unknown') {
    io.stderr(`bwdc-schedule: note: missed runs were not checked: ${printable(check.reason)}\n`);
    return;
  }
  const { missed } = check;
  if (missed.count === 0) return;
  const zone = missedZone(job, io);
  const lines = missed.runs.map((run) => `${asNote ? 'bwdc-schedule: ' : ''}missed: ${localTime(run.instant, zone)}`);
  if (missed.count > missed.runs.length) lines.push(`${asNote ? 'bwdc-schedule: ' : ''}… and ${missed.count - missed.runs.length} more missed before them`);
  const scheduler = job.scheduler ?? (job.platform === 'windows' ? 'task' : 'cron');
  const since = localTime(missed.from, zone);
  const what =
    scheduler === 'cron'
      ? `is cron running (systemctl status cron)? was the machine off? is the job still installed (bwdc-schedule crontab status ${printable(file)})? is its user in /etc/cron.deny? does the script exist at ${printable(job.script)}?`
      : scheduler === 'systemd'
        ? `is the timer active (systemctl status bwdc-${printable(job.name)}.timer)? was the machine off? does the script exist at ${printable(job.script)}?`
        : `is the task enabled, and the Task Scheduler service running? was the machine off? does the script exist at ${printable(job.script)}?`;
  lines.push(
    `${asNote ? 'bwdc-schedule: ' : ''}${missed.count === 1 ? '1 run' : `${missed.count} runs`} of the schedule since ${since} left no trace in the log (none started within ${Math.round(missedTolerance(job, io) / 60_000)} minutes of its time). Check: ${what} bwdc-schedule doctor ${printable(file)} checks the set-up.`,
  );
  out(`${lines.join('\n')}\n`);
}

function missedZone(job: SyncJob, io: CliIo): TimeZone {
  const hostZone = TimeZone.get(io.hostZone) ?? TimeZone.get('UTC')!;
  return schedulerTiming(job, hostZone, job.timezone ? TimeZone.get(job.timezone) : undefined).zone;
}

function missedTolerance(job: SyncJob, io: CliIo): number {
  return schedulerTiming(job, TimeZone.get(io.hostZone) ?? TimeZone.get('UTC')!).toleranceMs;
}

/** `2026-12-03 12:00:00+01:00`: the log's way of writing a time, in the zone the scheduler reads the schedule in. */
function localTime(instant: number, zone: TimeZone): string {
  const offset = zone.offsetAt(instant);
  const wall = new Date(instant + offset).toISOString().slice(0, 19).replace('T', ' ');
  const minutes = Math.abs(Math.round(offset / 60_000));
  return `${wall}${offset < 0 ? '-' : '+'}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** How the history reads logs through the io: its log reader, else (tests) the whole file. */
function historyReader(io: CliIo): HistoryReader {
  return {
    readLog: io.readLog ?? ((file, maxBytes) => ({ text: io.readFile(file, maxBytes), partial: false })),
    readHead: io.readHead ?? (() => undefined),
    ...(io.readJournal ? { readJournal: io.readJournal } : {}),
  };
}

function unreadable(state: Extract<HistoryState, { kind: 'unreadable' }>, runAs: string | undefined): string {
  if (state.permission) {
    return `${printable(state.file)}: cannot read it (permission denied); the log is readable by the user the job runs as only: run this as ${runAs ?? 'that user'} or as root`;
  }
  // The reader's sentence names the file: "… is a folder, not a file", "… is not a regular file …".
  return printable(state.message);
}

/**
 *   2026-12-04 12:00:01+01:00  failed   13s  bwdc 2026.6.1
 *     instance-1  failed   login failed: the client secret was rejected; check …
 *     instance-2  ok       2 groups, 4 users
 */
function table(runs: readonly RunRecord[]): string {
  const width = Math.min(40, Math.max(...runs.flatMap((run) => run.instances.map((instance) => printable(instance.label).length)), 0));
  const lines: string[] = [];
  for (const run of runs) {
    const head = [printable(run.start.replace('T', ' ')), run.result.padEnd(7), (runDuration(run) ?? '-').padEnd(6)];
    if (run.bwdcVersion !== null) head.push(`bwdc ${printable(run.bwdcVersion)}`);
    lines.push(head.join('  ').trimEnd());
    for (const instance of run.instances)
      lines.push(`  ${printable(instance.label).padEnd(width)}  ${instance.result.padEnd(7)}  ${details(instance)}`.trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

function details(instance: InstanceRecord): string {
  const counts =
    instance.users === null || instance.groups === null
      ? ''
      : instance.users === 0 && instance.groups === 0
        ? 'nothing changed'
        : `${instance.groups} ${instance.groups === 1 ? 'group' : 'groups'}, ${instance.users} ${instance.users === 1 ? 'user' : 'users'}`;
  const message = instance.message === null ? '' : printable(instance.message);
  return counts && message ? `${counts}; ${message}` : counts || message;
}
