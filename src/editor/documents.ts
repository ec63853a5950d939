import vscode = require('vscode');
import { diagnoseSchedule, type ScheduleDiagnostic } from '../core/schedule/diagnose';
import { resolveJob, type JobResult, type SyncJob } from '../core/schedule/job';
import { parseSchedule, type ScheduleDocument } from '../core/schedule/parse';
import { diskLookups, findOnPath } from '../host/files';
import { hostPlatform } from './convert';

/**
 * The schedule document a command should work on: its argument, the active editor's, a visible
 * one (a walkthrough button leaves no active text editor, or another file's), or the
 * workspace's only schedule file — several are offered in a pick.
 */
export async function scheduleDocument(argument: unknown): Promise<vscode.TextDocument | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  const uri = argument instanceof vscode.Uri ? argument : active?.languageId === 'bwdc-schedule' ? active.uri : await anyScheduleFile();
  if (!uri) return undefined;
  const document = await vscode.workspace.openTextDocument(uri);
  return document.languageId === 'bwdc-schedule' ? document : undefined;
}

async function anyScheduleFile(): Promise<vscode.Uri | undefined> {
  const visible = vscode.window.visibleTextEditors.find((editor) => editor.document.languageId === 'bwdc-schedule');
  if (visible) return visible.document.uri;
  // Open in a tab behind another (the generated script, say): the file the user works on.
  const open = new Map<string, vscode.Uri>();
  for (const tab of vscode.window.tabGroups.all.flatMap((group) => group.tabs)) {
    if (tab.input instanceof vscode.TabInputText && tab.input.uri.path.endsWith('.bwdc-schedule')) open.set(tab.input.uri.toString(), tab.input.uri);
  }
  const found = open.size > 0 ? [...open.values()] : await vscode.workspace.findFiles('**/*.bwdc-schedule', '**/node_modules/**', 50);
  if (found.length <= 1) return found[0];
  const picked = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: vscode.l10n.t('Which schedule file?') },
  );
  return picked?.uri;
}

/**
 * What the editor knows of one version of a schedule document: parsed and diagnosed once, the job
 * resolved on first ask. Diagnostics, quick fixes, the CodeLens, the status items and the commands
 * all read this one model instead of parsing and diagnosing again each.
 */
export interface ScheduleModel {
  readonly version: number;
  readonly parsed: ScheduleDocument;
  readonly diagnostics: readonly ScheduleDiagnostic[];
  /** The job as the editor resolves it: this host, its disk, the bwdc on PATH. */
  job(): JobResult;
}

const models = new Map<string, ScheduleModel>();

/** The model of the document's current version (an unsaved document is checked without its disk). */
export function scheduleModel(document: vscode.TextDocument): ScheduleModel {
  const key = document.uri.toString();
  const known = models.get(key);
  if (known && known.version === document.version) return known;
  const onDisk = document.uri.scheme === 'file';
  const context = { hostPlatform: hostPlatform(), ...(onDisk ? { scheduleFile: document.uri.fsPath, ...diskLookups() } : {}) };
  const parsed = parseSchedule(document.getText());
  const diagnostics = diagnoseSchedule(parsed, context);
  let job: JobResult | undefined;
  const model: ScheduleModel = {
    version: document.version,
    parsed,
    diagnostics,
    job() {
      if (!job) {
        const bwdcOnPath = findOnPath('bwdc');
        job = resolveJob({ document: parsed, diagnostics }, { ...context, scheduleFile: document.uri.fsPath, ...(bwdcOnPath ? { bwdcOnPath } : {}) });
      }
      return job;
    },
  };
  models.set(key, model);
  return model;
}

/** Forgets every model: files appeared or vanished, so what the diagnostics found on disk may differ. */
export function forgetScheduleModels(document?: vscode.TextDocument): void {
  if (document) models.delete(document.uri.toString());
  else models.clear();
}

/** The job of a schedule document as the editor resolves it: this host, its disk, the bwdc on PATH. */
export function resolveDocumentJob(document: vscode.TextDocument): JobResult {
  return scheduleModel(document).job();
}

/** The job of a saved schedule file, or undefined after telling the user why not. */
export async function jobOf(document: vscode.TextDocument): Promise<SyncJob | undefined> {
  if (document.uri.scheme !== 'file') {
    void vscode.window.showErrorMessage(vscode.l10n.t('Save the schedule file first: generated files are placed beside it.'));
    return undefined;
  }
  // What gets generated must match the file on disk, which the script's header names.
  if (document.isDirty && !(await document.save())) return undefined;
  const result = resolveDocumentJob(document);
  if (result.job) return result.job;
  const firstError = result.diagnostics.find((d) => d.severity === 'error');
  const where = firstError
    ? vscode.l10n.t('{0}, line {1}: {2}', vscode.workspace.asRelativePath(document.uri), firstError.range.start.line + 1, firstError.message)
    : '';
  // Not awaited: the command ends now; the button, if pressed later, opens the Problems view.
  void vscode.window.showErrorMessage([result.reason, where].filter(Boolean).join(' '), vscode.l10n.t('Show Problems')).then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
  return undefined;
}

/**
 * The job a command works on, from its argument or the active editor, with the document (for
 * messages); undefined after telling the user why not.
 */
export async function commandJob(argument: unknown): Promise<{ readonly document: vscode.TextDocument; readonly job: SyncJob } | undefined> {
  const document = await scheduleDocument(argument);
  if (!document) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Open a bwdc schedule file (*.bwdc-schedule) first.'));
    return undefined;
  }
  const job = await jobOf(document);
  return job ? { document, job } : undefined;
}
