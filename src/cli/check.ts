import * as path from 'path';
import { diagnoseSchedule, type ScheduleDiagnostic } from '../core/schedule/diagnose';
import { parse } from './args';
import type { CliIo } from './io';
import { UsageError } from './io';
import { readInput } from './read';

export const CHECK_HELP = `Usage: bwdc-schedule check FILE... [--json]

Checks bwdc schedule files and prints every problem:
  FILE:LINE:COL: severity code: message

Options:
  --json      print one JSON array of {file, line, column, endLine, endColumn,
              severity, code, message} (1-based lines and columns)
  -h, --help  show this help

Exit status: 0 no errors (warnings allowed), 1 errors found,
2 usage error or a file that cannot be read.
`;

export interface JsonDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: ScheduleDiagnostic['severity'];
  readonly code: string;
  readonly message: string;
}

export function runCheck(args: readonly string[], io: CliIo): number {
  const parsed = parse('check', args, { json: { type: 'boolean' } });
  if (parsed.values['help']) {
    io.stdout(CHECK_HELP);
    return 0;
  }
  if (parsed.positionals.length === 0) throw new UsageError('check: name at least one file to check.');
  const json = parsed.values['json'] === true;
  const results: JsonDiagnostic[] = [];
  let unreadable = false;
  for (const file of parsed.positionals) {
    const text = readInput(file, io);
    if (text === undefined) {
      unreadable = true;
      continue;
    }
    const diagnostics = diagnoseSchedule(text, {
      scheduleFile: path.resolve(io.cwd, file),
      hostPlatform: io.hostPlatform,
      pathKind: io.pathKind,
    });
    for (const diagnostic of diagnostics) results.push(toJson(file, diagnostic));
  }
  if (json) io.stdout(`${JSON.stringify(results, null, 2)}\n`);
  else for (const d of results) io.stdout(`${printable(`${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`)}\n`);
  if (unreadable) return 2;
  return results.some((d) => d.severity === 'error') ? 1 : 0;
}

/** Control characters (messages quote the file) made visible, so a hostile file cannot drive the terminal. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

export function toJson(file: string, diagnostic: ScheduleDiagnostic): JsonDiagnostic {
  return {
    file,
    line: diagnostic.range.start.line + 1,
    column: diagnostic.range.start.character + 1,
    endLine: diagnostic.range.end.line + 1,
    endColumn: diagnostic.range.end.character + 1,
    severity: diagnostic.severity,
    code: diagnostic.code,
    message: diagnostic.message,
  };
}
