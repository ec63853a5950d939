import { t } from '../l10n';
import type { SyncJob } from '../schedule/job';

/**
 * The managed block bwdc Schedule keeps in a crontab, and the pure text changes around it.
 * Everything outside the block is kept byte for byte: comments, blank lines, environment lines,
 * other tools' blocks, `%`, CR bytes, a last line without a newline (the only byte ever added
 * is the final newline cron requires). Markers are compared as fixed strings, never as regular
 * expressions built from user text; a damaged block is reported, not guessed at.
 */

const BEGIN = '# BEGIN bwdc-schedule ';
const END = '# END bwdc-schedule ';

/**
 * Debian's crontab(1) limit for a command, in bytes: MAX_COMMAND is 1000 with room for the
 * terminator, and 999 bytes are already refused ("command too long").
 */
export const MAX_COMMAND_BYTES = 998;

export interface BlockSpec {
  readonly name: string;
  readonly scheduleFile: string;
  /** The crontab lines between the markers. */
  readonly lines: readonly string[];
  /** When installing: the time written on the block's `# installed` line, should it get a new one. */
  readonly installed?: InstallStamp;
}

/**
 * When the block's schedule took effect, and which version wrote it: the comment line
 * `# installed 2026-12-04T20:41:00Z by bwdc-schedule 0.1.0` right after the begin marker, for
 * missed runs (core/history/missed.ts). It is no part of what the block runs: comparisons leave
 * it out, so a block differs from its file only by its schedule lines and markers. An identical
 * reinstall keeps it, and leaves an identical block written before there was one without it;
 * a change to the other lines gets a new one.
 */
export interface InstallStamp {
  /** UTC, whole seconds: `2026-12-04T20:41:00Z`. */
  readonly at: string;
  readonly version: string;
}

const INSTALLED = '# installed ';

/** The stamp for an install at this instant (UTC milliseconds). */
export function installStamp(instant: number, version: string): InstallStamp {
  return { at: new Date(Math.floor(instant / 1000) * 1000).toISOString().replace('.000Z', 'Z'), version };
}

function installedLine(stamp: InstallStamp): string {
  // eslint-disable-next-line no-control-regex -- a control character could end the comment line
  return `${INSTALLED}${stamp.at} by bwdc-schedule ${stamp.version.replace(/[\u0000-\u001f\u007f]/g, '?')}`;
}

/** The stamp a block's line holds, or undefined when it is not an install line this tool writes. */
function parseInstalledLine(content: string): InstallStamp | undefined {
  const match = /^# installed (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z) by bwdc-schedule (\S+)$/.exec(content);
  if (!match || !Number.isFinite(Date.parse(match[1]!))) return undefined;
  return { at: match[1]!, version: match[2]! };
}

export function beginMarker(name: string): string {
  return `${BEGIN}${name}`;
}

export function endMarker(name: string): string {
  return `${END}${name}`;
}

export class CrontabTextError extends Error {}

/** The block for a job: one line per `schedule`, each running the script by absolute path. */
export function blockFor(job: SyncJob, installed?: InstallStamp): BlockSpec {
  const command = cronCommand(job.script);
  return {
    name: job.name,
    scheduleFile: job.scheduleFile,
    lines: job.schedules.map((schedule) => `${schedule.text} ${command}`),
    ...(installed ? { installed } : {}),
  };
}

/**
 * The script path as cron's command: single-quoted for /bin/sh, with `%` escaped because
 * vixie cron and its descendants turn an unescaped `%` into a newline (and send the rest to
 * stdin) before the shell sees the line, quotes or not. A backslash is refused: Debian's cron
 * turns `\\` into `\` while others keep it, so no one spelling runs the same path everywhere.
 */
