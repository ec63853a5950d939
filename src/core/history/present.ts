import type { TimeZone } from '../cron/zone';
import { t } from '../l10n';
import { code, escapeMarkdown } from '../schedule/hover';
import type { MissedCheck, MissedRuns } from './missed';
import { cutOffReason, type InstanceRecord, type RunLines, type RunRecord } from './parse';

/**
 * What the editor shows of a job's runs: the status item's line, the table in the hover on the
 * `log` line, and the "Sync History" document. Pure: the runs are read elsewhere
 * (src/host/history.ts); the clock, the zone and the language are given.
 */

/** What reading a job's logs found. */
export type HistoryState =
  /** No history to read, and why, as a sentence: the file has errors, or its job runs on another kind of machine. */
  | { readonly kind: 'unavailable'; readonly reason: string }
  /** Neither the log nor a rotated log exists. */
  | { readonly kind: 'missing'; readonly log: string }
  | {
      readonly kind: 'unreadable';
      readonly log: string;
      /** The file that could not be read (the log, or a rotated one). */
      readonly file: string;
      /** Permission denied: the log is the run-as user's, mode 600. */
      readonly permission: boolean;
      /** Why, as a sentence (for the other problems: a folder, a device). */
      readonly message: string;
      /** Whose file it is: the run-as user. */
      readonly owner?: string;
    }
  /** A file at the log's path (or a rotated one) whose first line is not the script's: nothing of it was read. */
  | { readonly kind: 'not-ours'; readonly log: string; readonly file: string }
  | {
      readonly kind: 'runs';
      readonly log: string;
      /** Newest first. */
      readonly runs: readonly RunRecord[];
      /** Each run's lines, in the order of `runs`, when they were asked for. */
      readonly lines?: readonly RunLines[];
      /** Every log file was read whole: no older run was left out for the bound on reading. */
      readonly complete: boolean;
      /** Lines that were not understood (only counted when every file was read whole). */
      readonly skipped?: { readonly lines: number; readonly file: string; readonly line: number };
      /** The longest a run may take (its instances' time limits and a margin): a run without an end line that began earlier was cut off. */
      readonly longestRunMs: number;
      /** The start of every run read that is not a test run (not only of `runs`), in log order: for missed runs (missed.ts). */
      readonly starts?: readonly string[];
      /**
       * The time of the first line read: the log read speaks for the job from then on. Absent: the
       * log was read whole and nothing was ever rotated away (no LOG.1), so it speaks for all time.
       */
      readonly coveredFrom?: string;
    };

export interface HistoryPresentation {
  /** UTC milliseconds; injected so what is shown is testable. */
  readonly now: number;
  /** The zone times are shown in: the file's `timezone`, else this machine's. */
  readonly zone: TimeZone;
  readonly locale?: string;
  /** undefined: the locale's habit. */
  readonly use24HourTime?: boolean;
  /** The schedule file (its path): the command that reads the log as another user names it. */
  readonly scheduleFile: string;
  /** What starts the job, for what to check about missed runs (default cron). */
  readonly scheduler?: 'cron' | 'systemd' | 'task';
}

export type HistorySeverity = 'information' | 'warning' | 'error';

/** The status item: one short line, a detail with the whole story, and how bad it is. */
export interface HistoryStatus {
  readonly text: string;
  readonly detail: string;
  readonly severity: HistorySeverity;
}

/** A reason in the status line: up to its first "; " (what follows is the fix), at most this long. */
const BRIEF_CHARS = 60;
/** An instance's words in a table cell. */
const CELL_CHARS = 120;

/** The last sync (test runs aside), for the status item. */
export function lastRunStatus(state: HistoryState, presentation: HistoryPresentation, missed?: MissedCheck): HistoryStatus {
  return withMissedRuns(runStatus(state, presentation), state, presentation, missed);
}

function runStatus(state: HistoryState, presentation: HistoryPresentation): HistoryStatus {
  switch (state.kind) {
    case 'unavailable':
      return { text: t('last sync: unknown'), detail: state.reason, severity: 'information' };
    case 'missing':
      return {
        text: t('last sync: no runs recorded yet'),
        detail: t('{0} does not exist yet; the sync script creates it when it first runs.', state.log),
        severity: 'information',
      };
    case 'unreadable':
      return {
        text: state.permission ? t('$(lock) last sync: the log is not readable') : t('$(warning) last sync: the log cannot be read'),
        detail: unreadableDetail(state, presentation),
        severity: state.permission ? 'information' : 'warning',
      };
    case 'not-ours':
      return { text: t('$(warning) last sync: not a log of the sync script'), detail: notOursDetail(state), severity: 'warning' };
    case 'runs':
      return runsStatus(state, presentation);
  }
}

