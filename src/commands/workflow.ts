import * as path from 'path';
import vscode = require('vscode');
import { currentUser } from '../host/accounts';
import type { WorkflowHost, WorkflowUi } from '../host/cronJob';
import { FolderBackups } from '../host/crontab';
import { FileLocks } from '../host/lock';
import { SpawnRunner } from '../host/process';
import type { CommandContext } from './context';

/** The crontab workflow's questions and previews, in the editor. */
export function editorWorkflowUi(context: CommandContext): WorkflowUi {
  return {
    async preview(title, before, after) {
      const left = context.previews.show(vscode.l10n.t('{0} (now)', title), before);
      const right = context.previews.show(vscode.l10n.t('{0} (after)', title), after);
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
