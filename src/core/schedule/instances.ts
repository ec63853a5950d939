import { effectivePlatform } from './diagnose';
import type { Platform } from './directives';
import { parseSchedule, type ScheduleDocument } from './parse';
import { isAbsoluteFor, pathApi, resolveInstanceFolder } from './paths';

/** A schedule's instance folders as this machine sees them, even when the file has other errors. */
export interface ScheduleInstances {
  /** Absolute folders with the path of their data.json, in file order, without repeats. */
  readonly folders: readonly { readonly folder: string; readonly dataJson: string; readonly line: number }[];
  /** Whether bwdc will run with BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true (an `env` line). */
  readonly plaintextSecrets: boolean;
}

/**
 * Only folders for this machine's platform can be looked at here; a Windows schedule opened on
 * Linux names folders that do not exist on it, and relative ones need a saved file.
 */
export function scheduleInstances(input: string | ScheduleDocument, scheduleFile: string | undefined, hostPlatform: Platform): ScheduleInstances {
  const document = typeof input === 'string' ? parseSchedule(input) : input;
  const platform = effectivePlatform(document, hostPlatform);
  const env = document.directives.filter((directive) => directive.key === 'env').map((directive) => directive.value);
  // bwdc compares the exact string `true`; the last assignment wins, as in the script.
  const plaintextLine = env.filter((line) => line.startsWith('BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=')).at(-1);
  const plaintextSecrets = plaintextLine === 'BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true';
  if (platform !== hostPlatform) return { folders: [], plaintextSecrets };
  const api = pathApi(platform);
  const folders: { folder: string; dataJson: string; line: number }[] = [];
  for (const directive of document.directives) {
    if (directive.key !== 'instance' || directive.value === '') continue;
    const folder = resolveInstanceFolder(platform, scheduleFile, directive.value);
    if (!isAbsoluteFor(platform, folder) || folders.some((known) => known.folder === folder)) continue;
    folders.push({ folder, dataJson: api.join(folder, 'data.json'), line: directive.line });
  }
  return { folders, plaintextSecrets };
}
