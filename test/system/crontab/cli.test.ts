import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { fixturePath } from '../../unit/schedule/support';
import { createUser, crontabOf, setCrontab, type ThrowawayUser } from '../users';
import {
  bundle,
  cli,
  expectedBlock,
  JOB_NAME,
  scheduleFor,
  spoolStamp,
  spoolText,
  temporaryFolder,
  unusedUserName,
  useCrontabSystem,
  writeSchedule,
  type ScheduleFile,
} from './support';

/**
 * `bwdc-schedule crontab ...` as a user meets it: without a terminal, with --dry-run, with
 * files it must refuse, as root for another user, and as an ordinary user for their own
 * crontab (the built dist/cli.js run under runuser). Never a stack trace.
 */

const NO_TERMINAL =
  'bwdc-schedule: there is no terminal to ask on, so nothing was written; add --yes to confirm (after checking the diff above, e.g. with --dry-run).\n';

/** A schedule without run-as in the user's own home, owned by it: the job runs as whoever installs it. */
function ownJob(user: ThrowawayUser): ScheduleFile {
  return writeSchedule({ runAs: null, home: user.home }, user.home, user);
}

describe('bwdc-schedule crontab, as root for a run-as user (real crontab)', function () {
  this.timeout(120_000);
  useCrontabSystem();

  it('writes nothing without a terminal and without --yes, and says how to confirm (exit 1)', async () => {
    const user = createUser();
    const schedule = scheduleFor(user);

    // The built CLI, stdin a pipe: there is no one to ask.
    const run = bundle(['crontab', 'install', schedule.file]);
    assert.deepStrictEqual(run, { code: 1, stdout: '', stderr: NO_TERMINAL });
    assert.ok(!fs.existsSync(schedule.script), 'the script was not written');
    assert.strictEqual(crontabOf(user.name), undefined);

    // With the script in place, the crontab diff is shown and still nothing is written.
    assert.strictEqual((await cli(['crontab', 'install', schedule.file], { answers: ['y', 'n'] })).code, 1);
    assert.ok(fs.existsSync(schedule.script));
    assert.strictEqual(crontabOf(user.name), undefined);
    const second = await cli(['crontab', 'install', schedule.file]);
    assert.strictEqual(second.code, 1);
    assert.strictEqual(second.stderr, NO_TERMINAL);
    assert.ok(second.stdout.startsWith(`--- crontab of ${user.name} (now)\n+++ crontab of ${user.name} (after)\n`), second.stdout);
    assert.strictEqual(crontabOf(user.name), undefined);

    // A yes typed on the terminal installs.
    const typed = await cli(['crontab', 'install', schedule.file], { answers: ['yes'] });
    assert.strictEqual(typed.code, 0, typed.stderr);
    assert.strictEqual(crontabOf(user.name), expectedBlock(schedule));

    const remove = bundle(['crontab', 'remove', schedule.file]);
    assert.strictEqual(remove.code, 1);
    assert.strictEqual(remove.stderr, NO_TERMINAL);
    assert.strictEqual(crontabOf(user.name), expectedBlock(schedule));
  });

  it('--dry-run prints the unified diff and writes nothing', async () => {
    const user = createUser();
    const foreign = '# mine\n0 1 * * * /bin/true\n';
    setCrontab(user.name, foreign);
    const stamp = spoolStamp(user.name);
    const schedule = scheduleFor(user);
    const block = expectedBlock(schedule).split('\n').slice(0, 3);

    const run = await cli(['crontab', 'install', schedule.file, '--dry-run']);
    assert.deepStrictEqual(run.code, 0);
    assert.strictEqual(run.stderr, '');
    // The block's install line (its time is the run's) is checked, then left out of the comparison.
    assert.match(run.stdout, /^\+# BEGIN bwdc-schedule [^\n]*\n\+# installed \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ by bwdc-schedule \S+\n/m);
    assert.strictEqual(
      run.stdout.replace(/^\+# installed [^\n]*\n/m, ''),
      [
        `The sync script ${schedule.script} does not exist yet; it would be written first.`,
        `--- crontab of ${user.name} (now)`,
        `+++ crontab of ${user.name} (after)`,
        '@@ -1,2 +1,6 @@',
        ' # mine',
        ' 0 1 * * * /bin/true',
        ...block.map((line) => `+${line}`),
        'Dry run: nothing was written.',
        '',
      ].join('\n'),
    );
    assert.ok(!fs.existsSync(schedule.script));
    assert.strictEqual(spoolStamp(user.name), stamp);
    assert.ok(!fs.existsSync(path.join(run.stateHome, 'bwdc-schedule')), 'no backup either');

    assert.strictEqual((await cli(['crontab', 'install', schedule.file, '--yes'])).code, 0);
    const installed = spoolStamp(user.name);
    const removal = await cli(['crontab', 'remove', schedule.file, '--dry-run', '--yes']);
    assert.strictEqual(removal.code, 0);
    assert.match(removal.stdout, /^-# BEGIN bwdc-schedule [^\n]*\n-# installed \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ by bwdc-schedule \S+\n/m);
    assert.strictEqual(
      removal.stdout.replace(/^-# installed [^\n]*\n/m, ''),
      [
        `--- crontab of ${user.name} (now)`,
        `+++ crontab of ${user.name} (after)`,
        '@@ -1,6 +1,2 @@',
        ' # mine',
        ' 0 1 * * * /bin/true',
        ...block.map((line) => `-${line}`),
        'Dry run: nothing was written.',
        '',
      ].join('\n'),
    );
    assert.strictEqual(spoolStamp(user.name), installed);
  });

  it('refuses a Windows schedule clearly: it belongs in Task Scheduler', async () => {
    const file = fixturePath('windows.bwdc-schedule');
    const refusal = 'bwdc-schedule: This job is for Windows (platform windows): it is scheduled with Task Scheduler, not cron.\n';
    for (const action of ['install', 'status', 'remove', 'prepare-user']) {
      const run = await cli(['crontab', action, file, '--yes']);
      assert.deepStrictEqual([action, run.code, run.stdout, run.stderr], [action, 1, '', refusal]);
    }
  });

  it("says a run-as user does not exist, and how to create it, without touching anyone's crontab", async () => {
    const name = unusedUserName();
    const schedule = writeSchedule({ runAs: name, home: temporaryFolder() });

    const install = await cli(['crontab', 'install', schedule.file, '--yes']);
    assert.deepStrictEqual(
      [install.code, install.stdout, install.stderr],
      [1, '', `bwdc-schedule: The user ${name} does not exist on this machine. Create it first: bwdc-schedule crontab prepare-user "${schedule.file}"\n`],
    );
    assert.ok(!fs.existsSync(schedule.script));
    for (const action of ['status', 'remove']) {
      const run = await cli(['crontab', action, schedule.file, '--yes']);
      assert.strictEqual(run.code, 1, action);
      assert.match(run.stderr, new RegExp(`^bwdc-schedule: The user ${name} does not exist on this machine\\. Create it first`), action);
    }
  });

  it('names the file and line of a schedule with errors, and usage mistakes exit 2', async () => {
    const user = createUser();
    const schedule = scheduleFor(user, { schedules: ['61 3 * * *'] });
    const run = await cli(['crontab', 'install', schedule.file, '--yes']);
    assert.strictEqual(run.code, 1);
    assert.match(run.stderr, new RegExp(`^${schedule.file.replace(/[.]/g, '\\.')}:3:\\d+: error [a-z-]+: .*\\n`));
    assert.ok(run.stderr.endsWith('The schedule file has errors; fix them first.\n'), run.stderr);
    assert.strictEqual(crontabOf(user.name), undefined);

    for (const argv of [
      ['crontab'],
      ['crontab', 'frobnicate', schedule.file],
      ['crontab', 'install'],
      ['crontab', 'remove'],
      ['crontab', 'status', schedule.file, 'extra'],
    ]) {
      const usage = await cli(argv);
      assert.strictEqual(usage.code, 2, argv.join(' '));
      assert.match(usage.stderr, /^bwdc-schedule: crontab/, argv.join(' '));
    }
    const missing = await cli(['crontab', 'install', path.join(path.dirname(schedule.file), 'missing.bwdc-schedule')]);
    assert.strictEqual(missing.code, 2);
    assert.match(missing.stderr, /missing\.bwdc-schedule/);
  });
});

describe('bwdc-schedule crontab, as an ordinary user (dist/cli.js under runuser, real crontab)', function () {
  this.timeout(120_000);
  useCrontabSystem();

  it('installs into, reports on and removes from its own crontab when the file has no run-as', () => {
    const me = createUser();
    setCrontab(me.name, '# my own\n');
    const schedule = ownJob(me);

    const install = bundle(['crontab', 'install', schedule.file, '--yes'], { user: me });
    assert.strictEqual(install.code, 0, install.stderr);
    assert.strictEqual(install.stderr, '');
    assert.strictEqual(crontabOf(me.name), `# my own\n${expectedBlock(schedule)}`);
    assert.strictEqual(spoolText(me.name), `# my own\n${expectedBlock(schedule)}`);
    const script = fs.statSync(schedule.script);
    assert.deepStrictEqual([script.uid, script.mode & 0o777], [me.uid, 0o700]);
    const backups = path.join(me.home, '.local', 'state', 'bwdc-schedule', 'crontab-backups');
    const saved = fs.readdirSync(backups);
    assert.strictEqual(saved.length, 1);
    assert.strictEqual(fs.readFileSync(path.join(backups, saved[0]!), 'utf8'), '# my own\n');
    assert.strictEqual(fs.statSync(path.join(backups, saved[0]!)).uid, me.uid);
    assert.ok(
      install.stdout.endsWith(`Installed ${JOB_NAME} in the crontab of ${me.name}. The previous crontab is kept in ${path.join(backups, saved[0]!)}.\n`),
      install.stdout,
    );

    const status = bundle(['crontab', 'status', schedule.file], { user: me });
    assert.deepStrictEqual(status, {
      code: 0,
      stdout: `${JOB_NAME} in the crontab of ${me.name}: installed and up to date\n  0 3 * * * '${schedule.script}'\n`,
      stderr: '',
    });
    const json = bundle(['crontab', 'status', schedule.file, '--json'], { user: me });
    assert.deepStrictEqual(JSON.parse(json.stdout), { installed: true, upToDate: true, user: me.name, lines: [`0 3 * * * '${schedule.script}'`] });

    const again = bundle(['crontab', 'install', schedule.file], { user: me });
    assert.deepStrictEqual(again, {
      code: 0,
      stdout: `The crontab of ${me.name} already runs ${JOB_NAME} as the schedule file says; nothing to change.\n`,
      stderr: '',
    });

    const remove = bundle(['crontab', 'remove', schedule.file, '--yes'], { user: me });
    assert.strictEqual(remove.code, 0, remove.stderr);
    assert.strictEqual(crontabOf(me.name), '# my own\n');
    assert.strictEqual(bundle(['crontab', 'install', schedule.file, '--yes'], { user: me }).code, 0);
    assert.strictEqual(bundle(['crontab', 'remove', '--name', JOB_NAME, '--yes'], { user: me }).code, 0);
    assert.strictEqual(crontabOf(me.name), '# my own\n');
  });

  it("refuses another user's job with the sudo commands to run instead, and writes nothing", () => {
    const me = createUser();
    const other = createUser();
    const file = writeSchedule({ runAs: other.name, home: path.join(me.home, 'job') }, me.home, me);

    for (const action of ['install', 'status', 'remove']) {
      const run = bundle(['crontab', action, file.file, '--yes'], { user: me });
      const command = `bwdc-schedule crontab ${action} "${file.file}"`;
      assert.deepStrictEqual(run, {
        code: 1,
        stdout: '',
        stderr: `bwdc-schedule: This job runs as ${other.name}, but you are ${me.name}, and only root may change another user's crontab. Run it as root (sudo ${command}) or as ${other.name} (sudo -u ${other.name} ${command}).\n`,
      });
    }
    assert.strictEqual(crontabOf(me.name), undefined);
    assert.strictEqual(crontabOf(other.name), undefined);
    assert.ok(!fs.existsSync(file.script));
  });

  it('refuses to rewrite its own crontab when it holds carriage returns it cannot read back faithfully', () => {
    const me = createUser();
    const foreign = '# saved on Windows\r\n0 5 * * * /bin/true\n';
    setCrontab(me.name, foreign);
    const stamp = spoolStamp(me.name);
    const schedule = ownJob(me);

    const run = bundle(['crontab', 'install', schedule.file, '--yes'], { user: me });
    assert.strictEqual(run.code, 1);
    assert.match(
      run.stderr,
      new RegExp(`^bwdc-schedule: The crontab of ${me.name} may contain carriage returns or backspaces \\(line 1\\).*Nothing was changed\\.`),
    );
    assert.strictEqual(spoolStamp(me.name), stamp);
    assert.strictEqual(spoolText(me.name), foreign);
  });
});
