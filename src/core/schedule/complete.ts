import { describeCron } from '../cron/describe';
import { MACROS, MACRO_EQUIVALENTS } from '../cron/fields';
import { parseCron } from '../cron/parse';
import { knownZoneNames } from '../cron/zone';
import { t } from '../l10n';
import { range, type Position, type Range } from '../text';
import { COMMON_SCHEDULES } from './common';
import { effectivePlatform } from './diagnose';
import { DIRECTIVES, DIRECTIVE_BY_KEY, KNOWN_ENV, PLATFORMS, SCHEDULERS, schedulerRunsOn, type Platform } from './directives';
import { parseLine, parseSchedule, type Directive } from './parse';
import { SCHEME_PLATFORMS, SECRET_SCHEMES } from './secret';

export type CompletionKind = 'directive' | 'value' | 'schedule' | 'macro' | 'timezone' | 'variable' | 'scheme';

export interface CompletionEntry {
  readonly label: string;
  readonly kind: CompletionKind;
  /** Snippet syntax when `snippet` is true, plain text otherwise. */
  readonly insertText: string;
  readonly snippet?: boolean;
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  readonly range: Range;
  readonly sortText?: string;
  readonly filterText?: string;
  /** Ask for completion again after inserting (a scheme, then its target). */
  readonly retrigger?: boolean;
}

export interface CompletionOptions {
  readonly hostPlatform: Platform;
  readonly locale?: string;
  readonly use24HourTime?: boolean;
  readonly scheduleFile?: string;
}

/** Column the values of the seeds' example line up at ("client-id  organization…"). */
const VALUE_COLUMN = 11;

export function completeAt(text: string, position: Position, options: CompletionOptions): CompletionEntry[] {
  const lines = text.split(/\r\n|\r|\n/);
  const lineText = lines[position.line] ?? '';
  const parsed = parseLine(lineText, position.line);
  if (parsed && !('key' in parsed)) return [];
  if (!parsed || position.character <= parsed.keyRange.end.character) {
    const keyRange = parsed ? parsed.keyRange : range(position.line, position.character, position.character);
    if (parsed && parsed.value.length > 0 && position.character < parsed.keyRange.start.character) return [];
    return directiveEntries(text, keyRange, parsed !== undefined && parsed.value.length > 0);
  }
  if (parsed.comment && position.character > parsed.comment.range.start.character) return [];
  const valueRange = parsed.value.length > 0 ? parsed.valueRange : range(position.line, position.character, position.character);
  return valueEntries(text, parsed, valueRange, options);
}

function directiveEntries(text: string, keyRange: Range, hasValue: boolean): CompletionEntry[] {
  const document = parseSchedule(text);
  const present = new Set(document.directives.filter((d) => d.line !== keyRange.start.line).map((d) => d.key));
  return DIRECTIVES.filter((info) => info.repeatable || !present.has(info.key)).map((info, index) => ({
    label: info.key,
    kind: 'directive' as const,
    insertText: hasValue ? info.key : `${info.key}${' '.repeat(Math.max(1, VALUE_COLUMN - info.key.length))}${info.snippet}`,
    snippet: !hasValue,
    detail: info.required ? t('required') : t('optional'),
    documentation: `${info.summary}\n\n${t('Example:')} \`${info.example}\``,
    range: keyRange,
    // Required directives not yet written come first.
    sortText: `${info.required && !present.has(info.key) ? 0 : 1}${String(index).padStart(2, '0')}`,
    retrigger: !hasValue && ['platform', 'secret', 'schedule', 'timezone'].includes(info.key),
  }));
}

