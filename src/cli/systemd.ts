import * as path from 'path';
import { version } from '../../package.json';
import { systemdUnits, UnitError, type UnitPair } from '../core/systemd/units';
import { accountHomeSync } from '../host/accounts';
import { FileLocks } from '../host/lock';
import { SpawnRunner } from '../host/process';
import { LiveSystemctl, RootSystemctl, SystemctlError } from '../host/systemctl';
import { FolderUnitBackups } from '../host/unitFiles';
import {
  installSystemdTimer,
  removeSystemdTimer,
  systemdStatus,
  SystemdWorkflowError,
  machineAccounts,
  type SystemdHost,
  type SystemdStatus,
} from '../workflows/systemd';
import { parse, stringOption } from './args';
import { backupFolder } from './crontab';
import type { CliIo } from './io';
import { UsageError } from './io';
import { loadJob } from './job';
import type { SecretInput } from './secret';
import { terminalUi } from './terminal';
import { writeArtifact } from './write';

export const SYSTEMD_HELP = `Usage: bwdc-schedule systemd units FILE [--output DIR|-]
       bwdc-schedule systemd install|remove FILE [--dry-run] [--yes] [--root DIR]
       bwdc-schedule systemd status FILE [--json] [--root DIR]

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
  install  (root) shows a diff of both units in /etc/systemd/system now and
           after, asks, keeps a backup of each unit it replaces, writes both
           (mode 644, root's), reads them back, then runs systemctl
           daemon-reload and systemctl enable --now bwdc-<name>.timer. Needs
           'scheduler systemd' in the file. First writes the sync script the
           timer runs when it is missing, out of date or not run-as's (shown
           and asked); with --root it only warns (bwdc-schedule script FILE).
  remove   (root) asks, then systemctl disable --now bwdc-<name>.timer, deletes
           both unit files (backups kept) and runs systemctl daemon-reload.
  status   installed (both units as the file gives them, the timer enabled) /
           different (which lines) / not installed; with a running systemd also
           the next elapse and the last result (systemctl show). No root needed.
           --json for {"timer","service","status","enabled","units","live"}.
  A unit file of that name that bwdc Schedule did not write is never touched.

Options:
  --output DIR   units: the folder to write them to (default: beside the
                 schedule file); - prints both to stdout
  --root DIR     install, remove, status: work on the tree DIR as systemctl
                 --root does (DIR/etc/systemd/system, enabling is the
                 timers.target.wants symlink); no running systemd is asked,
                 nothing is started or reloaded, and root is not needed
  --dry-run      install, remove: show the diff, change nothing
  -y, --yes      install, remove: do not ask (check with --dry-run first)
  --json         status as JSON
  -h, --help     show this help

install and remove ask on the terminal; without one, nothing changes unless
--yes is given. Backups of replaced and removed units go to
$XDG_STATE_HOME/bwdc-schedule/systemd-backups (default
~/.local/state/bwdc-schedule/systemd-backups), the newest 20 per unit.

Exit status: 0 written, installed, removed, nothing to do, dry run or status
shown; 1 the schedule file has errors, a schedule line has no exact OnCalendar=
form (error timer-inexact), a file there is not ours, not confirmed, not root,
or systemctl failed; 2 usage error or unwritable (units).
`;

