import vscode = require('vscode');
import { DIAGNOSTIC_SOURCE, type ScheduleDiagnostic } from '../core/schedule/diagnose';
import { SCHEDULE_SELECTOR, toRange, toSeverity } from '../editor/convert';
import { forgetScheduleModels, scheduleModel } from '../editor/documents';

/** The core diagnostics of each open schedule file, from its shared model (quick fixes read it too). */
export class ScheduleDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('bwdc-schedule');
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((document) => this.update(document)),
      vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document)),
      // Instance folders and data.json files appearing or vanishing change the warnings.
      vscode.workspace.onDidCreateFiles(() => this.refreshAll()),
      vscode.workspace.onDidDeleteFiles(() => this.refreshAll()),
      vscode.workspace.onDidRenameFiles(() => this.refreshAll()),
    );
    this.refreshAll();
  }

  /** The diagnostics of the document's current version (the shared model's). */
  diagnosticsFor(document: vscode.TextDocument): readonly ScheduleDiagnostic[] | undefined {
    return vscode.languages.match(SCHEDULE_SELECTOR, document) ? scheduleModel(document).diagnostics : undefined;
  }

  update(document: vscode.TextDocument): readonly ScheduleDiagnostic[] | undefined {
    if (!vscode.languages.match(SCHEDULE_SELECTOR, document)) return undefined;
    const started = Date.now();
    const diagnostics = scheduleModel(document).diagnostics;
    this.collection.set(
      document.uri,
      diagnostics.map((d) => {
        const diagnostic = new vscode.Diagnostic(toRange(d.range), d.message, toSeverity(d.severity));
        diagnostic.code = d.code;
        diagnostic.source = DIAGNOSTIC_SOURCE;
        if (d.related) {
          diagnostic.relatedInformation = d.related.map(
            (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(document.uri, toRange(r.range)), r.message),
          );
        }
        return diagnostic;
      }),
    );
    this.log.trace(`diagnosed ${document.uri.fsPath || document.uri.toString()}: ${diagnostics.length} problem(s) in ${Date.now() - started} ms`);
    return diagnostics;
  }

  private schedule(document: vscode.TextDocument): void {
    if (!vscode.languages.match(SCHEDULE_SELECTOR, document)) return;
    const key = document.uri.toString();
    clearTimeout(this.pending.get(key));
    // A short pause keeps typing smooth without making squiggles feel late.
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        this.update(document);
      }, 150),
    );
  }

  private forget(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.delete(key);
    forgetScheduleModels(document);
    this.collection.delete(document.uri);
  }

  private refreshAll(): void {
    forgetScheduleModels();
    for (const document of vscode.workspace.textDocuments) this.update(document);
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.subscriptions.forEach((s) => s.dispose());
    this.collection.dispose();
  }
}
