import * as path from 'path';
import vscode = require('vscode');
import { TaskXmlError, taskXml, taskXmlUtf16 } from '../core/task/xml';
import { commandJob } from '../editor/documents';
import { NotOursError, writeOwnFile } from '../host/files';
import type { CommandContext } from '../editor/context';

/**
 * "bwdc: Export Task Scheduler XML": the task for the schedule file, as the UTF-16 file
 * `schtasks /Create /XML` expects, beside the schedule file (or where the user saves it).
 * Works on any host, so a Windows task can be prepared and reviewed on Linux.
 */
export async function exportTaskXmlCommand({ version, log }: CommandContext, argument?: unknown, target?: unknown): Promise<string | undefined> {
  const chosen = await commandJob(argument);
  if (!chosen) return undefined;
  const { document, job } = chosen;
  let xml: string;
  try {
    xml = taskXml(job, { version });
  } catch (error) {
    if (!(error instanceof TaskXmlError)) throw error;
    const message =
      error.line !== undefined
        ? vscode.l10n.t('{0}, line {1}: {2}', vscode.workspace.asRelativePath(document.uri), error.line + 1, error.message)
        : error.message;
    void vscode.window.showErrorMessage(message);
    return undefined;
  }
  let file = typeof target === 'string' ? target : undefined;
  if (!file) {
    const picked = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(path.join(path.dirname(job.scheduleFile), `${job.name}.task.xml`)),
      filters: { [vscode.l10n.t('Task Scheduler XML')]: ['xml'] },
      title: vscode.l10n.t('Export the Task Scheduler task for {0}', job.name),
    });
    if (!picked) return undefined;
    file = picked.fsPath;
  }
  try {
    writeOwnFile(file, Buffer.from(taskXmlUtf16(xml)), 'task-xml', { mode: 0o644 });
  } catch (error) {
    // A refusal or a failed write is the user's to fix: say which file and why, not "command failed".
    const reason =
      error instanceof NotOursError
        ? error.message
        : vscode.l10n.t('Cannot write {0} ({1}). Choose a folder you can write to.', file, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
    log.error(`export of the Task Scheduler XML failed: ${reason}`);
    void vscode.window.showErrorMessage(reason);
    return undefined;
  }
  log.info(`wrote ${file} (Task Scheduler XML for ${job.name})`);
  const runAs = job.runAs ?? '<user>';
  void vscode.window.showInformationMessage(
    vscode.l10n.t(
      'Wrote {0}. On the Windows server, as an administrator: schtasks /Create /XML "{1}" /TN "\\bwdc\\{2}" /RU {3} /RP *',
      path.basename(file),
      path.basename(file),
      job.name,
      runAs,
    ),
  );
  return file;
}
