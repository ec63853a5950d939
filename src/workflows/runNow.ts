import { historyOptions } from '../core/history/job';
import { parseHistory } from '../core/history/parse';
import { t } from '../core/l10n';
import { jobFingerprint, type SyncJob } from '../core/schedule/job';
import { scriptState } from '../core/script/generate';
import { testReport, type TestedInstance } from '../core/test/report';
import { instanceLabels } from '../core/script/bash';
import { sameAccount, type UserInfo } from '../host/accounts';
import { planPowerShellScript, planScriptRun, runScriptPlan, sudoCommand, type Account, type ScriptRunPlan, type ScriptRunResult } from '../host/runScript';
import { runRegisteredTask } from '../host/runTask';
import type { ScheduledTasks } from '../host/scheduledTask';
import { taskPath, taskXml, TaskXmlError } from '../core/task/xml';

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
  /** Present on Windows only: the Task Scheduler adapter a windows job's run goes through. */
  readonly windows?: { readonly tasks: ScheduledTasks };
}

/** A windows job's run now: its registered task, started as Task Scheduler would. */
export interface TaskRunPlan {
  readonly kind: 'task';
  readonly taskPath: string;
  /** The task as the schedule file describes it, to compare with the registered one. */
  readonly xml: string;
  readonly tasks: ScheduledTasks;
}

export type RunNowPlan = Extract<ScriptRunPlan, { kind: 'run' }> | TaskRunPlan;

export type RunPreparation =
  | { readonly kind: 'ready'; readonly plan: RunNowPlan; readonly notes: readonly string[] }
  | { readonly kind: 'sudo'; readonly runAs: string; readonly command: string }
  | { readonly kind: 'problem'; readonly message: string };

/**
 * What to run, or why nothing can be. `commandArgv`: how the user would run this command
 * (`bwdc-schedule test FILE`), for the `sudo -u` line.
 */
export function prepareRunNow(job: SyncJob, mode: RunMode, host: RunNowHost, commandArgv: readonly string[]): RunPreparation {
  if (job.platform === 'windows') return prepareWindows(job, mode, host, commandArgv);
  const notes = scriptProblem(job, mode, host);
  if (!Array.isArray(notes)) return notes;
  const plan = planScriptRun(job.script, mode === 'test' ? ['--test'] : [], job.runAs, host.current, host.lookup);
  if (plan.kind === 'sudo') return { kind: 'sudo', runAs: plan.runAs, command: sudoCommand(plan.runAs, commandArgv) };
  if (plan.kind === 'problem') return plan;
  return { kind: 'ready', plan, notes };
}

/**
 * prepareRunNow, and for a windows run the registered task checked against the schedule file
 * (through PowerShell, hence async): not registered, different, running or disabled is a
 * problem whose message says what to do; nothing is started.
 */
export async function prepareRun(job: SyncJob, mode: RunMode, host: RunNowHost, commandArgv: readonly string[]): Promise<RunPreparation> {
  const prepared = prepareRunNow(job, mode, host, commandArgv);
  if (prepared.kind !== 'ready' || prepared.plan.kind !== 'task') return prepared;
  const { tasks, taskPath: name, xml } = prepared.plan;
  const fix = `bwdc-schedule task install ${/\s/.test(job.scheduleFile) ? `"${job.scheduleFile}"` : job.scheduleFile}`;
  const drift = await tasks.drift(xml, name);
  if (drift === undefined) {
    return {
      kind: 'problem',
      message: t('{0} is not registered in Task Scheduler; nothing was run. Register it first: {1} (or bwdc: Install Task Scheduler Task).', name, fix),
    };
  }
  if (drift.length > 0) {
    return {
      kind: 'problem',
      message: t('The registered task {0} differs from the schedule file ({1}); nothing was run. Update it first: {2}', name, drift.join(', '), fix),
    };
  }
  const info = await tasks.runInfo(name);
  if (info.state === 'Running' || info.state === 'Queued')
    return { kind: 'problem', message: t('{0} is running already (started by its schedule or by someone else); nothing was started.', name) };
  if (info.state === 'Disabled') return { kind: 'problem', message: t('{0} is disabled in Task Scheduler; enable it there first. Nothing was started.', name) };
  return prepared;
}

/**
 * Whether the script can run: a problem (missing, not ours, or outdated for a test), or the notes
 * to show before running it (an outdated script runs as it is, as the scheduler would run it).
 */
