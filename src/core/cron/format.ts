import type { Run } from './run';
import type { TimeZone } from './zone';

export interface RunFormatOptions {
  readonly locale?: string;
  /** undefined: the locale's habit. */
  readonly use24HourTime?: boolean;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function runFormat(zone: TimeZone, options: RunFormatOptions): Intl.DateTimeFormat {
  const key = `${zone.name}|${options.locale ?? ''}|${options.use24HourTime ?? ''}`;
  let format = formats.get(key);
  if (!format) {
    const settings: Intl.DateTimeFormatOptions = {
      timeZone: zone.name,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'shortOffset',
    };
    if (options.use24HourTime !== undefined) settings.hourCycle = options.use24HourTime ? 'h23' : 'h12';
    try {
      format = new Intl.DateTimeFormat(options.locale ?? 'en', settings);
    } catch {
      format = new Intl.DateTimeFormat('en', settings);
    }
    formats.set(key, format);
  }
  return format;
}

/** "Mon, 01/06/2025, 12:00 PM GMT+1" in the zone and the reader's locale. */
export function formatRun(run: Run, zone: TimeZone, options: RunFormatOptions = {}): string {
  return runFormat(zone, options).format(run.instant);
}

/** An ISO 8601 local time with offset, for logs and the CLI: "2025-01-06T12:00+01:00". */
export function isoLocal(instant: number, zone: TimeZone): string {
  const offset = zone.offsetAt(instant);
  const local = new Date(instant + offset).toISOString().slice(0, 16);
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(offset) / 60_000;
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}

/** "02:30" of a wall-clock value (UTC milliseconds of the local reading). */
export function wallClock(wall: number): string {
  return new Date(wall).toISOString().slice(11, 16);
}
