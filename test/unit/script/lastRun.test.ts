import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { historyOptions, lastRunFile, logFiles } from '../../../src/core/history/job';
import { parseHistory, type History, type RunRecord } from '../../../src/core/history/parse';
import { calls, logLines, prepareRun, readLog, runScript, scriptFixture, startScript, useSandboxes, VALID, waitFor, type PreparedRun } from './support';

const JOB = 'script-test';

/** Sets stand-in keys (test/fixtures/bwdc-standin/bwdc.js) in an instance's data.json. */
function simulate(folder: string, keys: Record<string, unknown>): void {
  const file = path.join(folder, 'data.json');
  const data = JSON.parse(fs.readFileSync(scriptFixture('data', 'valid.json'), 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(file, JSON.stringify({ ...data, ...keys }, null, 2));
}

/** What `bwdc-schedule history` reads from the run's log files. */
function history(run: PreparedRun): History {
  const logs = logFiles(run.job)
    .filter((file) => fs.existsSync(file))
    .map((file) => ({ name: file, text: fs.readFileSync(file, 'utf8') }));
  const parsed = parseHistory(logs, historyOptions(run.job));
  assert.ok(!('notOurs' in parsed), `not ours: ${JSON.stringify(parsed)}`);
  return parsed;
}

/** The script's <log>.last.json, checked to be the history's record of the same run. */
function lastRun(run: PreparedRun): RunRecord {
  const last = JSON.parse(fs.readFileSync(lastRunFile(run.job), 'utf8')) as RunRecord;
  // Two runs may start in the same second (one that starts while another syncs): its end tells them apart.
  const same = history(run).runs.find((entry) => entry.start === last.start && entry.end === last.end);
  assert.deepStrictEqual(last, same, 'the script wrote what the history reads from the log');
  return last;
}

const synced = (label: string, folder: string, users = 5, groups = 2): RunRecord['instances'][number] => ({
  label,
  folder,
  result: 'ok',
  message: null,
  users,
  groups,
});

/**
 * `<log>.last.json`: the bash script writes its run as the history parser reads it from the log
 * (src/core/history/parse.ts), built in bash without jq. Each case runs the generated script with
 * the bwdc stand-in and compares the two.
 */
describe('the generated bash script writes its run to <log>.last.json, as the history reads the log', function () {
  this.timeout(60_000);
  const sandbox = useSandboxes();

  for (const platform of ['linux', 'macos'] as const) {
    it(`${platform}: two instances that sync: ok, with counts, folders, the times of its first and last line and bwdc's version`, () => {
      const run = prepareRun({ root: sandbox(), platform, instances: [VALID, VALID] });
      assert.strictEqual(runScript(run).status, 0);

      const lines = logLines(readLog(run), [JOB, ...run.layout.labels]);
      const [first, second] = run.layout.instances;
      assert.deepStrictEqual(lastRun(run), {
        start: lines[0]!.stamp,
        end: lines.at(-1)!.stamp,
        result: 'ok',
        bwdcVersion: '2026.6.1',
        instances: [synced('instance-1', first!), synced('instance-2', second!)],
      });
      assert.deepStrictEqual(fs.readdirSync(run.layout.logFolder).sort(), ['bwdc.log', 'bwdc.log.last.json'], 'no temporary file left beside it');
      assert.strictEqual(fs.statSync(lastRunFile(run.job)).mode & 0o777, 0o600, 'readable like the log: by the run-as user only');
    });
  }

  it('a second run: "nothing changed" counts as 0 users and 0 groups, and replaces the file', () => {
    const run = prepareRun({ root: sandbox(), instances: [VALID] });
    assert.strictEqual(runScript(run).status, 0);
    assert.strictEqual(runScript(run).status, 0);

    const runs = history(run).runs;
    assert.strictEqual(runs.length, 2);
    assert.deepStrictEqual(lastRun(run), runs[0], 'the newest run');
    assert.deepStrictEqual(runs[0]!.instances, [synced('instance-1', run.layout.instances[0]!, 0, 0)]);
    assert.deepStrictEqual(runs[1]!.instances, [synced('instance-1', run.layout.instances[0]!)]);
  });

  it('a failed login beside a synced instance: failed, with the sentence that says why and what to do', () => {
    const run = prepareRun({ root: sandbox(), instances: [{ data: 'fail-login.json' }, VALID] });
    assert.strictEqual(runScript(run).status, 1);

    const last = lastRun(run);
    assert.strictEqual(last.result, 'failed');
    assert.deepStrictEqual(last.instances[0], {
      label: 'instance-1',
      folder: run.layout.instances[0],
      result: 'failed',
      message:
        'login failed: the client secret was rejected; check the client-id line and the secret the secret line points to (Admin Console, Organization info, View API key)',
      users: null,
      groups: null,
    });
    assert.deepStrictEqual(last.instances[1], synced('instance-2', run.layout.instances[1]!));
    assert.ok(!JSON.stringify(last).includes('invalid_client'), "bwdc's own words stay in the log");
  });

  it('an instance skipped beside a synced one: skipped (nothing failed), with the reason', () => {
    const run = prepareRun({ root: sandbox(), instances: [{ noDataJson: true }, VALID] });
    assert.strictEqual(runScript(run).status, 1);

    const last = lastRun(run);
    assert.strictEqual(last.result, 'skipped');
    assert.deepStrictEqual(last.instances[0], {
      label: 'instance-1',
      folder: run.layout.instances[0],
      result: 'skipped',
      message: `${run.layout.instances[0]} has no data.json; configure the Directory Connector for it first`,
      users: null,
      groups: null,
    });
  });

  it("a refused sync: the sentence that explains it is the message, not bwdc's words", () => {
    const run = prepareRun({ root: sandbox(), instances: [VALID] });
    simulate(run.layout.instances[0]!, { standinImport: { status: 400, message: 'The import failed: no seats left.' } });
    assert.strictEqual(runScript(run).status, 1);
    assert.deepStrictEqual(lastRun(run).instances[0]!.message, 'sync failed: the server or the directory refused it');
  });

  it('hostile paths and labels (quotes, backslashes, $, non-ASCII) come out as the same strings', () => {
    const run = prepareRun({ root: sandbox(), names: 'hostile', instances: [VALID, VALID] });
    assert.strictEqual(runScript(run).status, 0);

    const last = lastRun(run);
    assert.deepStrictEqual(
      last.instances.map((instance) => [instance.label, instance.folder]),
      run.layout.instances.map((folder, index) => [run.layout.labels[index], folder]),
    );
    assert.ok(
      run.layout.labels.some((label) => label.includes('\\')) && run.layout.labels.some((label) => label.includes('"')),
      'the names hold what JSON escapes',
    );
  });

  it('the default folder (no instance lines): labelled default, with the folder bwdc would use; control characters escaped', () => {
    const root = sandbox();
    const run = prepareRun({ root });
    const folder = `${root}/app\tdata "q" \\ x`;
    assert.strictEqual(runScript(run, { BITWARDEN_CONNECTOR_APPDATA_DIR: folder }).status, 1);

    assert.match(fs.readFileSync(lastRunFile(run.job), 'utf8'), /\\u0009/, 'the tab, escaped');
    assert.deepStrictEqual(lastRun(run).instances, [
      { label: 'default', folder, result: 'skipped', message: `the instance folder ${folder} does not exist`, users: null, groups: null },
    ]);
  });

  it('a run that cannot read its secret: stopped, every instance failed for that reason', () => {
    const run = prepareRun({ root: sandbox(), instances: [VALID, VALID] });
    fs.rmSync(run.layout.secretFile);
    assert.strictEqual(runScript(run).status, 1);

    const reason = `the secret file ${run.layout.secretFile} does not exist; store the secret with bwdc-schedule secret store`;
    const lines = logLines(readLog(run), [JOB, ...run.layout.labels]);
    assert.deepStrictEqual(lines.at(-1)!.message, `run stopped: ${reason}; exit 1`);
    assert.deepStrictEqual(lastRun(run), {
      start: lines[0]!.stamp,
      end: lines.at(-1)!.stamp,
      result: 'failed',
      bwdcVersion: null,
      instances: run.layout.instances.map((folder, index) => ({
        label: run.layout.labels[index]!,
        folder,
        result: 'failed',
        message: reason,
        users: null,
        groups: null,
      })),
    });
  });

  it('a run stopped by SIGTERM during a sync: the instance it was in and the ones after failed, bwdc stopped', async () => {
    const run = prepareRun({ root: sandbox(), instances: [VALID, VALID] });
    simulate(run.layout.instances[0]!, { standinImport: 'hang' });
    const child = spawn(run.script, [], { env: run.env, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await waitFor(() => calls(run).some((call) => call.argv[0] === 'sync'), 'the hanging sync');
    child.kill('SIGTERM');
    assert.strictEqual(await exited, 1);
    await waitFor(() => spawnSync('pgrep', ['-f', run.layout.bwdc]).status === 1, 'the hanging bwdc to be stopped');

    const message = 'stopped by a signal (TERM)';
    assert.deepStrictEqual(
      lastRun(run).instances,
      run.layout.instances.map((folder, index) => ({ label: run.layout.labels[index]!, folder, result: 'failed', message, users: null, groups: null })),
    );
  });

  it('a run that starts while another holds the log writes its lines in one piece at its end: both runs read right', async () => {
    const run = prepareRun({ root: sandbox(), instances: [{ data: 'slow-sync.json' }] });
    const first = startScript(run);
    await waitFor(() => calls(run).some((call) => call.argv[0] === 'sync'), 'the first run to start its slow sync');
    assert.strictEqual(runScript(run).status, 1);
    const secondRun = JSON.parse(fs.readFileSync(lastRunFile(run.job), 'utf8')) as RunRecord;
    assert.strictEqual((await first).status, 0);

    const runs = history(run).runs;
    assert.deepStrictEqual(
      runs.map((entry) => [entry.result, entry.instances.map((instance) => instance.message)]),
      [
        ['skipped', [`another run is using this instance folder (lock ${run.layout.instances[0]}/.bwdc-schedule.lock)`]],
        ['ok', [null]],
      ],
      'newest first: the second run (skipped), the first (synced)',
    );
    assert.deepStrictEqual(secondRun, runs[0]);
    assert.deepStrictEqual(lastRun(run), runs[1], 'the last run to end is the first one');
    // The second run's lines are one block inside the first run's.
    const labels = logLines(readLog(run), [JOB, 'instance-1']).map((line) => line.message.replace(/\(pid \d+\)/, '(pid)'));
    const second = labels.lastIndexOf('run started (pid)');
    assert.deepStrictEqual(labels.slice(second, second + 4), [
      'run started (pid)',
      `instance folder: ${run.layout.instances[0]}`,
      `skipped: another run is using this instance folder (lock ${run.layout.instances[0]}/.bwdc-schedule.lock)`,
      'result: skipped: locked by another run',
    ]);
  });
});
