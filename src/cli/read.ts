import * as path from 'path';
import { TextFileError, type TextFileProblem } from '../host/files';
import type { CliIo } from './io';

/** Schedule files are a few hundred bytes; a megabyte is already absurd. */
export const SCHEDULE_FILE_MAX_BYTES = 1024 * 1024;

const REASONS: Readonly<Record<TextFileProblem, string>> = {
  missing: 'cannot read it (no such file)',
  permission: 'cannot read it (permission denied)',
  directory: 'is a folder, not a file',
  'not-regular': 'is not a regular file (a device, pipe or socket); refusing to read it',
  'too-large': 'is too large',
  'not-text': 'is not a text file',
  other: 'cannot read it',
};

/**
 * A file's text, or undefined after saying on stderr, in one line, why it cannot be read: no
 * such file, a folder, a device or FIFO (never opened in a way that blocks), too large (never
 * read past the limit) or not text (never echoed).
 */
export function readInput(file: string, io: CliIo, { keepByteOrderMark = false, maxBytes = SCHEDULE_FILE_MAX_BYTES } = {}): string | undefined {
  const full = path.resolve(io.cwd, file);
  if (io.pathKind(full) === 'directory') {
    io.stderr(`bwdc-schedule: ${file}: ${REASONS.directory}\n`);
    return undefined;
  }
  try {
    // A UTF-8 byte order mark (Windows Notepad writes one) is not part of the text, as in the
    // editor; but bwdc's JSON.parse chokes on one in data.json, so there it is kept and reported.
    const text = io.readFile(full, maxBytes);
    return keepByteOrderMark ? text : text.replace(/^\uFEFF/, '');
  } catch (error) {
    io.stderr(`bwdc-schedule: ${file}: ${reason(error, maxBytes)}\n`);
    return undefined;
  }
}

function reason(error: unknown, maxBytes: number): string {
  if (error instanceof TextFileError) {
    if (error.problem === 'too-large') return `is larger than ${Math.round(maxBytes / 1024)} KB; refusing to read it`;
    if (error.problem === 'not-text') return `is not a text file (${/UTF-8/.test(error.message) ? 'it is not UTF-8' : 'it is full of control characters'})`;
    if (error.problem === 'other') return error.message;
    return REASONS[error.problem];
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return REASONS.missing;
  if (code === 'EACCES') return REASONS.permission;
  return `cannot read it (${code ?? (error as Error).message})`;
}
