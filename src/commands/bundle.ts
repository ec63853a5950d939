/**
 * The commands, bundled apart (dist/commands.js) and loaded at their first use, so that
 * activation never pays for the script generators, the secret store or child processes.
 */
import vscode = require('vscode');
import { summaryMarkdown } from '../core/datajson/summary';
import { useTranslations } from '../core/l10n';
import type { CommandBundle } from '../editor/commandBundle';
import { checkDataJsonFile } from '../host/dataJsonFile';
import { crontabCommand } from './crontabCommands';
import { crontabStateOf, forgetCrontabState } from './crontabState';
import { exportTaskXmlCommand } from './exportTaskXml';
import { generateScriptCommand } from './generateScript';
import { historyOf } from './historyState';
import { newScheduleFileCommand } from './newScheduleFile';
import { scriptStateOf } from './scriptState';
import { showHistoryCommand } from './showHistory';
import { storeSecretCommand } from './storeSecret';
import { taskCommand } from './taskCommands';
import { forgetTaskState, taskStateOf } from './taskState';
import { validateDataJsonCommand } from './validateDataJson';

// This bundle has its own copy of core, so it installs VS Code's translations for it too.
useTranslations(vscode.l10n.bundle);

export const bundle: CommandBundle = {
  newScheduleFileCommand,
  generateScriptCommand,
  storeSecretCommand,
  crontabCommand,
  taskCommand,
  exportTaskXmlCommand,
  validateDataJsonCommand,
  showHistoryCommand,
  scriptStateOf,
  crontabStateOf,
  forgetCrontabState,
  taskStateOf,
  forgetTaskState,
  checkDataJsonFile,
  summaryMarkdown,
  historyOf,
};