function runsStatus(state: Extract<HistoryState, { kind: 'runs' }>, presentation: HistoryPresentation): HistoryStatus {
  const run = state.runs.find((candidate) => candidate.result !== 'test');
  const from = t('Log: {0}', state.log);
  if (!run) {
    return {
      text: t('last sync: no runs recorded yet'),
      detail: state.runs.length > 0 ? t('{0} holds test runs only.', state.log) : t('{0} holds no run yet.', state.log),
      severity: 'information',
    };
  }
  const when = shortTime(run.start, presentation);
  const instances = run.instances.map(instanceLine).join(' · ');
  const detail = (...parts: string[]): string => [...parts, instances, from].filter(Boolean).join(' — ');
  const total = run.instances.length;
  const failed = run.instances.filter((instance) => instance.result === 'failed');
  const skipped = run.instances.filter((instance) => instance.result === 'skipped');
  switch (run.result) {
    case 'running': {
      const started = Date.parse(run.start);
      if (Number.isFinite(started) && presentation.now - started > state.longestRunMs) {
        return {
          text: t('$(warning) last sync {0}: cut off, no finish line', when),
          detail: detail(t('It began longer ago than its time limits allow and never wrote its end: it was killed, or the machine stopped.')),
          severity: 'warning',
        };
      }
      return { text: t('$(sync~spin) sync running since {0}', when), detail: detail(), severity: 'information' };
    }
    case 'failed': {
      if (run.end === null && failed.length > 0 && failed.every((instance) => instance.message === cutOffReason())) {
        return { text: t('$(warning) last sync {0}: cut off, no finish line', when), detail: detail(cutOffReason()), severity: 'warning' };
      }
      const text = which(failed, {
        none: () => t('$(error) last sync {0}: failed', when),
        one: (label, reason) => t('$(error) last sync {0}: {1} failed: {2}', when, label, reason ?? t('failed')),
        several: (count, reason) => t('$(error) last sync {0}: {1} of {2} failed: {3}', when, count, total, reason ?? t('failed')),
      });
      return { text, detail: detail(), severity: 'error' };
    }
    case 'skipped': {
      const text = which(skipped, {
        none: () => t('$(warning) last sync {0}: skipped', when),
        one: (label, reason) => t('$(warning) last sync {0}: {1} skipped: {2}', when, label, reason ?? t('skipped')),
        several: (count, reason) => t('$(warning) last sync {0}: {1} of {2} skipped: {3}', when, count, total, reason ?? t('skipped')),
      });
      return { text, detail: detail(), severity: 'warning' };
    }
    default: {
      const ok = run.instances.filter((instance) => instance.result === 'ok').length;
      return { text: t('$(check) last sync {0}: {1} of {2} ok', when, ok, total), detail: detail(), severity: 'information' };
    }
  }
}

/**
 * Missed runs in the status: a missed time newer than the last run is the news ("missed run Mon
 * 12:00 — is cron running?"); older ones are told in the detail of the last run's status.
 */
function withMissedRuns(status: HistoryStatus, state: HistoryState, presentation: HistoryPresentation, check: MissedCheck | undefined): HistoryStatus {
  if (!check || check.kind !== 'checked' || check.missed.count === 0) return status;
  const newest = check.missed.runs[0]!;
  const last = state.kind === 'runs' ? state.runs.find((run) => run.result !== 'test') : undefined;
  const lastStart = last ? Date.parse(last.start) : Number.NEGATIVE_INFINITY;
  const summary = missedSummary(check.missed, presentation);
  if (newest.instant > lastStart) {
    const when = shortTime(new Date(newest.instant).toISOString(), presentation);
    return {
      text:
        presentation.scheduler === 'systemd'
          ? t('$(warning) missed run {0} — is the timer active? check: bwdc-schedule doctor', when)
          : presentation.scheduler === 'task'
            ? t('$(warning) missed run {0} — is the task enabled? check: bwdc-schedule doctor', when)
            : t('$(warning) missed run {0} — is cron running? check: bwdc-schedule doctor', when),
      detail: [summary, status.detail].join(' — '),
      severity: status.severity === 'error' ? 'error' : 'warning',
    };
  }
  return { ...status, detail: [status.detail, summary].join(' — ') };
}

