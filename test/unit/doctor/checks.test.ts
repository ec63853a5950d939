import * as assert from 'assert';
import { runChecks, type Check } from '../../../src/core/doctor/checks';
import type { CronFacts, DoctorSnapshot, InstanceFacts, PathFacts } from '../../../src/core/doctor/snapshot';
import { jobOf } from '../script/support';
import { doctorFixture, healthySnapshot, SCHEDULE_FILE, windowsJob } from './support';

function check(snapshot: DoctorSnapshot, id: string): Check {
  const found = runChecks(snapshot).checks.find((candidate) => candidate.id === id);
  assert.ok(
    found,
    `no check ${id} in ${runChecks(snapshot)
      .checks.map((c) => c.id)
      .join(', ')}`,
  );
  return found;
}

function withCron(snapshot: DoctorSnapshot, change: Partial<CronFacts>): DoctorSnapshot {
  return { ...snapshot, scheduler: { ...(snapshot.scheduler as CronFacts), ...change } };
}

function withInstance(snapshot: DoctorSnapshot, index: number, change: Partial<InstanceFacts>): DoctorSnapshot {
  return { ...snapshot, instances: snapshot.instances.map((instance, at) => (at === index ? { ...instance, ...change } : instance)) };
}

function withScript(snapshot: DoctorSnapshot, change: Partial<PathFacts & { state: 'current' | 'outdated' | 'foreign' | 'missing' }>): DoctorSnapshot {
  return { ...snapshot, script: { ...snapshot.script, ...change } };
}

function withSecretFile(snapshot: DoctorSnapshot, change: Partial<PathFacts>): DoctorSnapshot {
  if (snapshot.secret.scheme !== 'file') throw new Error('not a file secret');
  return { ...snapshot, secret: { scheme: 'file', file: { ...snapshot.secret.file, ...change } } };
}

const without = <T extends object, K extends keyof T>(value: T, key: K): Omit<T, K> => {
  const copy = { ...value };
  delete copy[key];
  return copy;
};

describe('doctor: the checks of a healthy set-up', () => {
  it('all pass, in the order an admin fixes them, with no fix', () => {
    const report = runChecks(healthySnapshot());
    assert.deepStrictEqual(
      report.checks.filter((c) => !c.ok),
      [],
    );
    assert.strictEqual(report.ok, true);
    assert.deepStrictEqual(
      report.checks.map((c) => c.id),
      [
        'cron-daemon',
        'job-installed',
        'run-as-exists',
        'cron-access',
        'script-exists',
        'script-current',
        'script-runnable',
        'script-private',
        'secret-readable',
        'secret-mode',
        'bwdc-runs',
        'bwdc-native-module',
        'instance-1-folder',
        'instance-1-data-json',
        'instance-2-folder',
        'instance-2-data-json',
        'log-writable',
        'keyring-mode',
        'timezone',
      ],
    );
    for (const passed of report.checks) assert.strictEqual(passed.fix, null, passed.id);
  });

  it('says what each passed check found', () => {
    const report = runChecks(healthySnapshot());
    const message = (id: string): string => report.checks.find((c) => c.id === id)!.message;
    assert.strictEqual(message('cron-daemon'), 'The cron daemon is running (pid 412).');
    assert.strictEqual(message('cron-access'), 'bwdc may use cron (/etc/cron.deny does not list it).');
    assert.strictEqual(message('bwdc-runs'), 'bwdc 2026.6.1 runs for bwdc.');
    assert.strictEqual(message('secret-mode'), 'The secret file is private to bwdc (mode 0600).');
    assert.strictEqual(message('timezone'), 'cron runs the job in Europe/Berlin, the time zone the schedule file names.');
  });
});

interface Case {
  readonly name: string;
  readonly snapshot: () => DoctorSnapshot;
  readonly id: string;
  readonly severity: 'error' | 'warning';
  readonly message: RegExp;
  readonly fix: RegExp;
  /** Checks that fail with it, by their nature. */
  readonly alsoFails?: readonly string[];
}

