/**
 * What every workflow (crontab, Task Scheduler, later systemd timers) needs from its front end:
 * the CLI shows a unified diff and asks on the terminal, the editor opens a diff editor and asks
 * in a modal. The sequence itself (plan, preview, confirm, re-read, back up, write, read back)
 * lives once, in the workflow.
 */

export interface WorkflowUi {
  /** Shows what a file, crontab or task would become; `labels` name the two sides when given. */
  preview(title: string, before: string, after: string, labels?: { readonly before: string; readonly after: string }): Promise<void>;
  /** Asks before a change; false stops the command without writing. */
  confirm(question: string, detail: string): Promise<boolean>;
  /** A line of progress or explanation. */
  say(message: string): void;
  /** Something the user should fix, though the command goes on. */
  warn(message: string): void;
}

export interface WorkflowOptions {
  /** Show what would change and stop. */
  readonly dryRun?: boolean;
  /** Confirmed ahead (--yes): if the crontab changed since the preview, apply the change to what it is now. */
  readonly replanIfChanged?: boolean;
}

export type Outcome = {
  readonly done: boolean;
  readonly message: string;
  /** What stopped the change, when the front end reports these apart (exit codes, wording). */
  readonly stoppedBy?: 'dry-run' | 'declined';
};
