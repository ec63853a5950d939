import * as fs from 'fs';
import * as path from 'path';
import { t } from '../core/l10n';
import { writtenByUs, type ArtifactKind } from '../core/origin';
import type { PathKind } from '../core/diagnostic';
import type { DiagnoseContext } from '../core/schedule/diagnose';

/** What is at a path on this machine (symlinks followed); errors count as missing. */
export function pathKind(target: string): PathKind {
  try {
    const stat = fs.statSync(target);
    return stat.isDirectory() ? 'directory' : 'file';
  } catch {
    return 'missing';
  }
}

/** Why a file could not be read as text; each has a one-line message for the user. */
export type TextFileProblem = 'missing' | 'directory' | 'not-regular' | 'too-large' | 'not-text' | 'permission' | 'other';

export class TextFileError extends Error {
  constructor(
    readonly problem: TextFileProblem,
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Opens a file for reading without blocking (a FIFO would wait for a writer) and refuses what is
 * not a regular file. The caller closes the descriptor. Throws TextFileError.
 */
export function openRegularFile(file: string): { readonly descriptor: number; readonly stat: fs.Stats } {
  let descriptor: number;
  try {
    descriptor = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw textFileError(file, error);
  }
  try {
    const stat = fs.fstatSync(descriptor);
    if (stat.isDirectory()) throw new TextFileError('directory', file, t('{0} is a folder, not a file', file));
    if (!stat.isFile()) throw new TextFileError('not-regular', file, t('{0} is not a regular file (a device, pipe or socket); refusing to read it', file));
    return { descriptor, stat };
  } catch (error) {
    fs.closeSync(descriptor);
    throw error;
  }
}

/** Schedule files, scripts and logs are kilobytes; data.json files stay well below this. */
export const TEXT_FILE_MAX_BYTES = 4 * 1024 * 1024;

/**
 * A file's text, refusing what would hang, exhaust memory or flood the terminal: a FIFO or a
 * device (opened without blocking, then checked), more than `maxBytes` (never more is read,
 * whatever size the file claims: /dev/zero and /proc files claim 0), and bytes that are not
 * UTF-8 text (NUL bytes, invalid sequences).
 */
export function readTextFile(file: string, maxBytes: number = TEXT_FILE_MAX_BYTES): string {
  const { descriptor } = openRegularFile(file);
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.alloc(Math.min(maxBytes + 1, 64 * 1024));
    for (;;) {
      const count = fs.readSync(descriptor, chunk, 0, Math.min(chunk.length, maxBytes + 1 - total), null);
      if (count === 0) break;
      chunks.push(Buffer.from(chunk.subarray(0, count)));
      total += count;
      if (total > maxBytes) throw new TextFileError('too-large', file, t('{0} is larger than {1}; refusing to read it', file, formatBytes(maxBytes)));
    }
    return decodeText(file, Buffer.concat(chunks, total));
  } catch (error) {
    throw error instanceof TextFileError ? error : textFileError(file, error);
  } finally {
    fs.closeSync(descriptor);
  }
}

/**
 * UTF-8 text, or a TextFileError for binary content: invalid UTF-8, or control characters in a
 * share no text has. A stray control character stays: it is a diagnostic (with its line), not a
 * reason to refuse the whole file.
 */
export function decodeText(file: string, bytes: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new TextFileError('not-text', file, t('{0} is not a text file (it is not UTF-8)', file));
  }
  // eslint-disable-next-line no-control-regex -- counts the control characters of a binary file
  const controls = text.match(/[\u0000-\u0008\u000e-\u001f\u007f]/g)?.length ?? 0;
  if (controls >= 16 && controls * 100 > text.length)
    throw new TextFileError('not-text', file, t('{0} is not a text file (it is full of control characters)', file));
  return text;
}

/** The TextFileError for what opening or reading a file threw. */
export function textFileError(file: string, error: unknown): TextFileError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new TextFileError('missing', file, t('{0} does not exist', file));
  if (code === 'EACCES' || code === 'EPERM') return new TextFileError('permission', file, t('{0} cannot be read (permission denied)', file));
  if (code === 'EISDIR') return new TextFileError('directory', file, t('{0} is a folder, not a file', file));
  return new TextFileError('other', file, t('{0} cannot be read ({1})', file, code ?? (error as Error).message));
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** A file's text, or undefined when there is no file; other problems throw TextFileError. */
export function readTextIfExists(file: string, maxBytes: number = TEXT_FILE_MAX_BYTES): string | undefined {
  try {
    return readTextFile(file, maxBytes);
  } catch (error) {
    if (error instanceof TextFileError && error.problem === 'missing') return undefined;
    throw error;
  }
}

/**
 * The first bytes of a regular file as text, to tell who wrote it; undefined when there is no
 * file there, 'not-a-file' for a folder, device or pipe. Never blocks, never reads more.
 * A UTF-16 file with its byte order mark (Task Scheduler XML) is decoded as such.
 */
