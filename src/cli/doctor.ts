import { version } from '../../package.json';
import { runChecks, type Check, type DoctorReport } from '../core/doctor/checks';
import { SpawnRunner } from '../host/process';
import { gatherSnapshot } from '../workflows/doctor';
import { parse } from './args';
import { UsageError, type CliIo } from './io';
import { loadJob } from './job';

export const DOCTOR_HELP = `Usage: bwdc-schedule doctor FILE [--json]

Checks everything a scheduled sync of the schedule file depends on, on this
machine, and says how to fix what fails:
  the scheduler: the cron daemon running (systemd timers, or the Task
    Scheduler service on Windows); the job installed and equal to the file
  the run-as account: it exists and may use cron (/etc/cron.allow, cron.deny)
  the sync script: there, generated from the file as it is now, readable and
    executable by run-as, writable by no one else (nor its folder)
  the secret: readable by run-as, mode 0600 or stricter, owned by run-as
  bwdc: 'bwdc --version' runs as run-as (in a throwaway app-data folder),
    with its native module (keytar.node / dc_native.*.node) beside it
  each instance folder writable by run-as, with a valid data.json
  the log writable; keyring vs plaintext mode consistent with data.json
  the cron daemon's time zone vs the file's timezone line

Run it as root (or as the run-as user) to check what run-as may read and
write; otherwise those checks are reported as not checked.

Options:
  --json      {"ok": bool, "checks": [{"id", "ok", "severity", "message", "fix"}]}
  -h, --help  show this help

Exit status: 0 no error-severity check failed (warnings may have), 1 a check
failed or the schedule file has errors, 2 usage error or unreadable file.
`;

export async function runDoctor(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parse('doctor', args, { json: { type: 'boolean' } });
  if (parsed.values['help']) {
    io.stdout(DOCTOR_HELP);
    return 0;
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0) throw new UsageError('doctor: name exactly one schedule file (bwdc-schedule doctor FILE).');
  const loaded = loadJob(file, io);
  if ('exitCode' in loaded) return loaded.exitCode;
  const job = loaded.job;
  const snapshot = io.doctorSnapshot
    ? await io.doctorSnapshot(job)
    : await gatherSnapshot(job, { runner: io.runner ?? new SpawnRunner(), currentUser: io.currentUser, version });
  const report = runChecks(snapshot);
  if (parsed.values['json']) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout(table(report, `${file} (job ${job.name}, runs as ${snapshot.runAs.name})`));
  return report.ok ? 0 : 1;
}

/** ✓ or ✗ per check, the fix indented under each failed one, then a count. */
export function table(report: DoctorReport, title: string): string {
  const width = Math.max(...report.checks.map((check) => check.id.length));
  const lines = [`Checking ${title}`, ''];
  for (const check of report.checks) {
    lines.push(`${mark(check)} ${check.id.padEnd(width)}  ${check.message}`);
    if (!check.ok && check.fix) lines.push(`  ${' '.repeat(width + 2)}  fix: ${check.fix}`);
  }
  const errors = report.checks.filter((check) => !check.ok && check.severity === 'error').length;
  const warnings = report.checks.filter((check) => !check.ok && check.severity === 'warning').length;
  lines.push(
    '',
    errors + warnings === 0
      ? `All ${report.checks.length} checks passed.`
      : `${errors} ${errors === 1 ? 'error' : 'errors'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'} (of ${report.checks.length} checks).`,
  );
  return `${lines.join('\n')}\n`;
}

function mark(check: Check): string {
  if (check.ok) return '✓';
  return check.severity === 'error' ? '✗' : '!';
}
