import * as fs from 'fs';
import { openRegularFile, TextFileError, textFileError } from './files';

/** The end of a log, and whether its beginning was left out. */
export interface LogTail {
  readonly text: string;
  /** The file was larger than asked for: its first line here is whatever followed the cut. */
  readonly partial: boolean;
}

/**
 * The last `maxBytes` of a log file as text, for the run history: never blocks (a FIFO or device
 * is refused, opened without waiting), never reads more whatever size the file claims, and
 * decodes what is not UTF-8 to U+FFFD instead of refusing the file (bwdc's words are in it, as
 * bwdc wrote them). When the file is larger, the text starts after the first line break past
 * the cut. Throws TextFileError (missing, permission, directory, not-regular, other).
 */
export function readLogTail(file: string, maxBytes: number): LogTail {
  const { descriptor, stat } = openRegularFile(file);
  try {
    const start = Math.max(0, stat.size - maxBytes);
    // One byte more before the cut, to see whether a line starts right at it.
    const from = Math.max(0, start - 1);
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + (start - from));
    let filled = 0;
    while (filled < buffer.length) {
      const count = fs.readSync(descriptor, buffer, filled, buffer.length - filled, from + filled);
      if (count === 0) break;
      filled += count;
    }
    let bytes = buffer.subarray(0, filled);
    if (start > 0) {
      const newline = bytes.indexOf(10);
      bytes = newline === -1 ? bytes.subarray(bytes.length) : bytes.subarray(newline + 1);
    }
    return { text: bytes.toString('utf8'), partial: start > 0 };
  } catch (error) {
    throw error instanceof TextFileError ? error : textFileError(file, error);
  } finally {
    fs.closeSync(descriptor);
  }
}
