import vscode = require('vscode');
import { generateScript, scriptState, type ScriptState } from '../core/script/generate';
import { readTextIfExists } from '../host/files';
import { resolveDocumentJob } from '../features/jobs';

/** Whether the script on disk matches what the schedule document would generate now; undefined if it has errors. */
export function scriptStateOf(document: vscode.TextDocument, version: string): ScriptState | undefined {
  const result = resolveDocumentJob(document);
  if (!result.job) return undefined;
  try {
    return scriptState(readTextIfExists(result.job.script), generateScript(result.job, version).fingerprint);
  } catch {
    return 'missing';
  }
}
