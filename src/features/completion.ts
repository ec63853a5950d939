import vscode = require('vscode');
import { completeAt, type CompletionKind } from '../core/schedule/complete';
import { hostPlatform, SCHEDULE_SELECTOR, toRange } from '../editor/convert';
import { presentationSettings } from '../editor/settings';

const KINDS: Record<CompletionKind, vscode.CompletionItemKind> = {
  directive: vscode.CompletionItemKind.Keyword,
  value: vscode.CompletionItemKind.Value,
  schedule: vscode.CompletionItemKind.Event,
  macro: vscode.CompletionItemKind.Constant,
  timezone: vscode.CompletionItemKind.EnumMember,
  variable: vscode.CompletionItemKind.Variable,
  scheme: vscode.CompletionItemKind.Module,
};

/** Directive names, platform values, secret schemes, time zones, macros and common schedules. */
export function registerCompletion(): vscode.Disposable {
  return vscode.languages.registerCompletionItemProvider(
    SCHEDULE_SELECTOR,
    {
      provideCompletionItems(document, position) {
        const settings = presentationSettings(document);
        const entries = completeAt(document.getText(), position, {
          hostPlatform: hostPlatform(),
          locale: settings.locale,
          ...(settings.use24HourTime !== undefined ? { use24HourTime: settings.use24HourTime } : {}),
          ...(document.uri.scheme === 'file' ? { scheduleFile: document.uri.fsPath } : {}),
        });
        return entries.map((entry) => {
          const item = new vscode.CompletionItem(entry.label, KINDS[entry.kind]);
          item.insertText = entry.snippet ? new vscode.SnippetString(entry.insertText) : entry.insertText;
          item.range = toRange(entry.range);
          if (entry.detail) item.detail = entry.detail;
          if (entry.documentation) item.documentation = new vscode.MarkdownString(entry.documentation);
          if (entry.sortText) item.sortText = entry.sortText;
          if (entry.filterText) item.filterText = entry.filterText;
          if (entry.retrigger) item.command = { title: vscode.l10n.t('Suggest'), command: 'editor.action.triggerSuggest' };
          return item;
        });
      },
    },
    ' ',
    ':',
    '@',
  );
}
