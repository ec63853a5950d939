import { historyOptions, logFiles } from '../core/history/job';
import { parseHistory, type LogText } from '../core/history/parse';
import type { HistoryState } from '../core/history/present';
import type { SyncJob } from '../core/schedule/job';
import { fileHead, TextFileError, textFileError } from './files';
import { readJournalTail } from './journal';
import { readLogTail, type LogTail } from './logFile';

export interface HistoryRequest {
  /** How many runs, newest first. */
  readonly runs: number;
  /** Also each run's lines, at most this many per run. */
  readonly lines?: number;
  /** The most bytes read of all the job's logs together (default HISTORY_MAX_BYTES). */
  readonly maxBytes?: number;
  /** The most bytes read of any one log (default: only maxBytes bounds it). */
  readonly fileMaxBytes?: number;
  /** How the logs are read (default: from disk); the CLI passes its own, so its tests run in memory. */
  readonly reader?: HistoryReader;
  /** Told of each log of which only its last fileMaxBytes were read, in the read that was kept. */
  readonly onFileCut?: (file: string, readBytes: number) => void;
}

/** The two ways the history reads a log file. */
export interface HistoryReader {
  /** The last maxBytes of a file (host/logFile readLogTail); throws TextFileError or an errno error. */
  readonly readLog: (file: string, maxBytes: number) => LogTail;
  /** A file's first bytes (host/files fileHead), to judge a log whose end was read alone. */
  readonly readHead: (file: string) => string | 'not-a-file' | undefined;
  /**
   * The last maxBytes of a systemd unit's journal (host/journal readJournalTail), read for a
   * `scheduler systemd` job whose log files are all absent; undefined when there is none.
   */
  readonly readJournal?: (unit: string, maxBytes: number) => LogTail | undefined;
}

const DISK: HistoryReader = { readLog: readLogTail, readHead: (file) => fileHead(file), readJournal: (unit, maxBytes) => readJournalTail(unit, maxBytes) };

/** The editor reads at most the newest 8 MB of a job's logs (the script rotates at 5 MB). */
export const HISTORY_MAX_BYTES = 8 * 1024 * 1024;
/** What it reads first: a few dozen runs, so a status refresh stays well under a millisecond or two. */
export const HISTORY_FIRST_BYTES = 64 * 1024;
/** Beyond its instances' time limits, what a run may take (the data.json checks, the lock, a slow disk). */
const RUN_MARGIN_MS = 10 * 60_000;

/**
 * The newest runs of a job, for the editor: the end of the log first (64 KB, a few dozen runs),
 * and only when that holds fewer runs than asked, up to `maxBytes` of the log and the rotated
 * logs before it. Synchronous and bounded: it never reads more than `maxBytes`, never waits on
 * a FIFO, and of a log whose end was read alone checks the first line, so a file that is not
 * the script's is named and never shown.
 */
export function readHistory(job: SyncJob, request: HistoryRequest): HistoryState {
  const maxBytes = request.maxBytes ?? HISTORY_MAX_BYTES;
  let found: { readonly state: HistoryState; readonly cut: readonly (readonly [string, number])[] } | undefined;
  for (const budget of [...new Set([Math.min(HISTORY_FIRST_BYTES, maxBytes), maxBytes])]) {
    found = readWithin(job, request, budget);
    const { state } = found;
    if (state.kind !== 'runs' || state.complete || state.runs.length >= request.runs) break;
  }
  for (const [file, bytes] of found!.cut) request.onFileCut?.(file, bytes);
  return found!.state;
}

function readWithin(
  job: SyncJob,
  request: HistoryRequest,
  budget: number,
): { readonly state: HistoryState; readonly cut: readonly (readonly [string, number])[] } {
  const reader = request.reader ?? DISK;
  const fileMaxBytes = request.fileMaxBytes ?? Number.POSITIVE_INFINITY;
  const logs: LogText[] = [];
  /** The logs cut for their own bound (not the budget's), with how much of each was read. */
  const cut: [string, number][] = [];
  let left = budget;
  let complete = true;
  // Newest first: the log, then LOG.1, LOG.2, LOG.3, while the bound allows.
  for (const file of logFiles(job).reverse()) {
    if (left <= 0) {
      complete = false;
      break;
    }
    let tail;
    const wanted = Math.min(left, fileMaxBytes);
    try {
      tail = reader.readLog(file, wanted);
    } catch (error) {
      const problem = error instanceof TextFileError ? error : textFileError(file, error);
      if (problem.problem === 'missing') continue;
      const state: HistoryState = {
        kind: 'unreadable',
        log: job.log,
        file,
        permission: problem.problem === 'permission',
        message: problem.message,
        ...(job.runAs !== undefined ? { owner: job.runAs } : {}),
      };
      return { state, cut: [] };
    }
    if (tail.partial && !startsLikeOurs(file, job, reader)) return { state: { kind: 'not-ours', log: job.log, file }, cut: [] };
    logs.unshift({ name: file, text: tail.text, partial: tail.partial });
    left -= Buffer.byteLength(tail.text);
    if (tail.partial) {
      if (wanted === fileMaxBytes) cut.push([file, fileMaxBytes]);
      complete = false;
      break;
    }
  }
  if (logs.length === 0 && job.scheduler === 'systemd' && reader.readJournal) {
    // No log file: under systemd the script's lines are in the journal too (host/journal.ts).
    const unit = `bwdc-${job.name}.service`;
    const journal = reader.readJournal(unit, budget);
    if (journal) {
      logs.push({ name: `journalctl -u ${unit}`, text: journal.text, partial: journal.partial });
      complete = !journal.partial;
    }
  }
  return { state: parsed(job, request, logs, complete), cut };
}

function parsed(job: SyncJob, request: HistoryRequest, logs: readonly LogText[], complete: boolean): HistoryState {
  if (logs.length === 0) return { kind: 'missing', log: job.log };
  const history = parseHistory(logs, { ...historyOptions(job, request.runs), ...(request.lines ? { lines: request.lines } : {}), traces: true });
  if ('notOurs' in history) return { kind: 'not-ours', log: job.log, file: history.notOurs };
  return {
    kind: 'runs',
    log: job.log,
    runs: history.runs,
    ...(history.lines ? { lines: history.lines } : {}),
    complete,
    // Of a log read from a cut, the lines before its first run are no news.
    ...(complete && history.firstSkipped ? { skipped: { lines: history.skippedLines, file: history.firstSkipped.name, line: history.firstSkipped.line } } : {}),
    longestRunMs: job.timeoutSeconds * 1000 * Math.max(1, job.instances.length) + RUN_MARGIN_MS,
    ...(history.starts ? { starts: history.starts } : {}),
    // The log alone, read whole: nothing was ever rotated away, it speaks for all the time before
    // it too (no coveredFrom). Otherwise from its first line on.
    ...(history.firstTime !== undefined && !(complete && logs.length === 1 && logs[0]!.name === job.log) ? { coveredFrom: history.firstTime } : {}),
  };
}

/** Whether a file's first line is one the script writes (read alone when only the end of the file was). */
function startsLikeOurs(file: string, job: SyncJob, reader: HistoryReader): boolean {
  const head = reader.readHead(file);
  if (head === undefined || head === 'not-a-file') return false;
  const newline = head.indexOf('\n');
  // A first line longer than the head is judged by its start: the time and the label.
  const first = newline === -1 ? head : head.slice(0, newline + 1);
  return !('notOurs' in parseHistory([{ name: file, text: first }], historyOptions(job)));
}
