import * as assert from 'assert';
import { resolveJob } from '../../../src/core/schedule/job';
import { newScheduleText } from '../../../src/core/schedule/newFile';

const CLIENT_ID = 'organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11';

describe('New Schedule File: the systemd timer choice', () => {
  it('writes `scheduler systemd` under the platform line, and the file is a systemd job without errors', () => {
    const text = newScheduleText({ name: 'nightly', schedule: '30 2 * * *', platform: 'linux', scheduler: 'systemd', runAs: 'bwdc', clientId: CLIENT_ID });
    const lines = text.split('\n');
    assert.strictEqual(lines[lines.indexOf('platform   linux') + 1], 'scheduler  systemd');
    // bwdc is not installed here: name it, as the diagnostics ask.
    const result = resolveJob(`${text}bwdc       /usr/local/bin/bwdc\n`, { scheduleFile: '/srv/bwdc/nightly.bwdc-schedule', hostPlatform: 'linux' });
    assert.deepStrictEqual(
      result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error'),
      [],
    );
    assert.strictEqual(result.job?.scheduler, 'systemd');
  });

  it('writes no scheduler line for cron, the default', () => {
    assert.ok(!newScheduleText({ platform: 'linux', scheduler: 'cron' }).includes('scheduler'));
    assert.ok(!newScheduleText({ platform: 'linux' }).includes('scheduler'));
  });
});
