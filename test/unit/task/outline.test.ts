import * as assert from 'assert';
import * as fs from 'fs';
import { taskDifferences, taskOutlines } from '../../../src/core/task/compare';
import { taskXml } from '../../../src/core/task/xml';
import { fixturePath } from '../schedule/support';
import { jobOf } from '../script/support';

const SEED = fs.readFileSync(fixturePath('windows.bwdc-schedule'), 'utf8');
const xml = taskXml(jobOf(SEED, 'C:\\bwdc\\sunday-sync.bwdc-schedule'), { version: '0.1.0' });

/** What Export-ScheduledTask may hand back for the same task: another layout, schema defaults spelt out, the principal as a SID. */
const exported = xml
  .replace(
    /<RegistrationInfo>[\s\S]*?<\/RegistrationInfo>/,
    '<RegistrationInfo><Date>2026-11-23T12:00:00</Date><Author>CORP\\admin</Author><URI>\\bwdc\\sunday-sync</URI></RegistrationInfo>',
  )
  .replace('<UserId>CORP\\svc-bwdc</UserId>', '<UserId>S-1-5-21-1004336348-1177238915-682003330-1001</UserId>')
  .replace('<Hidden>false</Hidden>', '<Hidden>false</Hidden><DisallowStartOnRemoteAppSession>false</DisallowStartOnRemoteAppSession>')
  .replace(/>\s+</g, '><');

describe('taskOutlines: the task as the install preview shows it', () => {
  it('is one line per principal, trigger, action and non-default setting', () => {
    const { expected, registered } = taskOutlines(xml, undefined);
    assert.strictEqual(registered, '');
    const lines = expected.trimEnd().split('\n');
    assert.strictEqual(lines[0], 'principal: UserId=CORP\\svc-bwdc LogonType=Password');
    assert.deepStrictEqual(
      lines.filter((line) => line.startsWith('trigger: ')),
      ['trigger: CalendarTrigger{ScheduleByWeek/DaysOfWeek/Sunday=;ScheduleByWeek/WeeksInterval=1;StartBoundary=2000-01-01T20:00:00}'],
    );
    assert.ok(
      lines.some((line) => /^action: Exec\{.*-File "[^"]*bwdcSyncService\.ps1".*\}$/.test(line)),
      expected,
    );
    assert.ok(lines.includes('setting: ExecutionTimeLimit=PT40M'), expected);
    assert.ok(!lines.some((line) => line.startsWith('setting: Hidden=')), 'schema defaults are left out');
  });

  it('shows no difference for a registered task that does the same, however Windows wrote it', () => {
    assert.deepStrictEqual(taskDifferences(xml, exported, { registeredAccount: 'CORP\\svc-bwdc' }), []);
    const { expected, registered } = taskOutlines(xml, exported, { registeredAccount: 'CORP\\svc-bwdc' });
    assert.strictEqual(registered, expected);
  });

  it('shows the account a SID stands for when it is someone else, and the lines that differ', () => {
    const changed = exported.replace('<Sunday />', '<Monday />');
    const { expected, registered } = taskOutlines(xml, changed, { registeredAccount: 'CORP\\someone' });
    const removed = registered.split('\n').filter((line) => !expected.split('\n').includes(line));
    assert.deepStrictEqual(removed, [
      'principal: UserId=CORP\\someone LogonType=Password',
      'trigger: CalendarTrigger{ScheduleByWeek/DaysOfWeek/Monday=;ScheduleByWeek/WeeksInterval=1;StartBoundary=2000-01-01T20:00:00}',
    ]);
  });
});
