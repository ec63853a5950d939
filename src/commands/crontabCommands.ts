import vscode = require('vscode');
import { commandJob } from '../editor/documents';
import { CrontabTextError } from '../core/crontab/block';
import { assertCronPlatform, installCrontab, prepareUser, removeCrontab, type Outcome } from '../workflows/crontab';
import { CrontabError } from '../host/crontab';
import type { CommandContext } from '../editor/context';
import { editorWorkflowHost, editorWorkflowUi, workflowFailed } from './workflow';

type Action = 'install' | 'remove' | 'prepare-user';

/** "bwdc: Install Crontab Entry", "Remove Crontab Entry" and "Prepare Run-as User". */
export async function crontabCommand(action: Action, context: CommandContext, argument?: unknown): Promise<Outcome | undefined> {
  const target = await commandJob(argument);
  if (!target) return undefined;
  const { document, job } = target;
  const host = editorWorkflowHost(context, `bwdc-schedule crontab ${action} "${document.uri.fsPath}"`);
  const ui = editorWorkflowUi(context);
  try {
    if (action === 'remove') assertCronPlatform(job);
    const outcome =
      action === 'install'
        ? await installCrontab(job, host, ui)
        : action === 'remove'
          ? await removeCrontab(job.name, job.runAs, host, ui)
          : await prepareUser(job, host, ui);
    context.log.info(outcome.message);
    if (outcome.done) void vscode.window.showInformationMessage(outcome.message);
    else void vscode.window.showWarningMessage(outcome.message);
    return outcome;
  } catch (error) {
    const message =
      error instanceof CrontabError || error instanceof CrontabTextError
        ? error.message
        : vscode.l10n.t('The crontab command failed: {0}', (error as Error).message);
    return workflowFailed(context, message);
  } finally {
    await context.previews.closeAll();
    context.changed.fire();
  }
}
