import { t } from '../core/l10n';
import { LogFollower, type ScriptRunResult } from './runScript';
import { TASK_RESULTS, type ScheduledTasks, type TaskRunInfo } from './scheduledTask';

/**
 * Runs a Windows job now through its registered task (Start-ScheduledTask), so it runs exactly as
 * Task Scheduler runs it: as the run-as account, "whether the user is logged on or not", with the
 * task's settings. We do not get the script's output or pid: progress comes from the job's log
 * (the first run that starts in it after our start), the end and the exit code from the task's
 * state (Running, then Ready) and LastTaskResult, polled every second or two.
 */

export interface TaskRunOptions {
  /** The job's log, followed while the task runs. */
  readonly log: string;
  readonly onLogLine?: (line: string) => void;
  /** Aborting it stops the task (Stop-ScheduledTask). */
  readonly signal?: AbortSignal;
  /** How often the task's state is asked (default 1500 ms: each question starts a PowerShell). */
  readonly pollMs?: number;
  /** How long the task may stay queued or not started before we give up (default 60 s). */
  readonly startTimeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The task's state says the run that began after `before` has ended. */
function runEnded(before: TaskRunInfo, info: TaskRunInfo, sawRunning: boolean): boolean {
  if (info.state === 'Running' || info.state === 'Queued' || info.lastResult === TASK_RESULTS.running) return false;
  return sawRunning || (info.lastRun !== undefined && info.lastRun !== before.lastRun);
}

export async function runRegisteredTask(tasks: ScheduledTasks, taskPath: string, options: TaskRunOptions): Promise<ScriptRunResult> {
  const sleep = options.sleep ?? sleepFor;
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 1500;
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const follower = new LogFollower(options.log, options.onLogLine ?? (() => undefined));
  follower.pid = 'any';
  const before = await tasks.runInfo(taskPath);
  if (before.state === 'Running' || before.state === 'Queued') {
    return ended(1, t('{0} is running already (started by its schedule or by someone else); nothing was started.', taskPath), false);
  }
  if (before.state === 'Disabled') {
    return ended(1, t('{0} is disabled in Task Scheduler; enable it there first. Nothing was started.', taskPath), false);
  }
  let stopAsked = false;
  const stop = (): void => {
    stopAsked = true;
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    if (options.signal?.aborted) return ended(1, t('The run was stopped.'), true);
    await tasks.start(taskPath);
    const startedAt = now();
    let sawRunning = false;
    let stopSent = false;
    for (;;) {
      await sleep(pollMs);
      follower.read();
      if (stopAsked && !stopSent) {
        stopSent = true;
        await tasks.stop(taskPath);
      }
      const info = await tasks.runInfo(taskPath);
      if (info.state === 'Running') sawRunning = true;
      if (runEnded(before, info, sawRunning)) {
        follower.read();
        const notes: string[] = [];
        if (!follower.started)
          notes.push(t("The log {0} showed no run of this task: the script may not have started (see the task's History in Task Scheduler).", options.log));
        if (info.lastResult === TASK_RESULTS.terminated && !stopSent) notes.push(t('{0} was stopped in Task Scheduler (0x41306).', taskPath));
        // 0x41306 and other Task Scheduler codes are not the script's: a failed run.
        const code = info.lastResult === 0 ? 0 : info.lastResult <= 0xff ? info.lastResult : 1;
        if (code !== info.lastResult && info.lastResult !== TASK_RESULTS.terminated) {
          notes.push(t('Task Scheduler reports the last run result 0x{0}.', info.lastResult.toString(16).toUpperCase()));
        }
        return ended(code, notes.join('\n'), stopSent);
      }
      // Stopped before it ran (still queued): it ends without a run of its own.
      if (stopSent && info.state !== 'Running' && info.state !== 'Queued') return ended(1, t('The run was stopped.'), true);
      if (!sawRunning && now() - startedAt > startTimeoutMs) {
        return ended(
          1,
          t(
            'Task Scheduler did not start {0} within {1} seconds (state {2}); see its History in Task Scheduler.',
            taskPath,
            Math.round(startTimeoutMs / 1000),
            info.state,
          ),
          stopSent,
        );
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
}

function ended(code: number, message: string, cancelled: boolean): ScriptRunResult {
  return { code, signal: null, stdout: '', stderr: message === '' ? '' : `${message}\n`, cancelled };
}
