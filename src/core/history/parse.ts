import { t } from '../l10n';
import { redactSecrets } from '../redact';

/**
 * The run history, read from the sync script's log (src/core/script/bash.ts and powershell.ts
 * write it; README "The log"). One line per event, `<ISO 8601 time> [<label>] <message>`, the
 * label being the job's name for run lines and the instance's label for instance lines:
 *
 *   run started (pid N)                      a run begins (`run started in test mode (pid N)`: a test run)
 *   bwdc VERSION (PATH)                      bwdc's version, once per run
 *   instance folder: PATH                    an instance begins: its folder
 *   skipped: REASON                          why the instance is skipped (its message)
 *   STEP failed: REASON[; FIX]               a failed step (login, sync, logout; its message)
 *   bwdc: TEXT                               bwdc's own words (never taken into a message)
 *   result: synced[: G groups, U users | : nothing changed …] | failed: … | skipped: …
 *   run finished: SUMMARY; exit 0            the run's end
 *   run finished with failures: SUMMARY; exit 1
 *   run stopped: REASON; exit 1              the run's end before its instances were done
 *
 * Anything else is read past. The parse is one pass with indexOf over the text, never a
 * regular expression over a whole file, and keeps a bounded slice of each message it needs.
 *
 * A run's result: `ok` when every instance synced; `failed` when one failed, the run stopped,
 * or it was cut off (no end line, and a later run started); `skipped` when nothing failed but
 * something was skipped; `running` for the run the log ends in, without an end line; `test`
 * for a test run, whatever happened in it. A run that stopped or was cut off reports every
 * instance it did not finish (begun, or of the job and never begun) as failed, for its reason.
 * An instance's folder is the one its `instance folder:` line names, else the job's folder of
 * that label, else null (a label the job no longer has, in a log of an earlier version).
 */

export type RunResult = 'ok' | 'failed' | 'skipped' | 'running' | 'test';
export type InstanceResult = 'ok' | 'failed' | 'skipped';

/** One instance of a run, as `bwdc-schedule history --json` and `<log>.last.json` print it. */
export interface InstanceRecord {
  readonly label: string;
  readonly folder: string | null;
  readonly result: InstanceResult;
  readonly message: string | null;
  readonly users: number | null;
  readonly groups: number | null;
}

/** One run, as `bwdc-schedule history --json` and `<log>.last.json` print it. */
export interface RunRecord {
  /** The time of its `run started` line, as the log writes it (local time with its offset). */
  readonly start: string;
  /** The time of its `run finished` or `run stopped` line; null while running or when it has none. */
  readonly end: string | null;
  readonly result: RunResult;
  readonly bwdcVersion: string | null;
  readonly instances: readonly InstanceRecord[];
}

/** One log file's text; several are read oldest first (LOG.3, LOG.2, LOG.1, LOG). */
export interface LogText {
  /** What error messages call it: its path. */
  readonly name: string;
  readonly text: string;
  /** Only the file's end was read: its first line is no proof of whose file it is. */
  readonly partial?: boolean;
}

export interface HistoryOptions {
  /**
   * The instances the job syncs, in order: a line's label is matched against these first (a
   * folder's name may hold "] " itself), and a run stopped before an instance reports that
   * instance as failed. A job without instance lines has one, `default`, whose folder is null.
   */
  readonly instances?: readonly { readonly label: string; readonly folder: string | null }[];
  /** The job's name: its run lines are labelled with it. */
  readonly job?: string;
  /** How many runs to return, newest first (default: all). */
  readonly limit?: number;
  /**
   * Also keep each run's own lines, at most this many (its first and its last half), for a
   * reader who wants to see them (the editor's history). Default: none are kept.
   */
  readonly lines?: number;
  /** Also return `starts` and `firstTime`, for missed runs (missed.ts). */
  readonly traces?: boolean;
}

