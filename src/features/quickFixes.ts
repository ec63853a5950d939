import vscode = require('vscode');
import { DATA_JSON_SOURCE } from '../core/datajson/api';
import { DIAGNOSTIC_SOURCE, type ScheduleDiagnostic } from '../core/schedule/diagnose';
import { SCHEDULE_SELECTOR, toRange } from '../editor/convert';
import type { DataJsonDiagnostics } from './dataJsonDiagnostics';
import { DATA_JSON_SELECTOR } from './dataJsonStatus';
import type { ScheduleDiagnostics } from './diagnostics';

/** Core diagnostics computed for a document, found again for the ones VS Code shows. */
type Lookup = (document: vscode.TextDocument) => readonly ScheduleDiagnostic[];

/** Quick fixes carried by the core diagnostics (did-you-mean, exact cron alternatives, "0" → 0, …). */
export function registerQuickFixes(schedule: ScheduleDiagnostics, dataJson: DataJsonDiagnostics): vscode.Disposable {
  return vscode.Disposable.from(
    register(SCHEDULE_SELECTOR, DIAGNOSTIC_SOURCE, (document) => schedule.diagnosticsFor(document) ?? schedule.update(document) ?? []),
    register(DATA_JSON_SELECTOR, DATA_JSON_SOURCE, (document) => dataJson.diagnosticsFor(document) ?? []),
  );
}

function register(selector: vscode.DocumentSelector, source: string, lookup: Lookup): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    selector,
    {
      provideCodeActions(document, _range, context) {
        const computed = lookup(document);
        const actions: vscode.CodeAction[] = [];
        for (const shown of context.diagnostics) {
          if (shown.source !== source) continue;
          const match = computed.find((d) => d.code === shown.code && toRange(d.range).isEqual(shown.range) && d.message === shown.message);
          for (const fix of match?.fixes ?? []) {
            const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
            action.diagnostics = [shown];
            action.isPreferred = fix.preferred === true;
            action.edit = new vscode.WorkspaceEdit();
            for (const edit of fix.edits) action.edit.replace(document.uri, toRange(edit.range), edit.newText);
            actions.push(action);
          }
        }
        return actions;
      },
    },
    { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
  );
}
