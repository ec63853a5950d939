import { dayCombination, isFull, neverFires } from '../cron/analyze';
import { parseCron, type CronExpression } from '../cron/parse';
import { canonicalZoneName, knownZoneNames } from '../cron/zone';
import type { Diagnostic, PathKind, QuickFix, TextEdit } from '../diagnostic';
import { MAX_TIMEOUT_SECONDS, MIN_TIMEOUT_SECONDS, parseDuration } from '../duration';
import { writtenByUs } from '../origin';
import { closestMatches, editDistance } from '../suggest';
import { cronToCalendar } from '../systemd/calendar';
import { cronToTriggers, MAX_TRIGGERS } from '../task/triggers';
import { t } from '../l10n';
import { range, type Range } from '../text';
import {
  defaultScheduler,
  DIRECTIVES,
  DIRECTIVE_BY_KEY,
  isReservedSecretVariable,
  KNOWN_ENV,
  MANAGED_ENV,
  PLATFORMS,
  READ_ONLY_SHELL_VARIABLES,
  SCHEDULERS,
  schedulerRunsOn,
  type DirectiveKey,
  type Platform,
  type Scheduler,
} from './directives';
import { notifyDiagnostics, parseNotify } from './notify';
import { parseSchedule, type Directive, type ScheduleDocument } from './parse';
import { isAbsoluteFor, logPathFor, pathApi, resolveFor, resolveInstanceFolder, samePath, scriptPathFor } from './paths';
import { findSecretToken, isSecretVariableName, looksLikeApiSecret, parseSecretSource, redactSecrets, SCHEME_PLATFORMS } from './secret';
import { isNativeModuleName, isPackagedExecutable } from '../bwdcBinary';

// Re-exported for the importers that predate the leaf module.

export type ScheduleDiagnostic = Diagnostic;

export interface DiagnoseContext {
  /** Absolute path of the schedule file, to resolve relative paths; undefined when unsaved. */
  readonly scheduleFile?: string;
  /** The OS we run on: the default `platform`, and whether paths can be checked here. */
  readonly hostPlatform: Platform;
  /** Looks paths up on this machine; omitted, nothing is checked on disk. */
  readonly pathKind?: (path: string) => PathKind;
  /** A file's first bytes as text (undefined: no file; 'not-a-file': a folder or device), to tell who wrote it. */
  readonly readHead?: (path: string) => string | 'not-a-file' | undefined;
  /** The names in a folder, or undefined when it cannot be listed. */
  readonly listFolder?: (path: string) => readonly string[] | undefined;
}

export const DIAGNOSTIC_SOURCE = 'bwdc-schedule';

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const CLIENT_ID_PATTERN = new RegExp(`^organization\\.${UUID}$`);
const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
// eslint-disable-next-line no-control-regex -- the control characters a value may not hold
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const PATH_KEYS: ReadonlySet<string> = new Set(['bwdc', 'instance', 'log', 'script', 'secret', 'notify']);

/** Everything wrong with a schedule file, as diagnostics with stable codes and exact ranges. */
export function diagnoseSchedule(input: string | ScheduleDocument, context: DiagnoseContext): ScheduleDiagnostic[] {
  const document = typeof input === 'string' ? parseSchedule(input) : input;
  const diagnostics: ScheduleDiagnostic[] = [];
  // Every message passes here: none may carry what looks like a secret, whatever it quotes.
  const report = (diagnostic: ScheduleDiagnostic): void => {
    diagnostics.push({ ...diagnostic, message: redactSecrets(diagnostic.message) });
  };

  checkLines(document, report);
  const platform = effectivePlatform(document, context.hostPlatform);
  const checker = new DirectiveChecker(context, platform, effectiveScheduler(document, platform), timezoneOf(document), report);

  const firstByKey = new Map<string, Directive>();
  for (const directive of document.directives) {
    const info = DIRECTIVE_BY_KEY.get(directive.key);
    if (!info) {
      // A secret pasted on a line of its own, or as `BW_CLIENTSECRET=…` / `client_secret …`, reads
      // as a key: report it as a secret, never as an unknown directive that would quote it.
      if (secretInKey(directive.key)) {
        checker.literalSecret(directive.keyRange);
        continue;
      }
      report(unknownDirective(directive));
      if (
        !checker.secretInValue(directive) &&
        isSecretVariableName(directive.key.replace(/[=:]$/, '')) &&
        directive.value.replace(/^[=:][ \t]*/, '').length > 0
      ) {
        checker.literalSecret(directive.valueRange);
      }
      continue;
    }
    const first = firstByKey.get(directive.key);
    if (first && !info.repeatable) {
      report({
        range: directive.keyRange,
        severity: 'error',
        code: 'duplicate-directive',
        message: t("'{0}' may appear only once; line {1} already sets it.", directive.key, first.line + 1),
        related: [{ range: first.keyRange, message: t('first set here') }],
        fixes: [{ title: t('Remove this line'), edits: [{ range: wholeLine(directive.line), newText: '' }], preferred: true }],
      });
      continue;
    }
    if (!first) firstByKey.set(directive.key, directive);
    if (directive.value.length === 0) {
      report({
        range: directive.keyRange,
        severity: 'error',
        code: 'missing-value',
        message: t("'{0}' needs a value, for example: {1}", directive.key, info.example),
      });
      continue;
    }
    if (directive.comment && PATH_KEYS.has(directive.key) && /^#[^\s#]/.test(directive.comment.text) && !findSecretToken(directive.comment.text)) {
      report({
        range: directive.comment.range,
        severity: 'warning',
        code: 'ambiguous-comment',
        message: t(
          "' #' starts a comment, so the value is '{0}'. If '{1}' belongs to the path, it cannot be written in format v1: rename the folder. If it is a comment, put a space after '#'.",
          directive.value,
          directive.comment.text,
        ),
      });
    }
  }

  for (const directive of document.directives) {
    if (directive.value.length === 0 || !DIRECTIVE_BY_KEY.has(directive.key)) continue;
    checker.check(directive);
  }
  checker.pathConflicts(document);
  checker.keyring(document);

  // Appended after the last line, which need not end with a line break.
  const lastLine = document.lineCount - 1;
  const endOfDocument = range(lastLine, document.lines[lastLine]!.length, document.lines[lastLine]!.length);
  const endsWithLineBreak = document.lines[lastLine]!.length === 0;
  for (const info of DIRECTIVES) {
    if (info.required && !firstByKey.has(info.key)) {
      report({
        range: range(0, 0, document.lines[0]?.length ?? 0),
        severity: 'error',
        code: 'missing-directive',
        message: t("The required '{0}' line is missing, for example: {1}", info.key, info.example),
        fixes: [{ title: t("Add '{0}'", info.example), edits: [{ range: endOfDocument, newText: `${endsWithLineBreak ? '' : '\n'}${info.example}\n` }] }],
      });
    }
  }
  diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return diagnostics;
}

