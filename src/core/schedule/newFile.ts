import { describeCron, type DescribeOptions } from '../cron/describe';
import { parseCron } from '../cron/parse';
import { t } from '../l10n';
import { COMMON_SCHEDULES } from './common';
import { diagnoseSchedule, type ScheduleDiagnostic } from './diagnose';
import type { Platform, Scheduler } from './directives';
import { pathApi } from './paths';
import type { SecretScheme } from './secret';

/** What "bwdc: New Schedule File" asked; undefined means the question was skipped. */
export interface NewScheduleAnswers {
  readonly name?: string;
  readonly schedule?: string;
  readonly platform?: Platform;
  /** Only written when it is not the platform's default (systemd on linux). */
  readonly scheduler?: Scheduler;
  readonly runAs?: string;
  readonly clientId?: string;
  readonly secret?: string;
  /** As they go into the file: relative to the schedule file's folder where possible. */
  readonly instances?: readonly string[];
}

/** Seeds' weekly example: what a skipped schedule question becomes. */
export const DEFAULT_SCHEDULE = '0 12 * * 1';
export const DEFAULT_RUN_AS = 'bwdc';
const KEY_WIDTH = 'client-id'.length + 2;

/**
 * The complete text of a new schedule file. Every line the answers allow is written; a skipped
 * client_id becomes a comment saying where to find it, so diagnostics point at the one line
 * still to fill in rather than the file looking finished.
 */
export function newScheduleText(
  answers: NewScheduleAnswers,
  options: { readonly describe?: DescribeOptions; /** Where a file without `platform` runs. */ readonly hostPlatform?: Platform } = {},
): string {
  const schedule = answers.schedule ?? DEFAULT_SCHEDULE;
  const line = (key: string, value: string): string => `${key.padEnd(KEY_WIDTH - 1)} ${value}`;
  const lines = [`# ${t('Sync with the Bitwarden Directory Connector: {0}', scheduleDescription(schedule, options.describe) ?? schedule)}`];
  if (answers.name !== undefined) lines.push(line('name', answers.name));
  lines.push(line('schedule', schedule));
  if (answers.platform !== undefined) lines.push(line('platform', answers.platform));
  if (answers.scheduler === 'systemd') lines.push(line('scheduler', 'systemd'));
  if (answers.runAs !== undefined) lines.push(line('run-as', answers.runAs));
  if (answers.clientId !== undefined) lines.push(line('client-id', answers.clientId));
  else
    lines.push(
      `# ${t('client-id: the organization API key (Admin Console → Settings → Organization info → View API key), for example:')}`,
      `# ${line('client-id', 'organization.00000000-0000-0000-0000-000000000000')}`,
    );
  const platform = answers.platform ?? options.hostPlatform ?? 'linux';
  lines.push(line('secret', answers.secret ?? defaultSecret(platform === 'windows' ? 'dpapi' : 'file', platform, answers.runAs)));
  // cron has no desktop keyring: without this bwdc says it logged in, then fails to sync.
  if (platform !== 'windows') lines.push(line('env', 'BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true'));
  for (const instance of answers.instances ?? []) lines.push(line('instance', instance));
  if ((answers.instances ?? []).length === 0)
    lines.push(
      `# ${t("No 'instance' lines: bwdc syncs its default app-data folder. Add one line per Directory Connector folder, for example:")}`,
      `# ${line('instance', './instance-1')}`,
    );
  return `${lines.join('\n')}\n`;
}

/** The plain-language description of a cron expression, or undefined when it does not parse. */
export function scheduleDescription(expression: string, options: DescribeOptions = {}): string | undefined {
  const { expression: cron } = parseCron(expression);
  return cron ? describeCron(cron, options).text : undefined;
}

/** The common schedules to pick from, each described in the editor's language. */
export function scheduleChoices(options: DescribeOptions = {}): { readonly expression: string; readonly description: string; readonly why: string }[] {
  return COMMON_SCHEDULES.map(({ expression, why }) => ({ expression, why, description: scheduleDescription(expression, options) ?? expression }));
}

/** Which secret sources the platform can read, the most usual first. */
export function secretSchemes(platform: Platform): readonly SecretScheme[] {
  if (platform === 'windows') return ['dpapi', 'env'];
  if (platform === 'macos') return ['keychain', 'file', 'env'];
  return ['file', 'env'];
}

/** A sensible source value for the run-as user, as the seeds lay it out. */
export function defaultSecret(scheme: SecretScheme, platform: Platform, runAs: string | undefined): string {
  const user = runAs ?? DEFAULT_RUN_AS;
  switch (scheme) {
    case 'file':
      return `file:${platform === 'macos' ? `/Users/${user}` : `/home/${user}`}/.config/bwdc/client_secret`;
    case 'env':
      return 'env:BWDC_CLIENT_SECRET';
    case 'keychain':
      return 'keychain:bwdc-client-secret';
    case 'dpapi':
      return `dpapi:C:\\Users\\${user}\\bwdc\\client_secret.xml`;
  }
}

/** A picked folder as an `instance` value: relative to the schedule file's folder when inside it. */
export function instanceValue(platform: Platform, scheduleFolder: string, folder: string): string {
  const paths = pathApi(platform);
  const relative = paths.relative(scheduleFolder, folder);
  if (relative === '') return '.';
  if (relative.startsWith('..') || paths.isAbsolute(relative)) return folder;
  return platform === 'windows' ? `.\\${relative}` : `./${relative}`;
}

/**
 * What is wrong with one answer, in the words the file's own diagnostics would use: the answer
 * is written as its directive line and diagnosed, so the prompt and the editor never disagree.
 */
export function answerProblem(key: 'name' | 'schedule' | 'run-as' | 'client-id' | 'secret', value: string, platform: Platform): string | undefined {
  const text = `${key} ${value}\nplatform ${platform}\n`;
  const problems = diagnoseSchedule(text, { hostPlatform: platform }).filter(
    (diagnostic: ScheduleDiagnostic) => diagnostic.range.start.line === 0 && diagnostic.severity === 'error' && diagnostic.code !== 'missing-directive',
  );
  return problems[0]?.message;
}
