import { describeCron, explainFields } from '../cron/describe';
import { formatRun, wallClock } from '../cron/format';
import { nextRuns, type Run } from '../cron/next';
import { parseCron, type CalendarCron, type CronExpression, type CronField } from '../cron/parse';
import { canonicalZoneName, TimeZone } from '../cron/zone';
import { cronToCalendar, timerDstDifferences } from '../systemd/calendar';
import { cronToTriggers, describeTrigger } from '../task/triggers';
import { t } from '../l10n';
import { containsPosition, range, type Position, type Range } from '../text';
import type { PathKind } from '../diagnostic';
import { effectivePlatform, effectiveScheduler } from './diagnose';
import { DIRECTIVE_BY_KEY, KNOWN_ENV, type Platform } from './directives';
import { parseSchedule, type Directive, type ScheduleDocument } from './parse';
import { isAbsoluteFor, pathApi, resolveInstanceFolder } from './paths';
import { parseNotify, pingUrls } from './notify';
import { parseSecretSource, redactSecrets } from './secret';

export interface HoverOptions {
  readonly locale?: string;
  readonly use24HourTime?: boolean;
  readonly nextRunCount: number;
  /** UTC milliseconds; injected so hovers are testable. */
  readonly now: number;
  readonly hostZone: string;
  readonly hostPlatform: Platform;
  readonly scheduleFile?: string;
  readonly pathKind?: (path: string) => PathKind;
  /** Markdown describing an instance folder's data.json (never a secret); undefined when unreadable. */
  readonly describeInstance?: (dataJson: string) => string | undefined;
}

export interface HoverResult {
  readonly markdown: string;
  readonly range: Range;
}

export function scheduleHover(input: string | ScheduleDocument, position: Position, options: HoverOptions): HoverResult | undefined {
  const hover = hoverAt(input, position, options);
  // A hover quotes values; none may show what looks like a secret.
  return hover && { ...hover, markdown: redactSecrets(hover.markdown) };
}

function hoverAt(input: string | ScheduleDocument, position: Position, options: HoverOptions): HoverResult | undefined {
  const document = typeof input === 'string' ? parseSchedule(input) : input;
  const directive = document.directives.find((d) => d.line === position.line);
  if (!directive) return undefined;
  if (containsPosition(directive.keyRange, position)) {
    const markdown = directiveHover(directive.key);
    return markdown ? { markdown, range: directive.keyRange } : undefined;
  }
  if (!containsPosition(directive.valueRange, position) || directive.value.length === 0) return undefined;
  switch (directive.key) {
    case 'schedule':
      return cronHover(document, directive, position, options);
    case 'secret':
      return secretHover(directive);
    case 'timezone':
      return timezoneHover(document, directive, options);
    case 'instance':
      return instanceHover(document, directive, options);
    case 'env':
      return envHover(directive);
    case 'notify':
      return notifyHover(directive);
    default:
      return undefined;
  }
}

export function directiveHover(key: string): string | undefined {
  const info = DIRECTIVE_BY_KEY.get(key);
  if (!info) return undefined;
  const count = info.required
    ? info.repeatable
      ? t('required, one or more lines')
      : t('required, once')
    : info.repeatable
      ? t('optional, any number of lines')
      : t('optional, at most once');
  return [`**${info.key}** — ${count}`, '', info.summary, '', `${t('Default:')} ${info.defaultText}`, '', `${t('Example:')} ${code(info.example)}`].join('\n');
}

/** The zone next runs are shown in: the file's `timezone` when valid, else this machine's. */
export function displayZone(document: ScheduleDocument, hostZone: string): { zone: TimeZone; fromFile: boolean } {
  const value = document.directives.find((d) => d.key === 'timezone')?.value;
  const zone = value && canonicalZoneName(value) ? TimeZone.get(value) : undefined;
  return zone ? { zone, fromFile: true } : { zone: TimeZone.get(hostZone) ?? TimeZone.get('UTC')!, fromFile: false };
}

