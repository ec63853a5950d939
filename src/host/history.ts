import { historyOptions, logFiles } from '../core/history/job';
import { parseHistory, type LogText } from '../core/history/parse';
import type { HistoryState } from '../core/history/present';
import type { SyncJob } from '../core/schedule/job';
import { fileHead, TextFileError, textFileError } from './files';
import { readLogTail } from './logFile';

export interface HistoryRequest {
  /** How many runs, newest first. */
  readonly runs: number;
  /** Also each run's lines, at most this many per run. */
  readonly lines?: number;
  /** The most bytes read of all the job's logs together (default HISTORY_MAX_BYTES). */
  readonly maxBytes?: number;
}

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
  let found: HistoryState | undefined;
  for (const budget of [...new Set([Math.min(HISTORY_FIRST_BYTES, maxBytes), maxBytes])]) {
    found = readWithin(job, request, budget);
    if (found.kind !== 'runs' || found.complete || found.runs.length >= request.runs) return found;
  }
  return found!;
}

function readWithin(job: SyncJob, request: HistoryRequest, budget: number): HistoryState {
  const logs: LogText[] = [];
  let left = budget;
  let complete = true;
  // Newest first: the log, then LOG.1, LOG.2, LOG.3, while the bound allows.
  for (const file of logFiles(job).reverse()) {
    if (left <= 0) {
      complete = false;
      break;
    }
    let tail;
    try {
      tail = readLogTail(file, left);
    } catch (error) {
      const problem = error instanceof TextFileError ? error : textFileError(file, error);
      if (problem.problem === 'missing') continue;
      return {
        kind: 'unreadable',
        log: job.log,
        file,
        permission: problem.problem === 'permission',
        message: problem.message,
        ...(job.runAs !== undefined ? { owner: job.runAs } : {}),
      };
    }
    if (tail.partial && !startsLikeOurs(file, job)) return { kind: 'not-ours', log: job.log, file };
    logs.unshift({ name: file, text: tail.text, partial: tail.partial });
    left -= Buffer.byteLength(tail.text);
    if (tail.partial) {
      complete = false;
      break;
    }
  }
  if (logs.length === 0) return { kind: 'missing', log: job.log };
  const history = parseHistory(logs, { ...historyOptions(job, request.runs), ...(request.lines ? { lines: request.lines } : {}) });
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
  };
}

/** Whether a file's first line is one the script writes (read alone when only the end of the file was). */
function startsLikeOurs(file: string, job: SyncJob): boolean {
  const head = fileHead(file);
  if (head === undefined || head === 'not-a-file') return false;
  const newline = head.indexOf('\n');
  // A first line longer than the head is judged by its start: the time and the label.
  const first = newline === -1 ? head : head.slice(0, newline + 1);
  return !('notOurs' in parseHistory([{ name: file, text: first }], historyOptions(job)));
}
