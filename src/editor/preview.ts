import vscode = require('vscode');

export const PREVIEW_SCHEME = 'bwdc-schedule-preview';

/** Read-only documents holding what a command proposes to write, for the diff editor. */
export class PreviewDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, this);

  /** A URI showing `content`, named after the file it would become. */
  show(target: string, content: string): vscode.Uri {
    // A URI path without an authority may not begin with '//', which '/' + an absolute path would.
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${target.replace(/^\/+/, '')}`, query: String(Date.now()) });
    this.contents.set(uri.toString(), content);
    this.changed.fire(uri);
    return uri;
  }

  /** Closes the diff editors showing previews, and only those. */
  async closeAll(): Promise<void> {
    const tabs = vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .filter(
        (tab) => tab.input instanceof vscode.TabInputTextDiff && (tab.input.modified.scheme === PREVIEW_SCHEME || tab.input.original.scheme === PREVIEW_SCHEME),
      );
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
    this.contents.clear();
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
