import vscode = require('vscode');
import { commands } from '../editor/commandBundle';
import type { CommandContext } from '../editor/context';
import {
  type CommandId,
  NEW_SCHEDULE_FILE_COMMAND,
  EXPORT_TASK_XML_COMMAND,
  GENERATE_SCRIPT_COMMAND,
  INSTALL_TASK_COMMAND,
  REMOVE_TASK_COMMAND,
  INSTALL_CRONTAB_COMMAND,
  PREPARE_USER_COMMAND,
  REMOVE_CRONTAB_COMMAND,
  STORE_SECRET_COMMAND,
  VALIDATE_DATA_JSON_COMMAND,
  SHOW_HISTORY_COMMAND,
  TEST_SYNC_COMMAND,
  RUN_SYNC_NOW_COMMAND,
  CHECK_SETUP_COMMAND,
  INSTALL_SYSTEMD_TIMER_COMMAND,
  REMOVE_SYSTEMD_TIMER_COMMAND,
} from '../editor/ids';

/** What each command does; the activation shell registers them (src/extension.ts). */
export type CommandHandlers = Readonly<Record<CommandId, (...args: unknown[]) => Promise<unknown>>>;

/** Every command's entry, which loads its implementation (dist/commands.js) when first run. */
export function commandHandlers(context: CommandContext): CommandHandlers {
  return {
    [NEW_SCHEDULE_FILE_COMMAND]: (argument?: unknown) => commands().newScheduleFileCommand(context, argument),
    [GENERATE_SCRIPT_COMMAND]: trusted((argument?: unknown) => commands().generateScriptCommand(context, argument)),
    [STORE_SECRET_COMMAND]: trusted((argument?: unknown) => commands().storeSecretCommand(context, argument)),
    [INSTALL_CRONTAB_COMMAND]: trusted((argument?: unknown) => commands().crontabCommand('install', context, argument)),
    [REMOVE_CRONTAB_COMMAND]: trusted((argument?: unknown) => commands().crontabCommand('remove', context, argument)),
    [PREPARE_USER_COMMAND]: trusted((argument?: unknown) => commands().crontabCommand('prepare-user', context, argument)),
    [INSTALL_TASK_COMMAND]: trusted((argument?: unknown) => commands().taskCommand('install', context, argument)),
    [REMOVE_TASK_COMMAND]: trusted((argument?: unknown) => commands().taskCommand('remove', context, argument)),
    [INSTALL_SYSTEMD_TIMER_COMMAND]: trusted((argument?: unknown) => commands().systemdCommand('install', context, argument)),
    [REMOVE_SYSTEMD_TIMER_COMMAND]: trusted((argument?: unknown) => commands().systemdCommand('remove', context, argument)),
    [EXPORT_TASK_XML_COMMAND]: trusted((argument?: unknown, target?: unknown) => commands().exportTaskXmlCommand(context, argument, target)),
    [VALIDATE_DATA_JSON_COMMAND]: (argument?: unknown) => commands().validateDataJsonCommand(context, argument),
    [SHOW_HISTORY_COMMAND]: (argument?: unknown) => commands().showHistoryCommand(context, argument),
    [TEST_SYNC_COMMAND]: trusted((argument?: unknown) => commands().testSyncCommand(context, argument)),
    [RUN_SYNC_NOW_COMMAND]: trusted((argument?: unknown) => commands().runSyncNowCommand(context, argument)),
    // Only reads, but starts the bwdc the file names (bwdc --version).
    [CHECK_SETUP_COMMAND]: trusted((argument?: unknown) => commands().checkSetupCommand(context, argument)),
  };
}

/**
 * Commands that write scripts, read secrets or change crontabs and tasks act on what the
 * workspace's files say; in a workspace not yet trusted they explain why they do nothing.
 */
function trusted<A extends unknown[], R>(run: (...args: A) => Promise<R>): (...args: A) => Promise<R | undefined> {
  return async (...args: A) => {
    if (vscode.workspace.isTrusted) return run(...args);
    const manage = vscode.l10n.t('Manage Workspace Trust');
    // Not awaited: the command ends now, the notification stays until dismissed.
    void vscode.window
      .showWarningMessage(
        vscode.l10n.t(
          'This command writes files or changes crontabs and scheduled tasks from what this workspace says, so it runs only in a trusted workspace.',
        ),
        manage,
      )
      .then((choice) => (choice === manage ? vscode.commands.executeCommand('workbench.trust.manage') : undefined));
    return undefined;
  };
}
