import { historyOptions } from '../core/history/job';
import { parseHistory } from '../core/history/parse';
import { t } from '../core/l10n';
import { jobFingerprint, type SyncJob } from '../core/schedule/job';
import { scriptState } from '../core/script/generate';
import { testReport, type TestedInstance } from '../core/test/report';
import { instanceLabels } from '../core/script/bash';
import type { UserInfo } from '../host/accounts';
import { planScriptRun, runScriptPlan, sudoCommand, type Account, type ScriptRunPlan, type ScriptRunResult } from '../host/runScript';

/**
 * Run Sync Now and Test Sync, shared by `bwdc-schedule run|test` and the editor: the job's own
 * script (the one the scheduler starts), as its run-as user, with cron's environment.
 */

export type RunMode = 'run' | 'test';

export interface RunNowHost {
  readonly current: UserInfo;
  readonly version: string;
  /** The script's first bytes (host/files fileHead): enough for its fingerprint. */
  readonly readHead: (file: string) => string | 'not-a-file' | undefined;
  readonly lookup: (name: string) => Account | undefined;
}

export type RunPreparation =
  | { readonly kind: 'ready'; readonly plan: Extract<ScriptRunPlan, { kind: 'run' }>; readonly notes: readonly string[] }
  | { readonly kind: 'sudo'; readonly runAs: string; readonly command: string }
  | { readonly kind: 'problem'; readonly message: string };

/**
 * What to run, or why nothing can be. `commandArgv`: how the user would run this command
 * (`bwdc-schedule test FILE`), for the `sudo -u` line.
 */
export function prepareRunNow(job: SyncJob, mode: RunMode, host: RunNowHost, commandArgv: readonly string[]): RunPreparation {
  if (job.platform === 'windows') {
    return { kind: 'problem', message: t('Running the Windows script from here is not supported yet: start the task in Task Scheduler (Run).') };
  }
  const head = host.readHead(job.script);
  const state = scriptState(head === 'not-a-file' ? '' : head, jobFingerprint(job, host.version));
  const notes: string[] = [];
  if (state === 'missing') {
    return {
      kind: 'problem',
      message: t('There is no sync script at {0} yet: generate it first (bwdc-schedule script, or bwdc: Generate Sync Script).', job.script),
    };
  }
  if (state === 'foreign') return { kind: 'problem', message: t('{0} is not a script bwdc Schedule generated; nothing was run.', job.script) };
  if (state === 'outdated') {
    // An older script may not know --test at all, and would sync instead.
    if (mode === 'test') {
      return { kind: 'problem', message: t('The sync script {0} does not match the schedule file: generate it again before testing.', job.script) };
    }
    notes.push(t('The sync script {0} does not match the schedule file; it runs as it is, as the scheduler would run it.', job.script));
  }
  const plan = planScriptRun(job.script, mode === 'test' ? ['--test'] : [], job.runAs, host.current, host.lookup);
  if (plan.kind === 'sudo') return { kind: 'sudo', runAs: plan.runAs, command: sudoCommand(plan.runAs, commandArgv) };
  if (plan.kind === 'problem') return plan;
  return { kind: 'ready', plan, notes };
}

/** The job's instances as the script labels them (no instance lines: `default`). */
export function jobInstances(job: SyncJob): { label: string; folder: string | null }[] {
  if (job.instances.length === 0) return [{ label: 'default', folder: null }];
  const labels = instanceLabels(job.instances, job.platform);
  return job.instances.map((folder, index) => ({ label: labels[index]!, folder }));
}

/** Which instance a log line begins (`[label] instance folder: …`): its index, or undefined. */
export function instanceStarted(line: string, labels: readonly string[]): number | undefined {
  // Known labels, longest first: a folder's name may hold "] " itself.
  const order = labels.map((label, index) => ({ label, index })).sort((a, b) => b.label.length - a.label.length);
  return order.find(({ label }) => line.includes(` [${label}] instance folder: `))?.index;
}

export interface RunNowEvents {
  /** A line of the run's log, as it is written. */
  readonly onLogLine?: (line: string) => void;
  /** Instance `index` (from 0) of `count` begins. */
  readonly onInstance?: (index: number, count: number, label: string) => void;
  readonly signal?: AbortSignal;
  readonly graceMs?: number;
}

/** Runs a prepared plan, reporting log lines and instance progress. */
export async function executeRunNow(job: SyncJob, plan: Extract<ScriptRunPlan, { kind: 'run' }>, events: RunNowEvents): Promise<ScriptRunResult> {
  const instances = jobInstances(job);
  const labels = instances.map((instance) => instance.label);
  return runScriptPlan(plan, {
    log: job.log,
    ...(events.signal ? { signal: events.signal } : {}),
    ...(events.graceMs !== undefined ? { graceMs: events.graceMs } : {}),
    onLogLine: (line) => {
      events.onLogLine?.(line);
      const index = instanceStarted(line, labels);
      if (index !== undefined) events.onInstance?.(index, labels.length, labels[index]!);
    },
  });
}

/** A test run's outcome per instance. */
export function testOutcome(job: SyncJob, result: ScriptRunResult): TestedInstance[] {
  return testReport({ instances: jobInstances(job), stdout: result.stdout, stderr: result.stderr, exitCode: result.code });
}

export interface RunSummary {
  /** Every instance synced (the script's exit code 0). */
  readonly ok: boolean;
  /** One line per instance ("instance-1: synced: 2 groups, 5 users"), or why the run stopped. */
  readonly lines: readonly string[];
}

/** What a finished run did per instance, from the log lines it wrote (and its stderr when it wrote none). */
export function runSummary(job: SyncJob, logLines: readonly string[], result: ScriptRunResult): RunSummary {
  const ok = result.code === 0;
  const history = logLines.length > 0 ? parseHistory([{ name: job.log, text: `${logLines.join('\n')}\n` }], historyOptions(job, 1)) : undefined;
  const run = history && !('notOurs' in history) ? history.runs[0] : undefined;
  const lines = (run?.instances ?? []).map((instance) => {
    const counts = instance.users !== null && instance.groups !== null ? t('{0} users, {1} groups', instance.users, instance.groups) : undefined;
    const what = instance.result === 'ok' ? counts : (instance.message ?? undefined);
    return what ? `${instance.label}: ${resultWord(instance.result)} (${what})` : `${instance.label}: ${resultWord(instance.result)}`;
  });
  if (lines.length === 0 || (run?.instances.length ?? 0) === 0) {
    const said = result.stderr
      .split(/\r?\n/)
      .map((line) => line.replace(/^bwdc sync .*?: /, '').trim())
      .filter(Boolean);
    if (said.length > 0) return { ok, lines: said.slice(-3) };
    if (result.cancelled) return { ok: false, lines: [t('The run was stopped.')] };
    return { ok, lines: [t('The script ended with exit code {0}.', result.code ?? result.signal ?? '?')] };
  }
  return { ok, lines };
}

function resultWord(result: 'ok' | 'failed' | 'skipped'): string {
  switch (result) {
    case 'ok':
      return t('ok');
    case 'failed':
      return t('failed');
    case 'skipped':
      return t('skipped');
  }
}
