import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readFixture } from '../../unit/schedule/support';
import { repositoryRoot } from '../../unit/cli/fakeIo';
import { assertRoot, createUser, removeUsers, type ThrowawayUser } from '../users';

/**
 * `bwdc-schedule systemd install|remove|status --root TREE`, the built CLI (dist/cli.js) run as
 * a process, as root and as an ordinary account, against real files; the real systemctl and
 * systemd-analyze (no running systemd needed) judge the result: `systemctl --root=TREE
 * is-enabled` must agree with our wants symlink, and `systemd-analyze verify` must accept the
 * installed units.
 */

const BUNDLE = path.join(repositoryRoot(), 'dist', 'cli.js');
const TIMER = 'bwdc-weekly-sync.timer';
const SERVICE = 'bwdc-weekly-sync.service';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('systemd install, remove and status in a tree (--root), the real files', function () {
  this.timeout(120_000);
  const folders: string[] = [];
  before(() => {
    assertRoot();
    assert.ok(fs.existsSync(BUNDLE), `${BUNDLE} is missing: run node scripts/build.mjs first`);
  });
  after(() => {
    removeUsers();
    for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
  });

  /** A world-readable sandbox with the linux fixture as a systemd job, its script generated, and an empty tree. */
  function setUp() {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-systemd-system-'));
    folders.push(folder);
    fs.chmodSync(folder, 0o755);
    const file = path.join(folder, 'weekly.bwdc-schedule');
    fs.writeFileSync(
      file,
      `${readFixture('linux.bwdc-schedule')}scheduler  systemd\n`.replace(
        'script     /home/bwdc/bwdcSyncService.sh',
        `script     ${path.join(folder, 'sync.sh')}`,
      ),
      { mode: 0o644 },
    );
    const tree = path.join(folder, 'tree');
    fs.mkdirSync(tree, { mode: 0o755 });
    const state = path.join(folder, 'state');
    assert.strictEqual(cli(['script', file], { state }).code, 0);
    return { folder, file, tree, state, units: path.join(tree, 'etc', 'systemd', 'system') };
  }

  function cli(argv: readonly string[], options: { state: string; user?: ThrowawayUser }): Run {
    const command = options.user ? 'runuser' : process.execPath;
    const args = options.user ? ['-u', options.user.name, '--', process.execPath, BUNDLE, ...argv] : [BUNDLE, ...argv];
    const result = spawnSync(command, args, {
      env: { PATH: process.env['PATH'], HOME: options.user?.home ?? '/root', XDG_STATE_HOME: options.state, LC_ALL: 'C' },
      input: '',
      encoding: 'utf8',
    });
    assert.strictEqual(result.error, undefined);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  }

  /** What `systemctl --root=TREE is-enabled` says (its stdout, or its error for a unit that is gone). */
  function systemctlIsEnabled(tree: string): string {
    const result = spawnSync('systemctl', [`--root=${tree}`, 'is-enabled', TIMER], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    return `${result.stdout}${result.stderr}`.trim();
  }

  function snapshot(file: string): { bytes: string; mode: number; mtimeMs: number; uid: number } {
    const stat = fs.lstatSync(file);
    return { bytes: fs.readFileSync(file, 'latin1'), mode: stat.mode, mtimeMs: stat.mtimeMs, uid: stat.uid };
  }

  it('installs both units (root-owned, 644, the bytes `systemd units` writes), enabled as systemctl sees it, accepted by systemd-analyze verify', () => {
    const { file, tree, state, units, folder } = setUp();
    const installed = cli(['systemd', 'install', file, '--root', tree, '--yes'], { state });
    assert.strictEqual(installed.code, 0, installed.stderr);
    assert.strictEqual(installed.stderr, '');
    // The same units `systemd units` writes for this file.
    const reference = path.join(folder, 'reference');
    assert.strictEqual(cli(['systemd', 'units', file, '--output', reference], { state }).code, 0);
    for (const unit of [SERVICE, TIMER]) {
      const stat = fs.statSync(path.join(units, unit));
      assert.deepStrictEqual([stat.mode & 0o7777, stat.uid, stat.gid], [0o644, 0, 0], unit);
      assert.strictEqual(fs.readFileSync(path.join(units, unit), 'utf8'), fs.readFileSync(path.join(reference, unit), 'utf8'), unit);
    }
    assert.strictEqual(fs.statSync(units).mode & 0o777, 0o755);
    assert.strictEqual(fs.readlinkSync(path.join(units, 'timers.target.wants', TIMER)), `/etc/systemd/system/${TIMER}`);
    assert.strictEqual(systemctlIsEnabled(tree), 'enabled');

    const verify = spawnSync('systemd-analyze', ['verify', path.join(units, SERVICE), path.join(units, TIMER)], {
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: 'C' },
    });
    assert.strictEqual(`${verify.stdout}${verify.stderr}`, '', 'systemd-analyze verify is silent');
    assert.strictEqual(verify.status, 0);

    const status = cli(['systemd', 'status', file, '--root', tree], { state });
    assert.deepStrictEqual(status, { code: 0, stdout: `${TIMER} in ${units}: installed, up to date and enabled\n`, stderr: '' });
    // Twice is once.
    const again = cli(['systemd', 'install', file, '--root', tree, '--yes'], { state });
    assert.deepStrictEqual(again, { code: 0, stdout: `${TIMER} is installed and enabled as the schedule file says; nothing to change.\n`, stderr: '' });
  });

  it('refuses a foreign unit of that name and leaves it byte for byte (and its mode and time)', () => {
    const { file, tree, state, units } = setUp();
    fs.mkdirSync(units, { recursive: true });
    const foreign = path.join(units, TIMER);
    fs.writeFileSync(foreign, '[Timer]\nOnCalendar=hourly\n\n[Install]\nWantedBy=timers.target\n', { mode: 0o640 });
    const before = snapshot(foreign);
    for (const action of ['install', 'remove']) {
      const result = cli(['systemd', action, file, '--root', tree, '--yes'], { state });
      assert.strictEqual(result.code, 1, action);
      assert.strictEqual(
        result.stderr,
        `bwdc-schedule: ${foreign} exists and was not written by bwdc Schedule, so nothing was changed. Move it away, or give the job another name.\n`,
      );
      assert.deepStrictEqual(snapshot(foreign), before);
    }
    assert.deepStrictEqual(fs.readdirSync(units), [TIMER]);
    assert.strictEqual(fs.existsSync(state), false, 'no backup either');
  });

  it('remove disables (systemctl agrees), deletes both units and keeps their backups', () => {
    const { file, tree, state, units } = setUp();
    assert.strictEqual(cli(['systemd', 'install', file, '--root', tree, '--yes'], { state }).code, 0);
    const texts = [SERVICE, TIMER].map((unit) => fs.readFileSync(path.join(units, unit), 'utf8'));
    const removed = cli(['systemd', 'remove', file, '--root', tree, '--yes'], { state });
    assert.strictEqual(removed.code, 0, removed.stderr);
    assert.deepStrictEqual(fs.readdirSync(units), []);
    assert.strictEqual(systemctlIsEnabled(tree), `Failed to get unit file state for ${TIMER}: No such file or directory`);
    assert.strictEqual(fs.existsSync(path.join(units, 'timers.target.wants')), false);
    const backupFolder = path.join(state, 'bwdc-schedule', 'systemd-backups');
    const backups = fs.readdirSync(backupFolder).sort();
    assert.deepStrictEqual(
      backups.map((name) => name.replace(/-\d{4}-.*$/, '')),
      [SERVICE, TIMER],
    );
    assert.deepStrictEqual(
      backups.map((name) => fs.readFileSync(path.join(backupFolder, name), 'utf8')),
      texts,
    );
    assert.strictEqual(fs.statSync(backupFolder).mode & 0o777, 0o700);
    assert.deepStrictEqual(cli(['systemd', 'status', file, '--root', tree], { state }).stdout, `${TIMER} in ${units}: not installed\n`);
  });

  it('a failed write (a unit folder the account cannot write) leaves the old units as they were', () => {
    const { file, tree, state, units } = setUp();
    assert.strictEqual(cli(['systemd', 'install', file, '--root', tree, '--yes'], { state }).code, 0);
    // Old units of ours, that the new ones would replace.
    const timer = path.join(units, TIMER);
    fs.writeFileSync(timer, fs.readFileSync(timer, 'utf8').replace('AccuracySec=1s', 'AccuracySec=1min'));
    const before = [SERVICE, TIMER].map((unit) => snapshot(path.join(units, unit)));
    const user = createUser('bwdcsd');
    const userState = path.join(user.home, 'state');
    const result = cli(['systemd', 'install', file, '--root', tree, '--yes'], { state: userState, user });
    assert.strictEqual(result.code, 1, `${result.stdout}${result.stderr}`);
    assert.match(result.stderr, new RegExp(`^bwdc-schedule: Could not write the units in ${units} \\(EACCES\\); the unit files were left as they were\\.\\n$`));
    assert.deepStrictEqual(
      [SERVICE, TIMER].map((unit) => snapshot(path.join(units, unit))),
      before,
    );
    assert.deepStrictEqual(fs.readdirSync(units).sort(), [SERVICE, TIMER, 'timers.target.wants'], 'no staged file left');
  });
});
