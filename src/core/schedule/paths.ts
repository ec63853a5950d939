import * as path from 'path';
import type { Platform } from './directives';

/** Path rules of the platform the job runs on, which need not be the one we run on. */
export function pathApi(platform: Platform): path.PlatformPath {
  return platform === 'windows' ? path.win32 : path.posix;
}

export function isAbsoluteFor(platform: Platform, value: string): boolean {
  return pathApi(platform).isAbsolute(value) && (platform !== 'windows' || /^([A-Za-z]:[\\/]|\\\\)/.test(value));
}

/** A value resolved against the schedule file's folder when it is relative. */
export function resolveFor(platform: Platform, scheduleFile: string | undefined, value: string): string {
  const api = pathApi(platform);
  if (isAbsoluteFor(platform, value) || !scheduleFile) return api.normalize(value);
  return api.resolve(api.dirname(scheduleFile), value);
}

/**
 * An `instance` folder resolved, without trailing separators: `./a`, `a` and `a/` are one
 * folder (one lock, one data.json). Roots (`/`, `C:\\`) keep theirs.
 */
export function resolveInstanceFolder(platform: Platform, scheduleFile: string | undefined, value: string): string {
  return resolveFor(platform, scheduleFile, value).replace(/([^\\/:])[\\/]+$/, '$1');
}

export { hostPlatform } from '../platform';

/** The sync script's path: the `script` line, or bwdcSyncService.sh/.ps1 beside the schedule file. */
export function scriptPathFor(platform: Platform, scheduleFile: string, scriptValue: string | undefined): string {
  const api = pathApi(platform);
  return scriptValue
    ? resolveFor(platform, scheduleFile, scriptValue)
    : api.join(api.dirname(scheduleFile), platform === 'windows' ? 'bwdcSyncService.ps1' : 'bwdcSyncService.sh');
}

/** The log's path: the `log` line, or bwdc.log beside the script. */
export function logPathFor(platform: Platform, scheduleFile: string, script: string, logValue: string | undefined): string {
  const api = pathApi(platform);
  return logValue ? resolveFor(platform, scheduleFile, logValue) : api.join(api.dirname(script), 'bwdc.log');
}

/** Whether two resolved paths name the same file (Windows paths ignore case and separator style). */
export function samePath(platform: Platform, a: string, b: string): boolean {
  if (platform !== 'windows') return a === b;
  const normal = (value: string): string => value.replace(/\//g, '\\').toLowerCase();
  return normal(a) === normal(b);
}
