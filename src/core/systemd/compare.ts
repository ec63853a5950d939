/**
 * How an installed unit file differs from the one the schedule file gives, line by line: what
 * `systemd status` names when a unit is "different". Lines are compared as a multiset, not in
 * order: the point is to say which settings differ (`OnCalendar=…`, `User=…`), not to be a diff
 * (the install command shows that).
 */

export interface UnitDifference {
  /** Lines of the installed file the generated one does not have. */
  readonly installedOnly: readonly string[];
  /** Lines of the generated file the installed one does not have. */
  readonly expectedOnly: readonly string[];
}

export function unitDifference(installed: string, expected: string): UnitDifference {
  const count = new Map<string, number>();
  const lines = (text: string): string[] => text.split('\n').map((line) => line.replace(/\r$/, ''));
  for (const line of lines(expected)) count.set(line, (count.get(line) ?? 0) + 1);
  const installedOnly: string[] = [];
  for (const line of lines(installed)) {
    const left = count.get(line) ?? 0;
    if (left > 0) count.set(line, left - 1);
    else if (line.trim() !== '') installedOnly.push(line);
  }
  const expectedOnly: string[] = [];
  for (const line of lines(expected)) {
    const left = count.get(line) ?? 0;
    if (left > 0 && line.trim() !== '') {
      expectedOnly.push(line);
      count.set(line, left - 1);
    }
  }
  return { installedOnly, expectedOnly };
}
