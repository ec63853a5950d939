import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { planScriptRun, sudoCommand, type Account, type ScriptRunPlan } from '../../../src/host/runScript';
import { executeRunNow, runSummary } from '../../../src/workflows/runNow';
import { calls, logLines, prepareRun, readLog, scriptFixture, useSandboxes, VALID, waitFor, type PreparedRun } from '../script/support';

const ROOT = { name: 'root', uid: 0, gid: 0 };
const ADMIN = { name: 'admin', uid: 1000, gid: 1000 };

function account(name: string, uid: number, home: string): Account {
  return { name, uid, gid: uid, home };
}

/** data.json of an instance: the valid fixture with simulation keys for the stand-in. */
function setData(folder: string, keys: Record<string, unknown>): void {
  const data = JSON.parse(fs.readFileSync(scriptFixture('data', 'valid.json'), 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(path.join(folder, 'data.json'), JSON.stringify({ ...data, ...keys }, null, 2));
}

/** The plan to run a prepared script as ourselves (root here), with its home as cron's HOME. */
function ownPlan(run: PreparedRun, args: readonly string[] = []): Extract<ScriptRunPlan, { kind: 'run' }> {
  const me = os.userInfo();
  const plan = planScriptRun(run.script, args, undefined, { name: me.username, uid: me.uid, gid: me.gid }, (name) => account(name, me.uid, run.home));
  assert.strictEqual(plan.kind, 'run');
  return withRecord(plan, run);
}

/** The plan with the stand-in's record file in its environment, the one variable a test adds to cron's. */
function withRecord(plan: Extract<ScriptRunPlan, { kind: 'run' }>, run: PreparedRun): Extract<ScriptRunPlan, { kind: 'run' }> {
  return { ...plan, env: { ...plan.env, BWDC_STANDIN_RECORD: run.record } };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('running the sync script now, as cron would (host/runScript, workflows/runNow)', function () {
  this.timeout(60_000);
  const sandbox = useSandboxes();

  describe('the plan', () => {
    it("runs the script itself with cron's environment only, in the home folder, when we are the run-as user", () => {
      const home = sandbox();
      const plan = planScriptRun('/opt/sync.sh', ['--test'], 'admin', ADMIN, (name) => account(name, 1000, home));
      assert.deepStrictEqual(plan, {
        kind: 'run',
        command: '/opt/sync.sh',
        args: ['--test'],
        env: { HOME: home, LOGNAME: 'admin', SHELL: '/bin/sh', PATH: '/usr/bin:/bin' },
        cwd: home,
        account: account('admin', 1000, home),
      });
    });

    it("switches to the run-as user with setpriv when root (the same process: its pid is the script's)", () => {
      const home = sandbox();
      const plan = planScriptRun('/opt/sync.sh', [], 'bwdc', ROOT, (name) => (name === 'bwdc' ? account('bwdc', 998, home) : undefined));
      assert.strictEqual(plan.kind, 'run');
      assert.deepStrictEqual([plan.command, ...plan.args], ['setpriv', '--reuid=998', '--regid=998', '--init-groups', '--', '/opt/sync.sh']);
      assert.deepStrictEqual(plan.env, { HOME: home, LOGNAME: 'bwdc', SHELL: '/bin/sh', PATH: '/usr/bin:/bin' });
    });

    it('runs nothing for a third user, who gets the sudo command instead', () => {
      assert.deepStrictEqual(
        planScriptRun('/opt/sync.sh', [], 'bwdc', ADMIN, () => assert.fail('no lookup needed')),
        { kind: 'sudo', runAs: 'bwdc' },
      );
      assert.strictEqual(
        sudoCommand('bwdc', ['bwdc-schedule', 'test', "/srv/my job's/weekly.bwdc-schedule", '--json']),
        "sudo -u bwdc -- bwdc-schedule test '/srv/my job'\\''s/weekly.bwdc-schedule' --json",
      );
    });

    it('names the problem: an unknown run-as user, a home folder cron could not enter', () => {
      const unknown = planScriptRun('/opt/sync.sh', [], 'ghost', ROOT, () => undefined);
      assert.deepStrictEqual(unknown, { kind: 'problem', message: 'the run-as user ghost does not exist on this machine' });
      const homeless = planScriptRun('/opt/sync.sh', [], 'nobody', ROOT, () => account('nobody', 65534, '/nonexistent'));
      assert.deepStrictEqual(homeless, {
        kind: 'problem',
        message: "nobody's home folder /nonexistent does not exist; cron could not start the job there either",
      });
    });
  });

  describe('a real run (bash, the bwdc stand-in)', () => {
    it("streams exactly this run's log lines with instance progress, and bwdc sees cron's environment only", async () => {
      const run = prepareRun({ root: sandbox(), instances: [VALID, VALID] });
      fs.mkdirSync(run.layout.logFolder, { recursive: true, mode: 0o700 });
      fs.writeFileSync(
        run.layout.log,
        '2025-01-01T12:00:00+00:00 [script-test] run started (pid 1)\n2025-01-01T12:00:09+00:00 [script-test] run finished: ; exit 0\n',
      );
      process.env['BWDC_SCHEDULE_LEAK_CHECK'] = 'from the editor';
      const streamed: string[] = [];
      const progress: string[] = [];
      let result;
      try {
        result = await executeRunNow(run.job, ownPlan(run), {
          onLogLine: (line) => streamed.push(line),
          onInstance: (index, count, label) => progress.push(`${index + 1}/${count} ${label}`),
        });
      } finally {
        delete process.env['BWDC_SCHEDULE_LEAK_CHECK'];
      }
      assert.deepStrictEqual([result.code, result.stdout, result.stderr, result.cancelled], [0, '', '', false]);
      const lines = readLog(run).split('\n').filter(Boolean);
      assert.deepStrictEqual(streamed, lines.slice(2), 'every line of this run, and only those');
      assert.match(streamed[0]!, / \[script-test\] run started \(pid \d+\)$/);
      assert.deepStrictEqual(progress, ['1/2 instance-1', '2/2 instance-2']);
      assert.strictEqual(calls(run).length, 6);
      for (const call of calls(run)) {
        assert.strictEqual(call.environment['BWDC_SCHEDULE_LEAK_CHECK'], undefined);
        assert.strictEqual(call.environment['HOME'], run.home);
        assert.strictEqual(call.environment['SHELL'], '/bin/sh');
        assert.strictEqual(call.environment['LOGNAME'], os.userInfo().username);
      }
      assert.deepStrictEqual(runSummary(run.job, streamed, result), {
        ok: true,
        lines: ['instance-1: ok (5 users, 2 groups)', 'instance-2: ok (5 users, 2 groups)'],
      });
    });

    it("fails like cron would: the script's exit code and its failure summary", async () => {
      const run = prepareRun({ root: sandbox(), instances: [VALID] });
      setData(run.layout.instances[0]!, { standinImport: 'server-error' });
      const streamed: string[] = [];
      const result = await executeRunNow(run.job, ownPlan(run), { onLogLine: (line) => streamed.push(line) });
      assert.strictEqual(result.code, 1);
      assert.match(result.stderr, /instance-1: failed: sync: the Bitwarden server failed with an internal error/);
      const summary = runSummary(run.job, streamed, result);
      assert.strictEqual(summary.ok, false);
      assert.match(summary.lines[0]!, /^instance-1: failed \(sync failed: the Bitwarden server failed with an internal error; try again later\)$/);
    });

    it('stops cleanly when cancelled: bwdc stopped, the lock released, "run stopped" logged', async () => {
      const run = prepareRun({ root: sandbox(), instances: [VALID, VALID] });
      setData(run.layout.instances[0]!, { standinImport: 'hang' });
      const stop = new AbortController();
      const streamed: string[] = [];
      const finished = executeRunNow(run.job, ownPlan(run), {
        signal: stop.signal,
        graceMs: 20_000,
        onLogLine: (line) => streamed.push(line),
      });
      try {
        await waitFor(() => calls(run).some((call) => call.argv[0] === 'sync'), 'the hanging sync', 20_000);
      } catch (error) {
        stop.abort();
        await finished;
        throw error;
      }
      const sync = calls(run).find((call) => call.argv[0] === 'sync')!;
      assert.ok(isAlive(sync.pid));
      const started = Date.now();
      stop.abort();
      const result = await finished;

      assert.ok(Date.now() - started < 15_000, 'stopped at TERM, not at the KILL after the grace period');
      assert.deepStrictEqual([result.code, result.cancelled], [1, true]);
      await waitFor(() => !isAlive(sync.pid), 'bwdc to be gone', 5000);
      const lines = logLines(readLog(run), ['script-test', ...run.layout.labels]);
      assert.strictEqual(lines.at(-1)!.message, 'run stopped: stopped by a signal (TERM); exit 1');
      assert.strictEqual(streamed.at(-1), readLog(run).trimEnd().split('\n').at(-1));
      assert.ok(!calls(run).some((call) => call.appdata === run.layout.instances[1]), 'the second instance never began');
      const lock = path.join(run.layout.instances[0]!, '.bwdc-schedule.lock');
      assert.strictEqual(spawnSync('flock', ['-n', lock, 'true']).status, 0, 'the lock is free again');
      assert.deepStrictEqual(runSummary(run.job, streamed, result).lines, [
        'instance-1: failed (stopped by a signal (TERM))',
        'instance-2: failed (stopped by a signal (TERM))',
      ]);
    });

    it('as root, runs the script as the run-as user through setpriv', async function () {
      if (process.getuid?.() !== 0) this.skip();
      const root = sandbox();
      const run = prepareRun({ root, instances: [VALID], runAs: 'nobody' });
      fs.chmodSync(root, 0o755);
      fs.writeFileSync(run.record, '');
      spawnSync('chown', ['-R', '65534:65534', path.join(root, path.relative(root, run.layout.top).split(path.sep)[0]!), run.home, run.record]);
      const me = os.userInfo();
      const plan = planScriptRun(run.script, [], 'nobody', { name: me.username, uid: me.uid, gid: me.gid }, () => account('nobody', 65534, run.home));
      assert.strictEqual(plan.kind, 'run');
      const streamed: string[] = [];
      const result = await executeRunNow(run.job, withRecord(plan, run), { onLogLine: (line) => streamed.push(line) });
      assert.deepStrictEqual([result.code, result.stderr], [0, '']);
      assert.match(streamed[0]!, /run started \(pid \d+\)$/);
      const record = calls(run);
      assert.ok(record.length > 0);
      for (const call of record) assert.strictEqual((call as unknown as { uid: number }).uid, 65534);
      assert.strictEqual(fs.statSync(run.layout.log).uid, 65534, "the log stays the run-as user's");
    });
  });
});
