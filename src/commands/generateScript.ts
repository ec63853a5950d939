import vscode = require('vscode');
import { generateScript } from '../core/script/generate';
import { readTextIfExists, writeFileAtomic } from '../host/files';
import { commandJob } from '../features/jobs';
import type { CommandContext } from './context';

/** Writes the sync script for the schedule file, after showing a diff when one is already there. */
export async function generateScriptCommand({ version, previews, prompts, log, changed }: CommandContext, argument?: unknown): Promise<string | undefined> {
  const chosen = await commandJob(argument);
  if (!chosen) return undefined;
  const { document, job } = chosen;
  const generated = generateScript(job, version);
  const target = job.script;
  let existing: string | undefined;
  try {
    existing = readTextIfExists(target);
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot read {0}: {1}', target, (error as Error).message));
    return undefined;
  }
  if (existing !== undefined && existing !== generated.text) {
    const proposed = previews.show(target, generated.text);
    await vscode.commands.executeCommand('vscode.diff', vscode.Uri.file(target), proposed, vscode.l10n.t('{0} (on disk ↔ generated)', vscode.workspace.asRelativePath(target)), { preview: false });
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
    writeFileAtomic(target, generated.text, { mode: 0o700 });
  } catch (error) {
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
