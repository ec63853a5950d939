import type { CalendarCron } from './parse';

/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** 0 = Sunday, as cron counts. */
export function dayOfWeek(year: number, month: number, day: number): number {
  // Sakamoto's method: no Date objects, valid for any Gregorian year.
  const offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
  const y = month < 3 ? year - 1 : year;
  const result = (y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) + offsets[month - 1]! + day) % 7;
  return (result + 7) % 7;
}

/** A fast membership table for a cron field's values. */
export function memberTable(values: readonly number[], size: number): Uint8Array {
  const table = new Uint8Array(size);
  for (const value of values) table[value] = 1;
  return table;
}

/** Whether cron runs on this calendar day (month, the day fields, and vixie's AND/OR rule). */
export function dayMatcher(cron: CalendarCron): (year: number, month: number, day: number) => boolean {
  const months = memberTable(cron.month.values, 13);
  const doms = memberTable(cron.dayOfMonth.values, 32);
  const dows = memberTable(cron.dayOfWeek.values, 7);
  const and = cron.dayRule === 'and';
  return (year, month, day) => {
    if (!months[month]) return false;
    const domMatch = doms[day] === 1;
    const dowMatch = dows[dayOfWeek(year, month, day)] === 1;
    return and ? domMatch && dowMatch : domMatch || dowMatch;
  };
}
