import * as path from 'path';
import { version } from '../../package.json';
import { systemdUnits, UnitError, type UnitPair } from '../core/systemd/units';
import { accountHomeSync } from '../host/accounts';
import { parse, stringOption } from './args';
import type { CliIo } from './io';
import { UsageError } from './io';
import { loadJob } from './job';
import { writeArtifact } from './write';

export const SYSTEMD_HELP = `Usage: bwdc-schedule systemd units FILE [--output DIR|-]

A systemd timer and service for the job of a schedule file (platform linux,
scheduler systemd).

  units    writes bwdc-<name>.service and bwdc-<name>.timer. The service runs the
           sync script once (Type=oneshot) as the run-as user, with
           NoNewPrivileges=, PrivateTmp= and ProtectSystem=strict, the instance
           folders and the log's folder writable, TimeoutStartSec= from the
           timeout line, and a file: secret handed over with LoadCredential=
           (the script reads $CREDENTIALS_DIRECTORY/client_secret). The timer's
           OnCalendar= lines elapse exactly when Debian's cron would run the
           schedule lines (on the clock of the timezone line, if any; the days
           the clocks change differ, see the hover of a schedule line),
           Persistent= from catch-up (default yes), RandomizedDelaySec= from
           random-delay. A file of the same name that bwdc Schedule did not
           write is never replaced.

Options:
  --output DIR   the folder to write them to (default: beside the schedule
                 file); - prints both to stdout
  -h, --help     show this help

Installing is by hand for now (bwdc-schedule systemd install|remove|status is not
built yet): generate the script (bwdc-schedule script FILE), then as root copy
both units to /etc/systemd/system and run
  systemctl daemon-reload && systemctl enable --now bwdc-<name>.timer

Exit status: 0 written; 1 the schedule file has errors, a schedule line has no
exact OnCalendar= form (error timer-inexact), or a file there is not ours; 2 usage
error or unwritable.
`;

export function runSystemd(args: readonly string[], io: CliIo): number {
  const parsed = parse('systemd', args, { output: { type: 'string' } });
  if (parsed.values['help']) {
    io.stdout(SYSTEMD_HELP);
    return 0;
  }
  const [action, file, ...extra] = parsed.positionals;
  if (action === 'install' || action === 'remove' || action === 'status') {
    throw new UsageError(
      `systemd ${action} is not built yet. Write the units with 'bwdc-schedule systemd units FILE' and install them with systemctl (see bwdc-schedule systemd --help).`,
    );
  }
  if (action !== 'units') {
    throw new UsageError(action === undefined ? 'systemd: say units, and the schedule file.' : `systemd: unknown action '${action}'; use units.`);
  }
  if (file === undefined || extra.length > 0) throw new UsageError('systemd units: name exactly one schedule file.');

  const loaded = loadJob(file, io);
  if ('exitCode' in loaded) return loaded.exitCode;
  const job = loaded.job;
  if (job.platform !== 'linux') {
    io.stderr(`bwdc-schedule: ${file}: systemd timers are for linux, and this file says platform ${job.platform}.\n`);
    return 1;
  }
  if (job.scheduler !== 'systemd') {
    io.stderr(
      `bwdc-schedule: note: ${file} says scheduler ${job.scheduler ?? 'cron'}; the units are written anyway. Add 'scheduler systemd' so that check and the editor hold the schedule lines to what a timer can do.\n`,
    );
  }

  const user = job.runAs ?? io.currentUser.name;
  let home: string | undefined;
  if (job.instances.length === 0) {
    home = accountHomeSync(user);
    if (home === undefined) {
      home = user === 'root' ? '/root' : `/home/${user}`;
      io.stderr(
        `bwdc-schedule: note: the account ${user} does not exist on this machine; its home folder is taken to be ${home} (bwdc's default folder is in it).\n`,
      );
    }
  }

  let units: UnitPair;
  try {
    units = systemdUnits(job, { version, currentUser: io.currentUser.name, ...(home ? { home } : {}) });
  } catch (error) {
    if (!(error instanceof UnitError)) throw error;
    io.stderr(error.line !== undefined ? `${file}:${error.line + 1}: error timer-inexact: ${error.message}\n` : `bwdc-schedule: ${file}: ${error.message}\n`);
    return 1;
  }

  const output = stringOption(parsed, 'output');
  if (output === '-') {
    io.stdout(`# ${units.service.name}\n${units.service.text}\n# ${units.timer.name}\n${units.timer.text}`);
    return 0;
  }
  const folder = output !== undefined ? path.resolve(io.cwd, output) : path.dirname(job.scheduleFile);
  if (io.pathKind(folder) === 'file') {
    io.stderr(`bwdc-schedule: --output ${output}: is a file; name the folder the two units go to.\n`);
    return 2;
  }
  for (const unit of [units.service, units.timer]) {
    const failed = writeArtifact(io, path.join(folder, unit.name), unit.text, 'systemd-unit');
    if (failed !== undefined) return failed;
  }
  return 0;
}
