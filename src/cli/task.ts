import * as path from 'path';
import { version } from '../../package.json';
import type { SyncJob } from '../core/schedule/job';
import { taskPath, taskXml, taskXmlUtf16, TaskXmlError } from '../core/task/xml';
import { SecretStoreError } from '../host/secretStore';
import { SpawnRunner } from '../host/process';
import { ScheduledTaskError, ScheduledTasks } from '../host/scheduledTask';
import { installTask, removeTask, TaskWorkflowError, taskStatus, type TaskHost } from '../workflows/task';
import { parse, stringOption } from './args';
import type { CliIo } from './io';
import { UsageError } from './io';
import { loadJob } from './job';
import type { SecretInput } from './secret';
import { terminalUi } from './terminal';
import { writeArtifact } from './write';

export const TASK_HELP = `Usage: bwdc-schedule task xml FILE [--output PATH|-] [--logon-type Password|S4U]
       bwdc-schedule task install|remove FILE [--dry-run] [--yes]
       bwdc-schedule task status FILE [--json]

Windows Task Scheduler for the job of a schedule file.

  xml      writes the task (schema 1.2): the schedule lines as exact triggers,
           run-as as the principal, the sync script run by PowerShell. A file is
           written as UTF-16 LE with a byte order mark and encoding="UTF-16", as
           schtasks /Create /XML expects; on stdout (--output -) the text is UTF-8
           and its declaration says encoding="UTF-8", so pipe it to a file only with
           a tool that keeps that true. Works on any host; a file whose platform is
           not windows gets a note on stderr (its paths are that platform's).
  install  (Windows) shows what changes (the registered task's triggers,
           principal, action and settings against the new ones, as a diff), asks,
           then registers the task as \\bwdc\\<name> for the run-as account,
           replacing an earlier one, and reads it back to check it. The run-as
           password is read from stdin (typed without echo on a terminal, or
           piped), never from the command line; PowerShell gets it on stdin too.
           Needs an elevated prompt.
  remove   (Windows) asks, then unregisters \\bwdc\\<name>, and nothing else.
           install and remove ask on the terminal; without one, nothing changes
           unless --yes is given. --dry-run only shows the diff.
  status   (Windows) installed and up to date / different / not installed;
           --json for {"task","status","different"}.
           On other systems these three explain how to do it with schtasks (exit 2).

Options:
  --output PATH        where to write the XML (default: <name>.task.xml beside
                       the schedule file); - for stdout
  --logon-type TYPE    Password (default): "Run whether user is logged on or not",
                       the password is stored at registration. S4U stores none but
                       cannot read a dpapi: secret.
  --dry-run            install: show the diff, change nothing
  -y, --yes            install, remove: do not ask (for scripts; check with
                       --dry-run first)
  --json               status as JSON
  -h, --help           show this help

Exit status: 0 written, installed, removed (or nothing to remove) or status shown;
1 the schedule file has errors, a schedule line has no exact trigger, or Task
Scheduler refused (access denied, unknown account, wrong password, read-back
differs); 2 usage error, unwritable, or install/remove/status on another system.
`;

const LOGON_TYPES = ['Password', 'S4U'] as const;
type LogonType = (typeof LOGON_TYPES)[number];

export function runTask(args: readonly string[], io: CliIo, input?: SecretInput): number | Promise<number> {
  const parsed = parse('task', args, {
    output: { type: 'string' },
    'logon-type': { type: 'string' },
    json: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
  });
  if (parsed.values['help']) {
    io.stdout(TASK_HELP);
    return 0;
  }
  const [action, file, ...extra] = parsed.positionals;
  if (action !== 'xml' && action !== 'install' && action !== 'remove' && action !== 'status') {
    throw new UsageError(
      action === undefined
        ? 'task: say xml, install, remove or status, and the schedule file.'
        : `task: unknown action '${action}'; use xml, install, remove or status.`,
    );
  }
  if (file === undefined || extra.length > 0) throw new UsageError(`task ${action}: name exactly one schedule file.`);
  if (parsed.values['json'] !== undefined && action !== 'status') throw new UsageError(`task ${action}: --json belongs to task status.`);
  if (parsed.values['dry-run'] !== undefined && action !== 'install') throw new UsageError(`task ${action}: --dry-run belongs to task install.`);
  if (parsed.values['yes'] !== undefined && action !== 'install' && action !== 'remove')
    throw new UsageError(`task ${action}: --yes belongs to task install and remove.`);
  if (action !== 'xml') {
    if (parsed.values['output'] !== undefined || parsed.values['logon-type'] !== undefined)
      throw new UsageError(`task ${action}: --output and --logon-type belong to task xml.`);
    if (io.hostPlatform !== 'windows') return notAvailable(action, file, io);
    return onWindows(action, file, io, input, {
      json: parsed.values['json'] === true,
      dryRun: parsed.values['dry-run'] === true,
      yes: parsed.values['yes'] === true,
    });
  }

  const logonText = stringOption(parsed, 'logon-type');
  if (logonText !== undefined && !(LOGON_TYPES as readonly string[]).includes(logonText)) {
    throw new UsageError(`task xml: --logon-type must be Password or S4U, not '${logonText}'.`);
  }
  const logonType = logonText as LogonType | undefined;
  const loaded = loadJob(file, io);
  if ('exitCode' in loaded) return loaded.exitCode;
  const job = loaded.job;
  if (logonType === 'S4U' && job.secret.scheme === 'dpapi') {
    io.stderr(
      `bwdc-schedule: ${file}: a task with logon type S4U cannot read a 'dpapi:' secret (S4U has no DPAPI keys); use --logon-type Password, or another secret source.\n`,
    );
    return 1;
  }

  let xml: string;
  try {
    xml = taskXml(job, { version, ...(logonType ? { logonType } : {}) });
  } catch (error) {
    if (!(error instanceof TaskXmlError)) throw error;
    io.stderr(error.line !== undefined ? `${file}:${error.line + 1}: error task-inexact: ${error.message}\n` : `bwdc-schedule: ${file}: ${error.message}\n`);
    return 1;
  }
  if (job.platform !== 'windows') {
    io.stderr(
      `bwdc-schedule: note: ${file} says platform ${job.platform}; the task is for Windows Task Scheduler and names this file's ${job.platform} paths (script ${job.script}). Set 'platform windows' for a task to import.\n`,
    );
  }

  const output = stringOption(parsed, 'output');
  if (output === '-') {
    io.stdout(xml.replace(/^<\?xml version="1\.0" encoding="UTF-16"\?>/, '<?xml version="1.0" encoding="UTF-8"?>'));
    return 0;
  }
  const target = output !== undefined ? path.resolve(io.cwd, output) : defaultXmlPath(job);
  return writeArtifact(io, target, Buffer.from(taskXmlUtf16(xml)), 'task-xml') ?? 0;
}

