import * as vscode from 'vscode';
import { hostZoneName } from '../core/cron/zone';
import { scheduleHover } from '../core/schedule/hover';
import { pathKind } from '../host/files';
import { hostPlatform, SCHEDULE_SELECTOR, toRange } from './convert';
import { presentationSettings } from './settings';

/** Cron expressions in plain language with next runs; directive and secret-source documentation. */
export function registerHover(): vscode.Disposable {
  return vscode.languages.registerHoverProvider(SCHEDULE_SELECTOR, {
    provideHover(document, position) {
      const settings = presentationSettings(document);
      const result = scheduleHover(document.getText(), position, {
        locale: settings.locale,
        ...(settings.use24HourTime !== undefined ? { use24HourTime: settings.use24HourTime } : {}),
        nextRunCount: settings.nextRunCount,
        now: Date.now(),
        hostZone: hostZoneName(),
        hostPlatform: hostPlatform(),
        ...(document.uri.scheme === 'file' ? { scheduleFile: document.uri.fsPath, pathKind } : {}),
        t: vscode.l10n.t,
      });
      if (!result) return undefined;
      const markdown = new vscode.MarkdownString(result.markdown, true);
      return new vscode.Hover(markdown, toRange(result.range));
    },
  });
}