export function runSystemd(args: readonly string[], io: CliIo, input?: SecretInput): number | Promise<number> {
  const parsed = parse('systemd', args, {
    output: { type: 'string' },
    root: { type: 'string' },
    'dry-run': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
    json: { type: 'boolean' },
  });
  if (parsed.values['help']) {
    io.stdout(SYSTEMD_HELP);
    return 0;
  }
  const [action, file, ...extra] = parsed.positionals;
  if (action !== 'units' && action !== 'install' && action !== 'remove' && action !== 'status') {
    throw new UsageError(
      action === undefined
        ? 'systemd: say units, install, remove or status, and the schedule file.'
        : `systemd: unknown action '${action}'; use units, install, remove or status.`,
    );
  }
  if (file === undefined || extra.length > 0) throw new UsageError(`systemd ${action}: name exactly one schedule file.`);
  if (parsed.values['output'] !== undefined && action !== 'units') throw new UsageError(`systemd ${action}: --output belongs to systemd units.`);
  if (parsed.values['root'] !== undefined && action === 'units') throw new UsageError('systemd units: --root belongs to install, remove and status.');
  if (parsed.values['json'] !== undefined && action !== 'status') throw new UsageError(`systemd ${action}: --json belongs to systemd status.`);
  for (const flag of ['dry-run', 'yes'] as const) {
    if (parsed.values[flag] !== undefined && action !== 'install' && action !== 'remove')
      throw new UsageError(`systemd ${action}: --${flag} belongs to systemd install and remove.`);
  }
  if (action !== 'units') {
    const root = stringOption(parsed, 'root');
    const rootFolder = root === undefined ? undefined : path.resolve(io.cwd, root);
    if (rootFolder !== undefined && io.pathKind(rootFolder) !== 'directory')
      throw new UsageError(`systemd ${action}: --root ${root}: not a folder; name the tree to install into.`);
    return manageUnits(action, file, io, input, {
      ...(rootFolder !== undefined ? { root: rootFolder } : {}),
      json: parsed.values['json'] === true,
      dryRun: parsed.values['dry-run'] === true,
      yes: parsed.values['yes'] === true,
    });
  }

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

/** Where the backups of replaced and removed units go: beside the crontab backups. */
export function unitBackupFolder(env: Readonly<Record<string, string | undefined>>): string {
  return path.join(path.dirname(backupFolder(env)), 'systemd-backups');
}

/** install, remove and status: the systemd workflow, with a terminal to show and ask on. */
async function manageUnits(
  action: 'install' | 'remove' | 'status',
  file: string,
  io: CliIo,
  input: SecretInput | undefined,
  { root, json, dryRun, yes }: { root?: string; json: boolean; dryRun: boolean; yes: boolean },
): Promise<number> {
  const loaded = loadJob(file, io);
  if ('exitCode' in loaded) return loaded.exitCode;
  const job = loaded.job;
  const host: SystemdHost = {
    systemctl: root !== undefined ? new RootSystemctl(root) : new LiveSystemctl(io.runner ?? new SpawnRunner()),
    backups: new FolderUnitBackups(unitBackupFolder(io.env)),
    locks: new FileLocks(),
    currentUser: io.currentUser,
    version,
    ...machineAccounts,
    commandForAdmin: `bwdc-schedule systemd ${action} ${JSON.stringify(path.resolve(io.cwd, file))}`,
  };
  const ui = terminalUi(io, input ?? { readSecret: () => Promise.resolve('') }, yes);
  try {
    if (action === 'status') {
      const status = await systemdStatus(job, host);
      io.stdout(json ? `${JSON.stringify(status)}\n` : statusText(status, host.systemctl.unitFolder));
      return 0;
    }
    const options = { dryRun, replanIfChanged: yes };
    const outcome = action === 'install' ? await installSystemdTimer(job, host, ui, options) : await removeSystemdTimer(job.name, host, ui, options);
    if (ui.refusedForNoTerminal) {
      io.stderr(
        'bwdc-schedule: there is no terminal to ask on, so nothing was changed; add --yes to confirm (after checking the diff, e.g. with --dry-run).\n',
      );
      return 1;
    }
    if (outcome.stoppedBy === 'declined') {
      io.stderr('bwdc-schedule: not confirmed; nothing was changed.\n');
      return 1;
    }
    if (outcome.done || outcome.stoppedBy === 'dry-run') {
      io.stdout(`${outcome.message}\n`);
      return 0;
    }
    io.stderr(`bwdc-schedule: ${outcome.message}\n`);
    return 1;
  } catch (error) {
    if (error instanceof UnitError) {
      io.stderr(error.line !== undefined ? `${file}:${error.line + 1}: error timer-inexact: ${error.message}\n` : `bwdc-schedule: ${file}: ${error.message}\n`);
      return 1;
    }
    if (error instanceof SystemdWorkflowError || error instanceof SystemctlError) {
      io.stderr(`bwdc-schedule: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** `systemd status` for people: the state, the lines that differ, and what systemctl show says. */
export function statusText(status: SystemdStatus, folder: string): string {
  const lines: string[] = [];
  const summary =
    status.status === 'not-installed'
      ? 'not installed'
      : status.status === 'installed'
        ? 'installed, up to date and enabled'
        : 'installed, but different from the schedule file (run: bwdc-schedule systemd install FILE)';
  lines.push(`${status.timer} in ${folder}: ${summary}`);
  for (const unit of status.units) {
    if (unit.state === 'foreign') lines.push(`  ${unit.file}: not written by bwdc Schedule (left alone)`);
    else if (unit.state === 'missing' && status.status !== 'not-installed') lines.push(`  ${unit.file}: missing`);
    else if (unit.state === 'different') {
      lines.push(`  ${unit.file} differs:`);
      for (const line of unit.installedOnly) lines.push(`    - ${line}   (installed)`);
      for (const line of unit.expectedOnly) lines.push(`    + ${line}   (from the schedule file)`);
    }
  }
  if (status.status !== 'not-installed' && !status.enabled) lines.push(`  ${status.timer} is not enabled`);
  const live = status.live;
  if (live) {
    lines.push(`  timer: ${live.timerState ?? 'unknown'}; next elapse: ${live.nextElapse ?? 'none'}; last triggered: ${live.lastTrigger ?? 'never'}`);
    lines.push(
      `  last run: ${live.lastResult ?? 'unknown'}${live.exitStatus !== undefined ? ` (exit status ${live.exitStatus})` : ''}; service ${live.serviceState ?? 'unknown'}`,
    );
  }
  if (status.liveError) lines.push(`  systemctl show: ${status.liveError}`);
  return `${lines.join('\n')}\n`;
}