/** "3 runs since Dec 1, 2026, 09:01 left no trace in the log." */
function missedSummary(missed: MissedRuns, presentation: HistoryPresentation): string {
  const since = shortTime(new Date(missed.from).toISOString(), presentation);
  return missed.count === 1
    ? t('1 run of the schedule since {0} left no trace in the log.', since)
    : t('{0} runs of the schedule since {1} left no trace in the log.', missed.count, since);
}

/** What to check when runs were missed, one item each, for the Sync History. */
function missedChecks(presentation: HistoryPresentation): string[] {
  const file = presentation.scheduleFile;
  const common = [t('Was the machine off (or asleep) at those times?'), t('Does the script still exist where the job runs it (and is it executable)?')];
  switch (presentation.scheduler) {
    case 'systemd':
      return [t('Is the timer active? {0}', 'systemctl list-timers'), ...common, t('Is the job installed? {0}', `bwdc-schedule systemd status ${file}`)];
    case 'task':
      return [t('Is the task enabled, and the Task Scheduler service running?'), ...common];
    default:
      return [
        t('Is the cron daemon running? {0}', 'systemctl status cron'),
        ...common,
        t('Is the job still installed? {0}', `bwdc-schedule crontab status ${file}`),
        t('May its user use cron? {0} must not list it ({1}, if it exists, must).', '/etc/cron.deny', '/etc/cron.allow'),
      ];
  }
}

/** The "Missed runs" section of the Sync History: the times, and what to check; or why they were not checked. */
function missedSection(check: MissedCheck | undefined, presentation: HistoryPresentation): string[] {
  if (!check || check.kind === 'not-installed') return [];
  if (check.kind === 'unknown') return [escapeMarkdown(t('Missed runs were not checked: {0}.', check.reason)), ''];
  const { missed } = check;
  if (missed.count === 0) return [];
  const lines = [`## ${escapeMarkdown(t('Missed runs'))}`, '', escapeMarkdown(missedSummary(missed, presentation)), ''];
  for (const run of missed.runs.slice(0, MISSED_SHOWN)) lines.push(`- ${escapeMarkdown(fullTime(new Date(run.instant).toISOString(), presentation))}`);
  if (missed.count > MISSED_SHOWN) lines.push(`- ${escapeMarkdown(t('… and {0} more before them', missed.count - MISSED_SHOWN))}`);
  lines.push('', `**${escapeMarkdown(t('What to check'))}**`, '');
  for (const item of missedChecks(presentation)) lines.push(`- ${escapeMarkdown(item)}`);
  lines.push(`- ${escapeMarkdown(t('All of it at once: {0}', `bwdc-schedule doctor ${presentation.scheduleFile}`))}`, '');
  return lines;
}

/** The missed times the Sync History lists, the newest. */
const MISSED_SHOWN = 20;

/** Which instances failed (or were skipped), and why in short: the one, or how many with the first one's reason. */
function which(
  instances: readonly InstanceRecord[],
  say: {
    readonly none: () => string;
    readonly one: (label: string, reason: string | undefined) => string;
    readonly several: (count: number, reason: string | undefined) => string;
  },
): string {
  const first = instances[0];
  if (!first) return say.none();
  const reason = first.message === null ? undefined : brief(first.message);
  return instances.length === 1 ? say.one(first.label, reason) : say.several(instances.length, reason);
}

function unreadableDetail(state: Extract<HistoryState, { kind: 'unreadable' }>, presentation: HistoryPresentation): string {
  if (!state.permission) return state.message;
  const command = `bwdc-schedule history ${presentation.scheduleFile}`;
  return state.owner
    ? t(
        '{0} belongs to {1}, the user the job runs as, and only {1} can read it. Run "{2}" as {1} or as root to see the runs.',
        state.file,
        state.owner,
        command,
      )
    : t(
        '{0} cannot be read (permission denied): it belongs to the user the job runs as. Run "{1}" as that user or as root to see the runs.',
        state.file,
        command,
      );
}

function notOursDetail(state: Extract<HistoryState, { kind: 'not-ours' }>): string {
  return t(
    '{0} is not a log the sync script wrote (its first line is not "<time> [<label>] <message>"); nothing of it was read. Check the log line of the schedule file.',
    state.file,
  );
}

