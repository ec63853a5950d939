import * as assert from 'assert';
import type * as childProcess from 'child_process';
import { main } from '../../../src/cli/main';
import { readHistory, type HistoryReader } from '../../../src/host/history';
import { journalTail, readJournalTail } from '../../../src/host/journal';
import type { LogTail } from '../../../src/host/logFile';
import { fakeIo } from '../cli/fakeIo';
import { historyFixture } from '../history/fixtures';
import { jobOf } from '../script/support';

const SCHEDULE = '/work/weekly-sync.bwdc-schedule';
const LOG = '/var/log/bwdc/weekly-sync.log';
const UNIT = 'bwdc-weekly-sync.service';
const scheduleText = (scheduler: string): string =>
  [
    'name       weekly-sync',
    'schedule   0 12 * * 1',
    'platform   linux',
    `scheduler  ${scheduler}`,
    'bwdc       /usr/local/bin/bwdc',
    'client-id  organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
    'secret     file:/home/bwdc/client_secret',
    'instance   /srv/bwdc/instance-1',
    'instance   /srv/bwdc/instance-2',
    'env        BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true',
    `log        ${LOG}`,
    '',
  ].join('\n');

/** A reader with no log files and the journal given; records which units were asked for. */
function journalReader(journal: string | undefined, logs: Readonly<Record<string, string>> = {}): HistoryReader & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    readLog: (file) => {
      const text = logs[file];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
      return { text, partial: false };
    },
    readHead: () => undefined,
    readJournal: (unit, maxBytes): LogTail | undefined => {
      asked.push(unit);
      return journal === undefined ? undefined : journalTail(journal, maxBytes);
    },
  };
}

describe('the history of a systemd job reads the journal where the log file is absent', () => {
  it('reads the runs from journalctl -u bwdc-<name>.service, the same lines the log would hold', () => {
    const job = jobOf(scheduleText('systemd'), SCHEDULE);
    const reader = journalReader(historyFixture('runs.log'));
    const fromJournal = readHistory(job, { runs: 10, reader });
    assert.deepStrictEqual(reader.asked, [UNIT]);
    const fromLog = readHistory(job, { runs: 10, reader: journalReader(undefined, { [LOG]: historyFixture('runs.log') }) });
    assert.strictEqual(fromJournal.kind, 'runs');
    assert.deepStrictEqual(fromJournal.kind === 'runs' && fromJournal.runs, fromLog.kind === 'runs' && fromLog.runs);
  });

  it('never asks the journal when a log file is there, or for a cron job', () => {
    const withLog = journalReader('ignored', { [LOG]: historyFixture('runs.log') });
    readHistory(jobOf(scheduleText('systemd'), SCHEDULE), { runs: 10, reader: withLog });
    assert.deepStrictEqual(withLog.asked, []);
    const cron = journalReader(historyFixture('runs.log'));
    assert.strictEqual(readHistory(jobOf(scheduleText('cron'), SCHEDULE), { runs: 10, reader: cron }).kind, 'missing');
    assert.deepStrictEqual(cron.asked, []);
  });

  it('says missing when the journal has nothing either', () => {
    const job = jobOf(scheduleText('systemd'), SCHEDULE);
    assert.strictEqual(readHistory(job, { runs: 10, reader: journalReader(undefined) }).kind, 'missing');
    assert.strictEqual(readHistory(job, { runs: 10, reader: journalReader('-- No entries --\n') }).kind, 'missing');
  });

  it('bwdc-schedule history prints the journal runs as it prints the log', () => {
    const fake = fakeIo({ files: { [SCHEDULE]: scheduleText('systemd') } });
    const asked: string[] = [];
    const io = {
      ...fake.io,
      readJournal: (unit: string, maxBytes: number) => {
        asked.push(unit);
        return journalTail(historyFixture('runs.log'), maxBytes);
      },
    };
    const code = main(['history', SCHEDULE], io);
    assert.deepStrictEqual([code, fake.stdout(), fake.stderr(), asked], [0, historyFixture('runs.table.txt'), '', [UNIT]]);
  });

  it('bwdc-schedule history says where it looked when neither has runs', () => {
    const fake = fakeIo({ files: { [SCHEDULE]: scheduleText('systemd') } });
    const code = main(['history', SCHEDULE], { ...fake.io, readJournal: () => undefined });
    assert.strictEqual(code, 1);
    assert.strictEqual(
      fake.stderr(),
      `bwdc-schedule: no runs recorded yet: ${LOG} does not exist, and the journal of ${UNIT} has no lines that this user can read (root and the groups systemd-journal and adm can)\n`,
    );
  });

  it('cuts the journal to its newest bytes at a line start, and reads nothing from "-- No entries --"', () => {
    assert.deepStrictEqual(journalTail('a\nbb\nccc\n', 100), { text: 'a\nbb\nccc\n', partial: false });
    assert.deepStrictEqual(journalTail('a\nbb\nccc\n', 6), { text: 'ccc\n', partial: true });
    assert.strictEqual(journalTail('-- No entries --\n', 100), undefined);
    assert.strictEqual(journalTail('', 100), undefined);
  });

  it('runs journalctl with an argv array, and gives up quietly when it fails or is missing', () => {
    const calls: unknown[][] = [];
    const fake = (answer: Partial<ReturnType<typeof childProcess.spawnSync>>) =>
      ((command: string, args: readonly string[]) => {
        calls.push([command, ...args]);
        return { status: 0, stdout: '', stderr: '', pid: 1, output: [], signal: null, ...answer };
      }) as unknown as typeof childProcess.spawnSync;
    assert.deepStrictEqual(readJournalTail(UNIT, 1000, fake({ stdout: 'x [y] z\n' })), { text: 'x [y] z\n', partial: false });
    assert.deepStrictEqual(calls[0], ['journalctl', '--unit', UNIT, '--output', 'cat', '--no-pager', '--lines', '20000']);
    assert.strictEqual(readJournalTail(UNIT, 1000, fake({ status: 1, stderr: 'No journal files were found.' })), undefined);
    assert.strictEqual(
      readJournalTail(UNIT, 1000, fake({ status: null, error: Object.assign(new Error('spawnSync journalctl ENOENT'), { code: 'ENOENT' }) })),
      undefined,
    );
  });

  it('asks the real journalctl here without a running journal and gets nothing, without throwing', function () {
    this.timeout(20_000);
    assert.strictEqual(readJournalTail('bwdc-no-such-job-here.service', 1000), undefined);
  });
});
