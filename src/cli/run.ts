import * as path from 'path';
import { version } from '../../package.json';
import type { SyncJob } from '../core/schedule/job';
import { fileHead } from '../host/files';
import { SpawnRunner } from '../host/process';
import { lookupAccount } from '../host/runScript';
import { ScheduledTaskError, ScheduledTasks } from '../host/scheduledTask';
import { executeRunNow, prepareRun, type RunMode, type RunNowPlan } from '../workflows/runNow';
import { parse } from './args';
import { printable } from './check';
import { UsageError, type CliIo } from './io';
import { loadJob } from './job';

export const RUN_HELP = `Usage: bwdc-schedule run FILE

Runs the schedule file's sync script once, now, exactly as the scheduler would:
as the job's run-as user, with cron's environment only (HOME, LOGNAME,
SHELL=/bin/sh, PATH=/usr/bin:/bin, in the home folder), so what works in your
shell but not under cron shows at once. The run's log lines are printed as they
are written; what the script says on failure (what cron would mail) follows.
Run as root, it switches to the run-as user (setpriv); run as anyone else, it
prints the sudo command to use. Ctrl-C stops the run: the script stops bwdc,
releases its locks and logs "run stopped".

On Windows it starts the job's registered task (Start-ScheduledTask), so the
script runs exactly as Task Scheduler runs it: as the run-as account, whether
or not it is logged on. The task must be registered and equal to the schedule
file (bwdc-schedule task install FILE). The log's lines are printed as they
come; the exit status is the task's last run result. Ctrl-C stops the task.

Options:
  -h, --help  show this help

Exit status: the script's (0 every instance synced, 1 not), 1 the script is
missing, 2 usage error, or it must be run as another user.
`;

export async function runRun(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parse('run', args, {});
  if (parsed.values['help']) {
    io.stdout(RUN_HELP);
    return 0;
  }
  if (parsed.positionals.length !== 1) throw new UsageError('run: name exactly one schedule file.');
  const file = parsed.positionals[0]!;
  const loaded = loadJob(file, io);
  if ('exitCode' in loaded) return loaded.exitCode;
  const { job } = loaded;
  const argv = ['bwdc-schedule', 'run', path.resolve(io.cwd, file)];
  const plan = await planOrExit(job, 'run', io, argv);
  if (typeof plan === 'number') return plan;
  // Ctrl-C reaches the script too (one process group): it stops cleanly, and so do we, after it.
  const stop = new AbortController();
  const interrupted = (): void => stop.abort();
  process.on('SIGINT', interrupted);
  process.on('SIGTERM', interrupted);
  try {
    const result = await executeRunNow(job, plan, { signal: stop.signal, onLogLine: (line) => io.stdout(`${printable(line)}\n`) }).catch(taskFailure(io));
    if (typeof result === 'number') return result;
    if (result.stderr !== '') io.stderr(result.stderr.endsWith('\n') ? result.stderr : `${result.stderr}\n`);
    if (result.code === null) {
      io.stderr(`bwdc-schedule: the script was stopped (${result.signal ?? 'signal'})\n`);
      return 1;
    }
    return result.code;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}

/**
 * The plan of a run now or a test run, after saying its notes; or the exit code when it cannot run
 * here: 2 with the sudo command when it must run as another user, 1 when the script is not fit.
 */
export async function planOrExit(job: SyncJob, mode: RunMode, io: CliIo, argv: readonly string[]): Promise<RunNowPlan | number> {
  const windows = io.hostPlatform === 'windows' ? { windows: { tasks: new ScheduledTasks(io.runner ?? new SpawnRunner()) } } : {};
  const prepared = await prepareRun(
    job,
    mode,
    { current: io.currentUser, version, readHead: io.readHead ?? fileHead, lookup: lookupAccount, ...windows },
    argv,
  ).catch(taskFailure(io));
  if (typeof prepared === 'number') return prepared;
  if (prepared.kind === 'sudo') {
    const how = job.platform === 'windows' ? 'Run it in a session of that account (sign in as it, or with runas)' : 'Run it as that user';
    io.stderr(`bwdc-schedule: this job runs as ${prepared.runAs}, not as ${io.currentUser.name}; nothing was run. ${how}:\n  ${prepared.command}\n`);
    return 2;
  }
  if (prepared.kind === 'problem') {
    io.stderr(`bwdc-schedule: ${printable(prepared.message)}\n`);
    return 1;
  }
  for (const note of prepared.notes) io.stderr(`bwdc-schedule: note: ${printable(note)}\n`);
  return prepared.plan;
}

/** A Task Scheduler failure (PowerShell missing, access denied) as a message and exit 1; anything else is a bug. */
export function taskFailure(io: CliIo): (error: unknown) => number {
  return (error) => {
    if (!(error instanceof ScheduledTaskError)) throw error;
    io.stderr(`bwdc-schedule: ${printable(error.message)}\n`);
    return 1;
  };
}
