import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../core/schedule/diagnose';
import { SCHEDULE_SELECTOR, toRange } from './convert';
import type { ScheduleDiagnostics } from './diagnostics';

/** Quick fixes carried by the core diagnostics (did-you-mean, exact cron alternatives, …). */
export function registerQuickFixes(diagnostics: ScheduleDiagnostics): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    SCHEDULE_SELECTOR,
    {
      provideCodeActions(document, _range, context) {
        const computed = diagnostics.diagnosticsFor(document) ?? diagnostics.update(document) ?? [];
        const actions: vscode.CodeAction[] = [];
        for (const shown of context.diagnostics) {
          if (shown.source !== DIAGNOSTIC_SOURCE) continue;
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
