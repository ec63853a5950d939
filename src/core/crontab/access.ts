import { t } from '../l10n';

/**
 * Who may use cron on Debian (misc.c `allowed`): root always; if /etc/cron.allow exists, only
 * the users it lists; otherwise, if /etc/cron.deny exists, everyone it does not list;
 * otherwise everyone. Creating /etc/cron.allow where there is none would lock every other
 * user out, so the changes planned here only ever add to an existing allow file or remove a
 * line from the deny file.
 */

export const ALLOW_FILE = '/etc/cron.allow';
export const DENY_FILE = '/etc/cron.deny';

/** File contents, or undefined when the file does not exist. */
export interface AccessFiles {
  readonly allow?: string;
  readonly deny?: string;
}

/**
 * Debian's `in_file`, on the file's bytes: each line as fgets(line, 1000) reads it (pieces of
 * at most 999 bytes), up to a NUL byte as strcmp sees it, with its last byte dropped (meant to
 * be the newline; on an unterminated last line it is a real character), compared exactly.
 */
export function listsUser(content: string, user: string): boolean {
  const wanted = utf8(user);
  return physicalLines(utf8(content)).some((line) => piecesOf(line).some((piece) => sameBytes(asCompared(piece), wanted)));
}

const FGETS_PIECE = 999;

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Lines with their newline, as byte ranges. */
function physicalLines(bytes: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let start = 0;
  while (start < bytes.length) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline + 1;
    lines.push(bytes.subarray(start, end));
    start = end;
  }
  return lines;
}

function piecesOf(line: Uint8Array): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let start = 0; start < line.length; start += FGETS_PIECE) pieces.push(line.subarray(start, Math.min(line.length, start + FGETS_PIECE)));
  return pieces;
}

/** What strcmp compares after in_file drops the last character: up to the first NUL. */
function asCompared(piece: Uint8Array): Uint8Array {
  const nul = piece.indexOf(0);
  const string = nul < 0 ? piece : piece.subarray(0, nul);
  return string.length > 0 ? string.subarray(0, string.length - 1) : string;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

export type AccessVerdict =
  | { readonly allowed: true; readonly why: 'root' | 'listed-in-allow' | 'no-files' | 'not-in-deny' }
  | { readonly allowed: false; readonly why: 'not-in-allow' | 'listed-in-deny' };

export function cronAccess(user: string, files: AccessFiles): AccessVerdict {
  if (user === 'root') return { allowed: true, why: 'root' };
  if (files.allow !== undefined) return listsUser(files.allow, user) ? { allowed: true, why: 'listed-in-allow' } : { allowed: false, why: 'not-in-allow' };
  if (files.deny !== undefined) return listsUser(files.deny, user) ? { allowed: false, why: 'listed-in-deny' } : { allowed: true, why: 'not-in-deny' };
  return { allowed: true, why: 'no-files' };
}

export interface FileEdit {
  readonly file: string;
  readonly before: string;
  readonly after: string;
  /** Side effects a reader must know about, beyond the user's own line. */
  readonly notes: readonly string[];
}

/** Appends the user to the allow file, keeping every other byte. */
export function addToAllow(content: string, user: string): FileEdit {
  const notes: string[] = [];
  let prefix = content;
  if (content.length > 0 && !content.endsWith('\n')) {
    const lastLine = content.slice(content.lastIndexOf('\n') + 1);
    notes.push(
      t(
        "The last line of {0}, '{1}', has no newline, so cron reads it as '{2}'. Adding a line ends it, so '{1}' will be allowed too.",
        ALLOW_FILE,
        lastLine,
        lastLine.slice(0, -1),
      ),
    );
    prefix += '\n';
  }
  return { file: ALLOW_FILE, before: content, after: `${prefix}${user}\n`, notes };
}

/**
 * Removes the lines that deny the user as cron reads them, and nothing else. A line longer
 * than one fgets piece, or with a NUL byte, goes as a whole; the note says so.
 */
export function removeFromDeny(content: string, user: string): FileEdit {
  const wanted = utf8(user);
  const kept: Uint8Array[] = [];
  const notes: string[] = [];
  for (const line of physicalLines(utf8(content))) {
    const denies = piecesOf(line).some((piece) => sameBytes(asCompared(piece), wanted));
    if (!denies) kept.push(line);
    else if (line.length > FGETS_PIECE || line.includes(0))
      notes.push(t('A line of {0} that cron reads as several entries, one of them {1}, is removed as a whole.', DENY_FILE, user));
  }
  const bytes = new Uint8Array(kept.reduce((sum, line) => sum + line.length, 0));
  let offset = 0;
  for (const line of kept) {
    bytes.set(line, offset);
    offset += line.length;
  }
  return { file: DENY_FILE, before: content, after: new TextDecoder().decode(bytes), notes };
}

export interface AccessPlan {
  readonly verdict: AccessVerdict;
  /** What would let the user use cron; empty when nothing needs to change. */
  readonly edits: readonly FileEdit[];
}

/** What to change so that `user` may use cron, given the current files. */
export function planAccess(user: string, files: AccessFiles): AccessPlan {
  const verdict = cronAccess(user, files);
  if (verdict.allowed) return { verdict, edits: [] };
  if (verdict.why === 'not-in-allow') return { verdict, edits: [addToAllow(files.allow!, user)] };
  return { verdict, edits: [removeFromDeny(files.deny!, user)] };
}
