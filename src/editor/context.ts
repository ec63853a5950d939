import type { DataJsonReport } from '../core/datajson/api';
import type * as vscode from 'vscode';
import type { PreviewDocuments } from './preview';
import type { PromptsHolder } from './prompts';

/** What every command gets from activate(). */
export interface CommandContext {
  readonly version: string;
  readonly previews: PreviewDocuments;
  readonly prompts: PromptsHolder;
  readonly log: vscode.LogOutputChannel;
  /** The extension's global storage folder (crontab backups live here). */
  readonly storageFolder: string;
  /** Fired when a command may have changed a script or a crontab, so status displays refresh. */
  readonly changed: vscode.EventEmitter<void>;
  /** Validates a data.json and keeps its diagnostics up to date from then on. */
  readonly dataJson: { validate(file: string): DataJsonReport | undefined };
  /** The Sync History documents (src/features/historyDocument.ts): reads a schedule file's log again. */
  readonly historyDocuments: { refresh(document: vscode.Uri): void };
}
