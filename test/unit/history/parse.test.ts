import * as assert from 'assert';
import { MESSAGE_MAX_CHARS, parseHistory, type History, type HistoryOptions, type LogText } from '../../../src/core/history/parse';
import { historyFixture as fixture } from './fixtures';

const POSIX: HistoryOptions = {
  job: 'weekly-sync',
  instances: [
    { label: 'instance-1', folder: '/srv/bwdc/instance-1' },
    { label: 'instance-2', folder: '/srv/bwdc/instance-2' },
  ],
};
const WINDOWS: HistoryOptions = {
  job: 'weekly-sync',
  instances: [
    { label: 'instance-1', folder: 'C:\\ProgramData\\bwdc\\instance-1' },
    { label: 'instance-2', folder: 'C:\\ProgramData\\bwdc\\instance-2' },
  ],
};

function history(logs: readonly LogText[], options: HistoryOptions = POSIX): History {
  const parsed = parseHistory(logs, options);
  assert.ok(!('notOurs' in parsed), JSON.stringify(parsed));
  return parsed;
}

const line = (time: string, label: string, message: string): string => `${time} [${label}] ${message}\n`;

/** A run of the job as the bash script logs it, instance by instance. */
function syncedRun(day: number, instances: readonly { label: string; folder: string }[] = POSIX.instances as { label: string; folder: string }[]): string {
  const at = (second: number): string => `2026-12-${String(day).padStart(2, '0')}T12:00:${String(second).padStart(2, '0')}+01:00`;
  return [
    line(at(1), 'weekly-sync', `run started (pid ${4000 + day})`),
    ...instances.flatMap((instance, index) => [
      line(at(2 + index), instance.label, `instance folder: ${instance.folder}`),
      line(at(2 + index), instance.label, 'logged in'),
      line(at(2 + index), instance.label, 'result: synced: 2 groups, 4 users'),
    ]),
    line(at(9), 'weekly-sync', 'run finished: …; exit 0'),
  ].join('');
}

