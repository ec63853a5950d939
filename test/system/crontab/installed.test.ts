import * as assert from 'assert';
import { installedAt } from '../../../src/core/crontab/block';
import { createUser, crontabOf, setCrontab } from '../users';
import { cli, expectedBlock, JOB_NAME, scheduleFor, spoolStamp, useCrontabSystem } from './support';

/**
 * The install line of the managed block, with the real crontab(1): written on install, kept by
 * an identical reinstall (the spool file is not even rewritten), renewed when the schedule
 * changes, no difference to `crontab status`, and an old block without it left alone.
 */
describe('the install time in the crontab block (real crontab)', function () {
  this.timeout(120_000);
  useCrontabSystem();

  const INSTALL_LINE = /^# BEGIN bwdc-schedule [^\n]*\n# installed (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) by bwdc-schedule (\S+)\n/m;

  it('records when the schedule took effect, keeps it on an identical reinstall, renews it on a change', async () => {
    const user = createUser();
    const schedule = scheduleFor(user);
    const before = Math.floor(Date.now() / 1000) * 1000;
    assert.strictEqual((await cli(['crontab', 'install', schedule.file, '--yes'])).code, 0);
    const after = Date.now();
    const text = crontabOf(user.name, { installLines: 'keep' })!;
    const match = INSTALL_LINE.exec(text);
    assert.ok(match, text);
    const time = Date.parse(match[1]!);
    assert.ok(time >= before && time <= after, `${match[1]} is the time of the install`);
    assert.deepStrictEqual(installedAt(text, JOB_NAME), { at: match[1], version: match[2] });

    // Up to date, the same lines as before the line existed; the JSON as it was.
    const status = await cli(['crontab', 'status', schedule.file, '--json']);
    assert.deepStrictEqual(JSON.parse(status.stdout), { installed: true, upToDate: true, user: user.name, lines: [`0 3 * * * '${schedule.script}'`] });

    // An identical reinstall, seconds later: nothing to change, the spool file untouched.
    const stamp = spoolStamp(user.name);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const again = await cli(['crontab', 'install', schedule.file, '--yes']);
    assert.match(again.stdout, /already runs .* as the schedule file says; nothing to change/);
    assert.strictEqual(spoolStamp(user.name), stamp);
    assert.strictEqual(crontabOf(user.name, { installLines: 'keep' }), text);

    // A new schedule: a new time.
    schedule.rewrite({ schedules: ['30 4 * * 1-5'] });
    assert.strictEqual((await cli(['crontab', 'install', schedule.file, '--yes'])).code, 0);
    const changed = installedAt(crontabOf(user.name, { installLines: 'keep' })!, JOB_NAME);
    assert.ok(changed && Date.parse(changed.at) > time, JSON.stringify(changed));
    assert.strictEqual(crontabOf(user.name), expectedBlock(schedule, ['30 4 * * 1-5']));
  });

  it('leaves an old block without the line as it is: up to date, nothing to change', async () => {
    const user = createUser();
    const schedule = scheduleFor(user);
    assert.strictEqual((await cli(['crontab', 'install', schedule.file, '--yes'])).code, 0);
    setCrontab(user.name, `# mine\n${expectedBlock(schedule)}`);
    const stamp = spoolStamp(user.name);
    assert.match((await cli(['crontab', 'status', schedule.file])).stdout, /: installed and up to date\n/);
    const again = await cli(['crontab', 'install', schedule.file, '--yes']);
    assert.match(again.stdout, /nothing to change/);
    assert.strictEqual(spoolStamp(user.name), stamp);
    assert.strictEqual(installedAt(crontabOf(user.name, { installLines: 'keep' })!, JOB_NAME), undefined);
  });
});
