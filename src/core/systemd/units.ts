import * as path from 'path';
import type { CronExpression } from '../cron/parse';
import { t } from '../l10n';
import { UNIT_MARK } from '../origin';
import { taskTimeLimitSeconds } from '../task/xml';
import { cronToCalendar } from './calendar';

/**
 * The systemd service and timer for a sync job: `bwdc-<name>.service` runs the generated script
 * once (Type=oneshot) as the run-as user, `bwdc-<name>.timer` starts it on the OnCalendar= lines
 * of calendar.ts. Pure text: the CLI writes it (`bwdc-schedule systemd units`), and
 * test/unit/systemd/units.test.ts has `systemd-analyze verify` check every pair.
 *
 * Hardening that leaves bwdc working: NoNewPrivileges=, PrivateTmp=, and ProtectSystem=strict
 * (the whole file system read-only) with ReadWritePaths= for what a run writes:
 * - each instance folder: bwdc's data.json (2026.6 writes `.data.json.tmp` and renames it, and
 *   takes a `data.json.lock` folder beside it: strace of bwdc 2026.4.0 and 2026.6.1 built from
 *   source, `config server`, which wrote nothing else, not even under HOME), and the script's
 *   lock file `.bwdc-schedule.lock`;
 * - without instance lines, bwdc's default folders (BWDC-FACTS §2.5): the run-as user's
 *   `~/.config/Bitwarden Directory Connector` and `bitwarden-connector-appdata` beside bwdc;
 * - the log's folder: the log, its rotated copies and `<log>.last.json`.
 * Each path is marked optional (`-`): a missing instance folder makes the script skip that
 * instance with a message, instead of the service failing before it starts. The script's
 * temporary files go to the private /tmp. The packaged bwdc binaries (pkg up to 2026.4, Node SEA
 * from 2026.6) were not traced here.
 *
 * A `file:` secret is handed over with LoadCredential=: systemd (running as root) reads the file
 * and gives the service a private copy in $CREDENTIALS_DIRECTORY, which the script prefers; so
 * the file may stay readable by root only.
 */

/** What the units are made from: the parts of a sync job they need (a SyncJob is one). */
export interface UnitJob {
  readonly name: string;
  readonly scheduleFile: string;
  readonly schedules: readonly { readonly text: string; readonly expression: CronExpression; readonly line: number }[];
  readonly timezone?: string;
  readonly runAs?: string;
  readonly bwdc: string;
  readonly secret: { readonly scheme: string; readonly target: string };
  readonly instances: readonly string[];
  readonly log: string;
  readonly script: string;
  readonly timeoutSeconds: number;
  /** The `catch-up` line; undefined: yes. */
  readonly catchUp?: boolean;
  /** The `random-delay` line, in seconds. */
  readonly randomDelaySeconds?: number;
}

export interface UnitOptions {
  /** The generator's version, named in the header comment. */
  readonly version: string;
  /** The account the service runs as when the file has no `run-as` line (whoever writes the units); root gets no User=. */
  readonly currentUser?: string;
  /** The home folder of the account the service runs as: bwdc's default folder is in it when there are no instance lines. */
  readonly home?: string;
}

export interface UnitFile {
  /** `bwdc-<name>.service` or `.timer`. */
  readonly name: string;
  readonly text: string;
}

export interface UnitPair {
  readonly service: UnitFile;
  readonly timer: UnitFile;
}

export class UnitError extends Error {
  constructor(
    message: string,
    /** The schedule file line (0-based) at fault, when one is. */
    readonly line?: number,
  ) {
    super(message);
    this.name = 'UnitError';
  }
}

export function unitNames(job: Pick<UnitJob, 'name'>): { readonly service: string; readonly timer: string } {
  return { service: `bwdc-${job.name}.service`, timer: `bwdc-${job.name}.timer` };
}

/** The OnCalendar= values of all of a job's schedule lines, duplicates removed; UnitError if one cannot be exact. */
export function jobCalendarLines(job: Pick<UnitJob, 'schedules' | 'timezone'>): string[] {
  const lines: string[] = [];
  for (const schedule of job.schedules) {
    const plan = cronToCalendar(schedule.expression, job.timezone ? { timezone: job.timezone } : {});
    if (!plan.exact) throw new UnitError(t("schedule '{0}' (line {1}): {2}", schedule.text, schedule.line + 1, plan.reason), schedule.line);
    for (const line of plan.lines) if (!lines.includes(line)) lines.push(line);
  }
  return lines;
}

