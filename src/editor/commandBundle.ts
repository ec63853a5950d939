import type * as vscode from 'vscode';
import type { DataJsonReport, DataJsonSummary } from '../core/datajson/api';
import type { MissedCheck } from '../core/history/missed';
import type { HistoryState } from '../core/history/present';
import type { ScriptState } from '../core/script/generate';
import type { TaskPart } from '../core/task/compare';
import type { TestedInstance } from '../core/test/report';
import type { HistoryRequest } from '../host/history';
import type { CrontabStatus, Outcome } from '../workflows/crontab';
import type { RunSummary } from '../workflows/runNow';
import type { SystemdStatus } from '../workflows/systemd';
import type { CommandContext } from './context';

/** The job's task in Task Scheduler (Windows hosts). */
export interface TaskState {
  readonly task: string;
  /** undefined: not registered; []: registered as the file says. */
  readonly different?: readonly TaskPart[];
}

export interface ValidatedFile {
  readonly file: string;
  /** Undefined when the file does not exist or cannot be read. */
  readonly report?: DataJsonReport;
}

/**
 * What the command bundle (src/commands/bundle.ts, built apart as dist/commands.js) offers. It is
 * loaded at the first command or status query, so that activation never pays for the script
 * generators, the secret store or child processes; this interface is all the rest of the editor
 * knows of it.
 */
export interface CommandBundle {
  newScheduleFileCommand(context: CommandContext, argument?: unknown): Promise<string | undefined>;
  generateScriptCommand(context: CommandContext, argument?: unknown): Promise<string | undefined>;
  storeSecretCommand(context: CommandContext, argument?: unknown): Promise<boolean>;
  crontabCommand(action: 'install' | 'remove' | 'prepare-user', context: CommandContext, argument?: unknown): Promise<Outcome | undefined>;
  taskCommand(action: 'install' | 'remove', context: CommandContext, argument?: unknown): Promise<string | undefined>;
  systemdCommand(action: 'install' | 'remove', context: CommandContext, argument?: unknown): Promise<Outcome | undefined>;
  exportTaskXmlCommand(context: CommandContext, argument?: unknown, target?: unknown): Promise<string | undefined>;
  validateDataJsonCommand(context: CommandContext, argument?: unknown): Promise<ValidatedFile[] | undefined>;
  showHistoryCommand(context: CommandContext, argument?: unknown): Promise<vscode.Uri | undefined>;
  /** The report, and the read-only Markdown document that shows it. */
  testSyncCommand(context: CommandContext, argument?: unknown): Promise<{ readonly report: readonly TestedInstance[]; readonly view: vscode.Uri } | undefined>;
  runSyncNowCommand(context: CommandContext, argument?: unknown): Promise<RunSummary | undefined>;
  /** The URI of the read-only Markdown report it shows. */
  checkSetupCommand(context: CommandContext, argument?: unknown): Promise<vscode.Uri | undefined>;
  scriptStateOf(document: vscode.TextDocument, version: string): ScriptState | undefined;
  crontabStateOf(document: vscode.TextDocument): Promise<CrontabStatus | string>;
  forgetCrontabState(): void;
  taskStateOf(document: vscode.TextDocument, version: string): Promise<TaskState | string>;
  forgetTaskState(): void;
  /** The job's systemd units (Linux hosts, scheduler systemd). */
  systemdStateOf(document: vscode.TextDocument, version: string): Promise<SystemdStatus | string>;
  forgetSystemdState(): void;
  checkDataJsonFile(file: string, options?: { readonly plaintextSecrets?: boolean; readonly text?: string }): DataJsonReport | undefined;
  summaryMarkdown(summary: DataJsonSummary): string;
  /** The runs of the document's job, read from its log (bounded, synchronous). */
  historyOf(document: vscode.TextDocument, request: HistoryRequest): HistoryState;
  /** The missed runs of the document's job given the runs read (historyOf); undefined when the log could not be read. */
  missedOf(document: vscode.TextDocument, state: HistoryState): Promise<MissedCheck | undefined>;
}

let load: (() => CommandBundle) | undefined;
let loaded: CommandBundle | undefined;

/** How to load the bundle; extension.ts says it, so that nothing here depends on the commands. */
export function useCommandBundle(loader: () => CommandBundle): void {
  load = loader;
  loaded = undefined;
}

/** The command bundle, loaded on first use. */
export function commands(): CommandBundle {
  if (!load) throw new Error('the command bundle was not set up (extension.ts calls useCommandBundle)');
  loaded ??= load();
  return loaded;
}