function cronHover(document: ScheduleDocument, directive: Directive, position: Position, options: HoverOptions): HoverResult {
  const valueStart = directive.valueRange.start.character;
  const parsed = parseCron(directive.value);
  const expression = parsed.expression;
  if (!expression) {
    const problem = parsed.problems.find((p) => p.severity === 'error')!;
    return { markdown: `$(error) ${escapeMarkdown(problem.message)}`, range: directive.valueRange };
  }
  const describeOptions = {
    ...(options.locale ? { locale: options.locale } : {}),
    ...(options.use24HourTime !== undefined ? { use24HourTime: options.use24HourTime } : {}),
  };
  const description = describeCron(expression, describeOptions);
  const lines: string[] = [];
  if (description.reboot) lines.push(`**${t('Runs at boot')}:** ${escapeMarkdown(description.text)}`);
  else if (description.never) lines.push(`**${t('Never runs.')}** ${escapeMarkdown(description.neverReason ?? description.text)}`);
  else lines.push(`**${escapeMarkdown(description.text)}**`);
  for (const note of description.notes) lines.push('', `$(info) ${escapeMarkdown(note)}`);
  const platform = effectivePlatform(document, options.hostPlatform);
  if (platform === 'windows') lines.push('', taskSchedulerLine(expression));
  if (platform === 'linux' && effectiveScheduler(document, platform) === 'systemd') lines.push(...systemdTimerLines(document, expression, options));

  let hoverRange = directive.valueRange;
  if (expression.kind === 'calendar') {
    const hovered = fieldAt(expression, position.character - valueStart);
    if (hovered && !expression.macro) hoverRange = range(directive.line, valueStart + hovered.start, valueStart + hovered.end);
    lines.push('', `| ${t('field')} | ${t('value')} | ${t('meaning')} |`, '|---|---|---|');
    for (const row of explainFields(expression, describeOptions)) {
      const mark = row.field === hovered && !expression.macro;
      const label = mark ? `**▶ ${row.label}**` : row.label;
      const meaning = mark ? `**${escapeTable(row.meaning)}**` : escapeTable(row.meaning);
      lines.push(`| ${label} | ${code(row.field.text)} | ${meaning} |`);
    }
    if (!description.never) {
      const { zone, fromFile } = displayZone(document, options.hostZone);
      const runs = nextRuns(expression, options.now, options.nextRunCount, zone);
      lines.push(
        '',
        fromFile
          ? t('**Next {0} runs** in {1} (the `timezone` line):', runs.length, zone.name)
          : t("**Next {0} runs** in {1} (this machine's time zone):", runs.length, zone.name),
      );
      const formatOptions = {
        ...(options.locale ? { locale: options.locale } : {}),
        ...(options.use24HourTime !== undefined ? { use24HourTime: options.use24HourTime } : {}),
      };
      for (const run of runs) lines.push(`- ${formatRun(run, zone, formatOptions)}${runNote(run)}`);
    }
  }
  return { markdown: lines.join('\n'), range: hoverRange };
}

/** The Task Scheduler triggers a line becomes on Windows, or why it cannot become any. */
function taskSchedulerLine(expression: CronExpression): string {
  const plan = cronToTriggers(expression);
  return plan.exact
    ? `**${t('Task Scheduler:')}** ${plan.triggers.map((trigger) => escapeMarkdown(describeTrigger(trigger))).join(' + ')}`
    : `**${t('Task Scheduler:')}** $(error) ${escapeMarkdown(plan.reason)}`;
}

/** How many of the timer's DST differences a hover lists. */
const DST_DIFFERENCES_SHOWN = 4;
const YEAR = 366 * 24 * 3_600_000;

/**
 * The OnCalendar= lines a line becomes with `scheduler systemd` (or why it cannot become any),
 * that the timer follows the `timezone` line, and the runs of the next 12 months in which it
 * does not do what cron does: on the days the clocks change (core/systemd/calendar.ts).
 */
function systemdTimerLines(document: ScheduleDocument, expression: CronExpression, options: HoverOptions): string[] {
  const timezone = timezoneLine(document);
  const plan = cronToCalendar(expression, timezone ? { timezone } : {});
  if (!plan.exact) return plan.code === 'never-fires' ? [] : ['', `**${t('systemd timer:')}** $(error) ${escapeMarkdown(plan.reason)}`];
  const lines = ['', `**${t('systemd timer:')}**`, ...plan.lines.map((line) => `- ${code(`OnCalendar=${line}`)}`)];
  if (timezone) {
    lines.push(
      '',
      t(
        "The timer follows the `timezone` line: it runs on {0}'s clock whatever zone the machine is set to. cron cannot do this; it always uses the machine's zone.",
        timezone,
      ),
    );
  }
  const { zone } = displayZone(document, options.hostZone);
  const differences = timerDstDifferences(expression, zone, options.now, options.now + YEAR);
  if (differences.length > 0) {
    const formatOptions = {
      ...(options.locale ? { locale: options.locale } : {}),
      ...(options.use24HourTime !== undefined ? { use24HourTime: options.use24HourTime } : {}),
    };
    lines.push('', t('$(warning) On the days the clocks change in {0}, the timer does not run as cron does:', zone.name));
    for (const run of differences.slice(0, DST_DIFFERENCES_SHOWN)) lines.push(`- ${formatRun(run, zone, formatOptions)} — ${timerDifferenceNote(run)}`);
    if (differences.length > DST_DIFFERENCES_SHOWN) lines.push(`- ${t('and {0} more', differences.length - DST_DIFFERENCES_SHOWN)}`);
  }
  return lines;
}

