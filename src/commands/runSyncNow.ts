import * as path from 'path';
import vscode = require('vscode');
import { currentUser } from '../host/accounts';
import { fileHead } from '../host/files';
import { SpawnRunner } from '../host/process';
import { lookupAccount } from '../host/runScript';
import { ScheduledTaskError, ScheduledTasks } from '../host/scheduledTask';
import { commandJob } from '../editor/documents';
import type { CommandContext } from '../editor/context';
import {
  describePlan,
  executeRunNow,
  prepareRun,
  runSummary,
  type RunNowHost,
  type RunNowPlan,
  type RunPreparation,
  type RunSummary,
} from '../workflows/runNow';

/**
 * "bwdc: Run Sync Now": the job's script once, now, exactly as the scheduler would start it (the
 * run-as user, cron's environment). Its log lines stream into the output channel, the progress
 * notification says which instance runs and can stop the run; at the end a notification gives
 * each instance's result, with "Show Log".
 */
export async function runSyncNowCommand({ version, log, changed }: CommandContext, argument?: unknown): Promise<RunSummary | undefined> {
  const chosen = await commandJob(argument);
  if (!chosen) return undefined;
  const { document, job } = chosen;
  const prepared = await taskErrorShown(prepareRun(job, 'run', runNowHost(version, log), ['bwdc-schedule', 'run', document.uri.fsPath]));
  const plan = prepared && readyToRun(prepared);
  if (!plan) return undefined;
  const name = path.basename(document.uri.fsPath);
  log.show(true);
  log.info(`Run Sync Now ${document.uri.fsPath}: ${describePlan(plan)}`);
  const lines: string[] = [];
  const result = await taskErrorShown(
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Running the sync of {0}', name), cancellable: true },
      (progress, token) => {
        const stop = new AbortController();
        token.onCancellationRequested(() => stop.abort());
        return executeRunNow(job, plan, {
          signal: stop.signal,
          onLogLine: (line) => {
            lines.push(line);
            log.info(line);
          },
          onInstance: (index, count, label) => progress.report({ message: vscode.l10n.t('instance {0} of {1}: {2}', index + 1, count, label) }),
        });
      },
    ),
  );
  if (!result) return undefined;
  if (result.stderr.trim() !== '') log.warn(result.stderr.trim());
  // The status item and the history read the log again.
  changed.fire();
  const summary = runSummary(job, lines, result);
  const showLog = vscode.l10n.t('Show Log');
  const text = result.cancelled
    ? vscode.l10n.t('The sync run of {0} was stopped: {1}', name, summary.lines.join('; '))
    : summary.ok
      ? vscode.l10n.t('The sync of {0} finished: {1}', name, summary.lines.join('; '))
      : vscode.l10n.t('The sync of {0} failed (exit {1}): {2}', name, result.code ?? result.signal ?? '?', summary.lines.join('; '));
  const show = summary.ok ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
  void show(text, showLog).then((choice) => {
    if (choice === showLog) log.show();
  });
  return summary;
}

/** Where the editor runs a job: on Windows with the Task Scheduler adapter (its PowerShell calls in the output channel). */
export function runNowHost(version: string, log: vscode.LogOutputChannel): RunNowHost {
  const host = { current: currentUser(), version, readHead: fileHead, lookup: lookupAccount };
  return process.platform === 'win32' ? { ...host, windows: { tasks: new ScheduledTasks(new SpawnRunner((line) => log.info(line))) } } : host;
}

/** The promise's value, or undefined after showing a Task Scheduler failure (PowerShell missing, access denied). */
export async function taskErrorShown<T>(promise: PromiseLike<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (!(error instanceof ScheduledTaskError)) throw error;
    void vscode.window.showErrorMessage(error.message);
    return undefined;
  }
}

/** The plan to run, or undefined after telling the user why nothing runs. */
export function readyToRun(prepared: RunPreparation): RunNowPlan | undefined {
  if (prepared.kind === 'sudo') {
    const copy = vscode.l10n.t('Copy Command');
    void vscode.window
      .showErrorMessage(
        vscode.l10n.t(
          'This job runs as {0}; the editor runs as {1}, so nothing was run. In a terminal, run: {2}',
          prepared.runAs,
          currentUser().name,
          prepared.command,
        ),
        copy,
      )
      .then((choice) => (choice === copy ? vscode.env.clipboard.writeText(prepared.command) : undefined));
    return undefined;
  }
  if (prepared.kind === 'problem') {
    void vscode.window.showErrorMessage(prepared.message);
    return undefined;
  }
  for (const note of prepared.notes) void vscode.window.showWarningMessage(note);
  return prepared.plan;
}
