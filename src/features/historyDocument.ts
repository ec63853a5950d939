import vscode = require('vscode');
import { historyMarkdown } from '../core/history/present';
import { commands } from '../editor/commandBundle';
import { HISTORY_SCHEME, historyPresentation, historyUri, LogWatcher, scheduleUriOf } from '../editor/history';

/** How many runs the document shows, newest first, and at most how many lines of each. */
const RUNS = 50;
const LINES_PER_RUN = 60;
/** A run writes a line every few seconds: read the log again once it has been quiet this long. */
const QUIET_MS = 1000;

/**
 * The Sync History documents ("bwdc: Show Sync History"): read-only Markdown made from a schedule
 * file's log whenever VS Code asks for it, and made again while the document is open, when the
 * log changes (a watcher on it) or the schedule file is saved.
 */
export class HistoryDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly watchers = new Map<string, { readonly watcher: LogWatcher; timer?: ReturnType<typeof setTimeout> }>();
  private readonly subscriptions: vscode.Disposable[] = [
    vscode.workspace.registerTextDocumentContentProvider(HISTORY_SCHEME, this),
    vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
    vscode.workspace.onDidSaveTextDocument((document) => {
      if (document.languageId === 'bwdc-schedule') this.refresh(document.uri);
    }),
  ];

  /** Makes the history document of this schedule file again, if it is open. */
  refresh(scheduleFile: vscode.Uri): void {
    this.changed.fire(historyUri(scheduleFile));
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const scheduleFile = scheduleUriOf(uri);
    if (!scheduleFile) return '';
    const document = await vscode.workspace.openTextDocument(scheduleFile);
    const state = commands().historyOf(document, { runs: RUNS, lines: LINES_PER_RUN });
    this.watcherOf(uri).watch('log' in state ? state.log : undefined);
    const missed = await commands()
      .missedOf(document, state)
      .catch(() => undefined);
    return historyMarkdown(state, historyPresentation(document), missed);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    for (const key of [...this.watchers.keys()]) this.forget(vscode.Uri.parse(key));
    this.changed.dispose();
  }

  private watcherOf(uri: vscode.Uri): LogWatcher {
    const key = uri.toString();
    let entry = this.watchers.get(key);
    if (!entry) {
      const created: { readonly watcher: LogWatcher; timer?: ReturnType<typeof setTimeout> } = {
        watcher: new LogWatcher(() => {
          if (created.timer) clearTimeout(created.timer);
          created.timer = setTimeout(() => this.changed.fire(uri), QUIET_MS);
        }),
      };
      entry = created;
      this.watchers.set(key, entry);
    }
    return entry.watcher;
  }

  private forget(uri: vscode.Uri): void {
    const entry = this.watchers.get(uri.toString());
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.watcher.dispose();
    this.watchers.delete(uri.toString());
  }
}
