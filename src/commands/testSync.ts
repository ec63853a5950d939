import * as path from 'path';
import vscode = require('vscode');
import { testReportMarkdown, type TestedInstance } from '../core/test/report';
import { commandJob } from '../editor/documents';
import type { CommandContext } from '../editor/context';
import { describePlan, executeRunNow, prepareRun, testOutcome } from '../workflows/runNow';
import { readyToRun, runNowHost, taskErrorShown } from './runSyncNow';

/**
 * "bwdc: Test Sync": the job's script in test mode (`bwdc test` in place of `bwdc sync`, nothing
 * synced), as its run-as user with cron's environment; then per instance a table of the users and
 * groups a sync would send, in the Markdown preview of a read-only document.
 */
export async function testSyncCommand(
  { version, previews, log }: CommandContext,
  argument?: unknown,
): Promise<{ readonly report: readonly TestedInstance[]; readonly view: vscode.Uri } | undefined> {
  const chosen = await commandJob(argument);
  if (!chosen) return undefined;
  const { document, job } = chosen;
  const prepared = await taskErrorShown(prepareRun(job, 'test', runNowHost(version, log), ['bwdc-schedule', 'test', document.uri.fsPath]));
  const plan = prepared && readyToRun(prepared);
  if (!plan) return undefined;
  const name = path.basename(document.uri.fsPath);
  log.info(`Test Sync ${document.uri.fsPath}: ${describePlan(plan)}`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Testing the sync of {0}', name), cancellable: true },
    (progress, token) => {
      const stop = new AbortController();
      token.onCancellationRequested(() => stop.abort());
      return executeRunNow(job, plan, {
        signal: stop.signal,
        onLogLine: (line) => log.info(line),
        onInstance: (index, count, label) => progress.report({ message: vscode.l10n.t('instance {0} of {1}: {2}', index + 1, count, label) }),
      });
    },
  );
  const report = testOutcome(job, result);
  const uri = previews.show(`${document.uri.fsPath}.test.md`, testReportMarkdown(report, document.uri.fsPath));
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    // The Markdown preview is off (its extension disabled): the Markdown itself.
    await vscode.window.showTextDocument(uri, { preview: false });
  }
  const failed = report.filter((instance) => !instance.ok);
  if (result.cancelled) void vscode.window.showWarningMessage(vscode.l10n.t('The test run was stopped.'));
  else if (failed.length > 0)
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Not every instance could be tested: {0}', failed.map((instance) => `${instance.instance}: ${instance.message ?? ''}`).join('; ')),
    );
  return { report, view: uri };
}
