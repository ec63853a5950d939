import vscode = require('vscode');
import { hostZoneName } from '../core/cron/zone';
import { scheduleHover } from '../core/schedule/hover';
import { scheduleInstances } from '../core/schedule/instances';
import { commands } from '../editor/commandBundle';
import { pathKind } from '../host/files';
import { hostPlatform, SCHEDULE_SELECTOR, toRange } from '../editor/convert';
import { presentationSettings } from '../editor/settings';

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
        describeInstance: (dataJson) => describeDataJson(dataJson, scheduleInstances(document.getText(), document.uri.fsPath, hostPlatform()).plaintextSecrets),
      });
      if (!result) return undefined;
      const markdown = new vscode.MarkdownString(result.markdown, true);
      return new vscode.Hover(markdown, toRange(result.range));
    },
  });
}

/** An instance folder's data.json in a few lines, with how many problems it has; never a secret. */
function describeDataJson(file: string, plaintextSecrets: boolean): string | undefined {
  const { checkDataJsonFile, summaryMarkdown } = commands();
  const report = checkDataJsonFile(file, { plaintextSecrets });
  if (!report) return undefined;
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = report.diagnostics.filter((d) => d.severity === 'warning').length;
  const problems =
    errors + warnings === 0
      ? vscode.l10n.t('No problems found in data.json.')
      : vscode.l10n.t('data.json has {0} error(s) and {1} warning(s); open it or run "bwdc: Validate data.json" to see them.', errors, warnings);
  return report.summary ? `${summaryMarkdown(report.summary)}\n\n${problems}` : problems;
}
