import * as assert from 'assert';
import { canonicalZoneName, knownZoneNames, TimeZone } from '../../../src/core/cron/zone';

describe('TimeZone', () => {
  it('accepts IANA names, aliases and any case, and rejects others', () => {
    assert.strictEqual(canonicalZoneName('Europe/Berlin'), 'Europe/Berlin');
    assert.strictEqual(canonicalZoneName('europe/berlin'), 'Europe/Berlin');
    assert.strictEqual(canonicalZoneName('Etc/UTC'), 'UTC');
    assert.strictEqual(canonicalZoneName('US/Eastern'), 'America/New_York');
    assert.strictEqual(canonicalZoneName('Mars/Base'), undefined);
    assert.strictEqual(canonicalZoneName('Europe/Berlin; rm -rf /'), undefined);
    assert.ok(knownZoneNames().includes('Europe/Berlin'));
  });

  it('maps a skipped wall time to the instant the clocks jumped', () => {
    const berlin = TimeZone.get('Europe/Berlin')!;
    const result = berlin.instantsOf(Date.UTC(2025, 2, 30, 2, 30));
    assert.deepStrictEqual(result.instants, []);
    assert.strictEqual(new Date(result.gapEnd!).toISOString(), '2025-03-30T01:00:00.000Z');
  });

  it('maps a repeated wall time to both instants', () => {
    const berlin = TimeZone.get('Europe/Berlin')!;
    const result = berlin.instantsOf(Date.UTC(2025, 9, 26, 2, 30));
    assert.deepStrictEqual(
      result.instants.map((i) => new Date(i).toISOString()),
      ['2025-10-26T00:30:00.000Z', '2025-10-26T01:30:00.000Z'],
    );
  });

  it('gives offsets with half- and quarter-hours', () => {
    assert.strictEqual(TimeZone.get('Asia/Kolkata')!.offsetAt(Date.UTC(2025, 0, 1)), 5.5 * 3600_000);
    assert.strictEqual(TimeZone.get('Asia/Kathmandu')!.offsetAt(Date.UTC(2025, 0, 1)), 5.75 * 3600_000);
  });
});
