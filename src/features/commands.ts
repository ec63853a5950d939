import vscode = require('vscode');
import type { CommandContext } from '../commands/context';
import { NEW_SCHEDULE_FILE_COMMAND, EXPORT_TASK_XML_COMMAND, GENERATE_SCRIPT_COMMAND, INSTALL_TASK_COMMAND, REMOVE_TASK_COMMAND, INSTALL_CRONTAB_COMMAND, PREPARE_USER_COMMAND, REMOVE_CRONTAB_COMMAND, STORE_SECRET_COMMAND, VALIDATE_DATA_JSON_COMMAND } from '../commands/ids';

type Commands = typeof import('../commands/index');

let loaded: Commands | undefined;
/** The command implementations, from their own bundle, on first use (see scripts/build.mjs). */
export function commands(): Commands {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('../commands/index') as Commands;
  return loaded;
}

/** Registers every command with an entry that loads its implementation when first run. */
export function registerCommands(context: CommandContext): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(NEW_SCHEDULE_FILE_COMMAND, (argument?: unknown) => commands().newScheduleFileCommand(context, argument)),
    vscode.commands.registerCommand(GENERATE_SCRIPT_COMMAND, trusted((argument?: unknown) => commands().generateScriptCommand(context, argument))),
    vscode.commands.registerCommand(STORE_SECRET_COMMAND, trusted((argument?: unknown) => commands().storeSecretCommand(context, argument))),
    vscode.commands.registerCommand(INSTALL_CRONTAB_COMMAND, trusted((argument?: unknown) => commands().crontabCommand('install', context, argument))),
    vscode.commands.registerCommand(REMOVE_CRONTAB_COMMAND, trusted((argument?: unknown) => commands().crontabCommand('remove', context, argument))),
    vscode.commands.registerCommand(PREPARE_USER_COMMAND, trusted((argument?: unknown) => commands().crontabCommand('prepare-user', context, argument))),
    vscode.commands.registerCommand(INSTALL_TASK_COMMAND, trusted((argument?: unknown) => commands().taskCommand('install', context, argument))),
    vscode.commands.registerCommand(REMOVE_TASK_COMMAND, trusted((argument?: unknown) => commands().taskCommand('remove', context, argument))),
    vscode.commands.registerCommand(EXPORT_TASK_XML_COMMAND, trusted((argument?: unknown, target?: unknown) => commands().exportTaskXmlCommand(context, argument, target))),
    vscode.commands.registerCommand(VALIDATE_DATA_JSON_COMMAND, (argument?: unknown) => commands().validateDataJsonCommand(context, argument)),
  );
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
      .showWarningMessage(vscode.l10n.t('This command writes files or changes crontabs and scheduled tasks from what this workspace says, so it runs only in a trusted workspace.'), manage)
      .then((choice) => (choice === manage ? vscode.commands.executeCommand('workbench.trust.manage') : undefined));
    return undefined;
  };
}
