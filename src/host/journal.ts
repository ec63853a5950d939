import type * as childProcess from 'child_process';
import type { LogTail } from './logFile';

/**
 * The journal of a job's service, for the run history of a `scheduler systemd` job whose log
 * file is absent: under systemd the script prints every line it logs to stdout too (bash.ts,
 * `log`), which is the journal, so `journalctl -u bwdc-<name>.service -o cat` gives the log's
 * lines as the script wrote them and the history parser reads them unchanged.
 */

/** How many of the newest journal lines are asked for: hundreds of runs, and never more than a few MB. */
const JOURNAL_LINES = 20_000;

/**
 * The last `maxBytes` of the unit's journal messages, starting at a line; undefined when
 * journalctl is not there, fails (no journal, no permission: only root and the groups
 * systemd-journal and adm read the system journal) or has nothing. Synchronous and bounded
 * (lines, bytes, 5 s), like the log read it stands in for.
 */
export function readJournalTail(unit: string, maxBytes: number, run: typeof childProcess.spawnSync = defaultSpawnSync()): LogTail | undefined {
  const result = run('journalctl', ['--unit', unit, '--output', 'cat', '--no-pager', '--lines', String(JOURNAL_LINES)], {
    encoding: 'utf8',
    timeout: 5000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, SYSTEMD_PAGER: '', LC_ALL: 'C' },
  });
  if (result.error || result.status !== 0) return undefined;
  return journalTail(String(result.stdout ?? ''), maxBytes);
}

/** The journal text cut to its last `maxBytes`, at a line start; undefined for "-- No entries --" or nothing. */
export function journalTail(text: string, maxBytes: number): LogTail | undefined {
  // journalctl says so in a line of its own when the unit logged nothing (older versions on stdout).
  const lines = text.replace(/^-- No entries --\n?/m, '');
  if (lines.trim() === '') return undefined;
  const bytes = Buffer.from(lines, 'utf8');
  if (bytes.length <= maxBytes) return { text: lines, partial: false };
  const cut = bytes.subarray(bytes.length - maxBytes);
  const newline = cut.indexOf(0x0a);
  return { text: cut.subarray(newline + 1).toString('utf8'), partial: true };
}

function defaultSpawnSync(): typeof childProcess.spawnSync {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at first use, not during activation
  return (require('child_process') as typeof childProcess).spawnSync;
}
