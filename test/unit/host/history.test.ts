import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { HistoryState } from '../../../src/core/history/present';
import { resolveJob, type SyncJob } from '../../../src/core/schedule/job';
import { HISTORY_FIRST_BYTES, readHistory } from '../../../src/host/history';
import { isRoot, useTemporaryFolders } from './support';

/** A job of two instances whose log is `log`, run as bwdc. */
function jobWithLog(folder: string, log: string): SyncJob {
  const text = [
    'name       weekly-sync',
    'schedule   0 12 * * 1',
    'platform   linux',
    'run-as     bwdc',
    'bwdc       /usr/local/bin/bwdc',
    'client-id  organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
    'secret     file:/home/bwdc/client_secret',
    'instance   /srv/bwdc/instance-1',
    'instance   /srv/bwdc/instance-2',
    'timeout    20m',
    `log        ${log}`,
    '',
  ].join('\n');
  const result = resolveJob(text, { scheduleFile: path.join(folder, 'weekly-sync.bwdc-schedule'), hostPlatform: 'linux' });
  assert.ok(result.job, JSON.stringify(result.diagnostics));
  return result.job;
}

/** One finished run of both instances on day `day` (of any month: the index keeps them in order). */
function run(day: number): string {
  const at = `2026-12-${String((day % 28) + 1).padStart(2, '0')}T12:00:01+01:00`;
  return [
    `${at} [weekly-sync] run started (pid ${day})`,
    `${at} [instance-1] instance folder: /srv/bwdc/instance-1`,
    `${at} [instance-1] result: synced: 2 groups, 4 users`,
    `${at} [instance-2] instance folder: /srv/bwdc/instance-2`,
    `${at} [instance-2] result: synced`,
    `${at} [weekly-sync] run finished: instance-1: synced: 2 groups, 4 users; instance-2: synced; exit 0 (${day})`,
    '',
  ].join('\n');
}

const runs = (from: number, to: number): string => Array.from({ length: to - from }, (_, index) => run(from + index)).join('');

function runsOf(state: HistoryState): Extract<HistoryState, { kind: 'runs' }> {
  assert.strictEqual(state.kind, 'runs', JSON.stringify(state));
  return state as Extract<HistoryState, { kind: 'runs' }>;
}

describe("reading a job's runs for the editor (readHistory)", () => {
  const folder = useTemporaryFolders();

  it('says that no run is recorded yet when neither the log nor a rotated log exists', () => {
    const dir = folder();
    const log = path.join(dir, 'bwdc.log');
    assert.deepStrictEqual(readHistory(jobWithLog(dir, log), { runs: 5 }), { kind: 'missing', log });
  });

  it('reads the log and the rotated logs before it, newest run first, with how long a run may take', () => {
    const dir = folder();
    const log = path.join(dir, 'bwdc.log');
    fs.writeFileSync(`${log}.2`, runs(0, 2));
    fs.writeFileSync(`${log}.1`, runs(2, 4));
    fs.writeFileSync(log, runs(4, 5));
    const state = runsOf(readHistory(jobWithLog(dir, log), { runs: 10 }));
    assert.deepStrictEqual(
      state.runs.map((record) => record.start.slice(0, 10)),
      ['2026-12-05', '2026-12-04', '2026-12-03', '2026-12-02', '2026-12-01'],
    );
    assert.strictEqual(state.complete, true);
    assert.strictEqual(state.longestRunMs, 2 * 20 * 60_000 + 10 * 60_000);
    assert.strictEqual(state.log, log);
  });

  it("reads the log's end first, and more of it only when that holds fewer runs than asked, never past the bound", () => {
    const dir = folder();
    const log = path.join(dir, 'bwdc.log');
    fs.writeFileSync(log, runs(0, 1000));
    assert.ok(fs.statSync(log).size > 4 * HISTORY_FIRST_BYTES);
    const job = jobWithLog(dir, log);

    const few = runsOf(readHistory(job, { runs: 3 }));
    assert.deepStrictEqual([few.runs.length, few.complete, few.skipped], [3, false, undefined], 'the lines before the first whole run are no news');
    const many = runsOf(readHistory(job, { runs: 1000 }));
    assert.deepStrictEqual([many.runs.length, many.complete], [1000, true]);
    const bounded = runsOf(readHistory(job, { runs: 1000, maxBytes: 10_000 }));
    assert.ok(bounded.runs.length > 0 && bounded.runs.length < 1000 && !bounded.complete, String(bounded.runs.length));
  });

  it('gives each run its lines when asked', () => {
    const dir = folder();
    const log = path.join(dir, 'bwdc.log');
    fs.writeFileSync(log, runs(0, 2));
    const state = runsOf(readHistory(jobWithLog(dir, log), { runs: 2, lines: 4 }));
    assert.deepStrictEqual(
      state.lines?.map((lines) => [lines.head.length, lines.omitted, lines.tail.length]),
      [
        [2, 2, 2],
        [2, 2, 2],
      ],
    );
  });

  it("names a file that is not the script's, also when only its end is read", () => {
    const dir = folder();
    const log = path.join(dir, 'bwdc.log');
    fs.writeFileSync(log, `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(HISTORY_FIRST_BYTES * 2)}\n${runs(0, 3)}`);
    assert.deepStrictEqual(readHistory(jobWithLog(dir, log), { runs: 5 }), { kind: 'not-ours', log, file: log });
    fs.writeFileSync(log, 'PRIVATE KEY\n');
    assert.deepStrictEqual(readHistory(jobWithLog(dir, log), { runs: 5 }), { kind: 'not-ours', log, file: log });
  });

  it('says why a log cannot be read: a folder, a FIFO (without waiting for a writer)', () => {
    const dir = folder();
    const log = path.join(dir, 'bwdc.log');
    fs.mkdirSync(log);
    const asFolder = readHistory(jobWithLog(dir, log), { runs: 5 });
    assert.deepStrictEqual({ ...asFolder, message: '' }, { kind: 'unreadable', log, file: log, permission: false, message: '', owner: 'bwdc' });
    const fifo = path.join(dir, 'fifo.log');
    execFileSync('mkfifo', [fifo]);
    const asFifo = readHistory(jobWithLog(dir, fifo), { runs: 5 });
    assert.strictEqual(asFifo.kind === 'unreadable' && asFifo.permission, false);
  });

  it('says that the log is the run-as user’s when it may not be read', function () {
    // root reads every file.
    if (isRoot()) this.skip();
    const dir = folder();
    const log = path.join(dir, 'bwdc.log');
    fs.writeFileSync(log, runs(0, 1), { mode: 0o000 });
    assert.deepStrictEqual(
      { ...readHistory(jobWithLog(dir, log), { runs: 5 }), message: '' },
      { kind: 'unreadable', log, file: log, permission: true, message: '', owner: 'bwdc' },
    );
  });
});
