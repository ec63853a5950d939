import * as assert from 'assert';
import {
  groupMembers,
  parseScriptTestOutput,
  parseTestAnswer,
  testReport,
  testReportMarkdown,
  testReportTable,
  type TestedInstance,
} from '../../../src/core/test/report';

/** What the real bwdc 2026.6.1 and 2026.4.0 printed for the slapd fixture (test/realbwdc/FACTS.md). */
const REAL_ANSWER = JSON.stringify({
  groups: [
    {
      externalId: 'cn=Engineering,ou=groups,dc=bwdc-schedule,dc=test',
      displayName: 'Engineering',
      userIds: ['uid=alice,ou=people,dc=bwdc-schedule,dc=test', 'uid=carol,ou=people,dc=bwdc-schedule,dc=test'],
    },
    {
      externalId: 'cn=Sales,ou=groups,dc=bwdc-schedule,dc=test',
      displayName: 'Sales',
      userIds: ['uid=bob,ou=people,dc=bwdc-schedule,dc=test', 'uid=dave,ou=people,dc=bwdc-schedule,dc=test'],
    },
  ],
  enabledUsers: [
    { externalId: 'uid=alice,ou=people,dc=bwdc-schedule,dc=test', displayName: 'alice@bwdc-schedule.test' },
    { externalId: 'uid=bob,ou=people,dc=bwdc-schedule,dc=test', displayName: 'bob@bwdc-schedule.test' },
    { externalId: 'uid=dave,ou=people,dc=bwdc-schedule,dc=test', displayName: 'dave@bwdc-schedule.test' },
  ],
  disabledUsers: [{ externalId: 'uid=carol,ou=people,dc=bwdc-schedule,dc=test', displayName: 'carol.jones@bwdc-schedule.test' }],
  deletedUsers: [],
  object: 'test',
});

const INSTANCES = [
  { label: 'instance-1', folder: '/srv/bwdc/instance-1' },
  { label: 'instance-2', folder: '/srv/bwdc/instance-2' },
];

function result(number: number, record: Record<string, unknown>): string {
  return `bwdc-schedule test result ${number} ${JSON.stringify(record)}\n`;
}

function answer(number: number, text: string): string {
  return `bwdc-schedule test output begin ${number}\n${text}\n\nbwdc-schedule test output end ${number}\n`;
}

