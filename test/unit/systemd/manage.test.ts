import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { statusText } from '../../../src/cli/systemd';
import { runAsync } from '../cli/fakeIo';
import { useSandboxes } from '../script/support';
import { RecordingSystemctl, ROOT, systemdJob } from './support';

const TIMER = 'bwdc-weekly-sync.timer';
const SERVICE = 'bwdc-weekly-sync.service';

/** The CLI's `systemd install|remove|status`, in-process; the unit folder is a tree (--root) or systemctl is recorded. */
describe('bwdc-schedule systemd install|remove|status', () => {
  const sandbox = useSandboxes();

  function setUp() {
    const folder = sandbox();
    const job = systemdJob(folder);
    const root = path.join(folder, 'tree');
    fs.mkdirSync(root);
    const units = path.join(root, 'etc/systemd/system');
    return { folder, job, root, units, env: { XDG_STATE_HOME: path.join(folder, 'state') } };
  }

  const alice = { name: 'alice', uid: 1000, gid: 1000 };
  const noTerminal = { readSecret: () => Promise.reject(new Error('no stdin')), ask: () => Promise.resolve(undefined) };

  it('installs into a tree with --yes: both units, the wants symlink, no systemctl started', async () => {
    const { job, root, units, env, folder } = setUp();
    const runner = new RecordingSystemctl();
    const result = await runAsync(['systemd', 'install', job.scheduleFile, '--root', root, '--yes'], { env, runner, currentUser: alice });
    assert.strictEqual(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`\\+\\+\\+ ${units}/${SERVICE} \\(after\\)`));
    assert.match(result.stdout, /^\+OnCalendar=Mon \*-\*-\* 12:00:00 Europe\/Berlin$/m);
    assert.match(result.stdout, /Installed bwdc-weekly-sync\.service and bwdc-weekly-sync\.timer in .*; the timer is enabled there\.\n$/);
    assert.deepStrictEqual(fs.readdirSync(units).sort(), [SERVICE, TIMER, 'timers.target.wants']);
    assert.strictEqual(fs.readlinkSync(path.join(units, 'timers.target.wants', TIMER)), `/etc/systemd/system/${TIMER}`);
    assert.deepStrictEqual(runner.calls, []);

    const status = await runAsync(['systemd', 'status', job.scheduleFile, '--root', root, '--json'], { env, runner, currentUser: alice });
    assert.strictEqual(status.code, 0, status.stderr);
    const parsed = JSON.parse(status.stdout) as { status: string; enabled: boolean; timer: string };
    assert.deepStrictEqual([parsed.status, parsed.enabled, parsed.timer], ['installed', true, TIMER]);

    // Replaced: a backup in $XDG_STATE_HOME/bwdc-schedule/systemd-backups, and status names the lines first.
    const timerFile = path.join(units, TIMER);
    fs.writeFileSync(timerFile, fs.readFileSync(timerFile, 'utf8').replace('AccuracySec=1s', 'AccuracySec=1min'));
    const different = await runAsync(['systemd', 'status', job.scheduleFile, '--root', root], { env, currentUser: alice });
    assert.strictEqual(
      different.stdout,
      `${TIMER} in ${units}: installed, but different from the schedule file (run: bwdc-schedule systemd install FILE)\n` +
        `  ${timerFile} differs:\n    - AccuracySec=1min   (installed)\n    + AccuracySec=1s   (from the schedule file)\n`,
    );
    assert.strictEqual((await runAsync(['systemd', 'install', job.scheduleFile, '--root', root, '-y'], { env, currentUser: alice })).code, 0);
    const backups = fs.readdirSync(path.join(folder, 'state', 'bwdc-schedule', 'systemd-backups'));
    assert.strictEqual(backups.length, 1);
    assert.match(fs.readFileSync(path.join(folder, 'state', 'bwdc-schedule', 'systemd-backups', backups[0]!), 'utf8'), /^AccuracySec=1min$/m);
  });

  it('without a terminal and without --yes changes nothing and says to add --yes (exit 1)', async () => {
    const { job, root, units, env } = setUp();
    const result = await runAsync(['systemd', 'install', job.scheduleFile, '--root', root], { env, currentUser: alice }, noTerminal);
    assert.strictEqual(result.code, 1);
    assert.match(result.stderr, /there is no terminal to ask on, so nothing was changed; add --yes/);
    assert.strictEqual(fs.existsSync(units), false);
  });

  it('asks on the terminal: "n" changes nothing (exit 1), "y" installs', async () => {
    const { job, root, units, env } = setUp();
    const asked: string[] = [];
    const answering = (answer: string) => ({
      readSecret: () => Promise.reject(new Error('no stdin')),
      ask: (question: string) => {
        asked.push(question);
        return Promise.resolve(answer);
      },
    });
    const no = await runAsync(['systemd', 'install', job.scheduleFile, '--root', root], { env, currentUser: alice }, answering('n'));
    assert.deepStrictEqual([no.code, no.stderr], [1, 'bwdc-schedule: not confirmed; nothing was changed.\n']);
    assert.strictEqual(fs.existsSync(units), false);
    const yes = await runAsync(['systemd', 'install', job.scheduleFile, '--root', root], { env, currentUser: alice }, answering('y'));
    assert.strictEqual(yes.code, 0, yes.stderr);
    assert.match(asked[0]!, /^Install bwdc-weekly-sync\.service and bwdc-weekly-sync\.timer in .*, and enable the timer\?/);
  });

  it('--dry-run shows the diff and exits 0 with nothing written', async () => {
    const { job, root, units, env } = setUp();
    const result = await runAsync(['systemd', 'install', job.scheduleFile, '--root', root, '--dry-run'], { env, currentUser: alice });
    assert.strictEqual(result.code, 0, result.stderr);
    assert.match(result.stdout, /^\+\[Timer\]$/m);
    assert.match(result.stdout, /Dry run: nothing was written\.\n$/);
    assert.strictEqual(fs.existsSync(units), false);
  });

  it('without --root as an ordinary user: says installing needs root and how (exit 1), after the diff', async () => {
    const { job, env } = setUp();
    const runner = new RecordingSystemctl();
    const result = await runAsync(['systemd', 'install', job.scheduleFile, '--yes'], { env, runner, currentUser: alice });
    assert.strictEqual(result.code, 1);
    assert.match(
      result.stderr,
      /Installing a systemd timer needs root: the unit files go to \/etc\/systemd\/system .*\n {2}sudo bwdc-schedule systemd install ".*weekly\.bwdc-schedule"/,
    );
    assert.match(result.stdout, /\+\+\+ \/etc\/systemd\/system\/bwdc-weekly-sync\.service \(after\)/);
    assert.deepStrictEqual(runner.changes(), []);
  });

  it('status without --root reads /etc/systemd/system and asks systemctl is-enabled (no show for units not there)', async () => {
    const { job, env } = setUp();
    const runner = new RecordingSystemctl();
    const result = await runAsync(['systemd', 'status', job.scheduleFile], { env, runner, currentUser: alice });
    // Nothing in the real /etc/systemd/system of this machine: not installed, so no `show`.
    assert.deepStrictEqual(result, { code: 0, stdout: `${TIMER} in /etc/systemd/system: not installed\n`, stderr: '' });
    assert.deepStrictEqual(runner.calls, [['systemctl', 'is-enabled', '--', TIMER]]);
  });

  it('prints the next elapse and the last run that systemctl show gave', () => {
    const text = statusText(
      {
        timer: TIMER,
        service: SERVICE,
        status: 'installed',
        enabled: true,
        units: [],
        live: { nextElapse: 'Mon 2026-12-07 12:00:00 CET', timerState: 'active', lastResult: 'exit-code', exitStatus: '3', serviceState: 'failed' },
      },
      '/etc/systemd/system',
    );
    assert.strictEqual(
      text,
      `${TIMER} in /etc/systemd/system: installed, up to date and enabled\n` +
        '  timer: active; next elapse: Mon 2026-12-07 12:00:00 CET; last triggered: never\n' +
        '  last run: exit-code (exit status 3); service failed\n',
    );
  });

  it('remove --yes in a tree: the symlink and both units go, backups stay', async () => {
    const { job, root, units, env, folder } = setUp();
    assert.strictEqual((await runAsync(['systemd', 'install', job.scheduleFile, '--root', root, '--yes'], { env, currentUser: ROOT })).code, 0);
    const removed = await runAsync(['systemd', 'remove', job.scheduleFile, '--root', root, '--yes'], { env, currentUser: ROOT });
    assert.strictEqual(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, /^-\[Timer\]$/m);
    assert.match(removed.stdout, /Removed bwdc-weekly-sync\.timer and bwdc-weekly-sync\.service from .*\. Backups: /);
    assert.deepStrictEqual(fs.readdirSync(units), []);
    assert.strictEqual(fs.readdirSync(path.join(folder, 'state', 'bwdc-schedule', 'systemd-backups')).length, 2);
    const again = await runAsync(['systemd', 'remove', job.scheduleFile, '--root', root, '--yes'], { env, currentUser: ROOT });
    assert.deepStrictEqual([again.code, again.stdout], [0, `${TIMER} is not installed in ${units}; nothing to remove.\n`]);
  });

  it('refuses a foreign unit with the file named (exit 1), and usage errors exit 2', async () => {
    const { job, root, units, env } = setUp();
    fs.mkdirSync(units, { recursive: true });
    fs.writeFileSync(path.join(units, SERVICE), '[Service]\nExecStart=/bin/mine\n');
    const result = await runAsync(['systemd', 'install', job.scheduleFile, '--root', root, '--yes'], { env, currentUser: ROOT });
    assert.strictEqual(result.code, 1);
    assert.strictEqual(
      result.stderr,
      `bwdc-schedule: ${path.join(units, SERVICE)} exists and was not written by bwdc Schedule, so nothing was changed. Move it away, or give the job another name.\n`,
    );
    assert.deepStrictEqual(fs.readdirSync(units), [SERVICE]);
    for (const argv of [
      ['systemd', 'install', job.scheduleFile, '--root', path.join(root, 'missing')],
      ['systemd', 'status', job.scheduleFile, '--yes'],
      ['systemd', 'install', job.scheduleFile, '--json'],
      ['systemd', 'remove', job.scheduleFile, '--output', '-'],
      ['systemd', 'status'],
    ]) {
      const usage = await runAsync(argv, { env });
      assert.strictEqual(usage.code, 2, `${argv.join(' ')}: ${usage.stderr}`);
    }
  });

  it('exits 1 for a schedule file with a scheduler other than systemd', async () => {
    const { job, root, env } = setUp();
    fs.writeFileSync(job.scheduleFile, fs.readFileSync(job.scheduleFile, 'utf8').replace('scheduler  systemd\n', ''));
    const result = await runAsync(['systemd', 'install', job.scheduleFile, '--root', root, '--yes'], { env, currentUser: ROOT });
    assert.strictEqual(result.code, 1);
    assert.match(result.stderr, /says scheduler cron; add the line 'scheduler systemd' first/);
  });
});
