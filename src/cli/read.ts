import * as path from 'path';
import type { CliIo } from './io';

/** A file's text, or undefined after saying on stderr why it cannot be read. */
export function readInput(file: string, io: CliIo, { keepByteOrderMark = false } = {}): string | undefined {
  const full = path.resolve(io.cwd, file);
  if (io.pathKind(full) === 'directory') {
    io.stderr(`bwdc-schedule: ${file}: is a folder, not a file\n`);
    return undefined;
  }
  try {
    // A UTF-8 byte order mark (Windows Notepad writes one) is not part of the text, as in the
    // editor; but bwdc's JSON.parse chokes on one in data.json, so there it is kept and reported.
    const text = io.readFile(full);
    return keepByteOrderMark ? text : text.replace(/^\uFEFF/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    io.stderr(`bwdc-schedule: ${file}: cannot read it (${reason})\n`);
    return undefined;
  }
}
