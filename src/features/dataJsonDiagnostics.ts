import vscode = require('vscode');
import { DATA_JSON_SOURCE, type DataJsonDiagnostic, type DataJsonReport } from '../core/datajson/api';
import { scheduleInstances } from '../core/schedule/instances';
import { commands } from '../editor/commandBundle';
import { hostPlatform, toRange, toSeverity } from '../editor/convert';

/** The Directory Connector's own folders: their data.json is checked whenever it is open. */
const CONNECTOR_FOLDER_FILE = /[\\/](Bitwarden Directory Connector|bitwarden-connector-appdata)[\\/]data\.json$/;

interface Tracked {
  /** From a schedule's env lines; undefined when no open schedule names the folder. */
  readonly plaintextSecrets?: boolean;
}

/**
 * Diagnostics for the data.json files a user works with: those of the instance folders named
 * in open schedule files, those in the Directory Connector's own folders when opened, and any
 * the user asks for with "bwdc: Validate data.json". The automatic part follows the
 * bwdcSchedule.validateDataJson setting. Files are only read, never written.
 */
export class DataJsonDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('bwdc-data-json');
  private readonly requested = new Set<string>();
  private readonly reports = new Map<string, { readonly report: DataJsonReport; readonly version?: number }>();
  private readonly watchers = new Map<string, vscode.Disposable>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private pending: ReturnType<typeof setTimeout> | undefined;
  /** Fired after the reports were recomputed (the status item listens). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    const relevant = (document: vscode.TextDocument): boolean => document.languageId === 'bwdc-schedule' || document.uri.fsPath.endsWith('data.json');
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((document) => relevant(document) && this.soon()),
      vscode.workspace.onDidCloseTextDocument((document) => relevant(document) && this.soon()),
      vscode.workspace.onDidChangeTextDocument((event) => relevant(event.document) && this.soon()),
      vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('bwdcSchedule.validateDataJson') && this.soon()),
    );
    // Nothing to check yet (activated by an unrelated JSON file): no work, not even a timer.
    if (vscode.workspace.textDocuments.some(relevant)) this.soon(0);
  }

  /** Checks a data.json now and from then on, whatever the setting says. */
  validate(file: string): DataJsonReport | undefined {
    this.requested.add(file);
    this.refresh();
    return this.reports.get(file)?.report;
  }

  reportFor(file: string): DataJsonReport | undefined {
    return this.reports.get(file)?.report;
  }

  /** The core diagnostics behind what is shown, so quick fixes can find their edits. */
  diagnosticsFor(document: vscode.TextDocument): readonly DataJsonDiagnostic[] | undefined {
    const entry = this.reports.get(document.uri.fsPath);
    return entry && entry.version === document.version ? entry.report.diagnostics : undefined;
  }

  private soon(delay = 150): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = setTimeout(() => {
      this.pending = undefined;
      try {
        this.refresh();
      } catch (error) {
        this.log.error('checking data.json files failed', error);
      }
    }, delay);
  }

  /** Which files, and in which secrets mode: the automatic set and the requested ones. */
  private tracked(): Map<string, Tracked> {
    const tracked = new Map<string, Tracked>();
    const automatic = vscode.workspace.getConfiguration('bwdcSchedule').get<boolean>('validateDataJson', true);
    if (automatic) {
      for (const document of vscode.workspace.textDocuments) {
        if (document.uri.scheme !== 'file') continue;
        if (document.languageId === 'bwdc-schedule') {
          const instances = scheduleInstances(document.getText(), document.uri.fsPath, hostPlatform());
          for (const { dataJson } of instances.folders) {
            // Two schedules disagreeing on the mode: plaintext wins, its checks are the stricter.
            const known = tracked.get(dataJson)?.plaintextSecrets;
            tracked.set(dataJson, { plaintextSecrets: known === true || instances.plaintextSecrets });
          }
        } else if (CONNECTOR_FOLDER_FILE.test(document.uri.fsPath) && !tracked.has(document.uri.fsPath)) {
          tracked.set(document.uri.fsPath, {});
        }
      }
    }
    for (const file of this.requested) if (!tracked.has(file)) tracked.set(file, {});
    return tracked;
  }

  refresh(): void {
    const tracked = this.tracked();
    const open = new Map(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file').map((d) => [d.uri.fsPath, d]));
    for (const file of [...this.reports.keys()]) {
      if (tracked.has(file)) continue;
      this.reports.delete(file);
      this.collection.delete(vscode.Uri.file(file));
    }
    for (const [file, watcher] of this.watchers) {
      if (tracked.has(file)) continue;
      watcher.dispose();
      this.watchers.delete(file);
    }
    for (const [file, { plaintextSecrets }] of tracked) {
      const document = open.get(file);
      const report = commands().checkDataJsonFile(file, {
        ...(plaintextSecrets !== undefined ? { plaintextSecrets } : {}),
        ...(document ? { text: document.getText() } : {}),
      });
      if (!report) {
        this.reports.delete(file);
        this.collection.delete(vscode.Uri.file(file));
      } else {
        this.reports.set(file, { report, ...(document ? { version: document.version } : {}) });
        this.collection.set(vscode.Uri.file(file), report.diagnostics.map(toVscodeDiagnostic));
      }
      this.watch(file);
    }
    this.changed.fire();
  }

  /** Files that are not open change on disk (bwdc writes them); follow them there. */
  private watch(file: string): void {
    if (this.watchers.has(file)) return;
    const uri = vscode.Uri.file(file);
    const folder = vscode.Uri.joinPath(uri, '..');
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, 'data.json'));
    const again = (): void => this.soon();
    this.watchers.set(file, vscode.Disposable.from(watcher, watcher.onDidChange(again), watcher.onDidCreate(again), watcher.onDidDelete(again)));
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    for (const watcher of this.watchers.values()) watcher.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.collection.dispose();
    this.changed.dispose();
  }
}

function toVscodeDiagnostic(diagnostic: DataJsonDiagnostic): vscode.Diagnostic {
  const shown = new vscode.Diagnostic(toRange(diagnostic.range), diagnostic.message, toSeverity(diagnostic.severity));
  shown.source = DATA_JSON_SOURCE;
  shown.code = diagnostic.code;
  return shown;
}
