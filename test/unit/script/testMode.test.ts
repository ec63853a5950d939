import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseHistory } from '../../../src/core/history/parse';
import { historyOptions } from '../../../src/core/history/job';
import { parseScriptTestOutput, parseTestAnswer, testReport } from '../../../src/core/test/report';
import { calls, logLines, prepareRun, readLog, scriptFixture, sequence, useSandboxes, VALID, VALUES, type PreparedRun } from './support';

const JOB = 'script-test';

/** Runs the generated script as cron would, with the given arguments. */
function runWith(run: PreparedRun, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(run.script, [...args], { env: run.env, encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** data.json of an instance: the valid fixture with simulation keys for the stand-in. */
function setData(folder: string, keys: Record<string, unknown>): void {
  const data = JSON.parse(fs.readFileSync(scriptFixture('data', 'valid.json'), 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(path.join(folder, 'data.json'), JSON.stringify({ ...data, ...keys }, null, 2));
}

describe('the generated bash script in test mode (--test), executed with the bwdc stand-in', function () {
  this.timeout(60_000);
  const sandbox = useSandboxes();

  it('runs login, test, logout per instance, never sync, and logs counts but no user', () => {
    const run = prepareRun({ root: sandbox(), instances: [VALID, VALID] });
    setData(run.layout.instances[1]!, { standinUsers: 4, standinGroups: 3, standinDisabledUsers: 1, standinDeletedUsers: 2 });
    const outcome = runWith(run, ['--test']);

    assert.strictEqual(outcome.status, 0, outcome.stderr);
    assert.strictEqual(outcome.stderr, '', 'nothing for cron to mail');
    const [first, second] = run.layout.instances;
    assert.deepStrictEqual(sequence(calls(run)), [
      `${first!}: login`,
      `${first!}: test`,
      `${first!}: logout`,
      `${second!}: login`,
      `${second!}: test`,
      `${second!}: logout`,
    ]);
    const log = readLog(run);
    const lines = logLines(log, [JOB, ...run.layout.labels]);
    assert.match(lines[0]!.message, /^run started in test mode \(pid \d+\)$/);
    assert.deepStrictEqual(
      lines.filter((line) => line.label === 'instance-2').map((line) => line.message),
      [
        `instance folder: ${second!}`,
        'logged in',
        'tested: 6 users (3 enabled, 1 disabled, 2 deleted), 3 groups',
        'logged out',
        'result: tested: 6 users (3 enabled, 1 disabled, 2 deleted), 3 groups',
      ],
    );
    assert.doesNotMatch(log, /standin\.test|uid=user/, 'no user or group of the directory in the log');

    // The history reads it as a test run, with each instance's counts.
    const history = parseHistory([{ name: run.layout.log, text: log }], historyOptions(run.job));
    assert.ok(!('notOurs' in history));
    assert.strictEqual(history.skippedLines, 0);
    assert.strictEqual(history.runs[0]!.result, 'test');
    assert.deepStrictEqual(
      history.runs[0]!.instances.map((instance) => [instance.label, instance.result, instance.users, instance.groups]),
      [
        ['instance-1', 'ok', 5, 2],
        ['instance-2', 'ok', 6, 3],
      ],
    );
    const last = JSON.parse(fs.readFileSync(`${run.layout.log}.last.json`, 'utf8')) as { result: string; instances: { users: number; groups: number }[] };
    assert.strictEqual(last.result, 'test');
    assert.deepStrictEqual(
      last.instances.map((instance) => [instance.users, instance.groups]),
      [
        [5, 2],
        [6, 3],
      ],
    );

    // bwdc's answers arrive on stdout, between the marker lines, byte for byte.
    const output = parseScriptTestOutput(outcome.stdout);
    const answer = parseTestAnswer(output.answers.get(2)!);
    assert.ok(!('error' in answer));
    assert.deepStrictEqual(
      answer.users.map((user) => `${String(user.displayName)} ${user.state}`),
      [
        'user1@standin.test enabled',
        'user2@standin.test enabled',
        'user3@standin.test enabled',
        'user4@standin.test disabled',
        'user5@standin.test deleted',
        'user6@standin.test deleted',
      ],
    );
    assert.deepStrictEqual(
      answer.groups.map((group) => group.displayName),
      ['group1', 'group2', 'group3'],
    );
    assert.deepStrictEqual(output.results.get(1), { label: 'instance-1', folder: first!, result: 'ok', message: null, users: 5, groups: 2 });
  });

  it('reports a failed login and a skipped instance to the caller, and exits 1', () => {
    const run = prepareRun({ root: sandbox(), instances: [VALID, { noDataJson: true }] });
    setData(run.layout.instances[0]!, { standinLogin: 'reject-secret' });
    const outcome = runWith(run, ['--test']);

    assert.strictEqual(outcome.status, 1);
    assert.deepStrictEqual(sequence(calls(run)), [`${run.layout.instances[0]!}: login`]);
    const report = testReport({
      instances: run.layout.labels.map((label, index) => ({ label, folder: run.layout.instances[index]! })),
      ...outcome,
      exitCode: outcome.status,
    });
    assert.deepStrictEqual(
      report.map((instance) => [instance.instance, instance.ok, instance.message]),
      [
        [
          'instance-1',
          false,
          'login failed: the client secret was rejected; check the client-id line and the secret the secret line points to (Admin Console, Organization info, View API key)',
        ],
        ['instance-2', false, `${run.layout.instances[1]!} has no data.json; configure the Directory Connector for it first`],
      ],
    );
  });

  it('says why it stopped when the run cannot start (no secret): every instance not tested, for that reason', () => {
    const run = prepareRun({ root: sandbox(), instances: [VALID, VALID] });
    fs.rmSync(run.layout.secretFile);
    const outcome = runWith(run, ['--test']);

    assert.strictEqual(outcome.status, 1);
    assert.deepStrictEqual(calls(run), []);
    const report = testReport({ instances: run.layout.labels.map((label) => ({ label, folder: null })), ...outcome, exitCode: outcome.status });
    for (const instance of report) {
      assert.strictEqual(instance.ok, false);
      assert.match(instance.message!, /^the secret file .* does not exist; store the secret with bwdc-schedule secret store$/);
    }
  });

  it('refuses any other argument: exit 2, nothing logged, bwdc never called', () => {
    const run = prepareRun({ root: sandbox(), instances: [VALID] });
    for (const args of [['--sync'], ['--test', '--test'], ['test']]) {
      const outcome = runWith(run, args);
      assert.strictEqual(outcome.status, 2, args.join(' '));
      assert.match(outcome.stderr, /unknown arguments: .*; the script takes none, or --test for a test run/);
    }
    assert.strictEqual(readLog(run), '');
    assert.deepStrictEqual(calls(run), []);
  });

  it('names --test in the sudo command when run as another user than run-as', () => {
    const run = prepareRun({ root: sandbox(), instances: [VALID], runAs: 'someone-else' });
    const outcome = runWith(run, ['--test']);
    assert.strictEqual(outcome.status, 1);
    assert.match(outcome.stderr, new RegExp(`run it with: sudo -u someone-else ${run.script.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} --test\\n$`));
  });

  it('counts the answer by its structure: brackets, quotes and colons inside names do not miscount', () => {
    const run = prepareRun({ root: sandbox(), instances: [VALID] });
    const counter = /^count_test_answer\(\) \{[\s\S]*?^\}$/m.exec(run.scriptText)![0];
    const tricky = {
      groups: [{ externalId: 'cn=a]b', displayName: '{"[x]":1}', userIds: ['u1', 'u"2'] }],
      enabledUsers: [{ externalId: 'u1', displayName: 'a\\"}, {', extra: { nested: [{}, {}] } }],
      disabledUsers: [{ externalId: 'u"2', displayName: 'ü: [' }],
      deletedUsers: [],
      object: 'test',
    };
    const cases: { readonly text: string; readonly expected: string }[] = [
      { text: JSON.stringify(tricky), expected: '1 1 1 0 ok' },
      { text: JSON.stringify(tricky, null, 2), expected: '1 1 1 0 ok' },
      { text: '{"enabledUsers":[]}', expected: '0 0 0 0 ok' },
      { text: 'You are not logged in.', expected: '0 0 0 0 bad' },
      { text: '[{"groups":[]}]', expected: '0 0 0 0 bad' },
      { text: '', expected: '0 0 0 0 bad' },
      { text: '{"groups":[{}', expected: '1 0 0 0 bad' },
    ];
    for (const { text, expected } of cases) {
      const file = path.join(sandbox(), 'answer.json');
      fs.writeFileSync(file, text);
      const counted = spawnSync('bash', ['-c', `${counter}\ncount_test_answer "$1"`, 'bash', file], { encoding: 'utf8' });
      assert.strictEqual(counted.stdout.trim(), expected, text);
    }
  });

  it('keeps the user lists off disk: nothing of the answer remains in the temporary folder or beside the log', () => {
    const root = sandbox();
    const temporary = path.join(root, 'tmp');
    fs.mkdirSync(temporary);
    const run = prepareRun({ root, instances: [VALID] });
    const outcome = spawnSync(run.script, ['--test'], { env: { ...run.env, TMPDIR: temporary }, encoding: 'utf8' });
    assert.strictEqual(outcome.status, 0, outcome.stderr);
    assert.deepStrictEqual(fs.readdirSync(temporary), []);
    for (const name of fs.readdirSync(run.layout.logFolder)) {
      assert.doesNotMatch(fs.readFileSync(path.join(run.layout.logFolder, name), 'utf8'), /standin\.test/, name);
    }
    assert.strictEqual(VALUES.secret.length > 0, true);
    assert.ok(!outcome.stdout.includes(VALUES.secret), 'the secret never reaches the caller');
  });
});