/** The `scheduler` value when valid, else the platform's default. */
export function effectiveScheduler(document: ScheduleDocument, platform: Platform): Scheduler {
  const value = document.directives.find((directive) => directive.key === 'scheduler')?.value;
  return SCHEDULERS.find((scheduler) => scheduler === value) ?? defaultScheduler(platform);
}

/** The `timezone` value when it names a zone, canonical. */
function timezoneOf(document: ScheduleDocument): string | undefined {
  const value = document.directives.find((directive) => directive.key === 'timezone')?.value;
  return value ? canonicalZoneName(value) : undefined;
}

/** The `platform` value when valid, else the host's. */
export function effectivePlatform(document: ScheduleDocument, host: Platform): Platform {
  const value = document.directives.find((directive) => directive.key === 'platform')?.value;
  return PLATFORMS.find((platform) => platform === value) ?? host;
}

function checkLines(document: ScheduleDocument, report: (d: ScheduleDiagnostic) => void): void {
  document.lines.forEach((text, line) => {
    const control = CONTROL_CHARACTER.exec(text);
    if (control) {
      const code = control[0].charCodeAt(0);
      report({
        range: range(line, control.index, control.index + 1),
        severity: 'error',
        code: 'control-character',
        message: t(
          'A control character (U+{0}) is not allowed here: it would end up in the generated script. Delete it.',
          code.toString(16).toUpperCase().padStart(4, '0'),
        ),
        fixes: [{ title: t('Delete the control character'), edits: [{ range: range(line, control.index, control.index + 1), newText: '' }], preferred: true }],
      });
    }
  });
  const trailing = document.directives.flatMap((directive) => (directive.comment ? [{ line: directive.line, ...directive.comment }] : []));
  for (const comment of [...document.comments, ...trailing]) {
    const token = findSecretToken(comment.text);
    if (token) {
      const start = comment.range.start.character + token[0];
      report({
        range: range(comment.line, start, start + token[1] - token[0]),
        severity: 'error',
        code: 'literal-secret',
        message: t(
          'This looks like an API secret. Never keep secrets in the schedule file, not even in a comment: remove it and store it where the `secret` line points (see "bwdc: Store Client Secret").',
        ),
      });
    }
  }
}

/** A key that holds a secret: a pasted one, or `NAME=value` with a secret token or a secret-sounding name. */
function secretInKey(key: string): boolean {
  if (looksLikeApiSecret(key) || findSecretToken(key)) return true;
  const assignment = /^([A-Za-z_][A-Za-z0-9_.-]*)[=:](.+)$/.exec(key);
  return assignment !== null && isSecretVariableName(assignment[1]!);
}

/** At most this much of an unknown key is quoted back. */
const QUOTED_KEY_MAX = 40;

function unknownDirective(directive: Directive): ScheduleDiagnostic {
  const keys = DIRECTIVES.map((info) => info.key);
  const suggestions = closestMatches(directive.key, keys);
  const known = keys.join(', ');
  const distance = (key: string): number => editDistance(directive.key.toLowerCase(), key);
  const quotedKey = directive.key.length > QUOTED_KEY_MAX ? `${directive.key.slice(0, QUOTED_KEY_MAX)}…` : directive.key;
  return {
    range: directive.keyRange,
    severity: 'error',
    code: 'unknown-directive',
    message:
      suggestions.length > 0
        ? t("Unknown directive '{0}'. Did you mean '{1}'?", quotedKey, suggestions[0]!)
        : t("Unknown directive '{0}'. Known directives: {1}.", quotedKey, known),
    fixes: suggestions.map((suggestion, index) => ({
      title: t("Change to '{0}'", suggestion),
      edits: [{ range: directive.keyRange, newText: suggestion }],
      // The one safe fix: the only suggestion, or one clearly closer than the next (`shedule`: schedule, not scheduler).
      preferred: index === 0 && (suggestions.length === 1 || distance(suggestion) < distance(suggestions[1]!)),
    })),
  };
}

/** An edit that adds a line after `line`, also when that is the last line and has no line break. */
function insertLineAfter(document: ScheduleDocument, line: number, text: string): TextEdit {
  if (line + 1 < document.lineCount) return { range: range(line + 1, 0, 0), newText: `${text}\n` };
  const end = document.lines[line]!.length;
  return { range: range(line, end, end), newText: `\n${text}` };
}

function wholeLine(line: number): Range {
  return { start: { line, character: 0 }, end: { line: line + 1, character: 0 } };
}

class DirectiveChecker {
  private readonly instances = new Map<string, Directive>();
  private readonly envNames = new Map<string, Directive>();
  private readonly schedules = new Map<string, Directive>();
  /** The distinct Task Scheduler triggers of the schedule lines checked so far (windows only). */
  private readonly taskTriggers = new Set<string>();
  private taskLimitReported = false;
  /** The `notify` values seen so far, to warn about a repeated one. */
  private readonly notifyValues = new Map<string, Directive>();

