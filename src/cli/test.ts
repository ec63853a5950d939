import * as path from 'path';
import { testReportTable } from '../core/test/report';
import { executeRunNow, testOutcome } from '../workflows/runNow';
import { parse } from './args';
import { UsageError, type CliIo } from './io';
import { loadJob } from './job';
import { planOrExit, taskFailure } from './run';

export const TEST_HELP = `Usage: bwdc-schedule test FILE [--json]

Runs the schedule file's sync script once in test mode: the same secret, lock,
data.json check and logout/login/logout as a scheduled run, but 'bwdc test' in
place of 'bwdc sync', so nothing is synced. Shows per instance what a sync would
send: its users (enabled, disabled, deleted) and its groups with their members.

It runs as the job's run-as user with cron's environment (HOME, LOGNAME,
SHELL=/bin/sh, PATH=/usr/bin:/bin, in the home folder). Run as root, it switches
to that user (setpriv); run as anyone else, it prints the sudo command to use.
On Windows it runs the PowerShell script with -Test directly (powershell.exe
-File), when you are its run-as account; otherwise it prints the runas command
to use in that account's session (Windows has no sudo).
The run is logged like any other, as "run started in test mode"; the user lists
are never written to the log.

Options:
  --json      a JSON array of {instance, folder, ok, message, users, groups},
              users and groups with bwdc's own fields (users also with "state":
              enabled, disabled or deleted)
  -h, --help  show this help

Exit status: 0 every instance was tested, 1 one or more were not (or the script
is missing or out of date), 2 usage error, or it must be run as another user.
`;

export async function runTest(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parse('test', args, { json: { type: 'boolean' } });
  if (parsed.values['help']) {
    io.stdout(TEST_HELP);
    return 0;
  }
  if (parsed.positionals.length !== 1) throw new UsageError('test: name exactly one schedule file.');
  const json = parsed.values['json'] === true;
  const file = parsed.positionals[0]!;
  const loaded = loadJob(file, io);
  if ('exitCode' in loaded) return loaded.exitCode;
  const { job } = loaded;
  const argv = ['bwdc-schedule', 'test', path.resolve(io.cwd, file), ...(json ? ['--json'] : [])];
  const plan = await planOrExit(job, 'test', io, argv);
  if (typeof plan === 'number') return plan;
  const result = await executeRunNow(job, plan, {}).catch(taskFailure(io));
  if (typeof result === 'number') return result;
  const report = testOutcome(job, result);
  io.stdout(json ? `${JSON.stringify(report, null, 2)}\n` : testReportTable(report));
  return report.every((instance) => instance.ok) ? 0 : 1;
}
