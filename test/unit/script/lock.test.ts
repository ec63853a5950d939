import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  calls,
  logLines,
  prepareOtherJob,
  prepareRun,
  readLog,
  requireTool,
  runScript,
  scriptFixture,
  sequence,
  startScript,
  syncSequence,
  useSandboxes,
  VALID,
  waitFor,
} from './support';

const JOB = 'script-test';
const LOCK = '.bwdc-schedule.lock';

describe('the generated bash script, executed with the bwdc stand-in: one run per instance folder', function () {
  this.timeout(30_000);
  const sandbox = useSandboxes();
  before(() => requireTool('flock', 'util-linux'));

  for (const platform of ['linux', 'macos'] as const) {
    const variant = platform === 'linux' ? 'the Linux script (flock)' : 'the macOS script (flock through perl, run here by bash)';

    it(`${variant}: a second run started while the first syncs skips the folder, logs why and exits 1`, async () => {
      const run = prepareRun({ root: sandbox(), platform, instances: [{ data: 'slow-sync.json' }] });
      const [folder] = run.layout.instances;
      const first = startScript(run);
      await waitFor(() => calls(run).some((call) => call.argv[0] === 'sync'), 'the first run to start its slow sync');

      const callsBefore = calls(run).length;
      const second = runScript(run);
      const callsAfter = calls(run).length;
      const firstOutcome = await first;

      assert.strictEqual(second.status, 1);
      assert.match(second.stderr, /some instances did not sync: instance-1: skipped: locked by another run/);
      assert.strictEqual(callsAfter, callsBefore, 'the second run never called bwdc');
      assert.deepStrictEqual(firstOutcome, { status: 0, stdout: '', stderr: '' });
      assert.deepStrictEqual(sequence(calls(run)), syncSequence(folder!), 'only the first run synced');
      const lines = logLines(readLog(run), [JOB, 'instance-1']);
      assert.ok(
        lines.some((line) => line.label === 'instance-1' && line.message === `skipped: another run is using this instance folder (lock ${folder}/${LOCK})`),
      );
      assert.strictEqual(lines.filter((line) => line.message === 'run finished with failures: instance-1: skipped: locked by another run; exit 1').length, 1);
      assert.strictEqual(lines.filter((line) => line.message === 'run finished: instance-1: synced: 2 groups, 5 users; exit 0').length, 1);
    });

    it(`${variant}: the lock is per folder, so a locked folder does not stop the next one`, async () => {
      const root = sandbox();
      const slow = prepareRun({ root, platform, instances: [{ data: 'slow-sync.json' }] });
      const first = startScript(slow);
      await waitFor(() => calls(slow).some((call) => call.argv[0] === 'sync'), 'the first run to start its slow sync');

      // A second job over the same folder and another one.
      const other = path.join(root, 'other instance');
      fs.mkdirSync(other, { mode: 0o700 });
      fs.copyFileSync(scriptFixture('data', 'valid.json'), path.join(other, 'data.json'));
      const job = prepareOtherJob(slow, path.join(root, 'second job'), [slow.layout.instances[0]!, other]);
      const second = runScript(job);
      await first;

      assert.strictEqual(second.status, 1);
      assert.match(second.stderr, /instance-1: skipped: locked by another run; other instance: synced: 2 groups, 5 users/);
      assert.deepStrictEqual(
        calls(slow)
          .filter((call) => call.appdata === other)
          .map((call) => call.argv.join(' ')),
        ['login', 'sync', 'logout'],
      );
    });
  }

  it('the Linux script: a lock file left by an earlier run does not block (flock is released with the process)', () => {
    const run = prepareRun({ root: sandbox(), instances: [VALID] });
    const [folder] = run.layout.instances;
    fs.writeFileSync(path.join(folder!, LOCK), '');
    const outcome = runScript(run);

    assert.deepStrictEqual(outcome, { status: 0, stdout: '', stderr: '' });
    assert.deepStrictEqual(sequence(calls(run)), syncSequence(folder!));
  });

  for (const platform of ['linux', 'macos'] as const) {
    it(`the ${platform} script: respects a lock another process holds, and leaves it alone`, async () => {
      const run = prepareRun({ root: sandbox(), platform, instances: [VALID] });
      const [folder] = run.layout.instances;
      const lock = path.join(folder!, LOCK);
      const holder = spawn('flock', [lock, 'sleep', '30'], { stdio: 'ignore' });
      try {
        await waitFor(() => spawnSync('flock', ['-n', lock, 'true']).status === 1, 'the other process to hold the lock');
        const outcome = runScript(run);
        assert.strictEqual(outcome.status, 1);
        assert.deepStrictEqual(calls(run), []);
        assert.match(readLog(run), /\[instance-1\] skipped: another run is using this instance folder/);
      } finally {
        holder.kill('SIGKILL');
      }
    });

    it(`the ${platform} script: a run killed while it holds the lock leaves nothing that blocks the next`, async () => {
      const run = prepareRun({ root: sandbox(), platform, instances: [{ data: 'slow-sync.json' }] });
      const [folder] = run.layout.instances;
      const first = spawn(run.script, [], { env: run.env, stdio: 'ignore', detached: true });
      await waitFor(() => calls(run).some((call) => call.argv[0] === 'sync'), 'the first run to start its slow sync');
      process.kill(-first.pid!, 'SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));
      await waitFor(() => spawnSync('flock', ['-n', path.join(folder!, LOCK), 'true']).status === 0, 'the killed run’s lock to be free');
      fs.writeFileSync(path.join(folder!, 'data.json'), fs.readFileSync(scriptFixture('data', 'valid.json')));
      const second = runScript(run);
      assert.strictEqual(second.status, 0, second.stderr);
    });

    it(`the ${platform} script: of many runs started at once on one folder, exactly one syncs`, async () => {
      const run = prepareRun({ root: sandbox(), platform, instances: [{ data: 'slow-sync.json' }] });
      const outcomes = await Promise.all(Array.from({ length: 6 }, () => startScript(run)));
      assert.strictEqual(outcomes.filter((outcome) => outcome.status === 0).length, 1, JSON.stringify(outcomes));
      assert.strictEqual(calls(run).filter((call) => call.argv[0] === 'sync').length, 1);
    });
  }

  it('the macOS script: releases its lock when the run ends, also after a failed sync', () => {
    const run = prepareRun({ root: sandbox(), platform: 'macos', instances: [{ data: 'fail-sync.json' }, VALID] });
    const outcome = runScript(run);

    assert.strictEqual(outcome.status, 1);
    for (const folder of run.layout.instances)
      assert.strictEqual(spawnSync('flock', ['-n', path.join(folder, LOCK), 'true']).status, 0, `lock held in ${folder}`);
  });
});
