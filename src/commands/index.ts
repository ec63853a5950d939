/**
 * The commands, bundled apart (dist/commands.js) and loaded at their first use, so that
 * activation never pays for the script generators, the secret store or child processes.
 */
import vscode = require('vscode');
import { useTranslations } from '../core/l10n';

// This bundle has its own copy of core, so it installs VS Code's translations for it too.
useTranslations(vscode.l10n.bundle);

export { generateScriptCommand } from './generateScript';
export { scriptStateOf } from './scriptState';
export { storeSecretCommand } from './storeSecret';
export { crontabCommand } from './crontabCommands';
export { crontabStateOf, forgetCrontabState } from './crontabState';
export { validateDataJsonCommand } from './validateDataJson';
export { checkDataJsonFile } from '../host/dataJsonFile';
export { summaryMarkdown } from '../core/datajson/summary';
export { exportTaskXmlCommand } from './exportTaskXml';
export { taskCommand } from './taskCommands';
export { newScheduleFileCommand } from './newScheduleFile';
export { taskStateOf, forgetTaskState } from './taskState';