/** The hover on the `log` line: the newest runs in a table, or why there are none to show. */
export function recentRunsMarkdown(state: HistoryState, presentation: HistoryPresentation, count: number): string {
  if (state.kind !== 'runs') {
    const status = lastRunStatus(state, presentation);
    return `**${t('Recent runs')}:** ${escapeMarkdown(withoutIcons(status.text))}. ${escapeMarkdown(status.detail)}`;
  }
  if (state.runs.length === 0) return `**${t('Recent runs')}:** ${escapeMarkdown(t('{0} holds no run yet.', state.log))}`;
  const runs = state.runs.slice(0, count);
  const lines = [
    t('**Recent runs**, newest first, in {0}:', presentation.zone.name),
    '',
    `| ${t('started')} | ${t('result')} | ${t('instances')} |`,
    '|---|---|---|',
  ];
  for (const run of runs) {
    lines.push(
      `| ${escapeMarkdown(shortTime(run.start, presentation))} | ${escapeMarkdown(resultWithDuration(run))} | ${instanceCell(run.instances, ' · ')} |`,
    );
  }
  return lines.join('\n');
}

/** The "Sync History" document: a table of the runs, newest first, then each run with its log lines. */
export function historyMarkdown(state: HistoryState, presentation: HistoryPresentation, missed?: MissedCheck): string {
  const name = presentation.scheduleFile.split(/[\\/]/).pop() ?? presentation.scheduleFile;
  const lines = [`# ${escapeMarkdown(t('Sync history: {0}', name))}`, ''];
  const status = lastRunStatus(state, presentation, missed);
  if (state.kind !== 'runs') {
    lines.push(`**${escapeMarkdown(withoutIcons(status.text))}**`, '', escapeMarkdown(status.detail), '', ...missedSection(missed, presentation));
    return lines.join('\n');
  }
  lines.push(
    t('Runs newest first, from {0} and the rotated logs beside it; times in {1}.', code(state.log), presentation.zone.name),
    '',
    `**${escapeMarkdown(withoutIcons(status.text))}**`,
    '',
  );
  if (!state.complete)
    lines.push(escapeMarkdown(t('Older runs are not shown: "bwdc-schedule history {0} --count N" lists them.', presentation.scheduleFile)), '');
  if (state.skipped) {
    lines.push(
      escapeMarkdown(
        state.skipped.lines === 1
          ? t('1 line of the log was not understood and was skipped ({0}, line {1}).', state.skipped.file, state.skipped.line)
          : t(
              '{0} lines of the log were not understood and were skipped (the first: {1}, line {2}).',
              state.skipped.lines,
              state.skipped.file,
              state.skipped.line,
            ),
      ),
      '',
    );
  }
  lines.push(...missedSection(missed, presentation));
  if (state.runs.length === 0) {
    lines.push(escapeMarkdown(t('{0} holds no run yet.', state.log)), '');
    return lines.join('\n');
  }
  lines.push(`| # | ${t('started')} | ${t('result')} | ${t('took')} | bwdc | ${t('instances')} |`, '|---|---|---|---|---|---|');
  state.runs.forEach((run, index) => {
    const cells = [
      String(index + 1),
      escapeMarkdown(fullTime(run.start, presentation)),
      escapeMarkdown(resultWord(run.result)),
      escapeMarkdown(runDuration(run) ?? '–'),
      run.bwdcVersion === null ? '–' : escapeMarkdown(flat(run.bwdcVersion)),
      instanceCell(run.instances, '<br>'),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  });
  state.runs.forEach((run, index) => {
    lines.push('', `## ${index + 1} · ${escapeMarkdown(fullTime(run.start, presentation))} · ${escapeMarkdown(resultWord(run.result))}`, '');
    for (const instance of run.instances) lines.push(`- ${escapeMarkdown(instanceLine(instance))}`);
    const own = state.lines?.[index];
    if (own && own.head.length + own.tail.length > 0) {
      lines.push('', ...fenced([...own.head, ...(own.omitted > 0 ? [t('… {0} more lines …', own.omitted)] : []), ...own.tail]));
    }
  });
  lines.push('');
  return lines.join('\n');
}

/** How long a run took ("13s", "4m05s", "1h02m"), or undefined without an end line. */
export function runDuration(run: RunRecord): string | undefined {
  if (run.end === null) return undefined;
  const milliseconds = Date.parse(run.end) - Date.parse(run.start);
  if (!Number.isFinite(milliseconds) || milliseconds < 0) return undefined;
  const seconds = Math.round(milliseconds / 1000);
  return seconds < 60
    ? `${seconds}s`
    : seconds < 3600
      ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`
      : `${Math.floor(seconds / 3600)}h${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}m`;
}

function resultWord(result: RunRecord['result'] | InstanceRecord['result']): string {
  switch (result) {
    case 'ok':
      return t('ok');
    case 'failed':
      return t('failed');
    case 'skipped':
      return t('skipped');
    case 'running':
      return t('running');
    case 'test':
      return t('test run');
  }
}

function resultWithDuration(run: RunRecord): string {
  const took = runDuration(run);
  return took ? `${resultWord(run.result)} (${took})` : resultWord(run.result);
}

/** "instance-1: ok, 2 groups, 4 users", "instance-2: failed, login failed: …". */
function instanceLine(instance: InstanceRecord): string {
  const what = instanceDetails(instance);
  return flat(what ? `${instance.label}: ${resultWord(instance.result)}, ${what}` : `${instance.label}: ${resultWord(instance.result)}`);
}

/** The instances in a table cell: one a line in a document (HTML is allowed there), ` · ` between them in a hover (it is not). */
function instanceCell(instances: readonly InstanceRecord[], separator: string): string {
  return instances.length === 0 ? '–' : instances.map((instance) => escapeMarkdown(cut(instanceLine(instance), CELL_CHARS))).join(separator);
}

/** What happened to an instance besides its result: its counts, and why it failed or was skipped. */
function instanceDetails(instance: InstanceRecord): string {
  const counts =
    instance.users === null || instance.groups === null
      ? ''
      : instance.users === 0 && instance.groups === 0
        ? t('nothing changed')
        : `${instance.groups === 1 ? t('1 group') : t('{0} groups', instance.groups)}, ${instance.users === 1 ? t('1 user') : t('{0} users', instance.users)}`;
  const message = instance.message ?? '';
  return counts && message ? `${counts}; ${message}` : counts || message;
}

/** A reason's first clause, shortened. */
function brief(message: string): string {
  const clause = message.indexOf('; ');
  return cut(flat(clause > 0 ? message.slice(0, clause) : message), BRIEF_CHARS);
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** One line: control characters (a log may hold any byte) become U+FFFD. */
function flat(text: string): string {
  // eslint-disable-next-line no-control-regex -- a log line's control characters are shown, not obeyed
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g, '\uFFFD');
}

/** Log lines as a code block that none of them can end early: its fence is longer than any run of backticks in them. */
function fenced(lines: readonly string[]): string[] {
  const shown = lines.map(flat);
  const longest = Math.max(2, ...shown.map((line) => Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length))));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}text`, ...shown, fence];
}

