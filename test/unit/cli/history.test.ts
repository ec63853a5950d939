import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { run } from './fakeIo';

/** test/fixtures/history, found from the compiled file (out/test/unit/cli) or the source. */
function fixture(name: string): string {
  for (const up of ['../../../../test/fixtures/history', '../../fixtures/history']) {
    const candidate = path.resolve(__dirname, up, name);
    if (fs.existsSync(candidate)) return fs.readFileSync(candidate, 'utf8');
  }
  return fs.readFileSync(path.resolve(process.cwd(), 'test/fixtures/history', name), 'utf8');
}

const SCHEDULE = '/work/weekly-sync.bwdc-schedule';
const LOG = '/var/log/bwdc/weekly-sync.log';
const SCHEDULE_TEXT = [
  'name       weekly-sync',
  'schedule   0 12 * * 1',
  'platform   linux',
  'bwdc       /usr/local/bin/bwdc',
  'client-id  organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
  'secret     file:/home/bwdc/client_secret',
  'instance   /srv/bwdc/instance-1',
  'instance   /srv/bwdc/instance-2',
  'env        BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true',
  `log        ${LOG}`,
  '',
].join('\n');

/** `bwdc-schedule history weekly-sync.bwdc-schedule ...` over these log files (by path). */
function history(logs: Readonly<Record<string, string>>, ...options: string[]): ReturnType<typeof run> {
  return run(['history', 'weekly-sync.bwdc-schedule', ...options], { files: { [SCHEDULE]: SCHEDULE_TEXT, ...logs } });
}

const runsJson = (): unknown[] => (JSON.parse(fixture('runs.expected.json')) as { runs: unknown[] }).runs;