function valueEntries(text: string, directive: Directive, valueRange: Range, options: CompletionOptions): CompletionEntry[] {
  if (!DIRECTIVE_BY_KEY.has(directive.key)) return [];
  switch (directive.key) {
    case 'schedule':
      return scheduleEntries(valueRange, options);
    case 'platform':
      return PLATFORMS.map((platform) => ({
        label: platform,
        kind: 'value' as const,
        insertText: platform,
        detail: platform === 'windows' ? t('Task Scheduler and a PowerShell script') : t('cron and a bash script'),
        range: valueRange,
      }));
    case 'scheduler': {
      const platform = effectivePlatform(parseSchedule(text), options.hostPlatform);
      const details = { cron: t('a crontab entry'), systemd: t('a systemd timer and service'), task: t('a Task Scheduler task') };
      return SCHEDULERS.filter((scheduler) => schedulerRunsOn(scheduler, platform)).map((scheduler) => ({
        label: scheduler,
        kind: 'value' as const,
        insertText: scheduler,
        detail: details[scheduler],
        range: valueRange,
      }));
    }
    case 'catch-up':
      return [
        { label: 'yes', kind: 'value', insertText: 'yes', detail: t('make up a run missed while the machine was off'), range: valueRange },
        { label: 'no', kind: 'value', insertText: 'no', detail: t('skip a missed run'), range: valueRange },
      ];
    case 'secret': {
      const platform = effectivePlatform(parseSchedule(text), options.hostPlatform);
      const examples: Record<string, string> = {
        file: '/home/bwdc/.config/bwdc/client_secret',
        env: 'BWDC_CLIENT_SECRET',
        keychain: 'bwdc-client-secret',
        dpapi: 'C:\\ProgramData\\bwdc\\client_secret.xml',
      };
      const summaries: Record<string, string> = {
        file: t('a file only the run-as user can read (mode 0600)'),
        env: t('an environment variable the scheduler provides'),
        keychain: t('a generic password in the macOS login keychain'),
        dpapi: t('a file written by Export-Clixml as the run-as user (Windows DPAPI)'),
      };
      return SECRET_SCHEMES.filter((scheme) => SCHEME_PLATFORMS[scheme].includes(platform)).map((scheme, index) => ({
        label: `${scheme}:`,
        kind: 'scheme' as const,
        insertText: `${scheme}:\${1:${escapeSnippet(examples[scheme]!)}}`,
        snippet: true,
        detail: summaries[scheme],
        range: valueRange,
        sortText: String(index),
      }));
    }
    case 'notify': {
      const platform = effectivePlatform(parseSchedule(text), options.hostPlatform);
      const program = platform === 'windows' ? 'C:\\ProgramData\\bwdc\\on-failure.exe' : '/usr/local/bin/bwdc-failed';
      return [
        {
          label: 'ping:',
          kind: 'scheme' as const,
          insertText: 'ping:${1:https://hc-ping.com/uuid}',
          snippet: true,
          detail: t('a monitor pinged when a run starts, succeeds or fails (healthchecks.io)'),
          range: valueRange,
          sortText: '0',
        },
        {
          label: 'exec:',
          kind: 'scheme' as const,
          insertText: `exec:\${1:${escapeSnippet(program)}}`,
          snippet: true,
          detail: t('a program run after a failed run, the summary on its stdin'),
          range: valueRange,
          sortText: '1',
        },
      ];
    }
    case 'timezone':
      return knownZoneNames().map((zone) => ({ label: zone, kind: 'timezone' as const, insertText: zone, range: valueRange }));
    case 'env':
      return KNOWN_ENV.map((variable) => ({
        label: variable.name,
        kind: 'variable' as const,
        insertText: `${variable.name}=\${1:${escapeSnippet(variable.value)}}`,
        snippet: true,
        documentation: variable.summary,
        range: valueRange,
      }));
    case 'client-id':
      return [
        {
          label: 'organization.',
          kind: 'value',
          insertText: 'organization.${1:00000000-0000-0000-0000-000000000000}',
          snippet: true,
          detail: t("the organization API key's client_id"),
          range: valueRange,
        },
      ];
    case 'run-as':
      return [{ label: 'bwdc', kind: 'value', insertText: 'bwdc', detail: t('the dedicated user Bitwarden recommends'), range: valueRange }];
    default:
      return [];
  }
}

function scheduleEntries(valueRange: Range, options: CompletionOptions): CompletionEntry[] {
  const describeOptions = {
    ...(options.locale ? { locale: options.locale } : {}),
    ...(options.use24HourTime !== undefined ? { use24HourTime: options.use24HourTime } : {}),
  };
  const describe = (expression: string): string => {
    const parsed = parseCron(expression).expression;
    return parsed ? describeCron(parsed, describeOptions).text : expression;
  };
  const common = COMMON_SCHEDULES.map((entry, index) => ({
    label: entry.expression,
    kind: 'schedule' as const,
    insertText: entry.expression,
    detail: describe(entry.expression),
    documentation: entry.why,
    range: valueRange,
    sortText: `0${String(index).padStart(2, '0')}`,
  }));
  const macros = MACROS.map((macro, index) => ({
    label: macro,
    kind: 'macro' as const,
    insertText: macro,
    detail: describe(macro),
    documentation: macro === '@reboot' ? t('Once each time cron starts after a boot.') : t('The same as {0}.', MACRO_EQUIVALENTS[macro]),
    range: valueRange,
    sortText: `1${index}`,
  }));
  return [...common, ...macros];
}

function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, '\\$&');
}
