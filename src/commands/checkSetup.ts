import vscode = require('vscode');
import { setupMarkdown } from '../core/doctor/present';
import type { CommandContext } from '../editor/context';
import { jobOf, scheduleDocument } from '../editor/documents';
import { currentUser } from '../host/accounts';
import { SpawnRunner } from '../host/process';
import { checkSetup } from '../workflows/doctor';

/**
 * "bwdc: Check Setup": everything the schedule file's job needs on this machine (the scheduler,
 * the job installed, run-as, the script, the secret, bwdc, the instance folders, the log, modes
 * and zones; src/core/doctor/checks.ts), shown as a read-only Markdown preview with each failed
 * check's fix. It only reads, but it starts bwdc from the path the file names: trusted workspaces only.
 */
export async function checkSetupCommand(context: CommandContext, argument?: unknown): Promise<vscode.Uri | undefined> {
  const document = await scheduleDocument(argument);
  if (!document) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Open a bwdc schedule file (*.bwdc-schedule) first.'));
    return undefined;
  }
  const job = await jobOf(document);
  if (!job) return undefined;
  const user = currentUser();
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the set-up of {0}…', job.name) },
    () => checkSetup(job, { runner: new SpawnRunner((line) => context.log.info(line)), currentUser: user, version: context.version }),
  );
  const markdown = setupMarkdown(report, { scheduleFile: job.scheduleFile, job: job.name, runAs: job.runAs ?? user.name });
  const uri = context.previews.show(`${job.scheduleFile}.setup.md`, markdown);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    // The Markdown preview is off (its extension disabled): the Markdown itself.
    await vscode.window.showTextDocument(uri, { preview: false });
  }
  return uri;
}