/** The lines of one run as the log has them: its first ones, how many were left out, its last ones. */
export interface RunLines {
  readonly head: readonly string[];
  readonly omitted: number;
  readonly tail: readonly string[];
}

export interface History {
  /** Newest first. */
  readonly runs: readonly RunRecord[];
  /** Lines that were not understood (not `<time> [<label>] <message>`, or an instance line outside a run). */
  readonly skippedLines: number;
  /** Where the first of them is (1-based line), to say where to look. */
  readonly firstSkipped?: { readonly name: string; readonly line: number };
  /** With the `lines` option: each run's lines, in the order of `runs`; what looks like a secret removed. */
  readonly lines?: readonly RunLines[];
  /** With the `traces` option: the start of every run that is not a test run, whatever the limit, in log order (what missed runs are judged by). */
  readonly starts?: readonly string[];
  /** With the `traces` option: the time of the first line read that is the script's, from when on the text speaks for the job. */
  readonly firstTime?: string;
}

export type HistoryParse = History | { readonly notOurs: string };

/** The most of a message, folder or version kept: a log line may be of any length. */
export const MESSAGE_MAX_CHARS = 1000;
const FOLDER_MAX_CHARS = 4096;
/** A label longer than this is no folder name: the line is not ours. */
const LABEL_MAX_CHARS = 4200;
/** The most of one line kept for `lines`. */
const LINE_MAX_CHARS = 2000;

interface OpenInstance {
  readonly label: string;
  folder: string | null;
  result?: InstanceResult;
  /** The text after `result: `. */
  resultText?: string;
  /** The last `skipped:` (without that word) or `STEP failed:` line. */
  reason?: string;
  users: number | null;
  groups: number | null;
}

interface OpenRun {
  readonly start: string;
  /** The job's name, as its `run started` line gives it. */
  readonly label: string;
  readonly test: boolean;
  end: string | null;
  version: string | null;
  readonly instances: OpenInstance[];
  ending?: 'finished' | 'failures' | 'stopped' | 'cut-off';
  /** Why it stopped: the `run stopped:` reason, or the last run line nobody else understood. */
  reason?: string;
  /** The last line at the job's label that is no known kind (an older script's fatal message). */
  note?: string;
  /** Its lines, with the `lines` option. */
  lines?: { head: string[]; omitted: number; tail: string[] };
}

const DIGIT = (code: number): boolean => code >= 48 && code <= 57;

/**
 * The index just after a log time at `at` (`2025-01-06T12:00:01+01:00`, PowerShell's
 * `2025-01-06T12:00:01.1234567+01:00`, or `…Z`), or -1.
 */
function stampEnd(text: string, at: number, end: number): number {
  if (end - at < 20) return -1;
  for (let i = 0; i < 19; i++) {
    const code = text.charCodeAt(at + i);
    const expected = i === 4 || i === 7 ? 45 : i === 10 ? 84 : i === 13 || i === 16 ? 58 : -1;
    if (expected === -1 ? !DIGIT(code) : code !== expected) return -1;
  }
  let i = at + 19;
  if (text.charCodeAt(i) === 46) {
    i++;
    const digits = i;
    while (i < end && DIGIT(text.charCodeAt(i)) && i - digits < 9) i++;
    if (i === digits) return -1;
  }
  const zone = text.charCodeAt(i);
  if (zone === 90) return i + 1;
  if (
    (zone === 43 || zone === 45) &&
    i + 6 <= end &&
    DIGIT(text.charCodeAt(i + 1)) &&
    DIGIT(text.charCodeAt(i + 2)) &&
    text.charCodeAt(i + 3) === 58 &&
    DIGIT(text.charCodeAt(i + 4)) &&
    DIGIT(text.charCodeAt(i + 5))
  ) {
    return i + 6;
  }
  return -1;
}

