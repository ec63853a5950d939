import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { calls, deadPid, logLines, prepareOtherJob, prepareRun, readLog, requireTool, runScript, scriptFixture, sequence, startScript, syncSequence, useSandboxes, VALID, waitFor } from './support';

const JOB = 'script-test';
const LOCK = '.bwdc-schedule.lock';

describe('the generated bash script, executed with the bwdc stand-in: one run per instance folder', function () {
  this.timeout(30_000);
  const sandbox = useSandboxes();
  before(() => requireTool('flock', 'util-linux'));

  for (const platform of ['linux', 'macos'] as const) {
    const variant = platform === 'linux' ? 'the Linux script (flock)' : 'the macOS script (symlink lock, run here by bash)';

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
      assert.match(second.stderr, /some instances did not sync: instance-1: skipped \(locked by another run\)/);
      assert.strictEqual(callsAfter, callsBefore, 'the second run never called bwdc');
      assert.deepStrictEqual(firstOutcome, { status: 0, stdout: '', stderr: '' });
      assert.deepStrictEqual(sequence(calls(run)), syncSequence(folder!), 'only the first run synced');
      const lines = logLines(readLog(run), [JOB, 'instance-1']);
      assert.ok(lines.some((line) => line.label === 'instance-1' && line.message === `skipped: another run is using this instance folder (lock ${folder}/${LOCK})`));
      assert.strictEqual(lines.filter((line) => line.message === 'run finished with failures: instance-1: skipped (locked by another run); exit 1').length, 1);
      assert.strictEqual(lines.filter((line) => line.message === 'run finished: instance-1: synced; exit 0').length, 1);
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
      assert.match(second.stderr, /instance-1: skipped \(locked by another run\); other instance: synced/);
      assert.deepStrictEqual(
        calls(slow).filter((call) => call.appdata === other).map((call) => call.argv.join(' ')),
        ['logout', 'login', 'sync', 'logout'],
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

  it('the macOS script: takes over a stale lock whose holder is dead, and removes it after the run', () => {
    const run = prepareRun({ root: sandbox(), platform: 'macos', instances: [VALID] });
    const [folder] = run.layout.instances;
    const lock = path.join(folder!, LOCK);
    fs.symlinkSync(String(deadPid()), lock);
    const outcome = runScript(run);

    assert.deepStrictEqual(outcome, { status: 0, stdout: '', stderr: '' });
    assert.deepStrictEqual(sequence(calls(run)), syncSequence(folder!));
    assert.ok(!fs.existsSync(lock) && !isSymlink(lock), 'the lock is released');
  });

  it('the macOS script: respects a lock whose holder is alive and leaves it alone', () => {
    const run = prepareRun({ root: sandbox(), platform: 'macos', instances: [VALID] });
    const [folder] = run.layout.instances;
    const lock = path.join(folder!, LOCK);
    fs.symlinkSync(String(process.pid), lock);
    const outcome = runScript(run);

    assert.strictEqual(outcome.status, 1);
    assert.deepStrictEqual(calls(run), []);
    assert.strictEqual(fs.readlinkSync(lock), String(process.pid));
    assert.match(readLog(run), /\[instance-1\] skipped: another run is using this instance folder/);
  });

  it('the macOS script: releases its lock when the run ends, also after a failed sync', () => {
    const run = prepareRun({ root: sandbox(), platform: 'macos', instances: [{ data: 'fail-sync.json' }, VALID] });
    const outcome = runScript(run);

    assert.strictEqual(outcome.status, 1);
    for (const folder of run.layout.instances) assert.ok(!isSymlink(path.join(folder, LOCK)), `lock left in ${folder}`);
  });
});

function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}
