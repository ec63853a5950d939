/**
 * Who wrote a file, from its first bytes: bwdc Schedule replaces or appends to a file only when it
 * wrote it itself (or it is empty), so a `script` or `log` line that names data.json, the schedule
 * file or anyone's own file can never destroy it.
 */

export type ArtifactKind = 'script' | 'log' | 'task-xml' | 'secret';

/** The header line every generated script carries (bash and PowerShell comments alike). */
const SCRIPT_MARK = /^# Fingerprint: sha256:[0-9a-f]+\s*$/m;
/** A line the sync scripts log: an ISO 8601 time with offset, then `[label]`. */
export const LOG_LINE_START = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d) \[/;
/** Every task bwdc Schedule registers lives in the \bwdc\ folder of Task Scheduler. */
const TASK_MARK = /<URI>\\bwdc\\[^<]*<\/URI>/;

/**
 * Whether a file starting with `head` is one bwdc Schedule may overwrite (or append to) as the
 * given artifact. Empty files hold nothing to lose. A secret file is one line without blanks.
 */
export function writtenByUs(kind: ArtifactKind, head: string): boolean {
  const text = head.replace(/^\uFEFF/, '');
  if (text.trim().length === 0) return true;
  switch (kind) {
    case 'script':
      return SCRIPT_MARK.test(text.slice(0, 4096));
    case 'log':
      return LOG_LINE_START.test(text);
    case 'task-xml':
      return TASK_MARK.test(text);
    case 'secret':
      return /^[^\s]{1,1024}\r?\n?$/.test(text);
  }
}