  constructor(
    private readonly context: DiagnoseContext,
    private readonly platform: Platform,
    private readonly scheduler: Scheduler,
    private readonly timezoneName: string | undefined,
    private readonly report: (d: ScheduleDiagnostic) => void,
  ) {}

  check(directive: Directive): void {
    // secret, client-id and env look for secrets themselves, with messages of their own.
    if (!['secret', 'client-id', 'env'].includes(directive.key) && this.secretInValue(directive)) return;
    switch (directive.key as DirectiveKey) {
      case 'name':
        return this.name(directive);
      case 'schedule':
        return this.schedule(directive);
      case 'timezone':
        return this.timezone(directive);
      case 'platform':
        return this.platformValue(directive);
      case 'run-as':
        return this.runAs(directive);
      case 'bwdc':
        return this.bwdc(directive);
      case 'client-id':
        return this.clientId(directive);
      case 'secret':
        return this.secret(directive);
      case 'instance':
        return this.instance(directive);
      case 'env':
        return this.env(directive);
      case 'log':
      case 'script':
        return this.path(directive);
      case 'timeout':
        return this.timeout(directive);
      case 'scheduler':
        return this.schedulerValue(directive);
      case 'catch-up':
        return this.catchUp(directive);
      case 'random-delay':
        return this.randomDelay(directive);
      case 'notify':
        return this.notify(directive);
    }
  }

  private notify(directive: Directive): void {
    const target = parseNotify(directive.value);
    if (target?.kind === 'exec') {
      const pathRange = range(directive.line, directive.valueRange.start.character + 'exec:'.length, directive.valueRange.end.character);
      if (this.tildeOrEmpty(directive, target.path, pathRange)) return;
    }
    const problems = notifyDiagnostics(directive, this.platform, (path) => this.lookUp(path));
    for (const problem of problems) this.report(problem);
    if (problems.some((problem) => problem.severity === 'error')) return;
    const earlier = this.notifyValues.get(directive.value);
    if (earlier) {
      this.report({
        range: directive.valueRange,
        severity: 'warning',
        code: 'duplicate-notify',
        message: t('Line {0} already notifies the same target; it is notified once.', earlier.line + 1),
        fixes: [{ title: t('Remove this line'), edits: [{ range: wholeLine(directive.line), newText: '' }], preferred: true }],
      });
    } else this.notifyValues.set(directive.value, directive);
  }

  /** Reports a secret-looking token in the value (never echoing it); true when reported. */
  secretInValue(directive: Directive): boolean {
    const token = findSecretToken(directive.value);
    if (!token) return false;
    const start = directive.valueRange.start.character;
    this.literalSecret(range(directive.line, start + token[0], start + token[1]));
    return true;
  }

  literalSecret(where: Range): void {
    this.report({ range: where, severity: 'error', code: 'literal-secret', message: t('This looks like an API secret. {0}', this.howToStore()) });
  }

  private howToStore(): string {
    return t(
      'Never write the client_secret into this file: store it {0} and write that source here, for example `{1}`. "bwdc: Store Client Secret" does this without the secret touching a command line.',
      this.platform === 'windows' ? t('with Export-Clixml as the run-as user') : t('in a file only the run-as user can read (mode 0600)'),
      this.platform === 'windows' ? 'secret dpapi:C:\\ProgramData\\bwdc\\client_secret.xml' : 'secret file:/home/bwdc/.config/bwdc/client_secret',
    );
  }

  private error(directive: Directive, code: string, message: string, fixes?: QuickFix[], valueRange: Range = directive.valueRange): void {
    this.report({ range: valueRange, severity: 'error', code, message, ...(fixes ? { fixes } : {}) });
  }

  private warning(directive: Directive, code: string, message: string, valueRange: Range = directive.valueRange): void {
    this.report({ range: valueRange, severity: 'warning', code, message });
  }

  private replaceValue(directive: Directive, title: string, newText: string, preferred = true): QuickFix {
    return { title, edits: [{ range: directive.valueRange, newText }], preferred };
  }

