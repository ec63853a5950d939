import * as fs from 'fs';
import * as path from 'path';
import vscode = require('vscode');
import type { DescribeOptions } from '../core/cron/describe';
import { PLATFORMS, type Platform } from '../core/schedule/directives';
import {
  answerProblem,
  defaultSecret,
  DEFAULT_RUN_AS,
  DEFAULT_SCHEDULE,
  instanceValue,
  newScheduleText,
  scheduleChoices,
  scheduleDescription,
  secretSchemes,
  type NewScheduleAnswers,
} from '../core/schedule/newFile';
import type { SecretScheme } from '../core/schedule/secret';
import { hostPlatform } from '../editor/convert';
import type { Questions, Step } from '../editor/questions';
import { presentationSettings } from '../editor/settings';
import type { CommandContext } from '../editor/context';

const DEFAULT_NAME = 'bwdc-sync';
const STEPS = 7;

/**
 * "bwdc: New Schedule File": asks for each line of a schedule file (every question can be
 * skipped with an empty answer; Escape cancels), writes the file beside the workspace's other
 * files and opens it. Returns the new file's path.
 */
export async function newScheduleFileCommand({ prompts }: CommandContext, argument?: unknown): Promise<string | undefined> {
  const folder = targetFolder(argument);
  const settings = presentationSettings();
  const describe: DescribeOptions = { locale: settings.locale, ...(settings.use24HourTime !== undefined ? { use24HourTime: settings.use24HourTime } : {}) };
  const answers = await ask(prompts.questions, folder, describe);
  if (!answers) return undefined;
  const text = newScheduleText(answers, { hostPlatform: hostPlatform(), describe });
  const file = await destination(folder, answers.name ?? DEFAULT_NAME);
  if (!file) return undefined;
  try {
    // 'wx': never overwrite a file, whether it appeared since the name was chosen or was picked in the save dialog.
    fs.writeFileSync(file, text, { flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    void vscode.window.showErrorMessage(
      code === 'EEXIST'
        ? vscode.l10n.t('{0} already exists; New Schedule File never overwrites a file. Choose another name.', file)
        : vscode.l10n.t('Cannot write {0} ({1}).', file, code),
    );
    return undefined;
  }
  // Kept open (not a preview tab) while the walkthrough's next steps show their diffs.
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
  return file;
}

/** The explorer folder the command was run on, else the first workspace folder. */
function targetFolder(argument: unknown): string | undefined {
  if (argument instanceof vscode.Uri && argument.scheme === 'file') {
    return fs.statSync(argument.fsPath, { throwIfNoEntry: false })?.isDirectory() ? argument.fsPath : path.dirname(argument.fsPath);
  }
  const first = vscode.workspace.workspaceFolders?.find((folder) => folder.uri.scheme === 'file');
  return first?.uri.fsPath;
}

/** `<name>.bwdc-schedule` in the folder, numbered when taken; a save dialog without a folder. */
async function destination(folder: string | undefined, name: string): Promise<string | undefined> {
  if (!folder) {
    const uri = await vscode.window.showSaveDialog({ saveLabel: vscode.l10n.t('Create'), filters: { 'bwdc Schedule': ['bwdc-schedule'] } });
    return uri?.fsPath;
  }
  for (let n = 1; ; n++) {
    const file = path.join(folder, `${name}${n === 1 ? '' : `-${n}`}.bwdc-schedule`);
    if (!fs.existsSync(file)) return file;
  }
}

async function ask(questions: Questions, folder: string | undefined, describe: DescribeOptions): Promise<NewScheduleAnswers | undefined> {
  const step = (n: number): Step => ({ title: vscode.l10n.t('New Schedule File'), step: n, steps: STEPS });
  const host = hostPlatform();
  const skipped = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());

  const name = await questions.input(step(1), {
    prompt: vscode.l10n.t('Job name: it names the crontab block or the task, the script and the log. Empty: the file name.'),
    value: DEFAULT_NAME,
    check: (value) => (value.trim() === '' ? undefined : answerProblem('name', value.trim(), host)),
  });
  if (name === undefined) return undefined;

  const schedule = await pickSchedule(questions, step(2), host, describe);
  if (schedule === undefined) return undefined;

  const platformItems: { label: string; description: string; platform: Platform | undefined; scheduler?: 'systemd' }[] = [];
  for (const platform of [host, ...PLATFORMS.filter((p) => p !== host)]) {
    platformItems.push({ label: platformLabel(platform), description: platform === host ? vscode.l10n.t('this machine') : '', platform });
    // Linux has a second way to start the job: a systemd timer instead of cron.
    if (platform === 'linux')
      platformItems.push({
        label: vscode.l10n.t('Linux, systemd timer'),
        description: vscode.l10n.t('instead of cron: catches up missed runs, stops hung ones, logs to the journal'),
        platform,
        scheduler: 'systemd',
      });
  }
  platformItems.push({
    label: vscode.l10n.t('Skip'),
    description: vscode.l10n.t('no platform line: the platform of the machine that installs it'),
    platform: undefined,
  });
  const platformChoice = await questions.pick(step(3), platformItems, { placeholder: vscode.l10n.t('Where does the sync run?') });
  if (!platformChoice) return undefined;
  const platform = platformChoice.platform ?? host;

  const runAs = await questions.input(step(4), {
    prompt:
      platform === 'windows'
        ? vscode.l10n.t('Run-as account (Task Scheduler runs the task as it, whether or not it is logged on). Empty: skip.')
        : vscode.l10n.t('Run-as user (the seeds use a dedicated user, bwdc). Empty: the user who installs the crontab entry.'),
    value: DEFAULT_RUN_AS,
    check: (value) => (value.trim() === '' ? undefined : answerProblem('run-as', value.trim(), platform)),
  });
  if (runAs === undefined) return undefined;

  const clientId = await questions.input(step(5), {
    prompt: vscode.l10n.t('client_id of the organization API key (Admin Console → Settings → Organization info → View API key). Empty: fill it in later.'),
    placeholder: 'organization.xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
    check: (value) => (value.trim() === '' ? undefined : answerProblem('client-id', value.trim(), platform)),
  });
  if (clientId === undefined) return undefined;

  const secret = await pickSecret(questions, step(6), platform, skipped(runAs));
  if (secret === undefined) return undefined;

  const instances = await pickInstances(questions, step(7), folder);
  if (instances === undefined) return undefined;

  return {
    ...(skipped(name) !== undefined ? { name: skipped(name)! } : {}),
    schedule,
    ...(platformChoice.platform ? { platform: platformChoice.platform } : {}),
    ...(platformChoice.scheduler ? { scheduler: platformChoice.scheduler } : {}),
    ...(skipped(runAs) !== undefined ? { runAs: skipped(runAs)! } : {}),
    ...(skipped(clientId) !== undefined ? { clientId: skipped(clientId)! } : {}),
    ...(secret ? { secret } : {}),
    instances,
  };
}

async function pickSchedule(questions: Questions, step: Step, host: Platform, describe: DescribeOptions): Promise<string | undefined> {
  const custom = { label: vscode.l10n.t('Custom cron expression…'), description: '', expression: undefined as string | undefined };
  const items = [
    ...scheduleChoices(describe).map(({ expression, description, why }) => ({
      label: description,
      description: expression,
      detail: why,
      expression: expression as string | undefined,
    })),
    custom,
  ];
  const picked = await questions.pick(step, items, { placeholder: vscode.l10n.t('When should the sync run? Type to filter, or pick a custom expression.') });
  if (!picked) return undefined;
  if (picked.expression) return picked.expression;
  const typed = await questions.input(step, {
    prompt: vscode.l10n.t('Cron expression: minute hour day-of-month month day-of-week, or a macro such as @daily. Empty: {0}.', DEFAULT_SCHEDULE),
    placeholder: DEFAULT_SCHEDULE,
    check: (value) => {
      if (value.trim() === '') return undefined;
      const problem = answerProblem('schedule', value.trim(), host);
      if (problem) return problem;
      const description = scheduleDescription(value.trim(), describe);
      return description ? { info: description } : undefined;
    },
  });
  if (typed === undefined) return undefined;
  return typed.trim() === '' ? DEFAULT_SCHEDULE : typed.trim();
}

/** A secret source: its kind from a list, then its path or name. '' when skipped. */
async function pickSecret(questions: Questions, step: Step, platform: Platform, runAs: string | undefined): Promise<string | undefined> {
  const what: Record<SecretScheme, string> = {
    file: vscode.l10n.t('a file only the run-as user can read (mode 0600)'),
    env: vscode.l10n.t('an environment variable the scheduler provides'),
    keychain: vscode.l10n.t('a generic password in the macOS login keychain'),
    dpapi: vscode.l10n.t('a file written by Export-Clixml as the run-as user (Windows DPAPI)'),
  };
  const items = secretSchemes(platform).map((scheme) => ({ label: `${scheme}:`, description: what[scheme], scheme: scheme as SecretScheme | undefined }));
  items.push({
    label: vscode.l10n.t('Skip'),
    description: vscode.l10n.t('write the usual place: {0}', defaultSecret(secretSchemes(platform)[0]!, platform, runAs)),
    scheme: undefined,
  });
  const picked = await questions.pick(step, items, { placeholder: vscode.l10n.t('Where does the script read the client_secret? (Never the secret itself.)') });
  if (!picked) return undefined;
  if (!picked.scheme) return '';
  const value = await questions.input(step, {
    prompt: vscode.l10n.t('Where the client_secret is kept. Store it there later with "bwdc: Store Client Secret".'),
    value: defaultSecret(picked.scheme, platform, runAs),
    check: (text) => (text.trim() === '' ? undefined : answerProblem('secret', text.trim(), platform)),
  });
  if (value === undefined) return undefined;
  return value.trim();
}

/** Instance folders from the folder dialog; folders without a data.json are shown flagged to confirm. */
async function pickInstances(questions: Questions, step: Step, folder: string | undefined): Promise<string[] | undefined> {
  const picked = await questions.folders(step, { openLabel: vscode.l10n.t('Use as Instance Folders'), ...(folder !== undefined ? { start: folder } : {}) });
  // Closing the dialog skips the question: bwdc then uses its default app-data folder.
  if (!picked || picked.length === 0) return [];
  const items = picked.map((chosen) => {
    const hasDataJson = fs.existsSync(path.join(chosen, 'data.json'));
    return {
      label: chosen,
      description: hasDataJson ? vscode.l10n.t('data.json found') : vscode.l10n.t('$(warning) no data.json: the Directory Connector has not been set up here'),
      picked: true,
      folder: chosen,
      hasDataJson,
    };
  });
  let kept: readonly { folder: string }[] = items;
  if (items.some((item) => !item.hasDataJson)) {
    const confirmed = await questions.pickMany(step, items, {
      placeholder: vscode.l10n.t('Some folders have no data.json. Keep the ones to sync (bwdc syncs them in this order).'),
    });
    if (!confirmed) return undefined;
    kept = confirmed;
  }
  // The dialog answers in this machine's paths, so they are made relative by its rules.
  return kept.map((item) => (folder ? instanceValue(hostPlatform(), folder, item.folder) : item.folder));
}

function platformLabel(platform: Platform): string {
  return platform === 'linux' ? 'Linux' : platform === 'macos' ? 'macOS' : 'Windows';
}