const CASES: readonly Case[] = [
  {
    name: 'no cron daemon runs',
    snapshot: () => withCron(healthySnapshot(), { daemon: undefined }),
    id: 'cron-daemon',
    severity: 'error',
    message: /^No cron daemon is running/,
    fix: /systemctl enable --now cron/,
  },
  {
    name: 'processes cannot be listed (no /proc): the daemon is not judged',
    snapshot: () => withCron(healthySnapshot(), { daemon: undefined, daemonUnchecked: 'no /proc here' }),
    id: 'cron-daemon',
    severity: 'warning',
    message: /^Whether the cron daemon runs could not be checked: no \/proc here$/,
    fix: /pgrep -x cron/,
  },
  {
    name: 'the job is not in the crontab',
    snapshot: () => withCron(healthySnapshot(), { installed: { state: 'missing' } }),
    id: 'job-installed',
    severity: 'error',
    message: /^weekly-sync is not installed in the crontab of bwdc\.$/,
    fix: new RegExp(`bwdc-schedule crontab install ${SCHEDULE_FILE}`),
  },
  {
    name: 'the crontab block differs from the file',
    snapshot: () => withCron(healthySnapshot(), { installed: { state: 'different' } }),
    id: 'job-installed',
    severity: 'error',
    message: /differs from the schedule file/,
    fix: /^Install it again: bwdc-schedule crontab install/,
  },
  {
    name: 'the crontab block is damaged',
    snapshot: () => withCron(healthySnapshot(), { installed: { state: 'damaged', detail: 'the end marker is missing (line 4)' } }),
    id: 'job-installed',
    severity: 'error',
    message: /is damaged: the end marker is missing \(line 4\)/,
    fix: /crontab install/,
  },
  {
    name: 'the crontab could not be read (a warning, not an error)',
    snapshot: () => withCron(healthySnapshot(), { installed: { state: 'unknown', reason: 'only root may read it' } }),
    id: 'job-installed',
    severity: 'warning',
    message: /could not be checked: only root may read it/,
    fix: /^Run the check as root: sudo bwdc-schedule doctor/,
  },
  {
    name: 'the run-as account does not exist',
    snapshot: () => ({ ...healthySnapshot(), runAs: { name: 'bwdc', exists: false } }),
    id: 'run-as-exists',
    severity: 'error',
    message: /^The account bwdc does not exist/,
    fix: /sudo bwdc-schedule crontab prepare-user/,
  },
  {
    name: 'cron.deny lists the run-as account',
    snapshot: () => withCron(healthySnapshot(), { accessFiles: { deny: 'daemon\nbwdc\n' } }),
    id: 'cron-access',
    severity: 'error',
    message: /^bwdc may not use cron: \/etc\/cron\.deny lists it/,
    fix: /prepare-user .*remove the line bwdc from \/etc\/cron\.deny/,
  },
  {
    name: 'cron.allow exists without the run-as account',
    snapshot: () => withCron(healthySnapshot(), { accessFiles: { allow: 'root\n', deny: '' } }),
    id: 'cron-access',
    severity: 'error',
    message: /\/etc\/cron\.allow exists and does not list it/,
    fix: /add the line bwdc to \/etc\/cron\.allow/,
  },
  {
    name: 'cron.allow and cron.deny are unreadable',
    snapshot: () => withCron(healthySnapshot(), { accessFiles: { unreadable: 'EACCES' } }),
    id: 'cron-access',
    severity: 'warning',
    message: /could not be checked: .*EACCES/,
    fix: /sudo bwdc-schedule doctor/,
  },
  {
    name: 'the script is missing',
    snapshot: () => withScript(healthySnapshot(), { kind: 'missing', state: 'missing' }),
    id: 'script-exists',
    severity: 'error',
    message: /^The sync script \/srv\/bwdc\/bwdcSyncService\.sh does not exist\.$/,
    fix: /^Generate it: bwdc-schedule crontab install/,
  },
  {
    name: 'the script is out of date',
    snapshot: () => withScript(healthySnapshot(), { state: 'outdated' }),
    id: 'script-current',
    severity: 'error',
    message: /out of date/,
    fix: /^Generate it again/,
  },
  {
    name: 'the script was not generated by bwdc Schedule',
    snapshot: () => withScript(healthySnapshot(), { state: 'foreign' }),
    id: 'script-current',
    severity: 'error',
    message: /not generated by bwdc Schedule/,
    fix: /^Generate it again/,
  },
  {
    name: 'run-as cannot run the script',
    snapshot: () => withScript(healthySnapshot(), { canExecute: false }),
    id: 'script-runnable',
    severity: 'error',
    message: /^bwdc cannot read or run the sync script\.$/,
    fix: /chmod 700/,
  },
  {
    name: 'the script is writable by others',
    snapshot: () => withScript(healthySnapshot(), { mode: 0o777 }),
    id: 'script-private',
    severity: 'error',
    message: /writable by its group or by everyone \(mode 0777\)/,
    fix: /^sudo chmod go-w \/srv\/bwdc\/bwdcSyncService\.sh$/,
  },
  {
    name: 'the script belongs to a third account',
    snapshot: () => withScript(healthySnapshot(), { uid: 1000 }),
    id: 'script-private',
    severity: 'error',
    message: /owned by uid 1000, neither root nor bwdc/,
    fix: /^sudo chown bwdc /,
  },
  {
    name: "the script's folder is writable by everyone",
    snapshot: () => ({ ...healthySnapshot(), scriptFolder: { ...healthySnapshot().scriptFolder, mode: 0o777 } }),
    id: 'script-private',
    severity: 'error',
    message: /its folder \/srv\/bwdc is writable by others \(mode 0777\)/,
    fix: /sudo chmod go-w \/srv\/bwdc$/,
  },
  {
    name: 'the secret file is missing',
    snapshot: () => withSecretFile(healthySnapshot(), { kind: 'missing' }),
    id: 'secret-readable',
    severity: 'error',
    message: /^The secret file \/home\/bwdc\/client_secret does not exist\.$/,
    fix: /bwdc-schedule secret store/,
  },
  {
    name: 'run-as cannot read the secret file',
    snapshot: () => withSecretFile(healthySnapshot(), { canRead: false }),
    id: 'secret-readable',
    severity: 'error',
    message: /^bwdc cannot read the secret file/,
    fix: /sudo bwdc-schedule secret store/,
  },
  {
    name: 'the secret file has mode 0644',
    snapshot: () => withSecretFile(healthySnapshot(), { mode: 0o644 }),
    id: 'secret-mode',
    severity: 'error',
    message: /mode 0644 lets others read it/,
    fix: /chmod 600 \/home\/bwdc\/client_secret$/,
  },
  {
    name: 'the secret file belongs to root',
    snapshot: () => withSecretFile(healthySnapshot(), { uid: 0 }),
    id: 'secret-mode',
    severity: 'error',
    message: /owned by uid 0, not by bwdc/,
    fix: /^sudo chown bwdc \/home\/bwdc\/client_secret/,
  },
  {
    name: 'bwdc is missing',
    snapshot: () => ({ ...healthySnapshot(), bwdc: { ...healthySnapshot().bwdc, file: { path: '/opt/bwdc/bwdc', kind: 'missing' } } }),
    id: 'bwdc-runs',
    severity: 'error',
    message: /^bwdc is not at \/opt\/bwdc\/bwdc\.$/,
    fix: /Install the Directory Connector CLI/,
  },
  {
    name: 'bwdc --version fails',
    snapshot: () => ({
      ...healthySnapshot(),
      bwdc: {
        ...healthySnapshot().bwdc,
        version: { ran: true, code: 1, output: 'Error: libsecret-1.so.0: cannot open shared object file\n', timedOut: false },
      },
    }),
    id: 'bwdc-runs',
    severity: 'error',
    message: /failed as bwdc \(exit 1\): Error: libsecret-1\.so\.0/,
    fix: /sudo -u bwdc \/opt\/bwdc\/bwdc --version/,
  },
  {
    name: 'bwdc --version hangs',
    snapshot: () => ({ ...healthySnapshot(), bwdc: { ...healthySnapshot().bwdc, version: { ran: true, code: null, output: '', timedOut: true } } }),
    id: 'bwdc-runs',
    severity: 'error',
    message: /did not finish in time/,
    fix: /--version/,
  },
  {
    name: 'bwdc could not be started as run-as (a warning)',
    snapshot: () => ({
      ...healthySnapshot(),
      accessUnchecked: { currentUser: 'alice' },
      bwdc: { ...healthySnapshot().bwdc, version: { ran: false, reason: 'you are alice, not root or bwdc' } },
    }),
    id: 'bwdc-runs',
    severity: 'warning',
    message: /was not started as bwdc: you are alice/,
    fix: /^Check it yourself: sudo -u bwdc \/opt\/bwdc\/bwdc --version$/,
    alsoFails: ['run-as-access'],
  },
  {
    name: 'the native module is not beside bwdc',
    snapshot: () => ({ ...healthySnapshot(), bwdc: without({ ...healthySnapshot().bwdc }, 'nativeModule') }),
    id: 'bwdc-native-module',
    severity: 'error',
    message: /keytar\.node .* dc_native\.<platform>\.node/,
    fix: /into \/opt\/bwdc\/\.$/,
  },
  {
    name: 'an instance folder is missing',
    snapshot: () => withInstance(healthySnapshot(), 1, { folder: { path: '/srv/bwdc/instance-2', kind: 'missing' } }),
    id: 'instance-2-folder',
    severity: 'error',
    message: /^The instance folder \/srv\/bwdc\/instance-2 does not exist\.$/,
    fix: /owned by bwdc/,
  },
  {
    name: 'an instance folder is not writable by run-as',
    snapshot: () => withInstance(healthySnapshot(), 0, { folder: { ...healthySnapshot().instances[0]!.folder, canWrite: false } }),
    id: 'instance-1-folder',
    severity: 'error',
    message: /^bwdc cannot write to the instance folder \/srv\/bwdc\/instance-1/,
    fix: /sudo chown -R bwdc \/srv\/bwdc\/instance-1$/,
  },
  {
    name: 'data.json is missing',
    snapshot: () => withInstance(healthySnapshot(), 0, { dataJson: { path: '/srv/bwdc/instance-1/data.json', kind: 'missing' } }),
    id: 'instance-1-data-json',
    severity: 'error',
    message: /does not exist: this folder is not configured/,
    fix: /Configure the Directory Connector/,
  },
  {
    name: 'data.json is not JSON',
    snapshot: () => withInstance(healthySnapshot(), 0, { findings: [{ code: 'data-json-syntax', severity: 'error', message: 'This is not valid JSON.' }] }),
    id: 'instance-1-data-json',
    severity: 'error',
    message: /^\/srv\/bwdc\/instance-1\/data\.json is not valid: This is not valid JSON\.$/,
    fix: /bwdc-schedule check \/srv\/bwdc\/instance-1\/data\.json/,
  },
  {
    name: 'data.json cannot be read',
    snapshot: () => withInstance(healthySnapshot(), 0, { unreadable: 'permission denied' }),
    id: 'instance-1-data-json',
    severity: 'error',
    message: /cannot be read: permission denied/,
    fix: /Fix it/,
  },
  {
    name: 'the log is not writable by run-as',
    snapshot: () => ({ ...healthySnapshot(), log: { ...healthySnapshot().log, canWrite: false } }),
    id: 'log-writable',
    severity: 'error',
    message: /^The log cannot be written: bwdc cannot write the log \/var\/log\/bwdc\/weekly-sync\.log\.$/,
    fix: /^sudo chown bwdc \/var\/log\/bwdc\/weekly-sync\.log$/,
  },
  {
    name: "the log's folder does not exist and run-as cannot create it",
    snapshot: () => ({
      ...healthySnapshot(),
      log: { path: '/var/log/bwdc/weekly-sync.log', kind: 'missing' },
      logFolder: { path: '/var/log', kind: 'directory', mode: 0o755, uid: 0, gid: 0, canWrite: false, canExecute: true },
    }),
    id: 'log-writable',
    severity: 'error',
    message: /^The log cannot be written: bwdc cannot create the log folder \/var\/log\/bwdc in \/var\/log\.$/,
    fix: /sudo install -d -o bwdc \/var\/log\/bwdc$/,
  },
  {
    name: 'the log is writable but its folder is not (the script rotates the log there)',
    snapshot: () => ({ ...healthySnapshot(), logFolder: { ...healthySnapshot().logFolder, canWrite: false } }),
    id: 'log-writable',
    severity: 'error',
    message: /cannot write in the log folder \/var\/log\/bwdc \(the script rotates the log there\)/,
    fix: /point the log line at a folder bwdc owns/,
  },
  {
    name: 'the secret file cannot even be looked at (a warning)',
    snapshot: () => ({ ...withSecretFile(healthySnapshot(), { kind: 'unknown' }), accessUnchecked: { currentUser: 'alice' } }),
    id: 'secret-readable',
    severity: 'warning',
    message: /^\/home\/bwdc\/client_secret could not be looked at: a folder on the way is not open to alice\.$/,
    fix: /sudo bwdc-schedule doctor/,
    alsoFails: ['run-as-access'],
  },
  {
    name: 'plaintext mode with a placeholder password in data.json',
    snapshot: () =>
      withInstance(healthySnapshot(), 1, {
        findings: [{ code: 'data-secret-placeholder', severity: 'error', message: 'would send the text "[STORED SECURELY]".' }],
      }),
    id: 'keyring-mode',
    severity: 'error',
    message: /instance-2\/data\.json: would send the text "\[STORED SECURELY\]"/,
    fix: /Make data\.json match the mode/,
  },
  {
    name: 'the cron daemon runs in another zone',
    snapshot: () => withCron(healthySnapshot(), { daemonZone: { zone: 'UTC', source: '/etc/timezone' } }),
    id: 'timezone',
    severity: 'warning',
    message: /^cron runs the job in UTC \(from \/etc\/timezone\), but the schedule file says timezone Europe\/Berlin/,
    fix: /timedatectl set-timezone Europe\/Berlin/,
  },
  {
    name: "the cron daemon's zone cannot be found",
    snapshot: () => withCron(healthySnapshot(), { daemonZone: undefined }),
    id: 'timezone',
    severity: 'warning',
    message: /could not be found/,
    fix: /timedatectl/,
  },
];