function withoutIcons(text: string): string {
  return text.replace(/\$\([a-z0-9-~]+\)\s*/g, '');
}

const DAY = 86_400_000;
const formats = new Map<string, Intl.DateTimeFormat>();

function timeFormat(kind: 'week' | 'date' | 'full', presentation: HistoryPresentation): Intl.DateTimeFormat {
  const key = `${kind}|${presentation.zone.name}|${presentation.locale ?? ''}|${presentation.use24HourTime ?? ''}`;
  let format = formats.get(key);
  if (!format) {
    const settings: Intl.DateTimeFormatOptions =
      kind === 'week'
        ? { weekday: 'short', hour: '2-digit', minute: '2-digit' }
        : kind === 'date'
          ? { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }
          : { weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' };
    settings.timeZone = presentation.zone.name;
    if (presentation.use24HourTime !== undefined) settings.hourCycle = presentation.use24HourTime ? 'h23' : 'h12';
    try {
      format = new Intl.DateTimeFormat(presentation.locale ?? 'en', settings);
    } catch {
      format = new Intl.DateTimeFormat('en', settings);
    }
    formats.set(key, format);
  }
  return format;
}

/** "Mon 12:00" within the last six days, "Dec 4, 2026, 12:00" before; the log's text when it is no time. */
export function shortTime(iso: string, presentation: HistoryPresentation): string {
  const instant = Date.parse(iso);
  if (!Number.isFinite(instant)) return flat(iso);
  const age = presentation.now - instant;
  return timeFormat(age > -DAY && age < 6 * DAY ? 'week' : 'date', presentation).format(instant);
}

/** "Mon, 12/07/2026, 12:00:01" in the zone and the reader's language. */
function fullTime(iso: string, presentation: HistoryPresentation): string {
  const instant = Date.parse(iso);
  return Number.isFinite(instant) ? timeFormat('full', presentation).format(instant) : flat(iso);
}
