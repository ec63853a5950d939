import type * as vscode from 'vscode';
import type { PreviewDocuments } from '../features/preview';
import type { PromptsHolder } from '../features/prompts';

/** What every command gets from activate(). */
export interface CommandContext {
  readonly version: string;
  readonly previews: PreviewDocuments;
  readonly prompts: PromptsHolder;
  readonly log: vscode.LogOutputChannel;
}
