/**
 * Durations as schedule files write them: `30s`, `20m`, `2h`, or parts of them together, largest
 * first (`1h30m`). A leaf module: the timeout of the sync script, Task Scheduler's
 * ExecutionTimeLimit and systemd's time settings all read them.
 */

const DURATION = /^(?:(\d{1,5})h)?(?:(\d{1,5})m)?(?:(\d{1,6})s)?$/;

/** Seconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match || text.length === 0) return undefined;
  const [, hours, minutes, seconds] = match;
  return Number(hours ?? 0) * 3600 + Number(minutes ?? 0) * 60 + Number(seconds ?? 0);
}

/** The shortest spelling of whole seconds: 1800 → `30m`, 5400 → `1h30m`, 45 → `45s`. */
export function formatDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const text = `${hours ? `${hours}h` : ''}${minutes ? `${minutes}m` : ''}${rest ? `${rest}s` : ''}`;
  return text || '0s';
}

/** ISO 8601 duration, as Task Scheduler's XML writes it: 1800 → `PT30M`, 5400 → `PT1H30M`. */
export function isoDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  return `PT${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${rest || seconds === 0 ? `${rest}S` : ''}`;
}

/** The sync script's limit for one instance's bwdc calls when the file sets none. */
export const DEFAULT_TIMEOUT_SECONDS = 30 * 60;
export const MIN_TIMEOUT_SECONDS = 10;
export const MAX_TIMEOUT_SECONDS = 24 * 3600;
