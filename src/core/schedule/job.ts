import type * as nodeCrypto from 'crypto';
import { parseCron, type CronExpression } from '../cron/parse';
import { canonicalZoneName } from '../cron/zone';
import { DEFAULT_TIMEOUT_SECONDS, parseDuration } from '../duration';
import { t } from '../l10n';
import { diagnoseSchedule, effectivePlatform, effectiveScheduler, type DiagnoseContext, type ScheduleDiagnostic } from './diagnose';
import type { Platform, Scheduler } from './directives';
import { parseSchedule, type ScheduleDocument } from './parse';
import { logPathFor, pathApi, resolveFor, resolveInstanceFolder, scriptPathFor } from './paths';
import { parseSecretSource, type SecretSource } from './secret';
import { parseNotify, type NotifyTarget } from './notify';

/**
 * A schedule file resolved into everything the generators need: defaults applied, relative
 * paths made absolute, values validated. Built only from a file without errors.
 */
export interface SyncJob {
  readonly name: string;
  /** Absolute path of the schedule file. */
  readonly scheduleFile: string;
  readonly schedules: readonly { readonly text: string; readonly expression: CronExpression; readonly line: number }[];
  /** The `timezone` line, if any (canonical IANA name). */
  readonly timezone?: string;
  readonly platform: Platform;
  /** The `run-as` account, or undefined for "whoever installs it". */
  readonly runAs?: string;
  /** Absolute path of bwdc (the `bwdc` line, or what was found on PATH). */
  readonly bwdc: string;
  readonly clientId: string;
  readonly secret: SecretSource;
  /** Absolute instance folders in order; empty means the Directory Connector's default folder. */
  readonly instances: readonly string[];
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly log: string;
  readonly script: string;
  /** The limit for one instance's bwdc calls, in seconds (the `timeout` line, or 30 minutes). */
  readonly timeoutSeconds: number;
  /** What starts the job (the `scheduler` line); undefined: the platform's default, cron (task on windows). */
  readonly scheduler?: Scheduler;
  /** The `catch-up` line; undefined: none (systemd and Task Scheduler catch up). */
  readonly catchUp?: boolean;
  /** The `random-delay` line, in seconds. */
  readonly randomDelaySeconds?: number;
  /** The `notify` lines in order (absent when there are none, so older jobs keep their fingerprint). */
  readonly notify?: readonly NotifyTarget[];
}

export interface JobContext extends DiagnoseContext {
  readonly scheduleFile: string;
  /** Where `bwdc` is on this machine's PATH, when the file has no `bwdc` line. */
  readonly bwdcOnPath?: string;
}

export type JobResult =
  | { readonly job: SyncJob; readonly diagnostics: readonly ScheduleDiagnostic[] }
  | { readonly job?: undefined; readonly diagnostics: readonly ScheduleDiagnostic[]; readonly reason: string };

/** A schedule file already parsed and diagnosed (with the same context), so nothing is done twice. */
export interface DiagnosedSchedule {
  readonly document: ScheduleDocument;
  readonly diagnostics: readonly ScheduleDiagnostic[];
}

/** The job a schedule file describes, or the diagnostics that prevent building it. */
export function resolveJob(input: string | DiagnosedSchedule, context: JobContext): JobResult {
  const document = typeof input === 'string' ? parseSchedule(input) : input.document;
  const diagnostics = typeof input === 'string' ? diagnoseSchedule(document, context) : input.diagnostics;
  if (diagnostics.some((d) => d.severity === 'error')) {
    return { diagnostics, reason: t('The schedule file has errors; fix them first.') };
  }
  const platform = effectivePlatform(document, context.hostPlatform);
  const value = (key: string): string | undefined => document.directives.find((d) => d.key === key)?.value;
  const values = (key: string): string[] => document.directives.filter((d) => d.key === key).map((d) => d.value);
  const resolve = (path: string): string => resolveFor(platform, context.scheduleFile, path);

  const bwdc = value('bwdc') ?? context.bwdcOnPath;
  if (!bwdc) {
    return {
      diagnostics,
      reason: t(
        "bwdc is not on this machine's PATH. Install the Directory Connector CLI, or add a line such as 'bwdc /usr/local/bin/bwdc' with its absolute path.",
      ),
    };
  }
  const name = value('name') ?? defaultName(context.scheduleFile, platform);
  const script = scriptPathFor(platform, context.scheduleFile, value('script'));
  const log = logPathFor(platform, context.scheduleFile, script, value('log'));
  const timezone = value('timezone');
  const runAs = value('run-as');
  const job: SyncJob = {
    name,
    scheduleFile: context.scheduleFile,
    schedules: document.directives
      .filter((d) => d.key === 'schedule')
      .map((d) => ({ text: d.value.split(/[ \t]+/).join(' '), expression: parseCron(d.value).expression!, line: d.line })),
    ...(timezone ? { timezone: canonicalZoneName(timezone)! } : {}),
    platform,
    ...(runAs ? { runAs } : {}),
    bwdc,
    clientId: value('client-id')!,
    secret: secretWithAbsolutePath(parseSecretSource(value('secret')!)!, resolve),
    instances: values('instance')
      .map((value) => resolveInstanceFolder(platform, context.scheduleFile, value))
      .filter((folder, index, all) => all.indexOf(folder) === index),
    env: values('env').map((line) => ({ name: line.slice(0, line.indexOf('=')), value: line.slice(line.indexOf('=') + 1) })),
    log,
    script,
    timeoutSeconds: parseDuration(value('timeout') ?? '') ?? DEFAULT_TIMEOUT_SECONDS,
    scheduler: effectiveScheduler(document, platform),
    ...(value('catch-up') ? { catchUp: value('catch-up') === 'yes' } : {}),
    ...(value('random-delay') ? { randomDelaySeconds: parseDuration(value('random-delay')!)! } : {}),
    ...notifyTargets(values('notify')),
  };
  return { job, diagnostics };
}

/** The distinct `notify` targets, as `{ notify }` to spread into the job, or nothing. */
function notifyTargets(lines: readonly string[]): { notify?: readonly NotifyTarget[] } {
  const targets = lines.map(parseNotify).filter((target): target is NotifyTarget => target !== undefined);
  const distinct = targets.filter((target, index) => targets.findIndex((other) => JSON.stringify(other) === JSON.stringify(target)) === index);
  return distinct.length > 0 ? { notify: distinct } : {};
}

function secretWithAbsolutePath(source: SecretSource, resolve: (path: string) => string): SecretSource {
  return source.scheme === 'file' || source.scheme === 'dpapi' ? { scheme: source.scheme, target: resolve(source.target) } : source;
}

function defaultName(scheduleFile: string, platform: Platform): string {
  const base = pathApi(platform)
    .basename(scheduleFile)
    .replace(/\.bwdc-schedule$/, '');
  const cleaned = base
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
  return cleaned || 'bwdc-sync';
}

/**
 * A fingerprint of what a generated artifact was made from: the job itself plus the
 * generator's version, so a script can say whether it is out of date.
 */
export function jobFingerprint(job: SyncJob, generatorVersion: string): string {
  const material = JSON.stringify({ generatorVersion, ...job, schedules: job.schedules.map((s) => s.text) });
  // Loaded on first use: loading crypto costs the extension's activation several milliseconds.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at first use (see above)
  const { createHash } = require('crypto') as typeof nodeCrypto;
  return `sha256:${createHash('sha256').update(material).digest('hex').slice(0, 32)}`;
}

export type { ScheduleDocument };
