import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { HistoryState } from '../../../src/core/history/present';
import { resolveJob, type SyncJob } from '../../../src/core/schedule/job';
import { HISTORY_FIRST_BYTES, readHistory, type HistoryReader } from '../../../src/host/history';
import { useTemporaryFolders } from './support';

/** A job of one instance whose log is `log`. */
function jobWithLog(folder: string, log: string): SyncJob {
  const text = [
    'name       daily-sync',
    'schedule   0 12 * * *',
    'platform   linux',
    'bwdc       /usr/local/bin/bwdc',
    'client-id  organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
    'secret     file:/home/bwdc/client_secret',
    `log        ${log}`,
    '',
  ].join('\n');
  const result = resolveJob(text, { scheduleFile: path.join(folder, 'daily-sync.bwdc-schedule'), hostPlatform: 'linux' });
  assert.ok(result.job, JSON.stringify(result.diagnostics));
  return result.job;
}

/** Run number `index`: one a day from Jan 1 2026, 12:00:01 UTC. */
function run(index: number, test = false): string {
  const at = new Date(Date.UTC(2026, 0, 1 + index, 12, 0, 1)).toISOString().replace('.000Z', 'Z');
  return `${at} [daily-sync] run started${test ? ' in test mode' : ''} (pid ${index})\n${at} [default] result: synced\n${at} [daily-sync] run finished: default: synced; exit 0\n`;
}
const runs = (from: number, to: number): string => Array.from({ length: to - from }, (_, index) => run(from + index)).join('');

function runsOf(state: HistoryState): Extract<HistoryState, { kind: 'runs' }> {
  assert.strictEqual(state.kind, 'runs', JSON.stringify(state));
  return state as Extract<HistoryState, { kind: 'runs' }>;
}

describe('readHistory: the traces for missed runs, a bound per file, an injected reader', () => {
  const folder = useTemporaryFolders();

  it('gives the start of every run read (not only of those asked for), test runs left out', () => {
    const dir = folder();
    const log = path.join(dir, 'sync.log');
    fs.writeFileSync(log, `${runs(0, 3)}${run(3, true)}${run(4)}`);
    const state = runsOf(readHistory(jobWithLog(dir, log), { runs: 1 }));
    assert.strictEqual(state.runs.length, 1);
    assert.deepStrictEqual(state.starts, ['2026-01-01T12:00:01Z', '2026-01-02T12:00:01Z', '2026-01-03T12:00:01Z', '2026-01-05T12:00:01Z']);
  });

  it('says from when the logs read speak for the job: all time for the log alone read whole, else its first line', () => {
    const dir = folder();
    const log = path.join(dir, 'sync.log');
    fs.writeFileSync(log, runs(0, 3));
    assert.strictEqual(runsOf(readHistory(jobWithLog(dir, log), { runs: 5 })).coveredFrom, undefined, 'never rotated, read whole');
    fs.writeFileSync(`${log}.1`, runs(0, 3));
    fs.writeFileSync(log, runs(3, 5));
    assert.strictEqual(runsOf(readHistory(jobWithLog(dir, log), { runs: 50 })).coveredFrom, '2026-01-01T12:00:01Z', 'LOG.1 is there: older logs may have gone');
    fs.rmSync(`${log}.1`);
    fs.writeFileSync(log, runs(0, 2000));
    const cut = runsOf(readHistory(jobWithLog(dir, log), { runs: 3 }));
    assert.ok(!cut.complete && cut.coveredFrom !== undefined && cut.coveredFrom > '2026-01-01T12:00:01Z', cut.coveredFrom);
    assert.ok(cut.starts!.length < 2000 && cut.starts!.length >= 3);
  });

  it('bounds each file by fileMaxBytes and says which were cut, once, for the read it keeps', () => {
    const dir = folder();
    const log = path.join(dir, 'sync.log');
    fs.writeFileSync(`${log}.1`, runs(0, 10));
    fs.writeFileSync(log, runs(10, 2000));
    const cut: [string, number][] = [];
    const state = runsOf(
      readHistory(jobWithLog(dir, log), {
        runs: 5000,
        maxBytes: 100 * HISTORY_FIRST_BYTES,
        fileMaxBytes: 2 * HISTORY_FIRST_BYTES,
        onFileCut: (file, bytes) => cut.push([file, bytes]),
      }),
    );
    assert.deepStrictEqual(cut, [[log, 2 * HISTORY_FIRST_BYTES]]);
    // Cut, the log is where reading stops: LOG.1's runs would leave a gap.
    assert.ok(state.runs.length < 1990 && !state.complete, String(state.runs.length));
    // A read that asks for few runs is cut by the budget, not the file's bound: nothing to tell.
    const none: string[] = [];
    readHistory(jobWithLog(dir, log), { runs: 2, fileMaxBytes: 2 * HISTORY_FIRST_BYTES, onFileCut: (file) => none.push(file) });
    assert.deepStrictEqual(none, []);
  });

  it('reads through the reader it is given (the CLI passes its own)', () => {
    const dir = folder();
    const log = path.join(dir, 'nowhere', 'sync.log');
    const asked: string[] = [];
    const reader: HistoryReader = {
      readLog: (file, maxBytes) => {
        asked.push(`${path.basename(file)}:${maxBytes}`);
        if (file !== log) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
        return { text: runs(0, 2), partial: false };
      },
      readHead: () => undefined,
    };
    const state = runsOf(readHistory(jobWithLog(dir, log), { runs: 5, reader, fileMaxBytes: 1000 }));
    assert.strictEqual(state.runs.length, 2);
    assert.deepStrictEqual(asked.slice(0, 2), ['sync.log:1000', 'sync.log.1:1000']);
  });
});