describe('the test report (what bwdc test found, per instance)', () => {
  describe("bwdc test's answer", () => {
    it('reads the real answer: users with their state in the order enabled, disabled, deleted, and the groups', () => {
      const parsed = parseTestAnswer(`${REAL_ANSWER}\n`);
      assert.ok(!('error' in parsed));
      assert.deepStrictEqual(
        parsed.users.map((user) => [user.displayName, user.state]),
        [
          ['alice@bwdc-schedule.test', 'enabled'],
          ['bob@bwdc-schedule.test', 'enabled'],
          ['dave@bwdc-schedule.test', 'enabled'],
          ['carol.jones@bwdc-schedule.test', 'disabled'],
        ],
      );
      assert.deepStrictEqual(groupMembers(parsed.groups[0]!, parsed.users), ['alice@bwdc-schedule.test', 'carol.jones@bwdc-schedule.test']);
    });

    it('keeps fields it does not know, and a member it cannot resolve by its id', () => {
      const parsed = parseTestAnswer(
        JSON.stringify({
          enabledUsers: [{ externalId: 'u1', displayName: 'a', email: 'a@x', futureField: { x: 1 } }],
          groups: [{ displayName: 'g', userIds: ['u1', 'u9'], extra: true }],
          more: 1,
        }),
      );
      assert.ok(!('error' in parsed));
      assert.deepStrictEqual(parsed.users[0], { externalId: 'u1', displayName: 'a', email: 'a@x', futureField: { x: 1 }, state: 'enabled' });
      assert.deepStrictEqual(parsed.groups[0], { displayName: 'g', userIds: ['u1', 'u9'], extra: true });
      assert.deepStrictEqual(groupMembers(parsed.groups[0]!, parsed.users), ['a', 'u9']);
    });

    const bad: { readonly text: string; readonly message: RegExp }[] = [
      { text: '', message: /^bwdc test printed nothing\.$/ },
      { text: 'You are not logged in.', message: /^bwdc test printed no JSON: You are not logged in\.$/ },
      { text: '[1,2]', message: /^bwdc test printed JSON that is not an object: \[1,2\]$/ },
      { text: '{"object":"error"}', message: /^bwdc test printed an object without users or groups/ },
      { text: `{"groups": [${'x'.repeat(5000)}`, message: /^bwdc test printed no JSON: \{"groups": \[x{150,}…$/ },
    ];
    for (const { text, message } of bad) {
      it(`says what is wrong with ${JSON.stringify(text.slice(0, 30))}, quoting at most 200 characters`, () => {
        const parsed = parseTestAnswer(text);
        assert.ok('error' in parsed);
        assert.match(parsed.error, message);
        assert.ok(parsed.error.length < 300);
      });
    }
  });

  describe("the script's output", () => {
    it('pairs each instance with its answer and result; one not reported failed for the reason the script gave', () => {
      const stdout =
        answer(1, REAL_ANSWER) + result(1, { label: 'instance-1', folder: '/srv/bwdc/instance-1', result: 'ok', message: null, users: 4, groups: 2 });
      const report = testReport({ instances: INSTANCES, stdout, stderr: 'bwdc sync job: stopped by a signal (TERM)\n', exitCode: 1 });
      assert.deepStrictEqual(
        report.map((instance) => [instance.instance, instance.folder, instance.ok, instance.message, instance.users.length, instance.groups.length]),
        [
          ['instance-1', '/srv/bwdc/instance-1', true, null, 4, 2],
          ['instance-2', '/srv/bwdc/instance-2', false, 'stopped by a signal (TERM)', 0, 0],
        ],
      );
    });

    it("fails an instance whose answer is not bwdc's JSON, though bwdc exited 0", () => {
      const stdout = answer(1, 'Something else') + result(1, { label: 'instance-1', result: 'ok', message: null });
      const [first] = testReport({ instances: INSTANCES.slice(0, 1), stdout, stderr: '', exitCode: 0 });
      assert.deepStrictEqual([first!.ok, first!.message], [false, 'bwdc test printed no JSON: Something else']);
    });

    it('ignores a cut-off result line and reads answers with CRLF line ends', () => {
      const output = parseScriptTestOutput(`${answer(1, REAL_ANSWER).replace(/\n/g, '\r\n')}bwdc-schedule test result 1 {"label":`);
      assert.strictEqual(output.results.size, 0);
      assert.ok(!('error' in parseTestAnswer(output.answers.get(1)!)));
    });

    it("uses the folder the script reports (the default folder it found) over the job's", () => {
      const stdout = result(1, { label: 'default', folder: '/root/.config/Bitwarden Directory Connector', result: 'skipped', message: 'no data.json' });
      const [only] = testReport({ instances: [{ label: 'default', folder: null }], stdout, stderr: '', exitCode: 1 });
      assert.deepStrictEqual([only!.folder, only!.ok, only!.message], ['/root/.config/Bitwarden Directory Connector', false, 'no data.json']);
    });
  });

  describe('presentation', () => {
    const report: TestedInstance[] = testReport({
      instances: INSTANCES,
      stdout:
        answer(1, REAL_ANSWER) +
        result(1, { label: 'instance-1', result: 'ok', message: null }) +
        result(2, { label: 'instance-2', result: 'failed', message: 'login failed: the client secret was rejected' }),
      stderr: '',
      exitCode: 1,
    });

    it('prints a table per instance: its counts, each user with state and id, each group with its members', () => {
      assert.strictEqual(
        testReportTable(report),
        [
          'instance-1 (/srv/bwdc/instance-1): ok, 4 users (3 enabled, 1 disabled, 0 deleted), 2 groups',
          '  user                            state     external id',
          '  alice@bwdc-schedule.test        enabled   uid=alice,ou=people,dc=bwdc-schedule,dc=test',
          '  bob@bwdc-schedule.test          enabled   uid=bob,ou=people,dc=bwdc-schedule,dc=test',
          '  dave@bwdc-schedule.test         enabled   uid=dave,ou=people,dc=bwdc-schedule,dc=test',
          '  carol.jones@bwdc-schedule.test  disabled  uid=carol,ou=people,dc=bwdc-schedule,dc=test',
          '  group        members',
          '  Engineering  alice@bwdc-schedule.test, carol.jones@bwdc-schedule.test',
          '  Sales        bob@bwdc-schedule.test, dave@bwdc-schedule.test',
          '',
          'instance-2 (/srv/bwdc/instance-2): not tested: login failed: the client secret was rejected',
          '',
        ].join('\n'),
      );
    });

    it('renders Markdown tables with every name escaped, and says nothing was synced', () => {
      const hostile = testReport({
        instances: [{ label: 'a|b', folder: '/x' }],
        stdout:
          answer(1, JSON.stringify({ enabledUsers: [{ externalId: 'u1', displayName: '<img src=x>|*b*\n# h' }], groups: [] })) + result(1, { result: 'ok' }),
        stderr: '',
        exitCode: 0,
      });
      const markdown = testReportMarkdown(hostile, '/work/weekly.bwdc-schedule');
      assert.match(markdown, /^# Test sync: weekly\.bwdc-schedule$/m);
      assert.match(markdown, /Nothing was synced\./);
      assert.match(markdown, /^## a\\\|b$/m);
      assert.match(markdown, /^\| \\<img src=x\\>\\\|\\\*b\\\*\\\\u000A\\# h \| enabled \| u1 \|$/m);
      assert.match(markdown, /^No groups\.$/m);
      const real = testReportMarkdown(report, '/work/weekly.bwdc-schedule');
      assert.match(real, /^\| Engineering \| alice@bwdc-schedule\.test, carol\.jones@bwdc-schedule\.test \|$/m);
      assert.match(real, /^\*\*Not tested:\*\* login failed: the client secret was rejected$/m);
    });
  });
});
