import type * as vscode from 'vscode';

/**
 * Results that cost a process (crontab -l, PowerShell), kept a few seconds per document
 * version, so the CodeLens and the status item asking together start one process, not two.
 */
export class RecentPerDocument<T> {
  private readonly entries = new Map<string, { version: number; at: number; value: T }>();

  constructor(private readonly maxAgeMs = 5000) {}

  get(document: vscode.TextDocument, compute: () => T): T {
    const key = document.uri.toString();
    const entry = this.entries.get(key);
    if (entry && entry.version === document.version && Date.now() - entry.at < this.maxAgeMs) return entry.value;
    const value = compute();
    this.entries.set(key, { version: document.version, at: Date.now(), value });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
