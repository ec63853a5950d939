import * as path from 'path';
import vscode = require('vscode');
import { currentUser } from '../host/accounts';
import type { WorkflowHost } from '../workflows/crontab';
import type { TaskUi } from '../workflows/task';
import type { Outcome } from '../workflows/ui';
import { FolderBackups } from '../host/crontab';
import { FileLocks } from '../host/lock';
import { SpawnRunner } from '../host/process';
import type { CommandContext } from '../editor/context';

/** A workflow's questions, previews and password box, in the editor. */
export function editorWorkflowUi(context: CommandContext): TaskUi {
  return {
    async preview(title, before, after, labels) {
      const left = context.previews.show(labels?.before ?? vscode.l10n.t('{0} (now)', title), before);
      const right = context.previews.show(labels?.after ?? vscode.l10n.t('{0} (after)', title), after);
      // Not a preview tab: that would replace the schedule file's own preview tab, and the file
      // would be gone once the diff is closed.
      await vscode.commands.executeCommand('vscode.diff', left, right, vscode.l10n.t('{0}: now ↔ after', title), { preview: false });
    },
    confirm(question, detail) {
      return context.prompts.current.confirm(question, detail, vscode.l10n.t('Yes, change it'));
    },
    say(message) {
      context.log.info(message);
    },
    warn(message) {
      context.log.warn(message);
      void vscode.window.showWarningMessage(message);
    },
    password(prompt) {
      return context.prompts.current.password(prompt, (value) => (value.length === 0 ? vscode.l10n.t('The password cannot be empty.') : undefined));
    },
  };
}

export function editorWorkflowHost(context: CommandContext, commandForAdmin: string): WorkflowHost {
  return {
    runner: new SpawnRunner((line) => context.log.info(line)),
    currentUser: currentUser(),
    backups: new FolderBackups(path.join(context.storageFolder, 'crontab-backups')),
    locks: new FileLocks(),
    version: context.version,
    commandForAdmin,
  };
}

/** A workflow that stopped with an error: logged, and shown with a way to the log. */
export function workflowFailed(context: CommandContext, message: string): Outcome {
  context.log.error(message);
  void vscode.window.showErrorMessage(message, vscode.l10n.t('Show Log')).then((choice) => {
    if (choice) context.log.show();
  });
  return { done: false, message };
}
