import * as assert from 'assert';
import { isoLocal } from '../../../src/core/cron/format';
import { nextRunOfSchedule } from '../../../src/core/schedule/nextRun';

const NOW = Date.UTC(2026, 10, 23, 10, 0); // Monday 2026-11-23 10:00 UTC

function next(text: string, hostZone = 'UTC'): string | undefined {
  const result = nextRunOfSchedule(text, NOW, hostZone);
  return result?.run
    ? `${isoLocal(result.run.instant, result.zone)} ${result.zone.name}${result.zoneFromFile ? ' (file)' : ''}${result.atBoot ? ' +boot' : ''}`
    : result && (result.atBoot ? 'boot only' : 'never');
}

describe("nextRunOfSchedule: the language status item's next run", () => {
  it("is the earliest run of all schedule lines, in this machine's zone", () => {
    assert.strictEqual(next('schedule 0 12 * * 1\nschedule 0 11 * * *\n'), '2026-11-23T11:00+00:00 UTC');
    assert.strictEqual(next('schedule 0 12 * * 1\n', 'Europe/Berlin'), '2026-11-23T12:00+01:00 Europe/Berlin');
  });

  it('uses the timezone line when there is one', () => {
    assert.strictEqual(next('schedule 0 12 * * 1\ntimezone America/New_York\n', 'Europe/Berlin'), '2026-11-23T12:00-05:00 America/New_York (file)');
  });

  it('says when a job runs only at boot, never, or has no valid schedule', () => {
    assert.strictEqual(next('schedule @reboot\n'), 'boot only');
    assert.strictEqual(next('schedule @reboot\nschedule 0 12 * * 1\n'), '2026-11-23T12:00+00:00 UTC +boot');
    assert.strictEqual(next('schedule 0 0 30 2 *\n'), 'never');
    assert.strictEqual(next('schedule 0 25 * * *\n'), undefined);
    assert.strictEqual(next('name x\n'), undefined);
  });
});
