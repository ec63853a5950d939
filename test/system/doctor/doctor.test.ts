/**
 * `bwdc-schedule doctor` against the real parts: a throwaway run-as user, the sync script and the
 * crontab entry written by the CLI as an admin would (`secret store`, `crontab install --yes`),
 * Debian's cron daemon and crontab(1), runuser for asking as run-as, and the bwdc stand-in
 * (test/fixtures/bwdc-standin/bwdc.js) in place of the real Directory Connector CLI. Then the set-up
 * is broken in the ways an admin meets: the cron daemon stopped, the user in /etc/cron.deny, a
 * script writable by others, a secret file of mode 0644, a data.json that is not JSON.
 *
 * Needs root. Touches no crontab but the throwaway user's; /etc/cron.allow and /etc/cron.deny are
 * put back byte for byte, and the cron daemon is left running or stopped as it was found.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { installStandin, posixLayout, renderSchedule, VALUES, type PosixLayout } from '../../unit/script/support';
import { assertRoot, createUser, crontabOf, preserveFiles, removeUser, type ThrowawayUser } from '../users';
import { chownTree, CLI, cli, cliOk, cronPids, REPO, ensureCronDaemon, poll, stopCronDaemon, type StartedCron } from '../daemon/support';

interface Report {
  readonly ok: boolean;
  readonly checks: readonly {
    readonly id: string;
    readonly ok: boolean;
    readonly severity: 'error' | 'warning';
    readonly message: string;
    readonly fix: string | null;
  }[];
}

const ALLOW = '/etc/cron.allow';
const DENY = '/etc/cron.deny';
const DATA_JSON = path.join(REPO, 'test', 'fixtures', 'doctor', 'data.json');

/** A job that never fires while the test runs (03:00 on January 1st), so nothing changes under doctor. */
function scheduleText(layout: PosixLayout, user: ThrowawayUser): string {
  const text = renderSchedule('cron-daemon.template.bwdc-schedule', {
    platform: 'linux',
    runAs: user.name,
    bwdc: layout.bwdc,
    secret: `file:${layout.secretFile}`,
    instances: layout.instances,
    env: layout.names.env,
    log: layout.log,
  });
  assert.match(text, /^schedule +\* \* \* \* \*$/m);
  return text.replace(/^schedule +\* \* \* \* \*$/m, 'schedule   0 3 1 1 *').replace(/^name .*$/m, 'name       doctor-test');
}

