import { historyOptions, logFiles } from '../core/history/job';
import { parseHistory, type InstanceRecord, type LogText, type RunRecord } from '../core/history/parse';
import { runDuration } from '../core/history/present';
import { TextFileError } from '../host/files';
import type { LogTail } from '../host/logFile';
import { integerOption, parse } from './args';
import { printable } from './check';
import { UsageError, type CliIo } from './io';
import { loadJob } from './job';

export const HISTORY_HELP = `Usage: bwdc-schedule history FILE [--count N] [--json]

Lists the runs of a schedule file's job, newest first, as its sync script logged
them: the log and the rotated logs beside it (LOG.1 … LOG.3). Per run: when it
started, how long it took, its result (ok, failed, skipped, running, test) and,
per instance, what happened to it.

Options:
  --count N   how many runs (default 10, at most 10000)
  --json      a JSON array, newest first, of {start, end, result, bwdcVersion,
              instances: [{label, folder, result, message, users, groups}]}
              (the same as the <log>.last.json the script writes after each run)
  -h, --help  show this help

Exit status: 0 listed (whatever the runs' results), 1 no log yet or a file at the
log's path that the script did not write, 2 usage error or a file that cannot be read.
`;

/** Far beyond the 5 MB the script rotates at; of a larger file only its end is read. */
export const HISTORY_FILE_MAX_BYTES = 64 * 1024 * 1024;

export function runHistory(args: readonly string[], io: CliIo): number {
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

  const logs: LogText[] = [];
  for (const file of logFiles(job)) {
    let tail: LogTail;
    try {
      tail = readLog(io, file);
    } catch (error) {
      if (isMissing(error)) continue;
      io.stderr(`bwdc-schedule: ${printable(file)}: ${unreadable(error, job.runAs)}\n`);
      return 2;
    }
    if (tail.partial)
      io.stderr(
        `bwdc-schedule: note: ${printable(file)} is larger than ${HISTORY_FILE_MAX_BYTES / 1024 / 1024} MB; only its last ${HISTORY_FILE_MAX_BYTES / 1024 / 1024} MB were read\n`,
      );
    logs.push({ name: file, text: tail.text, partial: tail.partial });
  }
  if (logs.length === 0) {
    io.stderr(`bwdc-schedule: no runs recorded yet: ${printable(job.log)} does not exist\n`);
    return 1;
  }
  const history = parseHistory(logs, historyOptions(job, count));
  if ('notOurs' in history) {
    io.stderr(
      `bwdc-schedule: ${printable(history.notOurs)}: not a log this script wrote (its first line is not "<time> [<label>] <message>"); nothing of it was read. Check the log line of ${printable(parsed.positionals[0]!)}.\n`,
    );
    return 1;
  }
  if (history.skippedLines > 0 && history.firstSkipped) {
    const { name, line } = history.firstSkipped;
    const lines = history.skippedLines === 1 ? '1 line' : `${history.skippedLines} lines`;
    io.stderr(`bwdc-schedule: note: ${lines} of the log were not understood and skipped (the first: ${printable(name)}:${line})\n`);
  }
  if (json) {
    io.stdout(`${JSON.stringify(history.runs, null, 2)}\n`);
    return 0;
  }
  if (history.runs.length === 0) {
    io.stdout(`no runs in ${printable(job.log)} yet\n`);
    return 0;
  }
  io.stdout(table(history.runs));
  return 0;
}

function readLog(io: CliIo, file: string): LogTail {
  if (io.readLog) return io.readLog(file, HISTORY_FILE_MAX_BYTES);
  return { text: io.readFile(file, HISTORY_FILE_MAX_BYTES), partial: false };
}

function isMissing(error: unknown): boolean {
  if (error instanceof TextFileError) return error.problem === 'missing';
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function unreadable(error: unknown, runAs: string | undefined): string {
  const problem = error instanceof TextFileError ? error.problem : (error as NodeJS.ErrnoException).code === 'EACCES' ? 'permission' : undefined;
  if (problem === 'permission') {
    return `cannot read it (permission denied); the log is readable by the user the job runs as only: run this as ${runAs ?? 'that user'} or as root`;
  }
  if (problem === 'directory') return 'is a folder, not a log';
  if (problem === 'not-regular') return 'is not a regular file (a device, pipe or socket); refusing to read it';
  return `cannot read it (${error instanceof Error ? error.message : String(error)})`;
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