export function fileHead(file: string, bytes = 4096): string | 'not-a-file' | undefined {
  let descriptor: number;
  try {
    descriptor = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if (code === 'EISDIR') return 'not-a-file';
    // Exists but unreadable: not something we can tell as ours.
    return fs.existsSync(file) ? '' : undefined;
  }
  try {
    if (!fs.fstatSync(descriptor).isFile()) return 'not-a-file';
    const buffer = Buffer.alloc(bytes);
    const count = fs.readSync(descriptor, buffer, 0, bytes, 0);
    const head = buffer.subarray(0, count);
    if (head[0] === 0xff && head[1] === 0xfe) return head.subarray(2, count - (count % 2)).toString('utf16le');
    return head.toString('utf8');
  } catch {
    return '';
  } finally {
    fs.closeSync(descriptor);
  }
}

export interface WriteOptions {
  /** POSIX permission bits of the new file, applied before it becomes visible. */
  readonly mode: number;
  /** Give the file (and a folder we create) to this uid/gid; only root can. */
  readonly owner?: { readonly uid: number; readonly gid: number };
}

/**
 * Writes a file so that readers see either the old content or the new one, never a part:
 * a private temporary file in the same folder, flushed, then renamed over the target. A
 * failure leaves the old file untouched.
 */
export function writeFileAtomic(target: string, content: string | Buffer, options: WriteOptions): void {
  const folder = path.dirname(target);
  makeFolders(folder, options.owner);
  const temporary = path.join(folder, `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  const descriptor = fs.openSync(temporary, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, options.mode);
  try {
    fs.writeSync(descriptor, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    if (process.platform !== 'win32') fs.fchmodSync(descriptor, options.mode);
    if (options.owner) fs.fchownSync(descriptor, options.owner.uid, options.owner.gid);
    fs.fsyncSync(descriptor);
  } catch (error) {
    fs.closeSync(descriptor);
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  fs.closeSync(descriptor);
  try {
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Creates a folder and any missing parents with mode 700, each given to `owner` when set: a
 * folder made on someone's behalf (`~/.config` for the run-as user's secret) must be theirs,
 * or they could not reach what is inside.
 */
export function makeFolders(folder: string, owner?: { readonly uid: number; readonly gid: number }): void {
  const missing: string[] = [];
  for (let current = path.resolve(folder); !fs.existsSync(current); current = path.dirname(current)) {
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const made of missing) {
    try {
      fs.mkdirSync(made, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      continue; // made by someone else meanwhile: theirs, not ours to chown
    }
    if (owner) fs.chownSync(made, owner.uid, owner.gid);
  }
}

/** The first executable called `name` on PATH (with PATHEXT on Windows), or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const folders = (env['PATH'] ?? env['Path'] ?? '').split(path.delimiter).filter(Boolean);
  const extensions = process.platform === 'win32' ? (env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const folder of folders) {
    for (const extension of extensions) {
      const candidate = path.join(folder, name + extension.toLowerCase());
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** A refusal to replace or append to a file that bwdc Schedule did not write. */
export class NotOursError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

const NOT_OURS: Readonly<Record<ArtifactKind, (file: string) => string>> = {
  script: (file) =>
    t(
      '{0} exists and was not generated by bwdc Schedule, so it was left as it is. Move it away (a hand-written sync script, for example), or set another path with a `script` line.',
      file,
    ),
  log: (file) => t('{0} exists and is not a log written by bwdc Schedule, so nothing is appended to it. Set another path with a `log` line.', file),
  'task-xml': (file) => t('{0} exists and is not a Task Scheduler task exported by bwdc Schedule, so it was left as it is. Choose another file name.', file),
  secret: (file) => t('{0} exists and does not hold just a secret (one line), so it was left as it is. Point the `secret` line at a file of its own.', file),
  'systemd-unit': (file) =>
    t('{0} exists and is not a unit file written by bwdc Schedule, so it was left as it is. Choose another folder, or another job name.', file),
};

/** Refuses (NotOursError) when `file` exists and is not a file bwdc Schedule may replace as `kind`. */
export function assertOurs(file: string, kind: ArtifactKind): void {
  const head = fileHead(file);
  if (head === undefined) return;
  if (head === 'not-a-file') throw new NotOursError(file, t('{0} is a folder or a device, not a file; nothing was written.', file));
  if (!writtenByUs(kind, head)) throw new NotOursError(file, NOT_OURS[kind](file));
}

/** writeFileAtomic for a file bwdc Schedule makes: never over a file it did not write itself. */
export function writeOwnFile(target: string, content: string | Buffer, kind: ArtifactKind, options: WriteOptions): void {
  assertOurs(target, kind);
  writeFileAtomic(target, content, options);
}

/** The names in a folder, or undefined when it cannot be listed. */
export function listFolder(folder: string): string[] | undefined {
  try {
    return fs.readdirSync(folder);
  } catch {
    return undefined;
  }
}

/** What the diagnostics may look up on this machine's disk: kinds of paths, first bytes, folders. */
export function diskLookups(): Required<Pick<DiagnoseContext, 'pathKind' | 'readHead' | 'listFolder'>> {
  return { pathKind, readHead: (file) => fileHead(file), listFolder };
}