/** At most `max` characters, never half a surrogate pair, with an ellipsis when cut. */
function bounded(text: string, start: number, end: number, max = MESSAGE_MAX_CHARS): string {
  if (end - start <= max) return text.slice(start, end);
  let cut = start + max;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return `${text.slice(start, cut)}…`;
}

/** Whether `STEP failed: ` starts at `at`, STEP a word of lower-case letters. */
function isStepFailure(text: string, at: number, end: number): boolean {
  let i = at;
  while (i < end && i - at <= 12) {
    const code = text.charCodeAt(i);
    if (code < 97 || code > 122) break;
    i++;
  }
  return i > at && text.startsWith(' failed: ', i);
}

/** `G groups, U users` (what bash and PowerShell write after `synced: `). */
function counts(text: string): { users: number; groups: number } | undefined {
  const match = /^(\d{1,12}) groups, (\d{1,12}) users$/.exec(text);
  return match ? { groups: Number(match[1]), users: Number(match[2]) } : undefined;
}

/**
 * The runs in the log text (files oldest first), newest first; or which file is not a log the
 * script wrote (its first line is not one of its lines: nothing of it is read, nor echoed).
 */
export function parseHistory(logs: readonly LogText[], options: HistoryOptions = {}): HistoryParse {
  const expected = options.instances ?? [];
  const known = [...new Set([...(options.job !== undefined ? [options.job] : []), ...expected.map((instance) => instance.label), 'default'])].sort(
    (a, b) => b.length - a.length,
  );
  const folders = new Map(expected.map((instance) => [instance.label, instance.folder]));
  /** In the order they started. */
  const runs: OpenRun[] = [];
  /** The run the lines belong to. */
  let run: OpenRun | undefined;
  /**
   * The run a later start cut off, while its lines may still come: a run that started while it
   * held the log writes its lines in one piece when it ends (bash.ts, take_log), and then this
   * run goes on.
   */
  let suspended: OpenRun | undefined;
  let skippedLines = 0;
  let firstSkipped: History['firstSkipped'];
  let firstTime: string | undefined;
  const keepLines = Math.max(0, options.lines ?? 0);
  const headLines = Math.ceil(keepLines / 2);
  const tailLines = keepLines - headLines;
  /** Keeps a run's line for `lines`: the first half of them, then a window of the last. */
  const keep = (into: OpenRun, text: string, start: number, end: number): void => {
    if (keepLines === 0) return;
    const lines = (into.lines ??= { head: [], omitted: 0, tail: [] });
    if (lines.head.length < headLines) {
      lines.head.push(bounded(text, start, end, LINE_MAX_CHARS));
      return;
    }
    lines.tail.push(bounded(text, start, end, LINE_MAX_CHARS));
    if (lines.tail.length > tailLines) {
      lines.tail.shift();
      lines.omitted++;
    }
  };

  for (const log of logs) {
    const text = log.text;
    const length = text.length;
    let position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    let lineNumber = 0;
    let checkedFirst = log.partial === true;
    // The first "] " at or after the last search (-2: not searched yet, -1: there is none): each
    // line's search resumes from there, so lines without one cost one scan of the file, not one each.
    let close = -2;
    const skip = (): void => {
      skippedLines++;
      firstSkipped ??= { name: log.name, line: lineNumber };
    };

    while (position < length) {
      lineNumber++;
      let newline = text.indexOf('\n', position);
      if (newline === -1) newline = length;
      let end = newline;
      if (end > position && text.charCodeAt(end - 1) === 13) end--;
      const start = position;
      position = newline + 1;
      if (end === start) continue;

      const stamp = stampEnd(text, start, end);
      let labelEnd = -1;
      let label: string | undefined;
      if (stamp !== -1 && text.charCodeAt(stamp) === 32 && text.charCodeAt(stamp + 1) === 91) {
        const from = stamp + 2;
        for (const candidate of known) {
          if (text.startsWith(candidate, from) && text.startsWith('] ', from + candidate.length)) {
            label = candidate;
            labelEnd = from + candidate.length;
            break;
          }
        }
        if (label === undefined) {
          if (close === -2 || (close !== -1 && close < from)) close = text.indexOf('] ', from);
          if (close > from && close < end && close - from <= LABEL_MAX_CHARS) {
            labelEnd = close;
            label = text.slice(from, close);
          }
        }
      }
      if (!checkedFirst) {
        if (label === undefined) return { notOurs: log.name };
        checkedFirst = true;
      }
      if (label === undefined) {
        skip();
        continue;
      }
      firstTime ??= text.slice(start, stamp);
      const at = labelEnd + 2;

      if (text.startsWith('run started', at)) {
        if (run) {
          run.ending = 'cut-off';
          suspended = run;
        }
        run = { start: text.slice(start, stamp), label, test: text.startsWith('run started in test mode', at), end: null, version: null, instances: [] };
        runs.push(run);
        keep(run, text, start, end);
        continue;
      }
      if (!run) {
        if (!suspended) {
          skip();
          continue;
        }
        // The lines of a run that another one's cut in two: it goes on.
        run = suspended;
        run.ending = undefined;
        suspended = undefined;
      }
      keep(run, text, start, end);
      if (text.startsWith('run finished', at) || text.startsWith('run stopped: ', at)) {
        run.end = text.slice(start, stamp);
        if (text.startsWith('run stopped: ', at)) {
          run.ending = 'stopped';
          // The reason, without the closing "; exit N".
          const exit = text.lastIndexOf('; exit ', end);
          run.reason = bounded(text, at + 'run stopped: '.length, exit > at ? exit : end);
        } else {
          run.ending = text.startsWith('run finished with failures', at) ? 'failures' : 'finished';
        }
        run = undefined;
        continue;
      }
      if (text.startsWith('bwdc ', at) && text.charCodeAt(end - 1) === 41) {
        // `bwdc VERSION (PATH)`; `bwdc (version not recorded) (PATH)` when data.json has none.
        if (run.version === null) {
          const line = text.slice(at + 5, Math.min(end, at + 5 + FOLDER_MAX_CHARS + MESSAGE_MAX_CHARS));
          const open = line.indexOf(' (');
          const version = open === -1 ? '' : bounded(line, 0, open);
          run.version = version === '' || version === '(version not recorded)' ? null : version;
        }
        continue;
      }
      if (text.startsWith('bwdc: ', at)) continue;

      const instanceKind = text.startsWith('instance folder: ', at)
        ? 'folder'
        : text.startsWith('result: ', at)
          ? 'result'
          : text.startsWith('skipped: ', at)
            ? 'skipped'
            : isStepFailure(text, at, end)
              ? 'failed'
              : undefined;
      if (instanceKind === undefined) {
        // A run line no one else understands: what an older script logged when it stopped.
        if (label === run.label) run.note = bounded(text, at, end);
        continue;
      }
      let instance = run.instances.find((candidate) => candidate.label === label);
      if (!instance) {
        instance = { label, folder: folders.get(label) ?? null, users: null, groups: null };
        run.instances.push(instance);
      }
      switch (instanceKind) {
        case 'folder':
          instance.folder = bounded(text, at + 'instance folder: '.length, end, FOLDER_MAX_CHARS) || null;
          break;
        case 'skipped':
          instance.reason = bounded(text, at + 'skipped: '.length, end);
          break;
        case 'failed':
          instance.reason = bounded(text, at, end);
          break;
        case 'result': {
          const value = bounded(text, at + 'result: '.length, end);
          if (value.startsWith('synced')) {
            instance.result = 'ok';
            const found = value.startsWith('synced: nothing changed')
              ? { users: 0, groups: 0 }
              : value.startsWith('synced: ')
                ? counts(value.slice('synced: '.length))
                : undefined;
            instance.users = found?.users ?? null;
            instance.groups = found?.groups ?? null;
          } else if (value.startsWith('tested')) {
            // A test run's instance: `tested: N users (E enabled, D disabled, X deleted), G groups`.
            instance.result = 'ok';
            const found = /^tested: (\d{1,12}) users \(.*\), (\d{1,12}) groups$/.exec(value);
            instance.users = found ? Number(found[1]) : null;
            instance.groups = found ? Number(found[2]) : null;
          } else if (value.startsWith('failed')) instance.result = 'failed';
          else if (value.startsWith('skipped')) instance.result = 'skipped';
          else {
            skip();
            break;
          }
          instance.resultText = value;
          break;
        }
      }
    }
  }
  const limit = options.limit ?? runs.length;
  const records: RunRecord[] = [];
  const lines: RunLines[] = [];
  for (let index = runs.length - 1; index >= 0 && records.length < limit; index--) {
    records.push(record(runs[index]!, runs[index] === run, expected));
    if (keepLines > 0) lines.push(runLines(runs[index]!));
  }
  const traces = options.traces
    ? { starts: runs.filter((candidate) => !candidate.test).map((candidate) => candidate.start), ...(firstTime !== undefined ? { firstTime } : {}) }
    : {};
  return { runs: records, skippedLines, ...(firstSkipped ? { firstSkipped } : {}), ...(keepLines > 0 ? { lines } : {}), ...traces };
}

