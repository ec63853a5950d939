import * as assert from 'assert';
import { main } from '../../../src/cli/main';
import type { CronFacts, DoctorSnapshot } from '../../../src/core/doctor/snapshot';
import type { SyncJob } from '../../../src/core/schedule/job';
import { fakeIo, type CliRun } from '../cli/fakeIo';
import { doctorFixture, healthySnapshot, SCHEDULE_FILE } from './support';

/** `bwdc-schedule doctor` in-process, with the machine replaced by a snapshot made from the job. */
async function doctor(
  args: readonly string[],
  snapshot: (job: SyncJob) => DoctorSnapshot = healthySnapshot,
  text = doctorFixture('weekly-sync.bwdc-schedule'),
): Promise<CliRun> {
  const fake = fakeIo({ files: { [SCHEDULE_FILE]: text }, cwd: '/srv/bwdc' });
  const io = { ...fake.io, doctorSnapshot: (job: SyncJob) => Promise.resolve(snapshot(job)) };
  const code = await main(['doctor', ...args], io, { readSecret: () => Promise.reject(new Error('no stdin')) });
  return { code, stdout: fake.stdout(), stderr: fake.stderr() };
}

const broken = (job: SyncJob): DoctorSnapshot => {
  const healthy = healthySnapshot(job);
  return {
    ...healthy,
    scheduler: { ...(healthy.scheduler as CronFacts), daemon: undefined, daemonZone: { zone: 'UTC', source: '/etc/timezone' } },
    secret: { scheme: 'file', file: { ...(healthy.secret as { file: DoctorSnapshot['log'] }).file, mode: 0o644 } },
  };
};

describe('bwdc-schedule doctor', () => {
  it('prints a ✓ per check and exits 0 when everything passes', async () => {
    const result = await doctor(['weekly-sync.bwdc-schedule']);
    assert.strictEqual(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.strictEqual(lines[0], 'Checking weekly-sync.bwdc-schedule (job weekly-sync, runs as bwdc)');
    assert.ok(
      lines.some((line) => /^✓ cron-daemon +The cron daemon is running \(pid 412\)\.$/.test(line)),
      result.stdout,
    );
    assert.ok(!result.stdout.includes('✗') && !result.stdout.includes('fix:'));
    assert.match(result.stdout, /\nAll 19 checks passed\.\n$/);
    assert.strictEqual(result.stderr, '');
  });

  it('marks failed checks with ✗ (errors) or ! (warnings), the fix under each, and exits 1', async () => {
    const result = await doctor(['weekly-sync.bwdc-schedule'], broken);
    assert.strictEqual(result.code, 1);
    const lines = result.stdout.split('\n');
    const at = lines.findIndex((line) => line.startsWith('✗ cron-daemon'));
    assert.ok(at > 0, result.stdout);
    assert.match(lines[at + 1]!, /^ +fix: Start it and have it start at boot: sudo systemctl enable --now cron/);
    const secret = lines.findIndex((line) => line.startsWith('✗ secret-mode'));
    assert.match(lines[secret]!, /mode 0644 lets others read it/);
    assert.match(lines[secret + 1]!, /^ +fix: sudo chown bwdc \/home\/bwdc\/client_secret && sudo chmod 600 \/home\/bwdc\/client_secret$/);
    assert.ok(
      lines.some((line) => line.startsWith('! timezone')),
      result.stdout,
    );
    assert.match(result.stdout, /\n2 errors, 1 warning \(of 19 checks\)\.\n$/);
  });

  it('--json prints exactly { ok, checks: [{ id, ok, severity, message, fix }] }', async () => {
    const result = await doctor(['weekly-sync.bwdc-schedule', '--json'], broken);
    assert.strictEqual(result.code, 1);
    const parsed = JSON.parse(result.stdout) as { ok: boolean; checks: { id: string; ok: boolean; severity: string; message: string; fix: string | null }[] };
    assert.strictEqual(parsed.ok, false);
    assert.deepStrictEqual(Object.keys(parsed), ['ok', 'checks']);
    for (const entry of parsed.checks) assert.deepStrictEqual(Object.keys(entry), ['id', 'ok', 'severity', 'message', 'fix']);
    const byId = new Map(parsed.checks.map((entry) => [entry.id, entry]));
    assert.deepStrictEqual(byId.get('cron-daemon')?.ok, false);
    assert.strictEqual(byId.get('cron-daemon')?.severity, 'error');
    assert.strictEqual(byId.get('timezone')?.severity, 'warning');
    assert.strictEqual(byId.get('run-as-exists')?.fix, null);
    assert.match(byId.get('secret-mode')?.fix ?? '', /chmod 600/);
  });

  it('exits 0 when only warnings fail', async () => {
    const result = await doctor(['weekly-sync.bwdc-schedule', '--json'], (job) => {
      const healthy = healthySnapshot(job);
      return { ...healthy, scheduler: { ...(healthy.scheduler as CronFacts), daemonZone: { zone: 'UTC', source: '/etc/timezone' } } };
    });
    assert.strictEqual(result.code, 0);
    assert.strictEqual((JSON.parse(result.stdout) as { ok: boolean }).ok, true);
  });

  it('stops at a schedule file with errors, naming file and line, exit 1', async () => {
    const result = await doctor(['weekly-sync.bwdc-schedule'], healthySnapshot, doctorFixture('weekly-sync.bwdc-schedule').replace('0 12 * * 1', '0 25 * * 1'));
    assert.strictEqual(result.code, 1);
    assert.strictEqual(result.stdout, '');
    assert.match(result.stderr, /weekly-sync\.bwdc-schedule:\d+:\d+: error /);
  });

  it('refuses a missing or extra file argument (exit 2) and prints its help', async () => {
    const none = await doctor([]);
    assert.strictEqual(none.code, 2);
    assert.match(none.stderr, /doctor: name exactly one schedule file/);
    const two = await doctor(['a.bwdc-schedule', 'b.bwdc-schedule']);
    assert.strictEqual(two.code, 2);
    const unknown = await doctor(['weekly-sync.bwdc-schedule', '--fix']);
    assert.strictEqual(unknown.code, 2);
    assert.match(unknown.stderr, /doctor: Unknown option '--fix'/);
    const help = await doctor(['--help']);
    assert.strictEqual(help.code, 0);
    assert.match(help.stdout, /^Usage: bwdc-schedule doctor FILE \[--json\]/);
  });

  it('is listed in the tool help', async () => {
    const fake = fakeIo();
    assert.strictEqual(await main(['--help'], fake.io), 0);
    assert.match(fake.stdout(), /\n {2}doctor FILE \[--json\] +check everything/);
  });
});