describe("the run history, read from the sync script's log", () => {
  describe('fixtures (test/fixtures/history: NAME.log read as NAME.expected.json)', () => {
    const cases: { readonly name: string; readonly what: string; readonly options: HistoryOptions }[] = [
      { name: 'runs', what: 'ok, failed, skipped, stopped, test, cut off and running runs, newest first', options: POSIX },
      {
        name: 'older-script',
        what: "an older script's log: no instance folder lines (folders from the job, null for a label it lacks), fatal messages without 'run stopped'",
        options: POSIX,
      },
      { name: 'powershell', what: "the PowerShell script's log: CRLF, times with fractions of a second and Z", options: WINDOWS },
      {
        name: 'damaged',
        what: 'garbage, a time cut short, NUL bytes, an unknown result, lines outside a run, a last line cut off: skipped and counted',
        options: POSIX,
      },
      { name: 'overlap', what: 'a run that started while another held the log, its lines in one piece inside the other run', options: POSIX },
    ];
    for (const { name, what, options } of cases) {
      it(`reads ${name}.log: ${what}`, () => {
        const text = fixture(`${name}.log`);
        if (name === 'powershell') assert.ok(text.includes('\r\n'), 'powershell.log lost its CRLF line ends (a checkout that converts them)');
        assert.deepStrictEqual(history([{ name: `${name}.log`, text }], options), JSON.parse(fixture(`${name}.expected.json`)));
      });
    }
  });

  describe('what counts as a log the script wrote', () => {
    it("names the file whose first line is not the script's, and reads nothing of it", () => {
      assert.deepStrictEqual(parseHistory([{ name: '/srv/bwdc/data.json', text: fixture('not-ours.log') }], POSIX), { notOurs: '/srv/bwdc/data.json' });
    });

    it('names a rotated file that is not ours, even when the newer ones are', () => {
      const logs = [
        { name: 'bwdc.log.2', text: 'BEGIN PRIVATE KEY\n' },
        { name: 'bwdc.log.1', text: syncedRun(1) },
        { name: 'bwdc.log', text: syncedRun(2) },
      ];
      assert.deepStrictEqual(parseHistory(logs, POSIX), { notOurs: 'bwdc.log.2' });
    });

    it('does not judge a file by its first line when only its end was read (that line may be cut)', () => {
      const text = `ed: 2 groups, 4 users\n${syncedRun(1)}`;
      const parsed = history([{ name: 'bwdc.log', text, partial: true }]);
      assert.strictEqual(parsed.runs.length, 1);
      assert.deepStrictEqual(parsed.firstSkipped, { name: 'bwdc.log', line: 1 });
    });

    it('reads an empty log as no runs, and skips a byte order mark', () => {
      assert.deepStrictEqual(history([{ name: 'bwdc.log', text: '' }]), { runs: [], skippedLines: 0 });
      assert.strictEqual(history([{ name: 'bwdc.log', text: `\uFEFF${syncedRun(1)}` }]).runs.length, 1);
    });
  });

  describe('several files, oldest first', () => {
    it('reads the rotated logs and the log as one, newest run first, a run cut by rotation kept whole', () => {
      const second = syncedRun(2).split('\n');
      const logs = [
        { name: 'bwdc.log.2', text: syncedRun(1) },
        { name: 'bwdc.log.1', text: `${second.slice(0, 3).join('\n')}\n` },
        { name: 'bwdc.log', text: `${second.slice(3).join('\n')}${syncedRun(3)}` },
      ];
      const runs = history(logs).runs;
      assert.deepStrictEqual(
        runs.map((run) => [run.start, run.result, run.instances.length]),
        [
          ['2026-12-03T12:00:01+01:00', 'ok', 2],
          ['2026-12-02T12:00:01+01:00', 'ok', 2],
          ['2026-12-01T12:00:01+01:00', 'ok', 2],
        ],
      );
    });

    it('returns only the newest runs it is asked for', () => {
      const text = Array.from({ length: 20 }, (_, index) => syncedRun(index + 1)).join('');
      assert.deepStrictEqual(
        history([{ name: 'bwdc.log', text }], { ...POSIX, limit: 3 }).runs.map((run) => run.start.slice(0, 10)),
        ['2026-12-20', '2026-12-19', '2026-12-18'],
      );
    });
  });

  describe('labels', () => {
    it('matches the job\'s labels first, so a folder name that holds "] " is read whole', () => {
      const instances = [{ label: 'x] [y] z', folder: '/srv/x] [y] z' }];
      const run = history([{ name: 'bwdc.log', text: syncedRun(1, instances) }], { job: 'weekly-sync', instances }).runs[0]!;
      assert.deepStrictEqual(run.instances, [{ label: 'x] [y] z', folder: '/srv/x] [y] z', result: 'ok', message: null, users: 4, groups: 2 }]);
    });

    it('reads a label the job does not have up to the first "] ", its folder from its own line', () => {
      const run = history([{ name: 'bwdc.log', text: syncedRun(1, [{ label: 'removed since', folder: '/srv/removed since' }]) }]).runs[0]!;
      assert.deepStrictEqual(run.instances[0]!.folder, '/srv/removed since');
    });
  });

  describe('hostile and huge lines', () => {
    it('keeps at most MESSAGE_MAX_CHARS of a message, however long its line, never half a character', () => {
      const long = `${'ü'.repeat(MESSAGE_MAX_CHARS - 1)}🦀${'x'.repeat(2 * 1024 * 1024)}`;
      const text = syncedRun(1).replace('result: synced: 2 groups, 4 users', `skipped: ${long}\n2026-12-01T12:00:02+01:00 [instance-1] result: skipped: huge`);
      const message = history([{ name: 'bwdc.log', text }]).runs[0]!.instances[0]!.message!;
      assert.strictEqual(message, `${'ü'.repeat(MESSAGE_MAX_CHARS - 1)}…`);
    });

    it("never takes bwdc's own lines into a message, and removes what looks like a secret from the messages it keeps", () => {
      const secret = 'Zq8vR2mW5tY1pL9xK3nB7cD4fG6hJ0';
      const text = syncedRun(1).replace(
        'result: synced: 2 groups, 4 users',
        `bwdc: client_secret=${secret}\n2026-12-01T12:00:02+01:00 [instance-1] login failed: BW_CLIENTSECRET=${secret} was rejected\n2026-12-01T12:00:02+01:00 [instance-1] result: failed: login`,
      );
      const parsed = history([{ name: 'bwdc.log', text }]);
      assert.ok(!JSON.stringify(parsed).includes(secret));
      assert.strictEqual(parsed.runs[0]!.instances[0]!.message, 'login failed: BW_CLIENTSECRET=[secret removed] was rejected');
    });

    it('reads a few megabytes of lines that open a label and never close it, once each (no search per line to the end)', () => {
      const text = `${syncedRun(1)}${'2026-12-01T12:00:02+01:00 [unclosed label\n'.repeat(100_000)}`;
      const parsed = history([{ name: 'bwdc.log', text }]);
      assert.deepStrictEqual([parsed.runs.length, parsed.skippedLines], [1, 100_000]);
    });

    it('reads a few megabytes of runs', () => {
      const text = Array.from({ length: 8000 }, (_, index) => syncedRun((index % 28) + 1)).join('');
      assert.ok(text.length > 3 * 1024 * 1024);
      const parsed = history([{ name: 'bwdc.log', text }]);
      assert.deepStrictEqual([parsed.runs.length, parsed.skippedLines, parsed.runs.every((run) => run.result === 'ok')], [8000, 0, true]);
    });
  });

  describe('run results', () => {
    const finished = (results: readonly string[]): string =>
      [
        line('2026-12-01T12:00:01+01:00', 'weekly-sync', 'run started (pid 1)'),
        ...results.map((result, index) => line('2026-12-01T12:00:02+01:00', `instance-${index + 1}`, `result: ${result}`)),
        line('2026-12-01T12:00:03+01:00', 'weekly-sync', 'run finished: …; exit 0'),
      ].join('');
    const table: { readonly results: readonly string[]; readonly run: string }[] = [
      { results: ['synced: 2 groups, 4 users', 'synced'], run: 'ok' },
      { results: ['synced', 'failed: sync: timed out after 30m'], run: 'failed' },
      { results: ['skipped: no data.json', 'failed: login: the client secret was rejected'], run: 'failed' },
      { results: ['skipped: no data.json', 'synced'], run: 'skipped' },
      { results: ['skipped: no data.json', 'skipped: locked by another run'], run: 'skipped' },
      { results: [], run: 'ok' },
    ];
    for (const { results, run } of table) {
      it(`${run} for ${results.length ? results.join(' + ') : 'no instance at all'}`, () => {
        assert.strictEqual(history([{ name: 'bwdc.log', text: finished(results) }]).runs[0]!.result, run);
      });
    }
  });

  describe("each run's own lines (the lines option)", () => {
    it('gives each run its lines, newest run first, a run that started inside another one with its own', () => {
      const text = fixture('overlap.log');
      const parsed = history([{ name: 'bwdc.log', text }], { ...POSIX, lines: 100 });
      const all = text.trimEnd().split('\n');
      assert.deepStrictEqual(parsed.lines, [
        { head: all.slice(4, 9), omitted: 0, tail: [] },
        { head: [...all.slice(0, 4), ...all.slice(9)], omitted: 0, tail: [] },
      ]);
    });

    it('keeps the first and the last lines of a long run, counting the rest, each line bounded and without what looks like a secret', () => {
      const secret = 'Zq8vR2mW5tY1pL9xK3nB7cD4fG6hJ0';
      const chatter = Array.from({ length: 50 }, (_, index) => line('2026-12-01T12:00:02+01:00', 'instance-1', `bwdc: line ${index}`)).join('');
      const text = syncedRun(1).replace(
        /(\[instance-1\] logged in\n)/,
        `$1${chatter}${line('2026-12-01T12:00:02+01:00', 'instance-1', `bwdc: client_secret=${secret} ${'x'.repeat(5000)}`)}`,
      );
      const [kept] = history([{ name: 'bwdc.log', text }], { ...POSIX, lines: 6 }).lines!;
      assert.strictEqual(kept!.head.length, 3);
      assert.strictEqual(kept!.tail.length, 3);
      assert.strictEqual(kept!.omitted, text.trimEnd().split('\n').length - 6);
      assert.ok(kept!.head[0]!.endsWith('run started (pid 4001)'));
      assert.ok(kept!.tail[2]!.endsWith('run finished: …; exit 0'));
      const long = history([{ name: 'bwdc.log', text }], { ...POSIX, lines: 1000 }).lines![0]!.head.find((kept) => kept.includes('client_secret'))!;
      assert.ok(!long.includes(secret), long.slice(0, 120));
      assert.ok(long.length <= 2001 && long.endsWith('…'), String(long.length));
    });

    it('keeps no lines unless asked, and leaves the runs as they are', () => {
      const text = fixture('runs.log');
      const plain = history([{ name: 'bwdc.log', text }]);
      const withLines = history([{ name: 'bwdc.log', text }], { ...POSIX, lines: 10 });
      assert.strictEqual(plain.lines, undefined);
      assert.deepStrictEqual(withLines.runs, plain.runs);
      assert.strictEqual(withLines.lines!.length, plain.runs.length);
    });
  });
});