function runLines(run: OpenRun): RunLines {
  const kept = run.lines ?? { head: [], omitted: 0, tail: [] };
  return { head: kept.head.map(redactSecrets), omitted: kept.omitted, tail: kept.tail.map(redactSecrets) };
}

/** The message of each unfinished instance of a run that was cut off: no end line, and a later run started. */
export function cutOffReason(): string {
  return t('the run ended without a finish line: it was killed, or the machine stopped');
}

function record(run: OpenRun, open: boolean, expected: NonNullable<HistoryOptions['instances']>): RunRecord {
  const reported = run.instances.filter((instance) => instance.result !== undefined).map(instanceRecord);
  // No end line, and the last to write: still running, unless an older script logged why it stopped.
  if (open && run.note === undefined) {
    return { start: run.start, end: null, result: 'running', bwdcVersion: run.version, instances: reported };
  }
  let instances: InstanceRecord[] = reported;
  let result: RunResult;
  if (run.ending === 'stopped' || run.ending === 'cut-off' || run.ending === undefined) {
    // Every instance it did not finish, begun or not, failed for the run's reason.
    const reason = run.reason ?? run.note ?? cutOffReason();
    const message = redactSecrets(reason);
    const unfinished = run.instances.filter((instance) => instance.result === undefined);
    const unseen = expected.filter((instance) => !run.instances.some((seen) => seen.label === instance.label));
    instances = [
      ...reported,
      ...[...unfinished, ...unseen].map((instance): InstanceRecord => ({
        label: instance.label,
        folder: instance.folder,
        result: 'failed',
        message,
        users: null,
        groups: null,
      })),
    ];
    result = 'failed';
  } else if (instances.some((instance) => instance.result === 'failed')) result = 'failed';
  else if (instances.length > 0 && instances.every((instance) => instance.result === 'ok')) result = 'ok';
  else if (instances.some((instance) => instance.result === 'skipped')) result = 'skipped';
  else result = run.ending === 'failures' ? 'failed' : 'ok';
  return { start: run.start, end: run.end, result: run.test ? 'test' : result, bwdcVersion: run.version, instances };
}

function instanceRecord(instance: OpenInstance): InstanceRecord {
  // A failed or skipped instance says why; a synced one only what went wrong after (a logout).
  const fallback = instance.result === 'ok' ? undefined : instance.resultText;
  const message = instance.reason ?? fallback;
  return {
    label: instance.label,
    folder: instance.folder,
    result: instance.result!,
    message: message ? redactSecrets(message) : null,
    users: instance.users,
    groups: instance.groups,
  };
}
