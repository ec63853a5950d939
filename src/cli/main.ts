import { version } from '../../package.json';
import { CHECK_HELP, runCheck } from './check';
import { EXPLAIN_HELP, runExplain } from './explain';
import { processIo, UsageError, type CliIo } from './io';
import { NEXT_HELP, runNext } from './next';

const HELP = `Usage: bwdc-schedule <command> [options]

Checks and explains bwdc schedule files (*.bwdc-schedule) on servers without
an editor: the same core as the bwdc Schedule VS Code extension.

Commands:
  check FILE... [--json]            diagnostics for schedule files
  explain EXPR [--locale LL]        a cron expression in plain language
  next EXPR|FILE [--count N] [--from ISO] [--tz ZONE] [--json]
                                    the next run times, as Debian cron runs them

Options:
  -h, --help     help for the tool or a command (bwdc-schedule next --help)
  --version      the version

Exit status: 0 success, 1 problems found, 2 usage error or unreadable file.
`;

const COMMANDS: Record<string, { run: (args: readonly string[], io: CliIo) => number; help: string }> = {
  check: { run: runCheck, help: CHECK_HELP },
  explain: { run: runExplain, help: EXPLAIN_HELP },
  next: { run: runNext, help: NEXT_HELP },
};

export function main(argv: readonly string[], io: CliIo): number {
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
    return entry.run(rest, io);
  } catch (error) {
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
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), processIo());
}