export function cronCommand(script: string): string {
  // eslint-disable-next-line no-control-regex -- rejects a script path with a control character
  if (/[\u0000-\u001f\u007f]/.test(script)) throw new CrontabTextError(t('the script path contains a control character: {0}', JSON.stringify(script)));
  if (script.includes('\\')) {
    throw new CrontabTextError(
      t(
        "the script path {0} contains a backslash, which cron implementations read differently (Debian's turns \\\\ into \\, others do not). Use a 'script' path without backslashes.",
        script,
      ),
    );
  }
  const command = `'${script.replace(/'/g, `'\\''`)}'`.replace(/%/g, '\\%');
  const bytes = utf8Length(command);
  if (bytes > MAX_COMMAND_BYTES) {
    throw new CrontabTextError(
      t("the script path is too long for a crontab line ({0} bytes; Debian's cron accepts {1}). Use a shorter 'script' path.", bytes, MAX_COMMAND_BYTES),
    );
  }
  return command;
}

/** UTF-8 byte length without Buffer, so src/core stays free of Node APIs. */
function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

export function blockText(spec: BlockSpec): string {
  const begin = `${beginMarker(spec.name)} ${markerComment(spec.scheduleFile)}`;
  const stamp = spec.installed ? [installedLine(spec.installed)] : [];
  return [begin, ...stamp, ...spec.lines, endMarker(spec.name)].map((line) => `${line}\n`).join('');
}

/** A block's text without its install line (the line right after the begin marker), and the stamp that line holds. */
function splitInstalled(block: string): { readonly rest: string; readonly stamp?: InstallStamp } {
  const all = lines(block);
  const second = all[1];
  const stamp = second && all.length > 2 ? parseInstalledLine(second.content) : undefined;
  return stamp ? { rest: block.slice(0, second!.start) + block.slice(second!.end), stamp } : { rest: block };
}

/** When the job's block in a crontab says its schedule took effect; undefined without a block or an install line. */
export function installedAt(text: string, name: string): InstallStamp | undefined {
  const location = locateBlock(text, name);
  return location.kind === 'present' ? splitInstalled(location.text).stamp : undefined;
}

/**
 * Text after the name on the BEGIN line: where the block comes from. Never matched on, but part
 * of the bytes an up-to-date block has, so always English, whatever the editor's language.
 */
function markerComment(scheduleFile: string): string {
  // eslint-disable-next-line no-control-regex -- a control character could end the comment line
  return `(from ${scheduleFile.replace(/[\u0000-\u001f\u007f]/g, '?')}; managed by bwdc Schedule, edit that file instead)`;
}

interface Line {
  /** Without its terminator. */
  readonly content: string;
  readonly start: number;
  /** Offset after the terminator. */
  readonly end: number;
}

function lines(text: string): Line[] {
  const result: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline + 1;
    let content = text.slice(start, newline < 0 ? text.length : newline);
    if (content.endsWith('\r')) content = content.slice(0, -1);
    result.push({ content, start, end });
    start = end;
  }
  return result;
}

export type BlockLocation =
  | { readonly kind: 'absent' }
  | { readonly kind: 'present'; readonly start: number; readonly end: number; readonly text: string; readonly beginLine: number; readonly endLine: number }
  | { readonly kind: 'damaged'; readonly reason: string; readonly lines: readonly number[] };

/** Where the job's block is (offsets into the text; lines are 1-based for messages). */
export function locateBlock(text: string, name: string): BlockLocation {
  const begin = beginMarker(name);
  const end = endMarker(name);
  const all = lines(text);
  const begins: number[] = [];
  const ends: number[] = [];
  all.forEach((line, index) => {
    if (line.content === begin || line.content.startsWith(`${begin} `)) begins.push(index);
    if (line.content === end) ends.push(index);
  });
  if (begins.length === 0 && ends.length === 0) return { kind: 'absent' };
  const numbers = [...begins, ...ends].sort((a, b) => a - b).map((index) => index + 1);
  if (begins.length === 1 && ends.length === 1 && begins[0]! < ends[0]!) {
    const first = all[begins[0]!]!;
    const last = all[ends[0]!]!;
    return { kind: 'present', start: first.start, end: last.end, text: text.slice(first.start, last.end), beginLine: begins[0]! + 1, endLine: ends[0]! + 1 };
  }
  const reason =
    begins.length === 0
      ? t("an end marker of '{0}' without its begin marker", name)
      : ends.length === 0
        ? t("a begin marker of '{0}' without its end marker", name)
        : begins.length > 1 || ends.length > 1
          ? t("more than one block of '{0}'", name)
          : t("the end marker of '{0}' comes before its begin marker", name);
  return { kind: 'damaged', reason, lines: numbers };
}

function damaged(location: Extract<BlockLocation, { kind: 'damaged' }>, name: string): never {
  throw new CrontabTextError(
    t(
      "The crontab has {0} (line {1}): it was edited by hand. Nothing was changed; restore or remove the '{2}' … '{3}' lines with crontab -e, then try again.",
      location.reason,
      location.lines.join(', '),
      beginMarker(name),
      endMarker(name),
    ),
  );
}

export interface Change {
  readonly before: string;
  readonly after: string;
  readonly changed: boolean;
}

/** Installs or replaces the job's block: in place when present, else at the end. */
export function installBlock(text: string, spec: BlockSpec): Change {
  const block = blockText(spec);
  const location = locateBlock(text, spec.name);
  if (location.kind === 'damaged') damaged(location, spec.name);
  let after: string;
  if (location.kind === 'present') {
    const existing = splitInstalled(location.text);
    // The same lines: they took effect when the block was installed, and it stays as it is. An
    // old block without an install line too: "up to date" and "nothing to change" agree (the
    // history says why it cannot tell missed runs, and how to record the time).
    if (existing.rest === blockText({ ...spec, installed: undefined })) return { before: text, after: text, changed: false };
    after = text.slice(0, location.start) + block + text.slice(location.end);
    // An unterminated last line after the block: crontab(1) refuses a file without the newline.
    if (!after.endsWith('\n')) after += '\n';
  } else {
    // At the end: environment lines above do not reach the lines of other tools below us, and
    // an unterminated last line gets the one newline cron requires.
    after = text + (text.length === 0 || text.endsWith('\n') ? '' : '\n') + block;
  }
  return { before: text, after, changed: after !== text };
}

/** Removes the job's block, and nothing else; absent, nothing changes. */
export function removeBlock(text: string, name: string): Change {
  const location = locateBlock(text, name);
  if (location.kind === 'damaged') damaged(location, name);
  if (location.kind === 'absent') return { before: text, after: text, changed: false };
  let after = text.slice(0, location.start) + text.slice(location.end);
  // A block above an unterminated last line: that line now ends the file and needs the newline.
  if (after.length > 0 && !after.endsWith('\n')) after += '\n';
  return { before: text, after, changed: after !== text };
}

export type BlockState =
  | { readonly state: 'not-installed' }
  | {
      readonly state: 'installed';
      readonly upToDate: boolean;
      /** The lines between the markers, the install line left out. */
      readonly lines: readonly string[];
      /** The install line's stamp; absent in a block written before there was one. */
      readonly installed?: InstallStamp;
    }
  | { readonly state: 'damaged'; readonly reason: string; readonly lines: readonly number[] };

/** Installed and identical, installed but different (drift), not installed, or damaged. */
export function blockState(text: string, spec: BlockSpec): BlockState {
  const location = locateBlock(text, spec.name);
  if (location.kind === 'absent') return { state: 'not-installed' };
  if (location.kind === 'damaged') return { state: 'damaged', reason: location.reason, lines: location.lines };
  const { rest, stamp } = splitInstalled(location.text);
  const inner = lines(rest)
    .slice(1, -1)
    .map((line) => line.content);
  // Up to date when the block runs what the file says: the same bytes, markers included (a block
  // copied from another schedule file, or saved with CRLF, is rewritten on install), its install
  // line aside (a block without one is up to date too; installing gives it one).
  return { state: 'installed', upToDate: rest === blockText({ ...spec, installed: undefined }), lines: inner, ...(stamp ? { installed: stamp } : {}) };
}

/**
 * The header Debian's and macOS's crontab(1) write into the spool file ("DO NOT EDIT THIS
 * FILE", "installed on", "Cron version"). Listed with CRONTAB_NOHEADER=N so that a user's own
 * leading comments are not hidden; these exact lines are dropped so they never pile up.
 */
export function stripListingHeader(listing: string): string {
  let rest = listing;
  const patterns = [/^# DO NOT EDIT THIS FILE - edit the master and reinstall\.\r?\n/, /^# \(.* installed on .*\)\r?\n/, /^# \(Cron version .*\)\r?\n/];
  for (const pattern of patterns) {
    const match = pattern.exec(rest);
    if (!match) break;
    rest = rest.slice(match[0].length);
  }
  return rest;
}

/**
 * Debian's `crontab -l` prints CR and backspace bytes as the two characters `\r` and `\b`,
 * so a crontab holding them cannot be read back faithfully; the text is refused rather than
 * changed. Returns the 1-based lines that look like such escapes.
 */
export function unfaithfulListingLines(listing: string): number[] {
  return lines(listing)
    .map((line, index) => (/\\[rb]/.test(line.content) ? index + 1 : 0))
    .filter((line) => line > 0);
}
