import * as os from 'os';
import * as path from 'path';
import { CrontabTextError } from '../core/crontab/block';
import { assertCronPlatform, removeCrontab, installCrontab, crontabStatus, prepareUser, type WorkflowHost } from '../workflows/crontab';
import { CrontabError, FolderBackups } from '../host/crontab';
import { FileLocks } from '../host/lock';
import { SpawnRunner } from '../host/process';
import { version } from '../../package.json';
import { parse, stringOption } from './args';
import type { CliIo } from './io';
import { UsageError } from './io';
import { loadJob } from './job';
import type { SecretInput } from './secret';
import { terminalUi } from './terminal';

export const CRONTAB_HELP = `Usage: bwdc-schedule crontab <action> ...

  install FILE [--dry-run] [--yes]         add or update the job's block in the crontab of
                                           the file's run-as user (writes the sync script
                                           first if it is missing or out of date)
  remove FILE|--name NAME [--user USER] [--dry-run] [--yes]
                                           remove the job's block, and nothing else
  status FILE [--json]                     installed and up to date / different / not installed
  prepare-user FILE [--dry-run] [--yes]    make sure the run-as user exists and may use cron

Every change is shown as a diff first and needs a yes: typed on a terminal, or --yes
(without a terminal and without --yes, nothing is written). --dry-run only shows it.
Which crontab: yours when run-as is you or absent; run-as's when you are root;
otherwise the command to run as an admin is printed. A backup of the previous crontab
is kept in $XDG_STATE_HOME/bwdc-schedule/crontab-backups (default
~/.local/state/bwdc-schedule/crontab-backups).

Exit status: 0 done (or nothing to do), 1 refused or not confirmed, 2 usage error.
`;

export function backupFolder(env: Readonly<Record<string, string | undefined>>): string {
  const state = env['XDG_STATE_HOME'] || path.join(env['HOME'] || os.homedir(), '.local', 'state');
  return path.join(state, 'bwdc-schedule', 'crontab-backups');
}

export async function runCrontab(args: readonly string[], io: CliIo, input: SecretInput): Promise<number> {
  const parsed = parse('crontab', args, {
    'dry-run': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
    json: { type: 'boolean' },
    name: { type: 'string' },
    user: { type: 'string' },
  });
  if (parsed.values['help']) {
    io.stdout(CRONTAB_HELP);
    return 0;
  }
  const [action, file, ...extra] = parsed.positionals;
  if (!action || !['install', 'remove', 'status', 'prepare-user'].includes(action)) {
    throw new UsageError('crontab: say install, remove, status or prepare-user (bwdc-schedule crontab --help).');
  }
  if (extra.length > 0) throw new UsageError(`crontab ${action}: unexpected '${extra.join(' ')}'.`);
  const host: WorkflowHost = {
    runner: new SpawnRunner(),
    currentUser: io.currentUser,
    backups: new FolderBackups(backupFolder(io.env)),
    locks: new FileLocks(),
    version,
    commandForAdmin:
      `bwdc-schedule crontab ${action} ${file ? JSON.stringify(path.resolve(io.cwd, file)) : `--name ${stringOption(parsed, 'name') ?? ''}`}`.trim(),
  };
  const ui = terminalUi(io, input, parsed.values['yes'] === true);
  const options = { dryRun: parsed.values['dry-run'] === true, replanIfChanged: parsed.values['yes'] === true };
  try {
    if (action === 'remove' && !file) {
      const name = stringOption(parsed, 'name');
      if (!name) throw new UsageError('crontab remove: name the schedule file or give --name NAME.');
      const outcome = await removeCrontab(name, stringOption(parsed, 'user'), host, ui, options);
      return report(outcome, io, ui.refusedForNoTerminal);
    }
    if (!file) throw new UsageError(`crontab ${action}: name the schedule file.`);
    const loaded = loadJob(file, io);
    if ('exitCode' in loaded) return loaded.exitCode;
    const job = loaded.job;
    switch (action) {
      case 'install':
        return report(await installCrontab(job, host, ui, options), io, ui.refusedForNoTerminal);
      case 'remove':
        assertCronPlatform(job);
        return report(await removeCrontab(job.name, job.runAs, host, ui, options), io, ui.refusedForNoTerminal);
      case 'prepare-user':
        return report(await prepareUser(job, host, ui, options), io, ui.refusedForNoTerminal);
      default: {
        const status = await crontabStatus(job, host);
        if (parsed.values['json']) {
          io.stdout(
            `${JSON.stringify({ installed: status.installed, upToDate: status.upToDate, user: status.user, lines: status.lines, ...(status.damage ? { damaged: status.damage } : {}) })}\n`,
          );
        } else {
          const text =
            status.state === 'damaged'
              ? `damaged: ${status.damage}`
              : !status.installed
                ? 'not installed'
                : status.upToDate
                  ? 'installed and up to date'
                  : 'installed, but different from the schedule file (run: bwdc-schedule crontab install FILE)';
          io.stdout(`${job.name} in the crontab of ${status.user}: ${text}\n`);
          for (const line of status.lines) io.stdout(`  ${line}\n`);
        }
        return 0;
      }
    }
  } catch (error) {
    // CrontabTextError: a hand-damaged block, or a script path no crontab line can hold.
    if (error instanceof CrontabError || error instanceof CrontabTextError) {
      io.stderr(`bwdc-schedule: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function report(outcome: { done: boolean; message: string }, io: CliIo, refusedForNoTerminal: boolean): number {
  if (refusedForNoTerminal) {
    io.stderr(
      'bwdc-schedule: there is no terminal to ask on, so nothing was written; add --yes to confirm (after checking the diff above, e.g. with --dry-run).\n',
    );
    return 1;
  }
  io.stdout(`${outcome.message}\n`);
  return outcome.done ? 0 : outcome.message.startsWith('Dry run') ? 0 : 1;
}
