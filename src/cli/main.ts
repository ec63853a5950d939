import { version } from '../../package.json';
import { CHECK_HELP, runCheck } from './check';
import { CRONTAB_HELP, runCrontab } from './crontab';
import { DOCTOR_HELP, runDoctor } from './doctor';
import { EXPLAIN_HELP, runExplain } from './explain';
import { HISTORY_HELP, runHistory } from './history';
import { processIo, UsageError, type CliIo } from './io';
import { NEXT_HELP, runNext } from './next';
import { SCRIPT_HELP, runScript } from './script';
import { processSecretInput, runSecret, SECRET_HELP, type SecretInput } from './secret';
import { RUN_HELP, runRun } from './run';
import { runSystemd, SYSTEMD_HELP } from './systemd';
import { runTask, TASK_HELP } from './task';
import { runTest, TEST_HELP } from './test';

const HELP = `Usage: bwdc-schedule <command> [options]

Checks and explains bwdc schedule files (*.bwdc-schedule) on servers without
an editor: the same core as the bwdc Schedule VS Code extension.

Commands:
  check FILE... [--json]            diagnostics for schedule files
  explain EXPR [--locale LL]        a cron expression in plain language
  next EXPR|FILE [--count N] [--from ISO] [--tz ZONE] [--json]
                                    the next run times, as Debian cron runs them
  script FILE [--platform P] [--output PATH|-]
                                    generate the sync script (bash or PowerShell)
  secret store FILE                 store the API key secret (read from stdin)
  crontab install|remove|status|prepare-user FILE
                                    install or remove the job in a crontab, safely
  task xml FILE [--output PATH|-] [--logon-type Password|S4U]
                                    the Windows Task Scheduler task as XML
  task install|remove|status FILE   register, remove or check the task (Windows)
  systemd units FILE [--output DIR|-]
                                    the systemd service and timer (Linux)
  systemd install|remove|status FILE [--root DIR]
                                    install, remove or check the timer (Linux)
  test FILE [--json]                run the sync script in test mode (bwdc test,
                                    nothing synced) and show what it would sync
  run FILE                          run the sync script once, now, as cron would
  history FILE [--count N] [--json]
                                    the job's runs, newest first, from its log
  doctor FILE [--json]              check everything the scheduled sync needs, with fixes

Options:
  -h, --help     help for the tool or a command (bwdc-schedule next --help)
  --version      the version

Exit status: 0 success, 1 problems found, 2 usage error or unreadable file.
`;

type Command = (args: readonly string[], io: CliIo, input: SecretInput) => number | Promise<number>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  check: { run: runCheck, help: CHECK_HELP },
  explain: { run: runExplain, help: EXPLAIN_HELP },
  next: { run: runNext, help: NEXT_HELP },
  script: { run: runScript, help: SCRIPT_HELP },
  secret: { run: runSecret, help: SECRET_HELP },
  crontab: { run: runCrontab, help: CRONTAB_HELP },
  task: { run: runTask, help: TASK_HELP },
  systemd: { run: runSystemd, help: SYSTEMD_HELP },
  history: { run: runHistory, help: HISTORY_HELP },
  test: { run: runTest, help: TEST_HELP },
  run: { run: runRun, help: RUN_HELP },
  doctor: { run: runDoctor, help: DOCTOR_HELP },
};

/** The exit code; a promise only for commands that wait on a process or on stdin. */
export function main(argv: readonly string[], io: CliIo, input: SecretInput = processSecretInput()): number | Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      io.stdout(HELP);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-v') {
      io.stdout(`${version}\n`);
      return 0;
    }
    const entry = COMMANDS[command];
    if (!entry) throw new UsageError(`unknown command '${command}'. Commands: ${Object.keys(COMMANDS).join(', ')}. See bwdc-schedule --help.`);
    if (rest.includes('--version')) {
      io.stdout(`${version}\n`);
      return 0;
    }
    const result = entry.run(rest, io, input);
    return typeof result === 'number' ? result : result.catch((error: unknown) => failure(error, io));
  } catch (error) {
    return failure(error, io);
  }
}

function failure(error: unknown, io: CliIo): number {
  if (error instanceof UsageError) {
    io.stderr(`bwdc-schedule: ${error.message}\n`);
    return 2;
  }
  // Never a stack trace for the user; BWDC_SCHEDULE_DEBUG=1 shows it for bug reports.
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`bwdc-schedule: internal error: ${message}\n`);
  if (io.env['BWDC_SCHEDULE_DEBUG'] && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return 2;
}

if (require.main === module) {
  void Promise.resolve(main(process.argv.slice(2), processIo())).then((code) => {
    process.exitCode = code;
  });
}