function timerDifferenceNote(run: Run): string {
  return run.note === 'dst-repeated'
    ? t('cron runs this wildcard job again in the repeated hour ({0} comes twice); the timer runs each time of day once', wallClock(run.wall))
    : t('cron starts the job late for {0}, a time the clocks skip; the timer skips that time', wallClock(run.wall));
}

/** The `timezone` line's zone, canonical, when it names one. */
function timezoneLine(document: ScheduleDocument): string | undefined {
  const value = document.directives.find((d) => d.key === 'timezone')?.value;
  return value ? canonicalZoneName(value) : undefined;
}

function fieldAt(cron: CalendarCron, offset: number): CronField | undefined {
  return [cron.minute, cron.hour, cron.dayOfMonth, cron.month, cron.dayOfWeek].find((field) => offset >= field.start && offset <= field.end);
}

function runNote(run: Run): string {
  switch (run.note) {
    case 'dst-skipped':
      return run.starts
        ? ` — ${t('{0} and later times do not exist that day (clocks go forward); when they jump, cron catches up on them, starting the job {1} times this minute, 10 s apart', wallClock(run.wall), run.starts)}`
        : ` — ${t('{0} does not exist that day (clocks go forward); cron runs the job when they jump', wallClock(run.wall))}`;
    case 'dst-catch-up':
      return run.starts
        ? ` — ${t('late: cron is still catching up on the times the clocks skipped, one start every 10 s; {0} starts this minute, from the one for {1}', run.starts, wallClock(run.wall))}`
        : ` — ${t('late: cron is still catching up on the times the clocks skipped, one start every 10 s; this start is the one for {0}', wallClock(run.wall))}`;
    case 'dst-repeated':
      return ` — ${t('{0} happens twice (clocks go back); this wildcard job runs again', wallClock(run.wall))}`;
    case 'dst-once':
      return ` — ${t('{0} happens twice (clocks go back); cron runs it only the first time', wallClock(run.wall))}`;
    default:
      return '';
  }
}

function secretHover(directive: Directive): HoverResult | undefined {
  const source = parseSecretSource(directive.value);
  if (!source) return undefined;
  const target = code(source.target);
  const texts: Record<typeof source.scheme, string> = {
    file: t(
      'At run time the script reads the first line of {0} with a shell builtin (no other process sees it), refuses to run if the file is readable by anyone but its owner or not owned by the run-as user, and hands the secret to bwdc only as BW_CLIENTSECRET in the environment of the bwdc processes.',
      target,
    ),
    env: t(
      'The script expects the secret in the environment variable {0}, set by whatever starts it (cron or Task Scheduler), passes it to bwdc as BW_CLIENTSECRET and removes it from its own environment. Never put the value in the crontab.',
      target,
    ),
    keychain: t(
      'The script reads the generic password of service {0} from the login keychain with `security find-generic-password -w`. Under cron the keychain is often locked, so this works reliably only while the user is logged in; prefer `file:` on headless Macs.',
      target,
    ),
    dpapi: t(
      'The script decrypts {0} with Import-Clixml. DPAPI ties the file to the run-as user on this machine, so store it as that user; the task must run with a stored password (logon type Password), because S4U cannot decrypt it.',
      target,
    ),
  };
  return { markdown: `**${source.scheme}:** — ${texts[source.scheme]}`, range: directive.valueRange };
}

