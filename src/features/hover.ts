import vscode = require('vscode');
import { hostZoneName } from '../core/cron/zone';
import { recentRunsMarkdown } from '../core/history/present';
import { scheduleHover } from '../core/schedule/hover';
import { scheduleInstances } from '../core/schedule/instances';
import type { Range } from '../core/text';
import { commands } from '../editor/commandBundle';
import { scheduleModel } from '../editor/documents';
import { historyPresentation } from '../editor/history';
import { pathKind } from '../host/files';
import { hostPlatform, SCHEDULE_SELECTOR, toRange } from '../editor/convert';
import { presentationSettings } from '../editor/settings';

/** How many runs the hover on the `log` line lists. */
const RECENT_RUNS = 5;

/**
 * Cron expressions in plain language with next runs; directive and secret-source documentation;
 * on the `log` line, the job's recent runs.
 */
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
      const runs = recentRuns(document, position);
      if (!result && !runs) return undefined;
      const markdown = new vscode.MarkdownString([result?.markdown, runs?.markdown].filter(Boolean).join('\n\n---\n\n'), true);
      return new vscode.Hover(markdown, toRange(result?.range ?? runs!.range));
    },
  });
}

/** On the `log` line of a saved file: the newest runs its log holds, below what the line's hover says already. */
function recentRuns(document: vscode.TextDocument, position: vscode.Position): { readonly markdown: string; readonly range: Range } | undefined {
  if (document.uri.scheme !== 'file') return undefined;
  const directive = scheduleModel(document).parsed.directives.find((candidate) => candidate.line === position.line);
  if (directive?.key !== 'log' || position.character < directive.keyRange.start.character || position.character > directive.valueRange.end.character)
    return undefined;
  const state = commands().historyOf(document, { runs: RECENT_RUNS });
  return {
    markdown: recentRunsMarkdown(state, historyPresentation(document), RECENT_RUNS),
    range: { start: directive.keyRange.start, end: directive.valueRange.end },
  };
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
