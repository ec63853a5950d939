import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { version } from '../../../package.json';
import { generateScript } from '../../../src/core/script/generate';
import { prepareRun, scriptFixture, useSandboxes, VALID, type PrepareOptions, type PreparedRun } from '../script/support';
import { runAsync } from './fakeIo';

const ME = (() => {
  const me = os.userInfo();
  return { name: me.username, uid: me.uid, gid: me.gid };
})();

/** A prepared job whose script is the one this version of bwdc-schedule generates (so it is current). */
function currentJob(options: PrepareOptions): PreparedRun {
  const run = prepareRun(options);
  fs.writeFileSync(run.script, generateScript(run.job, version).text, { mode: 0o700 });
  return run;
}

function setData(folder: string, keys: Record<string, unknown>): void {
  const data = JSON.parse(fs.readFileSync(scriptFixture('data', 'valid.json'), 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(path.join(folder, 'data.json'), JSON.stringify({ ...data, ...keys }, null, 2));
}

describe('bwdc-schedule test and run (the real script with the bwdc stand-in)', function () {
  this.timeout(60_000);
  const sandbox = useSandboxes();

  it("test --json: per instance ok, message and bwdc's users and groups; exit 0 when every instance was tested", async () => {
    const run = currentJob({ root: sandbox(), instances: [VALID, VALID] });
    setData(run.layout.instances[1]!, { standinUsers: 2, standinGroups: 1, standinDisabledUsers: 1 });
    const result = await runAsync(['test', run.layout.scheduleFile, '--json'], { currentUser: ME });
    assert.deepStrictEqual([result.code, result.stderr], [0, '']);
    const report = JSON.parse(result.stdout) as {
      instance: string;
      folder: string;
      ok: boolean;
      message: string | null;
      users: unknown[];
      groups: unknown[];
    }[];
    assert.deepStrictEqual(report[1], {
      instance: 'instance-2',
      folder: run.layout.instances[1],
      ok: true,
      message: null,
      users: [
        { externalId: 'uid=user1,ou=people,dc=standin,dc=test', displayName: 'user1@standin.test', state: 'enabled' },
        { externalId: 'uid=user2,ou=people,dc=standin,dc=test', displayName: 'user2@standin.test', state: 'disabled' },
      ],
      groups: [
        {
          externalId: 'cn=group1,ou=groups,dc=standin,dc=test',
          displayName: 'group1',
          userIds: ['uid=user1,ou=people,dc=standin,dc=test', 'uid=user2,ou=people,dc=standin,dc=test'],
        },
      ],
    });
    assert.strictEqual(report[0]!.users.length, 5);
    assert.match(fs.readFileSync(run.layout.log, 'utf8'), /\] run started in test mode \(pid \d+\)\n/);
  });

  it('test: a table, and exit 1 naming the instance that could not be tested', async () => {
    const run = currentJob({ root: sandbox(), instances: [VALID, VALID] });
    setData(run.layout.instances[0]!, { standinLogin: 'unreachable' });
    const result = await runAsync(['test', run.layout.scheduleFile], { currentUser: ME });
    assert.strictEqual(result.code, 1);
    const [first, second] = result.stdout.split('\n\n');
    assert.strictEqual(
      first,
      `instance-1 (${run.layout.instances[0]!}): not tested: login failed: the Bitwarden server could not be reached; check the server address (bwdc config server) and the network`,
    );
    assert.match(second!, /^instance-2 \(.*\): ok, 5 users \(5 enabled, 0 disabled, 0 deleted\), 2 groups\n {2}user /);
  });

  it('test refuses an out-of-date script (an older one might sync instead), and a missing one', async () => {
    const run = prepareRun({ root: sandbox(), instances: [VALID] });
    const outdated = await runAsync(['test', run.layout.scheduleFile], { currentUser: ME });
    assert.deepStrictEqual(outdated, {
      code: 1,
      stdout: '',
      stderr: `bwdc-schedule: The sync script ${run.script} does not match the schedule file: generate it again before testing.\n`,
    });
    assert.ok(!fs.existsSync(run.layout.log), 'nothing ran');
    fs.rmSync(run.script);
    const missing = await runAsync(['run', run.layout.scheduleFile], { currentUser: ME });
    assert.strictEqual(missing.code, 1);
    assert.match(missing.stderr, /There is no sync script at .* yet: generate it first/);
  });

  it('prints the sudo command for a user who is neither root nor the run-as user, and runs nothing (exit 2)', async () => {
    const run = currentJob({ root: sandbox(), instances: [VALID], runAs: 'bwdc' });
    const result = await runAsync(['test', run.layout.scheduleFile, '--json'], { currentUser: { name: 'admin', uid: 1000, gid: 1000 } });
    assert.deepStrictEqual(result, {
      code: 2,
      stdout: '',
      stderr: `bwdc-schedule: this job runs as bwdc, not as admin; nothing was run. Run it as that user:\n  sudo -u bwdc -- bwdc-schedule test ${run.layout.scheduleFile} --json\n`,
    });
    assert.ok(!fs.existsSync(run.layout.log));
  });

  it("run: streams the log lines as they are written and exits with the script's code", async () => {
    const run = currentJob({ root: sandbox(), instances: [VALID, VALID] });
    setData(run.layout.instances[1]!, { standinImport: { status: 400, message: 'The import failed: no seats left.' } });
    const result = await runAsync(['run', run.layout.scheduleFile], { currentUser: ME });
    assert.strictEqual(result.code, 1);
    assert.strictEqual(result.stdout, fs.readFileSync(run.layout.log, 'utf8'));
    assert.match(result.stdout, /\[instance-1\] result: synced: 2 groups, 5 users\n/);
    assert.match(
      result.stderr,
      /^bwdc sync script-test: instance-2: failed: sync: the server or the directory refused it \(bwdc: The import failed: no seats left\.\)\n/,
    );
  });

  it("run: what works in the admin's shell but not under cron fails here too (plaintext mode set only in the shell)", async () => {
    const run = currentJob({ root: sandbox(), instances: [VALID], withEnvLines: false });
    setData(run.layout.instances[0]!, { standinLogin: 'keyring' });
    // The admin's shell has the variable, the schedule file has no env line for it: cron has neither.
    process.env['BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS'] = 'true';
    let result;
    try {
      result = await runAsync(['run', run.layout.scheduleFile], { currentUser: ME });
    } finally {
      delete process.env['BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS'];
    }
    assert.strictEqual(result.code, 1);
    assert.match(result.stderr, /instance-1: failed: login: bwdc could not use the OS keyring — a job started by cron has none/);
  });
});
