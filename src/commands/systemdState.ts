import vscode = require('vscode');
import { resolveDocumentJob } from '../editor/documents';
import { RecentPerDocument } from '../editor/recentPerDocument';
import { accountHomeSync, currentUser } from '../host/accounts';
import { SpawnRunner } from '../host/process';
import { systemdStatus, type SystemdStatus } from '../workflows/systemd';
import { editorSystemctl } from './systemdCommands';

const recent = new RecentPerDocument<Promise<SystemdStatus | string>>();

/**
 * The job's systemd units against what the file gives, or a sentence saying why it cannot be
 * known. Runs systemctl, so results are kept a few seconds per document version.
 */
export function systemdStateOf(document: vscode.TextDocument, version: string): Promise<SystemdStatus | string> {
  return recent.get(document, () => compute(document, version));
}

export function forgetSystemdState(): void {
  recent.clear();
}

async function compute(document: vscode.TextDocument, version: string): Promise<SystemdStatus | string> {
  const result = resolveDocumentJob(document);
  if (!result.job) return vscode.l10n.t('fix the errors first');
  try {
    return await systemdStatus(result.job, {
      systemctl: editorSystemctl(new SpawnRunner()),
      currentUser: currentUser(),
      version,
      home: accountHomeSync,
    });
  } catch (error) {
    return (error as Error).message;
  }
}
