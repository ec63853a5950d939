import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { version } from '../../../package.json';
import { generateScript } from '../../../src/core/script/generate';
import { unitDifference } from '../../../src/core/systemd/compare';
import { installTargets, parseShow, RootSystemctl } from '../../../src/host/systemctl';
import { writeUnitsTogether } from '../../../src/host/unitFiles';
import { expectedUnits, installSystemdTimer, removeSystemdTimer, systemdStatus, systemdStatusHost, SystemdWorkflowError } from '../../../src/workflows/systemd';
import { useSandboxes } from '../script/support';
import { recordingUi, RecordingSystemctl, systemdHost, systemdJob } from './support';

const TIMER = 'bwdc-weekly-sync.timer';
const SERVICE = 'bwdc-weekly-sync.service';

describe('systemd install, remove and status (workflow, systemctl recorded)', () => {
  const sandbox = useSandboxes();

  function setUp(options: { extra?: string; writeScript?: boolean; shows?: Record<string, string> } = {}) {
    const folder = sandbox();
    const job = systemdJob(folder, options.extra, options.writeScript);
    const runner = new RecordingSystemctl(options.shows);
    const host = systemdHost(folder, { runner });
    const units = expectedUnits(job, host);
    const unitFolder = host.systemctl.unitFolder;
    return { folder, job, runner, host, units, serviceFile: path.join(unitFolder, SERVICE), timerFile: path.join(unitFolder, TIMER) };
  }

  it('shows both new units, asks, writes them (644), then reloads systemd and enables the timer', async () => {
    const { job, runner, host, units, serviceFile, timerFile } = setUp();
    const ui = recordingUi();
    const outcome = await installSystemdTimer(job, host, ui);
    assert.strictEqual(outcome.done, true, outcome.message);
    assert.match(outcome.message, /Installed bwdc-weekly-sync\.service and bwdc-weekly-sync\.timer; the timer is enabled and started/);
    assert.deepStrictEqual(
      ui.previews.map((preview) => [preview.title, preview.before, preview.after, preview.labels?.before]),
      [
        [serviceFile, '', units.service.text, `${serviceFile} (not installed)`],
        [timerFile, '', units.timer.text, `${timerFile} (not installed)`],
      ],
    );
    assert.strictEqual(ui.questions.length, 1);
    assert.strictEqual(fs.readFileSync(serviceFile, 'utf8'), units.service.text);
    assert.strictEqual(fs.readFileSync(timerFile, 'utf8'), units.timer.text);
    for (const file of [serviceFile, timerFile]) assert.strictEqual(fs.statSync(file).mode & 0o7777, 0o644);
    assert.strictEqual(fs.statSync(path.dirname(serviceFile)).mode & 0o777, 0o755);
    assert.deepStrictEqual(runner.changes(), [
      ['systemctl', 'daemon-reload'],
      ['systemctl', 'enable', '--now', '--', TIMER],
    ]);
    assert.deepStrictEqual(ui.warnings, []);
    // No staging or temporary file is left beside the units.
    assert.deepStrictEqual(fs.readdirSync(path.dirname(serviceFile)).sort(), [SERVICE, TIMER]);
  });

  it('twice is once: an installed, enabled pair is left alone without a question', async () => {
    const { job, runner, host } = setUp();
    await installSystemdTimer(job, host, recordingUi());
    runner.calls.length = 0;
    const ui = recordingUi();
    const outcome = await installSystemdTimer(job, host, ui);
    assert.deepStrictEqual(outcome, { done: true, message: `${TIMER} is installed and enabled as the schedule file says; nothing to change.` });
    assert.deepStrictEqual([ui.previews, ui.questions, runner.changes()], [[], [], []]);
  });

  it('enables a timer whose files are current but that was disabled, without reloading', async () => {
    const { job, runner, host } = setUp();
    await installSystemdTimer(job, host, recordingUi());
    runner.enabled = false;
    runner.calls.length = 0;
    const ui = recordingUi();
    assert.strictEqual((await installSystemdTimer(job, host, ui)).done, true);
    assert.deepStrictEqual(ui.previews, []);
    assert.match(ui.said.join('\n'), /not enabled/);
    assert.deepStrictEqual(runner.changes(), [['systemctl', 'enable', '--now', '--', TIMER]]);
  });

  it('backs up a unit it replaces and shows only what changes', async () => {
    const { job, host, units, timerFile, serviceFile, folder } = setUp();
    await installSystemdTimer(job, host, recordingUi());
    const old = units.timer.text.replace(/^OnCalendar=.*$/m, 'OnCalendar=*-*-* 03:00:00');
    fs.writeFileSync(timerFile, old);
    const ui = recordingUi();
    const outcome = await installSystemdTimer(job, host, ui);
    assert.deepStrictEqual(
      ui.previews.map((preview) => [preview.title, preview.before]),
      [[timerFile, old]],
    );
    assert.strictEqual(fs.readFileSync(timerFile, 'utf8'), units.timer.text);
    assert.strictEqual(fs.readFileSync(serviceFile, 'utf8'), units.service.text);
    const backups = fs.readdirSync(path.join(folder, 'backups'));
    assert.strictEqual(backups.length, 1);
    assert.match(backups[0]!, /^bwdc-weekly-sync\.timer-\d{4}-\d\d-\d\dT[\d-]+Z\.bak$/);
    assert.strictEqual(fs.readFileSync(path.join(folder, 'backups', backups[0]!), 'utf8'), old);
    assert.strictEqual(fs.statSync(path.join(folder, 'backups', backups[0]!)).mode & 0o777, 0o600);
    assert.match(outcome.message, /The previous units are kept in .*bwdc-weekly-sync\.timer-.*\.bak/);
  });

  it('refuses a unit file of that name it did not write: names it, changes nothing, asks nothing', async () => {
    const { job, runner, host, serviceFile, timerFile } = setUp();
    fs.mkdirSync(path.dirname(timerFile), { recursive: true });
    const foreign = '[Timer]\nOnCalendar=daily\n# hand-written\n';
    fs.writeFileSync(timerFile, foreign);
    const ui = recordingUi();
    await assert.rejects(
      installSystemdTimer(job, host, ui),
      (error: Error) => error instanceof SystemdWorkflowError && error.message.includes(`${timerFile} exists and was not written by bwdc Schedule`),
    );
    assert.strictEqual(fs.readFileSync(timerFile, 'utf8'), foreign);
    assert.strictEqual(fs.existsSync(serviceFile), false);
    assert.deepStrictEqual([ui.previews, ui.questions, runner.calls], [[], [], []]);
    // remove refuses it as well, and status says so.
    await assert.rejects(removeSystemdTimer(job.name, host, recordingUi()), SystemdWorkflowError);
    assert.strictEqual(fs.readFileSync(timerFile, 'utf8'), foreign);
    const status = await systemdStatus(job, host);
    assert.strictEqual(status.status, 'different');
    assert.deepStrictEqual(
      status.units.map((unit) => unit.state),
      ['missing', 'foreign'],
    );
  });

  it('refuses a masked unit (a symlink to /dev/null)', async () => {
    const { job, host, serviceFile } = setUp();
    fs.mkdirSync(path.dirname(serviceFile), { recursive: true });
    fs.symlinkSync('/dev/null', serviceFile);
    await assert.rejects(installSystemdTimer(job, host, recordingUi()), /was not written by bwdc Schedule/);
    assert.strictEqual(fs.readlinkSync(serviceFile), '/dev/null');
  });

  it('--dry-run shows the diff and stops; a declined question writes nothing', async () => {
    const { job, runner, host, serviceFile } = setUp();
    const dry = recordingUi();
    assert.deepStrictEqual(await installSystemdTimer(job, host, dry, { dryRun: true }), {
      done: false,
      message: 'Dry run: nothing was written.',
      stoppedBy: 'dry-run',
    });
    assert.strictEqual(dry.previews.length, 2);
    assert.deepStrictEqual(dry.questions, []);
    const declined = recordingUi(false);
    assert.strictEqual((await installSystemdTimer(job, host, declined)).stoppedBy, 'declined');
    assert.strictEqual(fs.existsSync(serviceFile), false);
    assert.deepStrictEqual(runner.changes(), []);
  });

  it('as an ordinary user without --root: shows the diff, then says root is needed and how', async () => {
    const folder = sandbox();
    const job = systemdJob(folder);
    const runner = new RecordingSystemctl();
    const host = systemdHost(folder, { runner, currentUser: { name: 'alice', uid: 1000, gid: 1000 } });
    const ui = recordingUi();
    const outcome = await installSystemdTimer(job, host, ui);
    assert.strictEqual(outcome.done, false);
    assert.match(outcome.message, /^Installing a systemd timer needs root: .*\n {2}sudo bwdc-schedule systemd install "\/x\/weekly\.bwdc-schedule"$/);
    assert.strictEqual(ui.previews.length, 2);
    assert.deepStrictEqual([ui.questions, runner.changes()], [[], []]);
    assert.strictEqual(fs.existsSync(host.systemctl.unitFolder), false);
  });

  it('refuses a file that does not say scheduler systemd, and a file for another platform', async () => {
    const folder = sandbox();
    const job = systemdJob(folder);
    const host = systemdHost(folder);
    await assert.rejects(
      installSystemdTimer({ ...job, scheduler: 'cron' }, host, recordingUi()),
      /says scheduler cron; add the line 'scheduler systemd' first/,
    );
    await assert.rejects(installSystemdTimer({ ...job, platform: 'macos' }, host, recordingUi()), /says platform macos; systemd timers are for linux/);
  });

  it('as root, writes a missing or outdated sync script first (asked), as the crontab install does', async () => {
    const { job, host, runner } = setUp({ writeScript: false });
    const ui = recordingUi();
    assert.strictEqual((await installSystemdTimer(job, host, ui)).done, true);
    assert.match(ui.questions[0] ?? '', /The sync script .*sync\.sh does not exist yet\. Write it now\?/);
    assert.strictEqual(fs.readFileSync(job.script, 'utf8'), generateScript(job, version).text);
    assert.strictEqual(fs.statSync(job.script).mode & 0o777, 0o700);
    // The script of an earlier version of the file: outdated.
    fs.writeFileSync(job.script, generateScript({ ...job, log: '/var/log/elsewhere.log' }, version).text);
    const again = recordingUi();
    assert.strictEqual((await installSystemdTimer(job, host, again)).done, true);
    assert.match(again.previews[0]?.title ?? '', /sync\.sh \(sync script\)/);
    assert.strictEqual(fs.readFileSync(job.script, 'utf8'), generateScript(job, version).text);
    assert.ok(runner.changes().length > 0);
  });

  it('as root, a declined script question changes nothing: no units, no systemctl call', async () => {
    const { job, host, runner, serviceFile } = setUp({ writeScript: false });
    const outcome = await installSystemdTimer(job, host, recordingUi(false));
    assert.strictEqual(outcome.done, false);
    assert.match(outcome.message, /the sync script was not written/);
    assert.strictEqual(fs.existsSync(job.script), false);
    assert.strictEqual(fs.existsSync(serviceFile), false);
    assert.deepStrictEqual(runner.changes(), []);
  });

  it('as root, refuses a run-as account that does not exist, before anything is written', async () => {
    const { job, host, serviceFile } = setUp({ writeScript: false });
    await assert.rejects(installSystemdTimer(job, { ...host, accountIds: () => undefined }, recordingUi()), /The user bwdc does not exist on this machine/);
    assert.strictEqual(fs.existsSync(job.script), false);
    assert.strictEqual(fs.existsSync(serviceFile), false);
  });

  it('into a tree (--root), warns when the sync script is missing, and installs anyway', async () => {
    const folder = sandbox();
    const job = systemdJob(folder, '', false);
    const host = systemdHost(folder, { systemctl: new RootSystemctl(path.join(folder, 'tree')) });
    const ui = recordingUi();
    assert.strictEqual((await installSystemdTimer(job, host, ui)).done, true);
    assert.match(ui.warnings.join('\n'), /The sync script .*sync\.sh does not exist yet; the timer will fail until it does \(bwdc-schedule script/);
    assert.strictEqual(fs.existsSync(job.script), false);
  });

  it('reports a failed systemctl and leaves the written units (a reload can be retried)', async () => {
    const { job, runner, host, serviceFile } = setUp();
    runner.failOn = 'enable';
    await assert.rejects(
      installSystemdTimer(job, host, recordingUi()),
      /systemctl enable --now bwdc-weekly-sync\.timer failed \(exit 1\): Failed to enable: Access denied/,
    );
    assert.strictEqual(fs.existsSync(serviceFile), true);
  });

  it('refuses to write when a unit changed since the preview, unless --yes', async () => {
    const { job, host, units, timerFile } = setUp();
    const ui = recordingUi();
    // The question is where someone else gets in.
    ui.confirm = async () => {
      fs.mkdirSync(path.dirname(timerFile), { recursive: true });
      fs.writeFileSync(timerFile, `${units.timer.text}# edited meanwhile\n`);
      return true;
    };
    await assert.rejects(installSystemdTimer(job, host, ui), /changed since the preview\. Nothing was written/);
    assert.strictEqual(fs.readFileSync(timerFile, 'utf8'), `${units.timer.text}# edited meanwhile\n`);
    assert.strictEqual((await installSystemdTimer(job, host, ui, { replanIfChanged: true })).done, true);
    assert.strictEqual(fs.readFileSync(timerFile, 'utf8'), units.timer.text);
  });

  it('remove: disables and stops the timer, deletes both units keeping backups, reloads', async () => {
    const { job, runner, host, units, serviceFile, timerFile, folder } = setUp();
    await installSystemdTimer(job, host, recordingUi());
    runner.calls.length = 0;
    const ui = recordingUi();
    const outcome = await removeSystemdTimer(job.name, host, ui);
    assert.strictEqual(outcome.done, true, outcome.message);
    assert.match(outcome.message, /^Removed bwdc-weekly-sync\.timer and bwdc-weekly-sync\.service from .*\. Backups: /);
    assert.deepStrictEqual(
      ui.previews.map((preview) => [preview.title, preview.after, preview.labels?.after]),
      [
        [serviceFile, '', `${serviceFile} (removed)`],
        [timerFile, '', `${timerFile} (removed)`],
      ],
    );
    assert.deepStrictEqual(runner.changes(), [
      ['systemctl', 'disable', '--now', '--', TIMER],
      ['systemctl', 'daemon-reload'],
    ]);
    assert.deepStrictEqual([fs.existsSync(serviceFile), fs.existsSync(timerFile)], [false, false]);
    const backups = fs.readdirSync(path.join(folder, 'backups')).sort();
    assert.deepStrictEqual(
      backups.map((name) => fs.readFileSync(path.join(folder, 'backups', name), 'utf8')),
      [units.service.text, units.timer.text],
    );
    // Twice is once.
    runner.calls.length = 0;
    assert.deepStrictEqual(await removeSystemdTimer(job.name, host, recordingUi()), {
      done: true,
      message: `${TIMER} is not installed in ${host.systemctl.unitFolder}; nothing to remove.`,
    });
    assert.deepStrictEqual(runner.changes(), []);
  });

  it('remove: --dry-run and a declined question change nothing; an ordinary user is told to use sudo', async () => {
    const { job, runner, host, timerFile } = setUp();
    await installSystemdTimer(job, host, recordingUi());
    runner.calls.length = 0;
    assert.strictEqual((await removeSystemdTimer(job.name, host, recordingUi(), { dryRun: true })).stoppedBy, 'dry-run');
    assert.strictEqual((await removeSystemdTimer(job.name, host, recordingUi(false))).stoppedBy, 'declined');
    const asUser = { ...host, currentUser: { name: 'alice', uid: 1000, gid: 1000 } };
    assert.match((await removeSystemdTimer(job.name, asUser, recordingUi())).message, /^Removing a systemd timer needs root/);
    assert.strictEqual(fs.existsSync(timerFile), true);
    assert.deepStrictEqual(runner.changes(), []);
  });

  it('status: not installed, installed (with next elapse and last result from systemctl show), different (which lines)', async () => {
    const shows = {
      [TIMER]: 'NextElapseUSecRealtime=Mon 2026-12-07 12:00:00 CET\nLastTriggerUSec=n/a\nActiveState=active\n',
      [SERVICE]: 'Result=success\nActiveState=inactive\nExecMainStatus=0\n',
    };
    const { job, runner, host, units, timerFile } = setUp({ shows });
    const before = await systemdStatus(job, host);
    assert.deepStrictEqual([before.status, before.enabled, before.live], ['not-installed', false, undefined]);
    assert.deepStrictEqual(runner.calls, [['systemctl', 'is-enabled', '--', TIMER]]);

    await installSystemdTimer(job, host, recordingUi());
    runner.calls.length = 0;
    const installed = await systemdStatus(job, host);
    assert.strictEqual(installed.status, 'installed');
    assert.deepStrictEqual(installed.live, {
      nextElapse: 'Mon 2026-12-07 12:00:00 CET',
      timerState: 'active',
      lastResult: 'success',
      serviceState: 'inactive',
      exitStatus: '0',
    });
    assert.deepStrictEqual(runner.calls, [
      ['systemctl', 'is-enabled', '--', TIMER],
      ['systemctl', 'show', '-p', 'NextElapseUSecRealtime,LastTriggerUSec,ActiveState', '--', TIMER],
      ['systemctl', 'show', '-p', 'Result,ActiveState,ExecMainStatus', '--', SERVICE],
    ]);

    fs.writeFileSync(timerFile, units.timer.text.replace('Persistent=true', 'Persistent=false'));
    const different = await systemdStatus(job, host);
    assert.strictEqual(different.status, 'different');
    assert.deepStrictEqual(
      different.units.map((unit) => [unit.unit, unit.state, unit.installedOnly, unit.expectedOnly]),
      [
        [SERVICE, 'same', [], []],
        [TIMER, 'different', ['Persistent=false'], ['Persistent=true']],
      ],
    );
    runner.enabled = false;
    fs.writeFileSync(timerFile, units.timer.text);
    assert.strictEqual((await systemdStatus(job, host)).status, 'different', 'not enabled is not installed');
  });

  it('status keeps going when systemctl show fails, saying why', async () => {
    const { job, runner, host } = setUp();
    await installSystemdTimer(job, host, recordingUi());
    runner.failOn = 'show';
    const status = await systemdStatus(job, host);
    assert.strictEqual(status.status, 'installed');
    assert.match(status.liveError ?? '', /systemctl show -p .* failed \(exit 1\)/);
  });

  it('in a tree (--root): writes, enables with the wants symlink and starts nothing', async () => {
    const folder = sandbox();
    const job = systemdJob(folder);
    const root = path.join(folder, 'tree');
    fs.mkdirSync(root);
    const host = systemdHost(folder, { systemctl: new RootSystemctl(root), currentUser: { name: 'alice', uid: 1000, gid: 1000 } });
    const outcome = await installSystemdTimer(job, host, recordingUi());
    assert.strictEqual(outcome.done, true, outcome.message);
    assert.match(outcome.message, /the timer is enabled there/);
    const link = path.join(root, 'etc/systemd/system/timers.target.wants', TIMER);
    assert.strictEqual(fs.readlinkSync(link), `/etc/systemd/system/${TIMER}`);
    const status = await systemdStatus(job, host);
    assert.deepStrictEqual([status.status, status.enabled, status.live], ['installed', true, undefined]);
    // What doctor calls: the same answer through the ready-made status host.
    assert.strictEqual((await systemdStatus(job, systemdStatusHost(host.version, { root }))).status, 'installed');
    assert.strictEqual((await removeSystemdTimer(job.name, host, recordingUi())).done, true);
    assert.strictEqual(fs.existsSync(path.dirname(link)), false);
    assert.deepStrictEqual(fs.readdirSync(path.join(root, 'etc/systemd/system')), []);
  });
});

describe('systemd unit files and systemctl output', () => {
  const sandbox = useSandboxes();

  it('a failed rename puts back the unit already replaced', () => {
    const folder = sandbox();
    const service = path.join(folder, SERVICE);
    const timer = path.join(folder, TIMER);
    fs.writeFileSync(service, 'old service\n');
    // A non-empty folder where the timer goes: staging works, the rename over it fails.
    fs.mkdirSync(timer);
    fs.writeFileSync(path.join(timer, 'x'), '');
    assert.throws(() =>
      writeUnitsTogether(
        [
          { file: service, text: 'new service\n', before: 'old service\n' },
          { file: timer, text: 'new timer\n', before: undefined },
        ],
        { mode: 0o644 },
      ),
    );
    assert.strictEqual(fs.readFileSync(service, 'utf8'), 'old service\n');
    assert.deepStrictEqual(fs.readdirSync(folder).sort(), [SERVICE, TIMER]);
  });

  it('a failed staging write leaves every unit as it was', () => {
    const folder = sandbox();
    const service = path.join(folder, SERVICE);
    fs.writeFileSync(service, 'old service\n');
    // A file where the timer's folder should be.
    fs.writeFileSync(path.join(folder, 'not-a-folder'), '');
    assert.throws(
      () =>
        writeUnitsTogether(
          [
            { file: service, text: 'new service\n', before: 'old service\n' },
            { file: path.join(folder, 'not-a-folder', TIMER), text: 'new timer\n', before: undefined },
          ],
          { mode: 0o644 },
        ),
      /EEXIST|ENOTDIR/,
    );
    assert.strictEqual(fs.readFileSync(service, 'utf8'), 'old service\n');
    assert.deepStrictEqual(fs.readdirSync(folder).sort(), [SERVICE, 'not-a-folder'], 'the staged service is removed again');
  });

  it('reads systemctl show output, values with = kept', () => {
    assert.deepStrictEqual(parseShow('Result=success\nExecMainStartTimestamp=\nEnvironment=A=1 B=2\n'), {
      Result: 'success',
      ExecMainStartTimestamp: '',
      Environment: 'A=1 B=2',
    });
  });

  it('finds the [Install] targets, and only there', () => {
    assert.deepStrictEqual(installTargets('[Unit]\nWantedBy=nope\n[Install]\nWantedBy=timers.target  multi-user.target\nRequiredBy=x.target\n'), {
      wants: ['timers.target', 'multi-user.target'],
      requires: ['x.target'],
    });
  });

  it('names the lines that differ, in either file', () => {
    assert.deepStrictEqual(unitDifference('a\nb\nb\nc\n', 'a\nb\nd\nc\n'), { installedOnly: ['b'], expectedOnly: ['d'] });
    assert.deepStrictEqual(unitDifference('x\n', 'x\n'), { installedOnly: [], expectedOnly: [] });
  });
});
