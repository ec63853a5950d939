import * as fs from 'fs';
import type { DataJsonDiagnostic, DataJsonReport } from '../core/datajson/api';
import { validateDataJson } from '../core/datajson/validate';
import type { Position } from '../core/text';
import { pathKind, readTextFile } from './files';

/** data.json files bigger than this are not read: bwdc's own files are kilobytes (large syncs keep delta tokens, never megabytes). */
export const DATA_JSON_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Checks a data.json as this machine has it: its text (the editor's, when open and unsaved),
 * its permission bits and the certificate paths it names. Undefined when there is no file.
 * Only reads: bwdc Schedule never writes to a data.json.
 */
export function checkDataJsonFile(file: string, options: { readonly plaintextSecrets?: boolean; readonly text?: string } = {}): DataJsonReport | undefined {
  let text = options.text;
  let mode: number | undefined;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return undefined;
    mode = process.platform === 'win32' ? undefined : stat.mode & 0o777;
    if (text === undefined) text = readTextFile(file, DATA_JSON_MAX_BYTES);
  } catch {
    if (text === undefined) return undefined;
  }
  // The editor hides a byte order mark (and keeps it on save); bwdc's JSON.parse does not.
  const hiddenMark = options.text !== undefined && !options.text.startsWith('\uFEFF') && startsWithByteOrderMark(file);
  const report = validateDataJson(hiddenMark ? `\uFEFF${text}` : text, {
    pathKind,
    ...(mode !== undefined ? { fileMode: mode } : {}),
    ...(options.plaintextSecrets !== undefined ? { plaintextSecrets: options.plaintextSecrets } : {}),
  });
  return hiddenMark ? { ...report, diagnostics: report.diagnostics.map(withoutMarkColumn) } : report;
}

function startsWithByteOrderMark(file: string): boolean {
  try {
    const descriptor = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(3);
      return fs.readSync(descriptor, head, 0, 3, 0) === 3 && head.equals(Buffer.from([0xef, 0xbb, 0xbf]));
    } finally {
      fs.closeSync(descriptor);
    }
  } catch {
    return false;
  }
}

/**
 * Positions on the first line counted the mark the editor does not show. Fixes that edit the
 * first line would land one character off (the mark's own removal would delete the `{`), so
 * they are dropped; the editor can remove the mark by saving without it ("Change File Encoding").
 */
function withoutMarkColumn(diagnostic: DataJsonDiagnostic): DataJsonDiagnostic {
  const shift = (position: Position): Position => (position.line === 0 ? { line: 0, character: Math.max(0, position.character - 1) } : position);
  const range = { start: shift(diagnostic.range.start), end: shift(diagnostic.range.end) };
  // The mark itself becomes the first character, so there is still something to underline.
  if (range.start.line === 0 && range.end.line === 0 && range.end.character === range.start.character)
    range.end = { line: 0, character: range.start.character + 1 };
  const { fixes, ...rest } = diagnostic;
  const safeFixes = fixes?.filter((fix) => fix.edits.every((edit) => edit.range.start.line > 0));
  return { ...rest, range, ...(safeFixes && safeFixes.length > 0 ? { fixes: safeFixes } : {}) };
}