  private name(directive: Directive): void {
    if (NAME_PATTERN.test(directive.value)) return;
    const cleaned = directive.value
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '')
      .slice(0, 64);
    this.error(
      directive,
      'invalid-name',
      t(
        "'{0}' is not a valid job name: use letters, digits, '.', '_' and '-', start with a letter or digit, at most 64 characters (it names the crontab block, the task and files).",
        directive.value,
      ),
      cleaned && NAME_PATTERN.test(cleaned) ? [this.replaceValue(directive, t("Change to '{0}'", cleaned), cleaned)] : undefined,
    );
  }

  private schedule(directive: Directive): void {
    const start = directive.valueRange.start;
    const toRange = (from: number, to: number): Range => range(start.line, start.character + from, start.character + to);
    const result = parseCron(directive.value);
    for (const problem of result.problems) {
      const problemRange = toRange(problem.start, problem.end);
      this.report({
        range: problemRange,
        severity: problem.severity,
        code: problem.code,
        message: problem.message,
        ...(problem.fixes
          ? {
              fixes: problem.fixes.map((fix, index) => ({
                title: fix.title,
                edits: [{ range: problemRange, newText: fix.text }],
                preferred: index === 0 && problem.fixes!.length === 1,
              })),
            }
          : {}),
      });
    }
    const expression = result.expression;
    if (!expression) return;
    this.cronFacts(expression, toRange);
    if (this.platform === 'windows') this.taskScheduler(directive, expression);
    if (this.scheduler === 'systemd' && this.platform === 'linux') this.systemdTimer(directive, expression);

    const normalized = directive.value.split(/[ \t]+/).join(' ');
    const earlier = this.schedules.get(normalized);
    if (earlier) {
      this.report({
        range: directive.valueRange,
        severity: 'warning',
        code: 'duplicate-schedule',
        message: t('The same schedule is already on line {0}; the job runs once at each time anyway.', earlier.line + 1),
        fixes: [{ title: t('Remove this line'), edits: [{ range: wholeLine(directive.line), newText: '' }], preferred: true }],
      });
    } else this.schedules.set(normalized, directive);
  }

  private cronFacts(expression: CronExpression, toRange: (from: number, to: number) => Range): void {
    if (expression.kind !== 'calendar') return;
    const never = neverFires(expression);
    if (never) {
      this.report({ range: toRange(never.start, never.end), severity: 'warning', code: 'cron-never-fires', message: never.message });
      return;
    }
    const combination = dayCombination(expression);
    const dom = expression.dayOfMonth;
    const dow = expression.dayOfWeek;
    const days = toRange(dom.start, dow.end);
    if (combination === 'or') {
      this.report({
        range: days,
        severity: 'warning',
        code: 'cron-day-or',
        message: t(
          "cron runs this on days matching day-of-month '{0}' OR day-of-week '{1}', not only on days matching both (for example '0 0 13 * 5' runs on every 13th and every Friday). Use one day field and '*' in the other if you meant only one.",
          dom.text,
          dow.text,
        ),
      });
    } else if (combination === 'or-moot') {
      const [full, other] = isFull(dom) ? [dom, dow] : [dow, dom];
      this.report({
        range: days,
        severity: 'warning',
        code: 'cron-day-or',
        message: t(
          "This runs every day: '{0}' matches every day and cron ORs the two day fields, so '{1}' restricts nothing. Write '*' instead of '{0}' to run only on '{1}'.",
          full.text,
          other.text,
        ),
        fixes: [{ title: t("Change '{0}' to '*'", full.text), edits: [{ range: toRange(full.start, full.end), newText: '*' }], preferred: true }],
      });
    } else if (combination === 'and-quirk') {
      const starLed = dom.starLed && !isFull(dom) ? dom : dow;
      this.report({
        range: days,
        severity: 'warning',
        code: 'cron-day-and',
        message: t(
          "Because '{0}' starts with '*', Debian cron (like cronie and macOS) runs this only on days matching BOTH day-of-month '{1}' AND day-of-week '{2}'. POSIX cron, BusyBox and most libraries would run it on days matching either.",
          starLed.text,
          dom.text,
          dow.text,
        ),
      });
    }
  }

  /**
   * On Windows each schedule line becomes Task Scheduler triggers, exactly or not at all: a line
   * that cannot is an error, and so is the line whose triggers take the task past the limit.
   * A never-firing line already has cron-never-fires.
   */
  private taskScheduler(directive: Directive, expression: CronExpression): void {
    const plan = cronToTriggers(expression);
    if (!plan.exact) {
      if (plan.code === 'never-fires') return;
      const cronDoes = plan.cronDoes.replace(/\.$/, '');
      const message = t('cron runs this: {0}. The Windows task cannot run it exactly. {1}', cronDoes, plan.reason);
      const alternative = plan.alternative;
      this.error(
        directive,
        plan.code === 'too-many-triggers' ? 'task-too-many-triggers' : 'task-inexact',
        alternative ? `${message} ${t("'{0}' runs at exactly the same times and maps.", alternative)}` : message,
        alternative ? [this.replaceValue(directive, t("Change to '{0}'", alternative), alternative)] : undefined,
      );
      return;
    }
    const before = this.taskTriggers.size;
    for (const trigger of plan.triggers) this.taskTriggers.add(JSON.stringify(trigger));
    if (this.taskLimitReported || this.taskTriggers.size <= MAX_TRIGGERS) return;
    this.taskLimitReported = true;
    this.error(
      directive,
      'task-too-many-triggers',
      t(
        'With this line the task needs {0} Task Scheduler triggers ({1} from the lines above, {2} more here); Task Scheduler allows {3} per task. Split the schedule lines across several schedule files (one task each), or use fewer distinct times.',
        this.taskTriggers.size,
        before,
        this.taskTriggers.size - before,
        MAX_TRIGGERS,
      ),
    );
  }

  /**
   * With `scheduler systemd` each schedule line becomes OnCalendar= lines, exactly or not at all
   * (core/systemd/calendar.ts); a line that cannot is an error, as on Windows. A never-firing
   * line already has cron-never-fires.
   */
  private systemdTimer(directive: Directive, expression: CronExpression): void {
    const plan = cronToCalendar(expression, this.timezoneName ? { timezone: this.timezoneName } : {});
    if (plan.exact || plan.code === 'never-fires') return;
    this.error(directive, 'timer-inexact', t('cron runs this: {0}. A systemd timer cannot run it exactly. {1}', plan.cronDoes.replace(/\.$/, ''), plan.reason));
  }

  private schedulerValue(directive: Directive): void {
    const value = directive.value;
    const scheduler = SCHEDULERS.find((known) => known === value);
    const fallback = defaultScheduler(this.platform);
    if (!scheduler) {
      const match = SCHEDULERS.find((known) => known === value.toLowerCase()) ?? aliasScheduler(value);
      const fitting = match && schedulerRunsOn(match, this.platform) ? match : undefined;
      this.error(
        directive,
        'invalid-scheduler',
        t("Unknown scheduler '{0}': use cron or systemd (linux), cron (macos) or task (windows).", value),
        fitting ? [this.replaceValue(directive, t("Change to '{0}'", fitting), fitting)] : undefined,
      );
      return;
    }
    if (schedulerRunsOn(scheduler, this.platform)) return;
    const message =
      scheduler === 'systemd'
        ? t("systemd timers are for linux; on {0} the job is started by {1}. Set 'platform linux' or 'scheduler {1}'.", this.platform, fallback)
        : scheduler === 'task'
          ? this.platform === 'linux'
            ? t("Task Scheduler is for windows; on linux use 'scheduler cron' or 'scheduler systemd'.")
            : t("Task Scheduler is for windows; on {0} use 'scheduler cron'.", this.platform)
          : t("cron is for linux and macos; a windows job is started by Task Scheduler: 'scheduler task'.");
    this.error(directive, 'scheduler-platform', message, [this.replaceValue(directive, t("Change to '{0}'", fallback), fallback)]);
  }

  private catchUp(directive: Directive): void {
    const value = directive.value;
    if (value !== 'yes' && value !== 'no') {
      const lower = value.toLowerCase();
      const fix = ['yes', 'true', 'on', '1'].includes(lower) ? 'yes' : ['no', 'false', 'off', '0'].includes(lower) ? 'no' : undefined;
      this.error(
        directive,
        'invalid-catch-up',
        t("'catch-up' is yes or no, not '{0}'.", value),
        fix ? [this.replaceValue(directive, t("Change to '{0}'", fix), fix)] : undefined,
      );
      return;
    }
    if (value === 'yes' && this.scheduler === 'cron') {
      this.warning(
        directive,
        'catch-up-unsupported',
        this.platform === 'linux'
          ? t("cron has no catch-up: a run missed while the machine was off is not made up when it is back. 'scheduler systemd' catches up (Persistent=).")
          : t('cron has no catch-up: a run missed while the machine was off is not made up when it is back.'),
      );
    }
  }

  private randomDelay(directive: Directive): void {
    const seconds = parseDuration(directive.value);
    if (seconds === undefined || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
      this.error(
        directive,
        'invalid-random-delay',
        seconds === undefined
          ? t("'{0}' is not a duration: write a number with s, m or h, such as 30s, 5m or 1h.", directive.value)
          : t('The random delay must be between 1 second and 24 hours; {0} is not.', directive.value),
      );
      return;
    }
    if (this.scheduler !== 'systemd') {
      this.warning(
        directive,
        'random-delay-unsupported',
        this.scheduler === 'task'
          ? t('Only systemd timers delay runs at random: Task Scheduler starts the job on time and ignores this line.')
          : t('Only systemd timers delay runs at random: cron starts the job on time and ignores this line.'),
      );
    }
  }

  private timezone(directive: Directive): void {
    if (canonicalZoneName(directive.value)) return;
    const suggestions = closestMatches(directive.value, knownZoneNames());
    this.error(
      directive,
      'unknown-timezone',
      suggestions.length > 0
        ? t("Unknown time zone '{0}'. Did you mean '{1}'? Use an IANA name such as Europe/Berlin or UTC.", directive.value, suggestions[0]!)
        : t("Unknown time zone '{0}'. Use an IANA name such as Europe/Berlin, America/New_York or UTC.", directive.value),
      suggestions.map((suggestion, index) =>
        this.replaceValue(directive, t("Change to '{0}'", suggestion), suggestion, index === 0 && suggestions.length === 1),
      ),
    );
  }

  private platformValue(directive: Directive): void {
    if ((PLATFORMS as readonly string[]).includes(directive.value)) return;
    const match = PLATFORMS.find((platform) => platform === directive.value.toLowerCase()) ?? aliasPlatform(directive.value);
    this.error(
      directive,
      'invalid-platform',
      t("Unknown platform '{0}': use linux, macos or windows.", directive.value),
      match ? [this.replaceValue(directive, t("Change to '{0}'", match), match)] : undefined,
    );
  }

  private runAs(directive: Directive): void {
    const value = directive.value;
    const posix = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/;
    const windows = /^(?:(?:\.|[A-Za-z0-9][A-Za-z0-9.-]{0,62})\\)?[^\\/"[\]:;|=,+*?<>@\s]{1,104}(?:@[A-Za-z0-9.-]+)?$/;
    const valid = this.platform === 'windows' ? windows.test(value) : posix.test(value);
    if (valid) return;
    this.error(
      directive,
      'invalid-run-as',
      this.platform === 'windows'
        ? t("'{0}' is not a Windows account name: write 'bwdc', 'HOST\\bwdc', 'DOMAIN\\bwdc' or 'bwdc@domain'.", value)
        : t("'{0}' is not a valid user name: start with a letter or '_', then letters, digits, '_', '.', '-' (at most 32 characters).", value),
    );
  }

  private bwdc(directive: Directive): void {
    if (this.tildeOrEmpty(directive, directive.value)) return;
    if (!isAbsoluteFor(this.platform, directive.value)) {
      this.error(
        directive,
        'invalid-path',
        t(
          "'bwdc' must be an absolute path: cron and Task Scheduler start with a minimal PATH. For example: {0}",
          this.platform === 'windows' ? 'C:\\Program Files\\Bitwarden\\bwdc.exe' : '/usr/local/bin/bwdc',
        ),
      );
      return;
    }
    const kind = this.lookUp(directive.value);
    if (kind === 'missing')
      this.warning(
        directive,
        'bwdc-missing',
        t("No file at '{0}' on this machine: install the Directory Connector CLI there or correct the path.", directive.value),
      );
    else if (kind === 'directory') this.warning(directive, 'bwdc-missing', t("'{0}' is a folder; 'bwdc' must name the executable itself.", directive.value));
    else if (kind === 'file') this.nativeModule(directive);
  }

  /**
   * A packaged bwdc (an executable, not a script) loads a native module from its own folder:
   * keytar.node up to 2026.4, dc_native.<platform>.node from 2026.6. Without it bwdc fails at
   * every start (Directory Connector #19), also in plaintext mode.
   */
  private nativeModule(directive: Directive): void {
    if (!this.context.readHead || !this.context.listFolder || this.platform !== this.context.hostPlatform) return;
    const head = this.context.readHead(directive.value);
    if (head === undefined || head === 'not-a-file' || !isPackagedExecutable(head)) return;
    const folder = pathApi(this.platform).dirname(directive.value);
    const names = this.context.listFolder(folder);
    if (!names || names.some(isNativeModuleName)) return;
    this.warning(
      directive,
      'bwdc-native-missing',
      t(
        "bwdc at '{0}' is a packaged executable, but the native module it loads from its own folder is not there: keytar.node (releases up to 2026.4) or dc_native.<platform>.node (2026.6 and later). Copy it from the same release's zip into {1}; without it bwdc fails at every start.",
        directive.value,
        folder,
      ),
    );
  }

  /**
   * Linux and macOS: without plaintext mode bwdc keeps its session and the directory password in
   * the desktop keyring, which a job started by cron does not have (Directory Connector #17, #24).
   */
  keyring(document: ScheduleDocument): void {
    if (this.platform === 'windows') return;
    const env = document.directives.filter((d) => d.key === 'env');
    if (env.some((d) => /^BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=/.test(d.value))) return; // plaintext-value covers a wrong value
    const anchor = document.directives.find((d) => d.key === 'client-id') ?? document.directives.find((d) => d.key === 'schedule');
    if (!anchor) return;
    const after = env.at(-1) ?? document.directives.at(-1)!;
    const lineText = 'env        BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true';
    this.report({
      range: anchor.keyRange,
      severity: 'warning',
      code: 'plaintext-missing',
      message: t(
        "bwdc keeps its session and the directory's password in the desktop keyring unless BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true is set, and a job started by cron has no keyring: login says it worked, then the sync fails ('Cannot autolaunch D-Bus without X11 $DISPLAY'). Add the line '{0}' (bwdc then keeps them in data.json, which only the run-as user may read).",
        'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true',
      ),
      fixes: [
        {
          title: t("Add '{0}'", 'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true'),
          edits: [insertLineAfter(document, after.line, lineText)],
          preferred: true,
        },
      ],
    });
  }

  private clientId(directive: Directive): void {
    const value = directive.value;
    if (CLIENT_ID_PATTERN.test(value)) return;
    if (looksLikeApiSecret(value)) {
      this.error(
        directive,
        'literal-secret',
        t(
          'This looks like the client_secret, not the client_id. Remove it from this file at once: the client_id is `organization.` followed by a UUID, and the secret belongs where the `secret` line points.',
        ),
      );
      return;
    }
    if (new RegExp(`^${UUID}$`).test(value)) {
      this.error(directive, 'invalid-client-id', t("The client_id starts with 'organization.': write organization.{0}", value), [
        this.replaceValue(directive, t("Add 'organization.'"), `organization.${value}`),
      ]);
      return;
    }
    if (/^user\./.test(value)) {
      this.error(
        directive,
        'invalid-client-id',
        t(
          "'{0}' is a personal API key. The Directory Connector needs the organization's API key: Admin Console → Settings → Organization info → View API key.",
          value,
        ),
      );
      return;
    }
    this.error(
      directive,
      'invalid-client-id',
      t("'{0}' is not an organization client_id: it must be 'organization.' followed by a UUID, as shown with the organization's API key.", value),
    );
  }

  private secret(directive: Directive): void {
    const value = directive.value;
    const source = parseSecretSource(value);
    const howToStore = this.howToStore();
    if (!source) {
      if (looksLikeApiSecret(value) || !/^[a-z]+:/.test(value)) {
        const pathLike = /^(\/|~|[A-Za-z]:[\\/]|\.{1,2}[\\/])/.test(value) && !looksLikeApiSecret(value);
        if (pathLike) {
          const scheme = this.platform === 'windows' ? 'dpapi:' : 'file:';
          this.error(directive, 'invalid-secret', t("A secret source starts with its kind: write '{0}{1}'.", scheme, value), [
            this.replaceValue(directive, t("Change to '{0}{1}'", scheme, value), `${scheme}${value}`),
          ]);
          return;
        }
        this.error(directive, 'literal-secret', t('This is not a secret source, and it may be the secret itself. {0}', howToStore));
        return;
      }
      this.error(
        directive,
        'invalid-secret',
        t("Unknown secret source '{0}'. Use file:PATH, env:NAME, keychain:SERVICE (macOS) or dpapi:PATH (Windows).", value.slice(0, value.indexOf(':') + 1)),
      );
      return;
    }
    const targetRange = range(directive.line, directive.valueRange.start.character + source.scheme.length + 1, directive.valueRange.end.character);
    if (looksLikeApiSecret(source.target)) {
      this.error(
        directive,
        'literal-secret',
        t('This looks like the secret itself, not a {0}. {1}', source.scheme === 'env' ? t('variable name') : t('path or name'), howToStore),
        undefined,
        targetRange,
      );
      return;
    }
    if (!SCHEME_PLATFORMS[source.scheme].includes(this.platform)) {
      const fitting = (['file', 'env', 'keychain', 'dpapi'] as const)
        .filter((scheme) => SCHEME_PLATFORMS[scheme].includes(this.platform))
        .map((scheme) => `${scheme}:`);
      this.error(directive, 'secret-platform', t("'{0}:' cannot be read on {1}; use {2}.", source.scheme, this.platform, fitting.join(t(' or '))));
      return;
    }
    if (source.target.length === 0) {
      this.error(
        directive,
        'invalid-secret',
        t(
          "'{0}:' needs {1} after the colon.",
          source.scheme,
          source.scheme === 'env' ? t('a variable name') : source.scheme === 'keychain' ? t('a keychain service name') : t('a path'),
        ),
      );
      return;
    }
    if (source.scheme === 'env') {
      if (!ENV_NAME_PATTERN.test(source.target))
        this.error(
          directive,
          'invalid-secret',
          t("'{0}' is not a variable name: letters, digits and '_', not starting with a digit.", source.target),
          undefined,
          targetRange,
        );
      else if (isReservedSecretVariable(source.target, this.platform)) {
        this.error(
          directive,
          'reserved-variable',
          t(
            '{0} is a variable the shell or the generated script uses for itself, so it cannot carry the secret. Choose a name of your own, for example env:BWDC_CLIENT_SECRET.',
            source.target,
          ),
          [this.replaceValue(directive, t("Change to '{0}'", 'env:BWDC_CLIENT_SECRET'), 'env:BWDC_CLIENT_SECRET', false)],
          targetRange,
        );
      } else if (this.scheduler === 'systemd') {
        this.warning(
          directive,
          'secret-env-systemd',
          t(
            'A systemd service starts with an environment of its own, so {0} is not set for the script unless you add it to the service (systemctl edit, Environment= or EnvironmentFile=). A file: secret is handed to the service as a credential instead.',
            source.target,
          ),
          targetRange,
        );
      }
      return;
    }
    if (source.scheme === 'file' || source.scheme === 'dpapi') this.tildeOrEmpty(directive, source.target, targetRange);
  }

  private instance(directive: Directive): void {
    if (this.tildeOrEmpty(directive, directive.value)) return;
    const folder = resolveInstanceFolder(this.platform, this.context.scheduleFile, directive.value);
    const earlier = this.instances.get(folder);
    if (earlier) {
      this.warning(directive, 'duplicate-instance', t('This folder is already synced by line {0}; it would be synced twice per run.', earlier.line + 1));
      return;
    }
    this.instances.set(folder, directive);
    // A relative path of an unsaved file has no folder to resolve against: nothing to look up.
    const kind = isAbsoluteFor(this.platform, folder) ? this.lookUp(folder) : undefined;
    if (kind === 'missing') {
      this.warning(directive, 'instance-missing', t("The instance folder '{0}' does not exist on this machine.", folder));
    } else if (kind === 'file') {
      this.warning(directive, 'instance-missing', t("'{0}' is a file; an instance is the folder that holds data.json.", folder));
    } else if (kind === 'directory' && this.lookUp(this.joinPath(folder, 'data.json')) !== 'file') {
      this.warning(
        directive,
        'instance-no-data-json',
        t("The instance folder '{0}' has no data.json: configure the Directory Connector there first (bwdc would start with an empty configuration).", folder),
      );
    }
  }

  private env(directive: Directive): void {
    const value = directive.value;
    const equals = value.indexOf('=');
    const name = equals < 0 ? value : value.slice(0, equals);
    const lineStart = directive.valueRange.start.character;
    const nameRange = range(directive.line, lineStart, lineStart + name.length);
    if (equals < 0 || !ENV_NAME_PATTERN.test(name)) {
      this.error(directive, 'invalid-env', t("'env' takes NAME=VALUE, where NAME has letters, digits and '_' and does not start with a digit."));
      return;
    }
    const variableValue = value.slice(equals + 1);
    if ((MANAGED_ENV as readonly string[]).includes(name)) {
      this.error(
        directive,
        'managed-env',
        name === 'BW_CLIENTSECRET'
          ? t('The script sets BW_CLIENTSECRET itself from the `secret` source. Remove this line and never keep the secret here.')
          : t('The script sets {0} itself; remove this line.', name),
        [{ title: t('Remove this line'), edits: [{ range: wholeLine(directive.line), newText: '' }], preferred: true }],
        nameRange,
      );
      return;
    }
    if (this.platform !== 'windows' && READ_ONLY_SHELL_VARIABLES.includes(name)) {
      this.error(
        directive,
        'reserved-variable',
        t('{0} is read-only in bash: setting it would stop the generated script. Remove this line.', name),
        [{ title: t('Remove this line'), edits: [{ range: wholeLine(directive.line), newText: '' }], preferred: true }],
        nameRange,
      );
      return;
    }
    const valueRange = range(directive.line, lineStart + equals + 1, directive.valueRange.end.character);
    const knownHarmless = KNOWN_ENV.some((variable) => variable.name === name);
    if (variableValue.length > 0 && (looksLikeApiSecret(variableValue) || (isSecretVariableName(name) && !knownHarmless))) {
      this.error(
        directive,
        'literal-secret',
        t(
          '{0} looks like a secret, and env values are written into the generated script. Keep secrets out of this file; let the scheduler provide the variable instead.',
          name,
        ),
        undefined,
        valueRange,
      );
      return;
    }
    const earlier = this.envNames.get(name);
    if (earlier) this.warning(directive, 'duplicate-env', t('{0} is already set on line {1}; the later value wins.', name, earlier.line + 1), nameRange);
    else this.envNames.set(name, directive);
    if (name === 'BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS' && variableValue !== 'true') {
      this.report({
        range: valueRange.start.character === valueRange.end.character ? directive.valueRange : valueRange,
        severity: 'warning',
        code: 'plaintext-value',
        message: t("bwdc recognizes only the exact value 'true' here; '{0}' leaves plaintext mode off.", variableValue),
        fixes: [{ title: t("Change to 'true'"), edits: [{ range: valueRange, newText: 'true' }], preferred: true }],
      });
    }
  }

  private timeout(directive: Directive): void {
    const seconds = parseDuration(directive.value);
    if (seconds === undefined) {
      const number = /^\d+$/.test(directive.value) ? directive.value : undefined;
      this.error(
        directive,
        'invalid-timeout',
        t("'{0}' is not a duration: write a number with s, m or h, such as 30s, 20m, 2h or 1h30m.", directive.value),
        number ? [this.replaceValue(directive, t("Change to '{0}'", `${number}m`), `${number}m`, false)] : undefined,
      );
    } else if (seconds < MIN_TIMEOUT_SECONDS || seconds > MAX_TIMEOUT_SECONDS) {
      this.error(
        directive,
        'invalid-timeout',
        t('The timeout must be between 10 seconds and 24 hours; {0} is {1}.', directive.value, seconds < MIN_TIMEOUT_SECONDS ? t('shorter') : t('longer')),
      );
    }
  }

  private path(directive: Directive): void {
    this.tildeOrEmpty(directive, directive.value);
  }

  /**
   * The files this job writes (the script, appended: the log) must be its own: never the schedule
   * file, an instance's data.json, the secret, each other, or a file bwdc Schedule did not write.
   * The secret file, which `secret store` replaces, must not be any of the others either.
   */
  pathConflicts(document: ScheduleDocument): void {
    const scheduleFile = this.context.scheduleFile;
    if (!scheduleFile) return;
    const platform = this.platform;
    const line = (key: string): Directive | undefined => document.directives.find((d) => d.key === key && d.value.length > 0);
    const scriptLine = line('script');
    const logLine = line('log');
    const secretLine = line('secret');
    if ([scriptLine, logLine, secretLine].some((d) => d && (findSecretToken(d.value) || d.value.startsWith('~')))) return;
    const script = scriptPathFor(platform, scheduleFile, scriptLine?.value);
    const log = logPathFor(platform, scheduleFile, script, logLine?.value);
    const source = secretLine ? parseSecretSource(secretLine.value) : undefined;
    const secretFile =
      source && (source.scheme === 'file' || source.scheme === 'dpapi') && source.target ? resolveFor(platform, scheduleFile, source.target) : undefined;
    const api = pathApi(platform);
    const others: { readonly path: string; readonly what: string }[] = [{ path: scheduleFile, what: t('the schedule file itself') }];
    for (const [folder] of this.instances) {
      for (const name of ['data.json', 'data.json.bak', '.bwdc-schedule.lock'])
        others.push({ path: api.join(folder, name), what: t("the instance's {0} ({1})", name, folder) });
      others.push({ path: folder, what: t('the instance folder {0}', folder) });
    }
    const conflict = (directive: Directive, path: string, against: readonly { readonly path: string; readonly what: string }[]): boolean => {
      const hit = against.find((other) => samePath(platform, path, other.path));
      if (!hit) return false;
      this.error(
        directive,
        'path-conflict',
        t("'{0}' is {1}. bwdc Schedule would overwrite or append to it; give the {2} a file of its own.", path, hit.what, directive.key),
      );
      return true;
    };
    const secretEntry = secretFile ? [{ path: secretFile, what: t('the secret file') }] : [];
    if (scriptLine && !conflict(scriptLine, script, [...others, ...secretEntry])) this.foreignFile(scriptLine, script, 'script');
    if (logLine && !conflict(logLine, log, [...others, ...secretEntry, { path: script, what: t('the sync script') }])) this.foreignFile(logLine, log, 'log');
    if (secretLine && secretFile)
      conflict(secretLine, secretFile, [...others, { path: script, what: t('the sync script') }, { path: log, what: t('the log') }]);
  }

  /** An existing file at a `script` or `log` path that bwdc Schedule did not write. */
  private foreignFile(directive: Directive, path: string, kind: 'script' | 'log'): void {
    if (!this.context.readHead || this.platform !== this.context.hostPlatform) return;
    const head = this.context.readHead(path);
    if (head === undefined) return;
    if (head === 'not-a-file') {
      this.error(directive, 'path-not-ours', t("'{0}' is a folder (or a device), not a file the {1} can be written to.", path, directive.key));
      return;
    }
    if (writtenByUs(kind, head)) return;
    this.error(
      directive,
      'path-not-ours',
      kind === 'script'
        ? t(
            "'{0}' exists and was not generated by bwdc Schedule; it would be overwritten. Move it away (for example a hand-written bwdcSyncService.sh), or choose another `script` path.",
            path,
          )
        : t("'{0}' exists and is not a log bwdc Schedule wrote; the sync script would append to it. Choose another `log` path.", path),
    );
  }

  /** Reports `~` paths (never expanded in the generated, quoted paths); true when reported. */
  private tildeOrEmpty(directive: Directive, value: string, valueRange: Range = directive.valueRange): boolean {
    if (value.startsWith('~')) {
      this.error(
        directive,
        'invalid-path',
        t("'~' is not expanded in the generated script (paths are quoted literally). Write the absolute path, for example /home/bwdc{0}.", value.slice(1)),
        undefined,
        valueRange,
      );
      return true;
    }
    return false;
  }

  private lookUp(path: string): PathKind | undefined {
    if (!this.context.pathKind || this.platform !== this.context.hostPlatform) return undefined;
    return this.context.pathKind(path);
  }

  private joinPath(folder: string, file: string): string {
    return this.platform === 'windows' ? `${folder.replace(/[\\/]+$/, '')}\\${file}` : `${folder.replace(/\/+$/, '')}/${file}`;
  }
}

function aliasScheduler(value: string): Scheduler | undefined {
  const lower = value.toLowerCase();
  if (['crontab', 'crond', 'vixie-cron', 'cronie'].includes(lower)) return 'cron';
  if (['timer', 'timers', 'systemd-timer', 'systemd.timer', 'systemctl'].includes(lower)) return 'systemd';
  if (['schtasks', 'task-scheduler', 'taskscheduler', 'tasks', 'windows'].includes(lower)) return 'task';
  return undefined;
}

function aliasPlatform(value: string): Platform | undefined {
  const lower = value.toLowerCase();
  if (['darwin', 'osx', 'mac', 'macosx', 'mac os'].includes(lower)) return 'macos';
  if (['win', 'win32', 'win64'].includes(lower)) return 'windows';
  if (['debian', 'ubuntu', 'rhel', 'unix'].includes(lower)) return 'linux';
  return undefined;
}