function scriptProblem(job: SyncJob, mode: RunMode, host: RunNowHost): Extract<RunPreparation, { kind: 'problem' }> | string[] {
  const head = host.readHead(job.script);
  const state = scriptState(head === 'not-a-file' ? '' : head, jobFingerprint(job, host.version));
  if (state === 'missing') {
    return {
      kind: 'problem',
      message: t('There is no sync script at {0} yet: generate it first (bwdc-schedule script, or bwdc: Generate Sync Script).', job.script),
    };
  }
  if (state === 'foreign') return { kind: 'problem', message: t('{0} is not a script bwdc Schedule generated; nothing was run.', job.script) };
  if (state !== 'outdated') return [];
  // An older script may not know --test at all, and would sync instead.
  if (mode === 'test') {
    return { kind: 'problem', message: t('The sync script {0} does not match the schedule file: generate it again before testing.', job.script) };
  }
  return [t('The sync script {0} does not match the schedule file; it runs as it is, as the scheduler would run it.', job.script)];
}

function prepareWindows(job: SyncJob, mode: RunMode, host: RunNowHost, commandArgv: readonly string[]): RunPreparation {
  if (!host.windows) {
    return { kind: 'problem', message: t('{0} is a Windows job: run it on the Windows machine ({1}).', job.scheduleFile, commandArgv.join(' ')) };
  }
  if (mode === 'run') {
    if (!job.runAs)
      return {
        kind: 'problem',
        message: t('{0} names no run-as account, so it has no task to start; add a run-as line and install the task.', job.scheduleFile),
      };
    let xml: string;
    try {
      xml = taskXml(job, { version: host.version });
    } catch (error) {
      if (!(error instanceof TaskXmlError)) throw error;
      const where = error.line !== undefined ? `${job.scheduleFile}:${error.line + 1}` : job.scheduleFile;
      return { kind: 'problem', message: `${where}: ${error.message}` };
    }
    return { kind: 'ready', plan: { kind: 'task', taskPath: taskPath(job), xml, tasks: host.windows.tasks }, notes: [] };
  }
  const problem = scriptProblem(job, mode, host);
  if (!Array.isArray(problem)) return problem;
  // Windows has no sudo: a test as another account runs in that account's own session.
  if (job.runAs !== undefined && !sameAccount(job.runAs, host.current.name)) {
    return { kind: 'sudo', runAs: job.runAs, command: runasCommand(job.runAs, commandArgv) };
  }
  const account = host.lookup(host.current.name);
  if (!account) return { kind: 'problem', message: t('the run-as user {0} does not exist on this machine', host.current.name) };
  return { kind: 'ready', plan: planPowerShellScript(job.script, ['-Test'], account), notes: [] };
}

/**
 * `runas /user:HOST\name "cmd /k bwdc-schedule test \"C:\…\""`: runas takes one command line,
 * in which a quote is written \"; cmd /k keeps the window open to read the result.
 */
export function runasCommand(runAs: string, argv: readonly string[]): string {
  const words = argv.map((word) => (/^[\w@%+=:,./\\-]+$/.test(word) ? word : `"${word.replace(/"/g, '')}"`));
  return `runas /user:${runAs} "cmd /k ${words.join(' ').replace(/"/g, '\\"')}"`;
}

/** What a plan runs, for the output channel. */
export function describePlan(plan: RunNowPlan): string {
  return plan.kind === 'task' ? `Start-ScheduledTask ${plan.taskPath}` : `${plan.command} ${plan.args.join(' ')}`;
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
  /** How often a Windows task's state is asked (default 1500 ms). */
  readonly taskPollMs?: number;
}

/** Runs a prepared plan, reporting log lines and instance progress. */
export async function executeRunNow(job: SyncJob, plan: RunNowPlan, events: RunNowEvents): Promise<ScriptRunResult> {
  const instances = jobInstances(job);
  const labels = instances.map((instance) => instance.label);
  const onLogLine = (line: string): void => {
    events.onLogLine?.(line);
    const index = instanceStarted(line, labels);
    if (index !== undefined) events.onInstance?.(index, labels.length, labels[index]!);
  };
  if (plan.kind === 'task') {
    return runRegisteredTask(plan.tasks, plan.taskPath, {
      log: job.log,
      onLogLine,
      ...(events.signal ? { signal: events.signal } : {}),
      ...(events.taskPollMs !== undefined ? { pollMs: events.taskPollMs } : {}),
    });
  }
  return runScriptPlan(plan, {
    log: job.log,
    ...(events.signal ? { signal: events.signal } : {}),
    ...(events.graceMs !== undefined ? { graceMs: events.graceMs } : {}),
    onLogLine,
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