describe('bwdc-schedule doctor on a real set-up (root, Debian cron, a throwaway user)', function () {
  this.timeout(180_000);
  let user: ThrowawayUser | undefined;
  let root: string | undefined;
  let layout: PosixLayout | undefined;
  let cliEnv: NodeJS.ProcessEnv = {};
  /** The daemon this suite started, to stop at the end; undefined when it found one running (or none is to run). */
  let cron: StartedCron | undefined;

  const doctor = (): { status: number | null; report: Report; stderr: string } => {
    const result = cli(['doctor', layout!.scheduleFile, '--json'], { env: cliEnv });
    assert.ok(result.stdout.startsWith('{'), `doctor printed no JSON (exit ${result.status}):\n${result.stdout}${result.stderr}`);
    return { status: result.status, report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
  };
  const failed = (report: Report): string[] => report.checks.filter((check) => !check.ok).map((check) => check.id);
  const byId = (report: Report, id: string): Report['checks'][number] => {
    const found = report.checks.find((check) => check.id === id);
    assert.ok(found, `no check ${id}`);
    return found;
  };

  before(async () => {
    assertRoot();
    user = createUser('bwdcd');
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-doctor-test-')));
    fs.chmodSync(root, 0o755);
    layout = posixLayout(root, 'plain');
    cliEnv = { XDG_STATE_HOME: path.join(root, 'state') };
    fs.mkdirSync(layout.top, { mode: 0o700 });
    installStandin(layout.bwdc);
    for (const folder of layout.instances) {
      fs.mkdirSync(folder, { mode: 0o700 });
      // A data.json the validator finds nothing wrong with in plaintext mode (the file's env line).
      fs.copyFileSync(DATA_JSON, path.join(folder, 'data.json'));
      fs.chmodSync(path.join(folder, 'data.json'), 0o600);
    }
    fs.mkdirSync(layout.secretFolder, { mode: 0o700 });
    fs.writeFileSync(layout.scheduleFile, scheduleText(layout, user));
    chownTree(layout.top, user.uid, user.gid);
    cliOk(['secret', 'store', layout.scheduleFile], { input: `${VALUES.secret}\n`, env: cliEnv });
    cliOk(['crontab', 'install', layout.scheduleFile, '--yes'], { env: cliEnv });
    assert.match(crontabOf(user.name) ?? '', /^0 3 1 1 \* /m);
    cron = await ensureCronDaemon();
  });

  after(async () => {
    const problems: string[] = [];
    const step = async (what: string, action: () => void | Promise<void>): Promise<void> => {
      try {
        await action();
      } catch (error) {
        problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    if (cron) await step('stopping the cron daemon this suite started', () => stopCronDaemon(cron!));
    if (user) await step('removing the throwaway user', () => removeUser(user!));
    if (root) await step('removing the temp folder', () => fs.rmSync(root!, { recursive: true, force: true }));
    if (problems.length > 0) assert.fail(`cleanup: ${problems.join('; ')}`);
  });

  it('passes every check of a healthy set-up and exits 0', () => {
    const { status, report, stderr } = doctor();
    assert.deepStrictEqual(failed(report), [], JSON.stringify(report, null, 2));
    assert.strictEqual(status, 0, stderr);
    assert.strictEqual(report.ok, true);
    const ids = report.checks.map((check) => check.id);
    for (const id of ['cron-daemon', 'job-installed', 'run-as-exists', 'cron-access', 'script-private', 'secret-mode', 'bwdc-runs', 'log-writable', 'timezone'])
      assert.ok(ids.includes(id), `${id} was checked`);
    assert.match(byId(report, 'bwdc-runs').message, new RegExp(`^bwdc 2026\\.6\\.1 runs for ${user!.name}\\.$`));
    assert.match(byId(report, 'cron-daemon').message, /^The cron daemon is running \(pid \d+\)\.$/);
    // bwdc --version ran in a throwaway folder: the instance folders' data.json are untouched.
    for (const folder of layout!.instances) assert.strictEqual(fs.readFileSync(path.join(folder, 'data.json'), 'utf8'), fs.readFileSync(DATA_JSON, 'utf8'));
  });

  it('prints a table with a ✓ per check', () => {
    const result = cli(['doctor', layout!.scheduleFile], { env: cliEnv });
    assert.strictEqual(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^✓ cron-access +\S+ may use cron/m);
    assert.match(result.stdout, /All \d+ checks passed\.\n$/);
  });

  it('fails the daemon check when the cron daemon is stopped (exit 1), and cron is put back', async function () {
    if (!cron && cronPids().length > 0) {
      // Another suite's daemon: not ours to stop. Its suite stops it when done; wait for that.
      const gone = await poll(() => cronPids().length === 0, 'the cron daemon another suite started to stop', 150_000, 1000).then(
        () => true,
        () => false,
      );
      if (!gone) this.skip(); // never kill a daemon this suite did not start
    }
    const wasRunning = cron !== undefined;
    try {
      if (cron) await stopCronDaemon(cron);
      cron = undefined;
      await poll(() => cronPids().length === 0, 'the cron daemon to stop', 10_000, 100);
      const { status, report } = doctor();
      assert.strictEqual(status, 1);
      assert.deepStrictEqual(failed(report), ['cron-daemon']);
      assert.match(byId(report, 'cron-daemon').message, /^No cron daemon is running/);
      assert.match(byId(report, 'cron-daemon').fix ?? '', /systemctl enable --now cron/);
    } finally {
      // Put back what this suite had: its own daemon, stopped again in after().
      if (wasRunning) cron = await ensureCronDaemon();
    }
    assert.strictEqual(cronPids().length > 0, wasRunning, 'the daemon is as it was');
  });

  it('fails the access check when /etc/cron.deny lists the user, with the fix; cron.deny is restored byte for byte', () => {
    const before = fs.existsSync(DENY) ? fs.readFileSync(DENY) : undefined;
    const allowBefore = fs.existsSync(ALLOW) ? fs.readFileSync(ALLOW) : undefined;
    const restore = preserveFiles([ALLOW, DENY]);
    try {
      // cron.allow, when there is one, decides alone: take it away for this test.
      fs.rmSync(ALLOW, { force: true });
      const denied = `${before ? before.toString('utf8').replace(/([^\n])$/, '$1\n') : ''}${user!.name}\n`;
      fs.writeFileSync(DENY, denied);
      const { status, report } = doctor();
      assert.strictEqual(status, 1);
      // crontab(1) refuses to list a denied user's crontab even to root: that check cannot say.
      assert.deepStrictEqual(failed(report), ['job-installed', 'cron-access']);
      assert.strictEqual(byId(report, 'job-installed').severity, 'warning');
      const access = byId(report, 'cron-access');
      assert.strictEqual(access.message, `${user!.name} may not use cron: /etc/cron.deny lists it, so cron ignores its crontab.`);
      assert.match(access.fix ?? '', new RegExp(`bwdc-schedule crontab prepare-user ${layout!.scheduleFile.replace(/[.]/g, '\\.')}`));
      assert.match(access.fix ?? '', new RegExp(`remove the line ${user!.name} from /etc/cron\\.deny`));
    } finally {
      restore();
    }
    assert.deepStrictEqual(fs.existsSync(DENY) ? fs.readFileSync(DENY) : undefined, before, 'cron.deny as it was');
    assert.deepStrictEqual(fs.existsSync(ALLOW) ? fs.readFileSync(ALLOW) : undefined, allowBefore, 'cron.allow as it was');
  });

  it('names a script writable by others, a secret file of mode 0644 and a data.json that is not JSON', () => {
    const script = path.join(layout!.top, 'bwdcSyncService.sh');
    const dataJson = path.join(layout!.instances[1]!, 'data.json');
    const original = fs.readFileSync(dataJson);
    try {
      fs.chmodSync(script, 0o702);
      fs.chmodSync(layout!.secretFile, 0o644);
      fs.writeFileSync(dataJson, '{ "stateVersion": 6, oops }');
      const { status, report } = doctor();
      assert.strictEqual(status, 1);
      assert.deepStrictEqual(failed(report), ['script-private', 'secret-mode', 'instance-2-data-json']);
      assert.match(byId(report, 'script-private').message, /writable by its group or by everyone \(mode 0702\)/);
      assert.match(byId(report, 'script-private').fix ?? '', /chmod go-w/);
      assert.match(byId(report, 'secret-mode').message, /mode 0644 lets others read it/);
      assert.match(byId(report, 'secret-mode').fix ?? '', /chmod 600/);
      assert.match(byId(report, 'instance-2-data-json').message, new RegExp(`^${dataJson.replace(/[.]/g, '\\.')} is not valid: `));
    } finally {
      fs.chmodSync(script, 0o700);
      fs.chmodSync(layout!.secretFile, 0o600);
      fs.writeFileSync(dataJson, original);
    }
    assert.strictEqual(doctor().status, 0, 'healthy again once put back');
  });

  it('as another ordinary user, says what it could not check and the sudo command, as warnings', () => {
    const other = createUser('bwdco');
    try {
      // The other user may read the schedule file, but not run-as's folders.
      const copy = path.join(root!, 'copy.bwdc-schedule');
      fs.writeFileSync(copy, `${fs.readFileSync(layout!.scheduleFile, 'utf8')}script     ${path.join(layout!.top, 'bwdcSyncService.sh')}\n`);
      fs.chmodSync(copy, 0o644);
      const result = spawnSync('runuser', ['-u', other.name, '--', process.execPath, CLI, 'doctor', copy, '--json'], {
        encoding: 'utf8',
        cwd: root,
        timeout: 60_000,
      });
      const report = JSON.parse(result.stdout) as Report;
      const access = byId(report, 'run-as-access');
      assert.deepStrictEqual([access.ok, access.severity], [false, 'warning']);
      assert.match(access.message, new RegExp(`you are ${other.name}`));
      assert.strictEqual(access.fix, `Run the check as root: sudo bwdc-schedule doctor ${copy}`);
      // Behind run-as's 0700 folder: nothing there is called missing, each is a warning with the sudo command.
      for (const id of ['job-installed', 'script-exists', 'secret-readable', 'bwdc-runs', 'instance-1-folder', 'log-writable']) {
        const found = byId(report, id);
        assert.deepStrictEqual([found.ok, found.severity], [false, 'warning'], `${id}: ${found.message}`);
      }
      assert.deepStrictEqual(
        report.checks.filter((check) => !check.ok && check.severity === 'error').map((check) => check.id),
        [],
      );
      assert.strictEqual(result.status, 0, 'warnings only');
    } finally {
      removeUser(other);
    }
  });
});
