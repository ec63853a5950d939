import vscode = require('vscode');
import { resolveJob } from '../core/schedule/job';
import { generateScript, scriptState, type ScriptState } from '../core/script/generate';
import { findOnPath, pathKind, readTextIfExists } from '../host/files';
import { hostPlatform } from '../features/convert';

/** Whether the script on disk matches what the schedule document would generate now; undefined if it has errors. */
export function scriptStateOf(document: vscode.TextDocument, version: string): ScriptState | undefined {
  const bwdcOnPath = findOnPath('bwdc');
  const result = resolveJob(document.getText(), {
    scheduleFile: document.uri.fsPath,
    hostPlatform: hostPlatform(),
    pathKind,
    ...(bwdcOnPath ? { bwdcOnPath } : {}),
  });
  if (!result.job) return undefined;
  try {
    return scriptState(readTextIfExists(result.job.script), generateScript(result.job, version).fingerprint);
  } catch {
    return 'missing';
  }
}
