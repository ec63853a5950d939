import * as assert from 'assert';
import { parseHistory } from '../../../src/core/history/parse';
import { prepareRun, readLog, runScript, useSandboxes, VALID } from './support';

/**
 * Under a systemd service stdout is the journal, and systemd says so with JOURNAL_STREAM: the
 * script then prints each line it logs to stdout as well, the same line, so `journalctl -u
 * bwdc-<name>.service -o cat` reads like the log file (and the history parser reads either).
 * Under cron (no JOURNAL_STREAM) stdout stays empty: cron would mail every line.
 */
describe('the sync script writes its log lines to the journal under systemd', function () {
  this.timeout(30_000);
  const sandbox = useSandboxes();

  it('prints every log line on stdout when JOURNAL_STREAM is set, byte for byte as in the log', () => {
    const run = prepareRun({ root: sandbox(), secret: 'file', instances: [VALID] });
    const outcome = runScript(run, { JOURNAL_STREAM: '8:12345' });
    assert.strictEqual(outcome.status, 0, outcome.stderr);
    const log = readLog(run);
    assert.ok(log.length > 0);
    assert.strictEqual(outcome.stdout, log);
    const history = parseHistory([{ name: 'journal', text: outcome.stdout }]);
    assert.ok('runs' in history && history.runs.length === 1, 'the history parser reads the journal text as one run');
  });

  it('keeps stdout empty without it (cron mails whatever a job prints)', () => {
    const run = prepareRun({ root: sandbox(), secret: 'file', instances: [VALID] });
    const outcome = runScript(run);
    assert.deepStrictEqual([outcome.status, outcome.stdout], [0, '']);
  });
});