function timezoneHover(document: ScheduleDocument, directive: Directive, options: HoverOptions): HoverResult {
  const zone = TimeZone.get(directive.value);
  if (!zone) return { markdown: t("'{0}' is not a known IANA time zone.", escapeMarkdown(directive.value)), range: directive.valueRange };
  const formatted = formatRun({ instant: options.now, wall: zone.wallAt(options.now) }, zone, {
    ...(options.locale ? { locale: options.locale } : {}),
    ...(options.use24HourTime !== undefined ? { use24HourTime: options.use24HourTime } : {}),
  });
  const lines = [`**${zone.name}** — ${t('now {0}', formatted)}`];
  const platform = effectivePlatform(document, options.hostPlatform);
  if (platform === 'linux' && effectiveScheduler(document, platform) === 'systemd') {
    lines.push(
      '',
      t("The systemd timer follows this zone: its OnCalendar= lines name it, so the job runs on {0}'s clock whatever zone the machine is set to.", zone.name),
    );
  } else if (zone.name !== options.hostZone && canonicalZoneName(options.hostZone) !== zone.name) {
    lines.push(
      '',
      t(
        "This machine's zone is {0}. cron always uses the zone of the machine it runs on; this line only sets the zone the next runs are shown in.",
        options.hostZone,
      ),
    );
  }
  return { markdown: lines.join('\n'), range: directive.valueRange };
}

function instanceHover(document: ScheduleDocument, directive: Directive, options: HoverOptions): HoverResult {
  const platform = effectivePlatform(document, options.hostPlatform);
  const resolved = resolveInstanceFolder(platform, options.scheduleFile, directive.value);
  const lines = [`**${t('Instance folder')}** ${code(resolved)}`, '', t('Synced with BITWARDENCLI_CONNECTOR_APPDATA_DIR set to this folder.')];
  // A relative path of an unsaved file has no folder to resolve against: nothing to look up.
  if (options.pathKind && platform === options.hostPlatform && isAbsoluteFor(platform, resolved)) {
    const kind = options.pathKind(resolved);
    const dataJsonPath = pathApi(platform).join(resolved, 'data.json');
    const dataJson = kind === 'directory' ? options.pathKind(dataJsonPath) : 'missing';
    lines.push(
      '',
      kind !== 'directory'
        ? t('The folder does not exist on this machine.')
        : dataJson === 'file'
          ? t('data.json is present.')
          : t('The folder has no data.json yet.'),
    );
    const description = dataJson === 'file' ? options.describeInstance?.(dataJsonPath) : undefined;
    if (description) lines.push('', '---', '', description);
  }
  return { markdown: lines.join('\n'), range: directive.valueRange };
}

/** What the script does with a `notify` line, with the exact URLs it requests. */
function notifyHover(directive: Directive): HoverResult | undefined {
  const target = parseNotify(directive.value);
  if (!target) return undefined;
  if (target.kind === 'exec') {
    return {
      markdown: `**exec:** — ${t(
        'After a failed run (never after a successful one or a test run) the script runs {0} with the failure summary — what cron mails — on its stdin, and BWDC_SYNC_JOB and BWDC_SYNC_LOG in its environment. It is stopped after 60 seconds; if it fails, the log says so.',
        code(target.path),
      )}`,
      range: directive.valueRange,
    };
  }
  const urls = pingUrls(target.url);
  return {
    markdown: [
      `**ping:** — ${t('A healthchecks.io-style monitor. Each run sends an HTTP POST with curl (or wget), the text as its body, never the secret:')}`,
      '',
      `- ${t('when it starts: {0}', code(urls.start))}`,
      `- ${t('when it succeeds: {0} (the summary)', code(urls.success))}`,
      `- ${t('when it fails: {0} (what cron mails)', code(urls.failure))}`,
      '',
      t('At most 10 seconds per try, retried twice if it fails fast; a ping that fails is logged and never changes the run. Test runs ping nothing.'),
    ].join('\n'),
    range: directive.valueRange,
  };
}

/** What a well-known variable does for bwdc (plaintext mode: why a cron job needs it). */
function envHover(directive: Directive): HoverResult | undefined {
  const name = directive.value.slice(0, Math.max(0, directive.value.indexOf('=')));
  const known = KNOWN_ENV.find((variable) => variable.name === name);
  if (!known) return undefined;
  return { markdown: `${code(name)} — ${known.summary}`, range: directive.valueRange };
}

export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\|/g, '\\|')}${pad}${fence}`;
}

export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]<>()#+!|~])/g, '\\$1');
}

function escapeTable(text: string): string {
  return escapeMarkdown(text);
}