/** `<name>.task.xml` beside the schedule file. */
export function defaultXmlPath(job: Pick<SyncJob, 'name' | 'scheduleFile'>): string {
  return path.join(path.dirname(job.scheduleFile), `${job.name}.task.xml`);
}

/** install, remove and status: what to do instead, with the real names when the file is valid. */
function notAvailable(action: 'install' | 'remove' | 'status', file: string, io: CliIo): number {
  // Quietly: the point here is the how-to, not the file's diagnostics (task xml shows them).
  const loaded = loadJob(file, { ...io, stderr: () => undefined });
  const job = 'job' in loaded ? loaded.job : undefined;
  const name = job ? taskPath(job) : '\\bwdc\\<name>';
  const xmlFile = job ? `${job.name}.task.xml` : '<name>.task.xml';
  const runAs = job?.runAs ?? '<run-as>';
  const how =
    action === 'install'
      ? [
          `bwdc-schedule task xml ${file}`,
          `then, on the Windows machine, in an elevated prompt (asks for the password):`,
          `  schtasks /Create /XML "${xmlFile}" /TN "${name}" /RU ${runAs} /RP *`,
        ]
      : action === 'remove'
        ? [`on the Windows machine, in an elevated prompt:`, `  schtasks /Delete /TN "${name}" /F`]
        : [`on the Windows machine:`, `  schtasks /Query /TN "${name}" /V /FO LIST`];
  io.stderr(`bwdc-schedule: task ${action} needs Windows (Task Scheduler); this machine runs ${io.hostPlatform}. To do it by hand:\n  ${how.join('\n  ')}\n`);
  return 2;
}

/** install, remove and status on Windows: the Task Scheduler workflow, with a terminal to show and ask on. */
async function onWindows(
  action: 'install' | 'remove' | 'status',
  file: string,
  io: CliIo,
  input: SecretInput | undefined,
  { json, dryRun, yes }: { json: boolean; dryRun: boolean; yes: boolean },
): Promise<number> {
  const loaded = loadJob(file, io);
  if ('exitCode' in loaded) return loaded.exitCode;
  const job = loaded.job;
  const host: TaskHost = { tasks: new ScheduledTasks(io.runner ?? new SpawnRunner()), version, pathKind: io.pathKind };
  const ui = terminalUi(io, input ?? { readSecret: () => Promise.resolve('') }, yes);
  try {
    if (action === 'status') {
      const status = await taskStatus(job, host);
      if (json) {
        io.stdout(`${JSON.stringify(status)}\n`);
      } else {
        const text =
          status.status === 'not-installed'
            ? 'not installed'
            : status.status === 'installed'
              ? 'installed and up to date'
              : `installed, but its ${status.different.join(', ')} differ from the schedule file (run: bwdc-schedule task install FILE)`;
        io.stdout(`${status.task} in Task Scheduler: ${text}\n`);
      }
      return 0;
    }
    const outcome = action === 'install' ? await installTask(job, host, ui, { dryRun }) : await removeTask(job, host, ui, { dryRun });
    if (ui.refusedForNoTerminal) {
      io.stderr(
        'bwdc-schedule: there is no terminal to ask on, so nothing was changed; add --yes to confirm (after checking the diff, e.g. with --dry-run).\n',
      );
      return 1;
    }
    if (outcome.stoppedBy === 'dry-run') return 0;
    if (outcome.stoppedBy === 'declined') {
      io.stderr('bwdc-schedule: not confirmed; nothing was changed.\n');
      return 1;
    }
    io.stdout(`${outcome.message}\n`);
    return outcome.done ? 0 : 1;
  } catch (error) {
    if (error instanceof TaskXmlError) {
      io.stderr(error.line !== undefined ? `${file}:${error.line + 1}: error task-inexact: ${error.message}\n` : `bwdc-schedule: ${file}: ${error.message}\n`);
      return 1;
    }
    if (error instanceof ScheduledTaskError || error instanceof TaskWorkflowError || error instanceof SecretStoreError) {
      io.stderr(`bwdc-schedule: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