describe('bwdc-schedule history', () => {
  it('prints the runs newest first: start, result, duration, bwdc, and per instance what happened', () => {
    const result = history({ [LOG]: fixture('runs.log') });
    assert.deepStrictEqual(result, { code: 0, stdout: fixture('runs.table.txt'), stderr: '' });
  });

  it('prints the runs as JSON with --json, the shape of <log>.last.json', () => {
    const result = history({ [LOG]: fixture('runs.log') }, '--json');
    assert.deepStrictEqual([result.code, result.stderr], [0, '']);
    assert.deepStrictEqual(JSON.parse(result.stdout), runsJson());
  });

  it('prints as many runs as --count asks for, the newest', () => {
    const result = history({ [LOG]: fixture('runs.log') }, '--json', '--count', '2');
    assert.deepStrictEqual(JSON.parse(result.stdout), runsJson().slice(0, 2));
  });

  it('shows ten runs by default', () => {
    const day = (n: number): string => `2026-11-${String(n).padStart(2, '0')}T12:00:01+01:00`;
    const text = Array.from(
      { length: 12 },
      (_, index) => `${day(index + 1)} [weekly-sync] run started (pid ${index})\n${day(index + 1)} [weekly-sync] run finished: ; exit 0\n`,
    ).join('');
    const result = history({ [LOG]: text }, '--json');
    assert.deepStrictEqual(
      (JSON.parse(result.stdout) as { start: string }[]).map((entry) => entry.start),
      Array.from({ length: 10 }, (_, index) => day(12 - index)),
    );
  });

  it('reads the rotated logs beside the log (those that exist), oldest first', () => {
    const [older, newer] = [fixture('older-script.log'), fixture('runs.log')];
    const result = history({ [`${LOG}.3`]: older, [`${LOG}.1`]: newer, [LOG]: '' }, '--json', '--count', '100');
    assert.deepStrictEqual(
      (JSON.parse(result.stdout) as { start: string }[]).map((entry) => entry.start.slice(0, 10)),
      ['2026-12-08', '2026-12-07', '2026-12-05', '2026-12-04', '2026-12-03', '2026-12-02', '2026-12-01', '2026-12-02', '2026-12-01', '2026-11-30'],
    );
  });

  it('says there are no runs yet, and exits 1, when the log does not exist', () => {
    assert.deepStrictEqual(history({}), { code: 1, stdout: '', stderr: `bwdc-schedule: no runs recorded yet: ${LOG} does not exist\n` });
    assert.deepStrictEqual(history({}, '--json'), { code: 1, stdout: '', stderr: `bwdc-schedule: no runs recorded yet: ${LOG} does not exist\n` });
  });

  it('says a log with no runs has none (JSON: [])', () => {
    assert.deepStrictEqual(history({ [LOG]: '' }), { code: 0, stdout: `no runs in ${LOG} yet\n`, stderr: '' });
    assert.deepStrictEqual(history({ [LOG]: '' }, '--json'), { code: 0, stdout: '[]\n', stderr: '' });
  });

  it('refuses a file at the log path that the script did not write, naming it, without echoing it', () => {
    const result = history({ [LOG]: 'client_secret=Zq8vR2mW5tY1pL9xK3nB7cD4fG6hJ0\n' });
    assert.strictEqual(result.code, 1);
    assert.strictEqual(result.stdout, '');
    assert.match(
      result.stderr,
      /^bwdc-schedule: \/var\/log\/bwdc\/weekly-sync\.log: not a log this script wrote \(its first line is not "<time> \[<label>\] <message>"\); nothing of it was read\. Check the log line of weekly-sync\.bwdc-schedule\.\n$/,
    );
    assert.ok(!result.stderr.includes('Zq8v'));
  });

  it('notes how many lines it skipped and where the first is, and lists the runs it could read', () => {
    const result = history({ [LOG]: fixture('damaged.log') }, '--json');
    assert.strictEqual(result.code, 0);
    assert.deepStrictEqual(JSON.parse(result.stdout), (JSON.parse(fixture('damaged.expected.json')) as { runs: unknown[] }).runs);
    assert.strictEqual(result.stderr, `bwdc-schedule: note: 8 lines of the log were not understood and skipped (the first: ${LOG}:1)\n`);
  });

  it('shows control characters in a message as escapes, never raw', () => {
    const text = fixture('runs.log').replace('has no data.json', 'has no data.json\u001b[2J\u0007');
    const result = history({ [LOG]: text });
    assert.ok(result.stdout.includes('has no data.json\\u001B[2J\\u0007'), result.stdout);
    // eslint-disable-next-line no-control-regex -- looks for the control characters that must not be there
    assert.doesNotMatch(result.stdout, /[\u0000-\u0008\u000b-\u001f]/);
  });

  const usage: { readonly argv: readonly string[]; readonly words: string }[] = [
    { argv: ['history'], words: 'history: name exactly one schedule file.' },
    { argv: ['history', 'a.bwdc-schedule', 'b.bwdc-schedule'], words: 'history: name exactly one schedule file.' },
    { argv: ['history', 'weekly-sync.bwdc-schedule', '--count', '0'], words: "history: --count must be a whole number from 1 to 10000, not '0'." },
    { argv: ['history', 'weekly-sync.bwdc-schedule', '--verbose'], words: "history: Unknown option '--verbose'." },
  ];
  for (const { argv, words } of usage) {
    it(`exits 2 with a one-line reason for ${JSON.stringify(argv)}`, () => {
      assert.deepStrictEqual(run(argv, { files: { [SCHEDULE]: SCHEDULE_TEXT } }), { code: 2, stdout: '', stderr: `bwdc-schedule: ${words}\n` });
    });
  }

  it('exits 2 for a schedule file it cannot read, 1 for one with errors', () => {
    assert.strictEqual(run(['history', 'missing.bwdc-schedule'], { files: { [SCHEDULE]: SCHEDULE_TEXT } }).code, 2);
    const broken = run(['history', 'weekly-sync.bwdc-schedule'], { files: { [SCHEDULE]: SCHEDULE_TEXT.replace('0 12 * * 1', '0 25 * * 1') } });
    assert.strictEqual(broken.code, 1);
    assert.match(broken.stderr, /weekly-sync\.bwdc-schedule:2:\d+: error/);
  });

  it("has a help text, and is in the tool's help", () => {
    const help = run(['history', '--help']);
    assert.strictEqual(help.code, 0);
    assert.ok(help.stdout.startsWith('Usage: bwdc-schedule history FILE [--count N] [--json]'));
    assert.match(run(['--help']).stdout, /^ {2}history FILE \[--count N\] \[--json\]$/m);
  });
});