describe('doctor: each check fails with its fix', () => {
  for (const entry of CASES) {
    it(`${entry.name}: ${entry.id} fails`, () => {
      const snapshot = entry.snapshot();
      const failed = check(snapshot, entry.id);
      assert.strictEqual(failed.ok, false, failed.message);
      assert.strictEqual(failed.severity, entry.severity);
      assert.match(failed.message, entry.message);
      assert.match(failed.fix ?? '', entry.fix);
      const report = runChecks(snapshot);
      assert.strictEqual(report.ok, entry.severity === 'warning', 'only a failed error makes the report fail');
      assert.deepStrictEqual(
        report.checks.filter((c) => !c.ok).map((c) => c.id),
        [entry.id, ...(entry.alsoFails ?? [])],
        'and nothing else fails',
      );
    });
  }
});

describe('doctor: judgements that need care', () => {
  it('counts a sticky folder writable by everyone (like /tmp) as safe for the script', () => {
    const snapshot = { ...healthySnapshot(), scriptFolder: { ...healthySnapshot().scriptFolder, mode: 0o1777 } };
    assert.strictEqual(check(snapshot, 'script-private').ok, true);
  });

  it('counts a script owned by root as safe', () => {
    assert.strictEqual(check(withScript(healthySnapshot(), { uid: 0 }), 'script-private').ok, true);
  });

  it('takes UTC and Etc/UTC for the same zone', () => {
    const job = jobOf(doctorFixture('weekly-sync.bwdc-schedule').replace('Europe/Berlin', 'UTC'), SCHEDULE_FILE);
    const snapshot = withCron(healthySnapshot(job), { daemonZone: { zone: 'Etc/UTC', source: '/etc/localtime' } });
    assert.strictEqual(check(snapshot, 'timezone').ok, true);
  });

  it('passes the zone check for a file without a timezone line, naming the zone cron uses', () => {
    const job = jobOf(doctorFixture('weekly-sync.bwdc-schedule').replace(/^timezone.*\n/m, ''), SCHEDULE_FILE);
    const zone = check(withCron(healthySnapshot(job), { daemonZone: { zone: 'UTC', source: '/etc/timezone' } }), 'timezone');
    assert.strictEqual(zone.ok, true);
    assert.match(zone.message, /names no time zone; cron runs it in UTC/);
  });

  it('warns without plaintext mode on Linux, where a scheduled bwdc has no keyring', () => {
    const job = jobOf(doctorFixture('weekly-sync.bwdc-schedule').replace(/^env .*\n/m, ''), SCHEDULE_FILE);
    const keyring = check(healthySnapshot(job), 'keyring-mode');
    assert.deepStrictEqual([keyring.ok, keyring.severity], [false, 'warning']);
    assert.match(keyring.fix ?? '', /env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true/);
  });

  it('asks for no native module next to a bwdc that is a script', () => {
    const snapshot = { ...healthySnapshot(), bwdc: { ...without(healthySnapshot().bwdc, 'nativeModule'), packaged: false } };
    assert.ok(!runChecks(snapshot).checks.some((c) => c.id === 'bwdc-native-module'));
  });

  it('reports once that access was not checked, and does not claim it was', () => {
    const healthy = healthySnapshot();
    const unasked = (facts: PathFacts): PathFacts => without(without(without(facts, 'canRead'), 'canWrite'), 'canExecute');
    const snapshot: DoctorSnapshot = {
      ...healthy,
      accessUnchecked: { currentUser: 'alice' },
      script: { ...unasked(healthy.script), state: 'current' },
      secret: { scheme: 'file', file: unasked((healthy.secret as { file: PathFacts }).file) },
      instances: healthy.instances.map((instance) => ({ ...instance, folder: unasked(instance.folder), dataJson: unasked(instance.dataJson) })),
      log: unasked(healthy.log),
    };
    const report = runChecks(snapshot);
    assert.deepStrictEqual(
      report.checks.filter((c) => !c.ok).map((c) => [c.id, c.severity]),
      [['run-as-access', 'warning']],
    );
    assert.ok(!report.checks.some((c) => c.id === 'script-runnable'), 'not judged without an answer');
    assert.match(check(snapshot, 'secret-readable').message, /whether bwdc can read it was not checked/);
    assert.match(check(snapshot, 'run-as-access').fix ?? '', /^Run the check as root: sudo bwdc-schedule doctor \/srv\/bwdc\/weekly-sync\.bwdc-schedule$/);
    assert.strictEqual(report.ok, true);
  });

  it('judges an env: secret as a warning, since only the scheduler knows its environment', () => {
    const job = jobOf(doctorFixture('weekly-sync.bwdc-schedule').replace(/^secret .*$/m, 'secret     env:BWDC_SECRET'), SCHEDULE_FILE);
    const snapshot: DoctorSnapshot = { ...healthySnapshot(job), secret: { scheme: 'env', name: 'BWDC_SECRET' } };
    const secret = check(snapshot, 'secret-source');
    assert.deepStrictEqual([secret.ok, secret.severity], [false, 'warning']);
    assert.match(secret.fix ?? '', /secret file:PATH/);
  });

  it('quotes paths in fixes only when the shell needs it', () => {
    const job = jobOf(doctorFixture('weekly-sync.bwdc-schedule'), "/srv/bwdc/it's a job.bwdc-schedule");
    const fix = check(withCron(healthySnapshot(job), { installed: { state: 'missing' } }), 'job-installed').fix;
    assert.strictEqual(fix, "Install it: bwdc-schedule crontab install '/srv/bwdc/it'\\''s a job.bwdc-schedule'");
  });
});

