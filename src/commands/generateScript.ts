import vscode = require('vscode');
import { generateScript } from '../core/script/generate';
import { accountIds, currentUser, writesOnBehalf, type AccountIds } from '../host/accounts';
import { assertOurs, NotOursError, readTextIfExists, writeOwnFile } from '../host/files';
import { SpawnRunner } from '../host/process';
import { commandJob } from '../editor/documents';
import type { CommandContext } from '../editor/context';

/** Writes the sync script for the schedule file, after showing a diff when one is already there. */
export async function generateScriptCommand({ version, previews, prompts, log, changed }: CommandContext, argument?: unknown): Promise<string | undefined> {
  const chosen = await commandJob(argument);
  if (!chosen) return undefined;
  const { document, job } = chosen;
  const generated = generateScript(job, version);
  const target = job.script;
  let existing: string | undefined;
  try {
    // Never a diff against someone else's file (data.json, a hand-written script): refuse first.
    assertOurs(target, 'script');
    existing = readTextIfExists(target);
  } catch (error) {
    void vscode.window.showErrorMessage(
      error instanceof NotOursError ? error.message : vscode.l10n.t('Cannot read {0}: {1}', target, (error as Error).message),
    );
    return undefined;
  }
  let owner: AccountIds | undefined;
  if (job.platform !== 'windows' && writesOnBehalf(job.runAs, currentUser())) {
    owner = await accountIds(job.runAs, new SpawnRunner((line) => log.info(line)));
    // Not there yet: the script is written for now; installing writes it again for the user.
    if (!owner)
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          'The run-as user {0} does not exist on this machine yet, so the script belongs to you; "bwdc: Install Crontab Entry" writes it again for {0} once the user exists ("bwdc: Prepare Run-as User").',
          job.runAs,
        ),
      );
  }
  if (existing !== undefined && existing !== generated.text) {
    const proposed = previews.show(target, generated.text);
    await vscode.commands.executeCommand(
      'vscode.diff',
      vscode.Uri.file(target),
      proposed,
      vscode.l10n.t('{0} (on disk ↔ generated)', vscode.workspace.asRelativePath(target)),
      { preview: false },
    );
    const replace = await prompts.current.confirm(
      vscode.l10n.t('Replace the sync script?'),
      vscode.l10n.t('{0} differs from what {1} generates now. The diff shows both.', target, vscode.workspace.asRelativePath(document.uri)),
      vscode.l10n.t('Replace'),
    );
    if (!replace) {
      log.info(`kept ${target} (not replaced)`);
      return undefined;
    }
  }
  try {
    writeOwnFile(target, generated.text, 'script', { mode: 0o700, ...(owner ? { owner } : {}) });
  } catch (error) {
    if (error instanceof NotOursError) {
      void vscode.window.showErrorMessage(error.message);
      return undefined;
    }
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    log.error(`cannot write ${target}: ${code}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot write the script to {0} ({1}). Set a writable path with a `script` line.', target, code));
    return undefined;
  }
  log.info(`wrote ${target} (${generated.fingerprint}) from ${document.uri.fsPath}`);
  changed.fire();
  await vscode.window.showTextDocument(vscode.Uri.file(target), { preview: false });
  return target;
}