export function systemdUnits(job: UnitJob, options: UnitOptions): UnitPair {
  const calendar = jobCalendarLines(job);
  const names = unitNames(job);
  const header = [
    `${UNIT_MARK} ${options.version} from ${oneLine(job.scheduleFile)}.`,
    '# Change the schedule file and generate the units again instead of editing this file.',
  ];
  const user = job.runAs ?? options.currentUser;
  const service = [
    ...header,
    '[Unit]',
    // The unit files do not depend on the language of whoever generates them.
    `Description=bwdc sync ${job.name}`,
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=oneshot',
    ...(user && user !== 'root' ? [`User=${user}`] : []),
    `ExecStart=${quoteCommand(job.script)}`,
    // A backstop: the script itself stops a hung bwdc after each instance's `timeout`.
    `TimeoutStartSec=${timespan(taskTimeLimitSeconds(job))}`,
    ...(job.secret.scheme === 'file' ? [`LoadCredential=client_secret:${escapeSpecifiers(job.secret.target)}`] : []),
    'NoNewPrivileges=yes',
    'PrivateTmp=yes',
    'ProtectSystem=strict',
    ...writablePaths(job, options).map((folder) => `ReadWritePaths=${quoteWord(`-${folder}`)}`),
    '',
  ];
  const timer = [
    ...header,
    '[Unit]',
    `Description=bwdc sync ${job.name}: when it runs`,
    '',
    '[Timer]',
    ...calendar.map((line) => `OnCalendar=${line}`),
    // cron starts a job within its minute; systemd's default accuracy would allow a minute late.
    'AccuracySec=1s',
    `Persistent=${job.catchUp === false ? 'false' : 'true'}`,
    ...(job.randomDelaySeconds ? [`RandomizedDelaySec=${timespan(job.randomDelaySeconds)}`] : []),
    `Unit=${names.service}`,
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ];
  return { service: { name: names.service, text: service.join('\n') }, timer: { name: names.timer, text: timer.join('\n') } };
}

/** The folders a run writes to (see the module comment), without repeats. */
export function writablePaths(job: Pick<UnitJob, 'instances' | 'log' | 'bwdc'>, options: Pick<UnitOptions, 'home'>): string[] {
  const folders: string[] = [...job.instances];
  if (job.instances.length === 0) {
    if (options.home === undefined)
      throw new UnitError(t("The service needs the run-as user's home folder, where bwdc keeps its data without instance lines; add instance lines."));
    folders.push(path.posix.join(options.home, '.config', 'Bitwarden Directory Connector'));
    folders.push(path.posix.join(path.posix.dirname(job.bwdc), 'bitwarden-connector-appdata'));
  }
  folders.push(path.posix.dirname(job.log));
  return folders.map((folder) => folder.replace(/\/+$/, '') || '/').filter((folder, index, all) => all.indexOf(folder) === index);
}

/** A systemd time span: 2400 → `40min`, 5400 → `1h 30min`, 45 → `45s`. */
export function timespan(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const parts = [hours ? `${hours}h` : '', minutes ? `${minutes}min` : '', rest ? `${rest}s` : ''].filter(Boolean);
  return parts.join(' ') || '0';
}

/** `%` starts a specifier in most unit settings. */
function escapeSpecifiers(text: string): string {
  return text.replace(/%/g, '%%');
}

/** One word of a space-separated list setting (ReadWritePaths=), quoted: blanks, quotes and backslashes kept. */
function quoteWord(word: string): string {
  return `"${escapeSpecifiers(word).replace(/[\\"]/g, '\\$&')}"`;
}

/**
 * The program of ExecStart=, quoted. systemd refuses an executable name with a quote or a
 * backslash ("Executable name contains special characters"); `$` is literal in it.
 */
function quoteCommand(program: string): string {
  if (/["'\\]/.test(program)) {
    throw new UnitError(
      t('The script path {0} contains a quote or a backslash, which systemd does not accept in ExecStart=; set a `script` path without them.', program),
    );
  }
  return quoteWord(program);
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