describe('doctor: other schedulers', () => {
  it('systemd: the timers are usable and the units installed', () => {
    const job = jobOf(`${doctorFixture('weekly-sync.bwdc-schedule')}scheduler  systemd\n`, SCHEDULE_FILE);
    const base: DoctorSnapshot = { ...healthySnapshot(job), scheduler: { kind: 'systemd', systemctl: true, booted: true, installed: { state: 'current' } } };
    const report = runChecks(base);
    assert.deepStrictEqual(
      report.checks.slice(0, 2).map((c) => [c.id, c.ok]),
      [
        ['systemd-timers', true],
        ['job-installed', true],
      ],
    );
    assert.ok(!report.checks.some((c) => c.id === 'cron-access' || c.id === 'timezone' || c.id === 'cron-daemon'));
    const stopped = runChecks({ ...base, scheduler: { kind: 'systemd', systemctl: true, booted: false, installed: { state: 'missing' } } });
    const failed = stopped.checks.filter((c) => !c.ok);
    assert.deepStrictEqual(
      failed.map((c) => c.id),
      ['systemd-timers', 'job-installed'],
    );
    assert.match(failed[0]!.message, /no \/run\/systemd\/system/);
    assert.match(failed[1]!.fix ?? '', /sudo bwdc-schedule systemd install/);
  });

  it('Task Scheduler: the service stopped, the task different; no POSIX modes judged', () => {
    const job = windowsJob();
    const snapshot: DoctorSnapshot = {
      job,
      runAs: { name: 'CORP\\svc-bwdc', exists: true },
      scheduler: { kind: 'task', service: 'stopped', installed: { state: 'different', detail: 'triggers' } },
      script: { path: job.script, kind: 'file', state: 'current' },
      scriptFolder: { path: 'C:\\ProgramData\\bwdc', kind: 'directory' },
      secret: { scheme: 'dpapi', file: { path: 'C:\\ProgramData\\bwdc\\client_secret.xml', kind: 'file' } },
      bwdc: {
        file: { path: job.bwdc, kind: 'file' },
        packaged: true,
        nativeModule: 'dc_native.win32-x64-msvc.node',
        version: { ran: true, code: 0, output: '2026.6.1', timedOut: false },
      },
      instances: [{ folder: { path: job.instances[0]!, kind: 'directory' }, dataJson: { path: `${job.instances[0]}\\data.json`, kind: 'file' }, findings: [] }],
      log: { path: job.log, kind: 'missing' },
      logFolder: { path: 'C:\\ProgramData\\bwdc', kind: 'directory' },
    };
    const report = runChecks(snapshot);
    assert.deepStrictEqual(
      report.checks.filter((c) => !c.ok).map((c) => c.id),
      ['task-scheduler', 'job-installed'],
    );
    assert.match(report.checks[0]!.fix ?? '', /Start-Service Schedule/);
    assert.match(report.checks[1]!.message, /differs from the schedule file: triggers/);
    assert.ok(!report.checks.some((c) => ['script-private', 'secret-mode', 'keyring-mode', 'timezone', 'cron-access'].includes(c.id)));
    const unknown = runChecks({ ...snapshot, scheduler: { kind: 'task', service: { unknown: 'powershell.exe not found' }, installed: { state: 'current' } } });
    assert.deepStrictEqual([unknown.checks[0]!.severity, unknown.ok], ['warning', true]);
  });
});

describe('doctor: the report', () => {
  it('has exactly the JSON shape of doctor --json', () => {
    const report = runChecks(withCron(healthySnapshot(), { daemon: undefined }));
    const parsed = JSON.parse(JSON.stringify(report)) as { ok: unknown; checks: Record<string, unknown>[] };
    assert.deepStrictEqual(Object.keys(parsed), ['ok', 'checks']);
    for (const entry of parsed.checks) {
      assert.deepStrictEqual(Object.keys(entry), ['id', 'ok', 'severity', 'message', 'fix']);
      assert.ok(entry['fix'] === null || typeof entry['fix'] === 'string');
    }
    assert.strictEqual(parsed.ok, false);
  });
});
