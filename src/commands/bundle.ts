/**
 * The commands, bundled apart (dist/commands.js) and loaded at their first use, so that
 * activation never pays for the script generators, the secret store or child processes.
 */
import vscode = require('vscode');
import { summaryMarkdown } from '../core/datajson/summary';
import { useTranslations } from '../core/l10n';
import type { CommandBundle } from '../editor/commandBundle';
import { checkDataJsonFile } from '../host/dataJsonFile';
import { checkSetupCommand } from './checkSetup';
import { crontabCommand } from './crontabCommands';
import { crontabStateOf, forgetCrontabState } from './crontabState';
import { exportTaskXmlCommand } from './exportTaskXml';
import { generateScriptCommand } from './generateScript';
import { historyOf, missedOf } from './historyState';
import { newScheduleFileCommand } from './newScheduleFile';
import { scriptStateOf } from './scriptState';
import { runSyncNowCommand } from './runSyncNow';
import { showHistoryCommand } from './showHistory';
import { storeSecretCommand } from './storeSecret';
import { systemdCommand } from './systemdCommands';
import { forgetSystemdState, systemdStateOf } from './systemdState';
import { taskCommand } from './taskCommands';
import { testSyncCommand } from './testSync';
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
  systemdCommand,
  exportTaskXmlCommand,
  validateDataJsonCommand,
  showHistoryCommand,
  testSyncCommand,
  runSyncNowCommand,
  checkSetupCommand,
  scriptStateOf,
  crontabStateOf,
  forgetCrontabState,
  taskStateOf,
  forgetTaskState,
  systemdStateOf,
  forgetSystemdState,
  checkDataJsonFile,
  summaryMarkdown,
  historyOf,
  missedOf,
};
