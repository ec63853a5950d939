import vscode = require('vscode');
import { jobFingerprint } from '../core/schedule/job';
import { scriptState, type ScriptState } from '../core/script/generate';
import { fileHead } from '../host/files';
import { resolveDocumentJob } from '../editor/documents';

/**
 * Whether the script on disk matches what the schedule document would generate now; undefined if
 * it has errors. Asked at every CodeLens refresh, so it compares fingerprints (the job's, and the
 * one in the script's first lines) without generating the script or reading all of it.
 */
export function scriptStateOf(document: vscode.TextDocument, version: string): ScriptState | undefined {
  const result = resolveDocumentJob(document);
  if (!result.job) return undefined;
  const head = fileHead(result.job.script);
  return scriptState(head === 'not-a-file' ? '' : head, jobFingerprint(result.job, version));
}
