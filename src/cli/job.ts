import * as path from 'path';
import { resolveJob, type SyncJob } from '../core/schedule/job';
import { findOnPath } from '../host/files';
import { toJson } from './check';
import { diskContext, type CliIo } from './io';
import { readInput } from './read';

/** The job of a schedule file, or undefined after printing why there is none (exit 1 or 2). */
export function loadJob(file: string, io: CliIo): { job: SyncJob } | { exitCode: number } {
  const text = readInput(file, io);
  if (text === undefined) return { exitCode: 2 };
  const scheduleFile = path.resolve(io.cwd, file);
  const bwdcOnPath = findOnPath('bwdc', { PATH: io.env['PATH'] ?? '' });
  const result = resolveJob(text, { scheduleFile, hostPlatform: io.hostPlatform, ...diskContext(io), ...(bwdcOnPath ? { bwdcOnPath } : {}) });
  if (!result.job) {
    for (const d of result.diagnostics.filter((x) => x.severity === 'error').map((x) => toJson(file, x))) {
      io.stderr(`${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}\n`);
    }
    io.stderr(`bwdc-schedule: ${file}: ${result.reason}\n`);
    return { exitCode: 1 };
  }
  return { job: result.job };
}
