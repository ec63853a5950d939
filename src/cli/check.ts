import * as path from 'path';
import { validateDataJson } from '../core/datajson/validate';
import { diagnoseSchedule, type ScheduleDiagnostic } from '../core/schedule/diagnose';
import { scheduleInstances } from '../core/schedule/instances';
import { parse } from './args';
import { diskContext, UsageError, type CliIo } from './io';
import { DATA_JSON_MAX_BYTES } from '../host/dataJsonFile';
import { readInput, SCHEDULE_FILE_MAX_BYTES } from './read';

export const CHECK_HELP = `Usage: bwdc-schedule check FILE... [--json] [--plaintext-secrets]

Checks bwdc schedule files and Directory Connector data.json files (any FILE ending
in .json) and prints every problem:
  FILE:LINE:COL: severity code: message

A data.json is judged in the secrets mode bwdc will run in: plaintext when a schedule
file given in the same command names its folder and sets
BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true (or with --plaintext-secrets), else
bwdc's default, the OS keychain. Nothing is ever written to a data.json.

Options:
  --json               print one JSON array of {file, line, column, endLine, endColumn,
                       severity, code, message} (1-based lines and columns)
  --plaintext-secrets  judge every data.json as used in plaintext mode
  -h, --help           show this help

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
  const parsed = parse('check', args, { json: { type: 'boolean' }, 'plaintext-secrets': { type: 'boolean' } });
  if (parsed.values['help']) {
    io.stdout(CHECK_HELP);
    return 0;
  }
  if (parsed.positionals.length === 0) throw new UsageError('check: name at least one file to check.');
  const json = parsed.values['json'] === true;
  const results: JsonDiagnostic[] = [];
  let unreadable = false;
  const isDataJson = (file: string): boolean => file.toLowerCase().endsWith('.json');
  const plaintextFolders = plaintextDataJsonFiles(
    parsed.positionals.filter((file) => !isDataJson(file)),
    io,
  );
  for (const file of parsed.positionals) {
    const full = path.resolve(io.cwd, file);
    const text = readInput(file, io, isDataJson(file) ? { keepByteOrderMark: true, maxBytes: DATA_JSON_MAX_BYTES } : {});
    if (text === undefined) {
      unreadable = true;
      continue;
    }
    const mode = io.fileMode?.(full);
    const diagnostics = isDataJson(file)
      ? validateDataJson(text, {
          pathKind: io.pathKind,
          plaintextSecrets: parsed.values['plaintext-secrets'] === true || plaintextFolders.has(full),
          ...(mode !== undefined ? { fileMode: mode } : {}),
        }).diagnostics
      : diagnoseSchedule(text, { scheduleFile: full, hostPlatform: io.hostPlatform, ...diskContext(io) });
    for (const diagnostic of diagnostics) results.push(toJson(file, diagnostic));
  }
  if (json) io.stdout(`${JSON.stringify(results, null, 2)}\n`);
  else for (const d of results) io.stdout(`${printable(`${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`)}\n`);
  if (unreadable) return 2;
  return results.some((d) => d.severity === 'error') ? 1 : 0;
}

/** The data.json files of instance folders whose schedule runs bwdc in plaintext mode. */
function plaintextDataJsonFiles(scheduleFiles: readonly string[], io: CliIo): Set<string> {
  const files = new Set<string>();
  for (const file of scheduleFiles) {
    const full = path.resolve(io.cwd, file);
    let text: string;
    try {
      text = io.readFile(full, SCHEDULE_FILE_MAX_BYTES);
    } catch {
      continue; // reported when the file itself is checked
    }
    const instances = scheduleInstances(text, full, io.hostPlatform);
    if (instances.plaintextSecrets) for (const { dataJson } of instances.folders) files.add(dataJson);
  }
  return files;
}

/** Control characters (messages quote the file) made visible, so a hostile file cannot drive the terminal. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- finds the control characters to make visible
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
