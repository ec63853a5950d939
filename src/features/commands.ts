import vscode = require('vscode');
import type { CommandContext } from '../commands/context';
import { EXPORT_TASK_XML_COMMAND, GENERATE_SCRIPT_COMMAND, INSTALL_TASK_COMMAND, REMOVE_TASK_COMMAND, INSTALL_CRONTAB_COMMAND, PREPARE_USER_COMMAND, REMOVE_CRONTAB_COMMAND, STORE_SECRET_COMMAND, VALIDATE_DATA_JSON_COMMAND } from '../commands/ids';

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
    vscode.commands.registerCommand(GENERATE_SCRIPT_COMMAND, (argument?: unknown) => commands().generateScriptCommand(context, argument)),
    vscode.commands.registerCommand(STORE_SECRET_COMMAND, (argument?: unknown) => commands().storeSecretCommand(context, argument)),
    vscode.commands.registerCommand(INSTALL_CRONTAB_COMMAND, (argument?: unknown) => commands().crontabCommand('install', context, argument)),
    vscode.commands.registerCommand(REMOVE_CRONTAB_COMMAND, (argument?: unknown) => commands().crontabCommand('remove', context, argument)),
    vscode.commands.registerCommand(PREPARE_USER_COMMAND, (argument?: unknown) => commands().crontabCommand('prepare-user', context, argument)),
    vscode.commands.registerCommand(INSTALL_TASK_COMMAND, (argument?: unknown) => commands().taskCommand('install', context, argument)),
    vscode.commands.registerCommand(REMOVE_TASK_COMMAND, (argument?: unknown) => commands().taskCommand('remove', context, argument)),
    vscode.commands.registerCommand(EXPORT_TASK_XML_COMMAND, (argument?: unknown, target?: unknown) => commands().exportTaskXmlCommand(context, argument, target)),
    vscode.commands.registerCommand(VALIDATE_DATA_JSON_COMMAND, (argument?: unknown) => commands().validateDataJsonCommand(context, argument)),
  );
}
