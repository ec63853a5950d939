import * as assert from 'assert';
import { TimeZone } from '../../../src/core/cron/zone';
import { parseHistory, type HistoryOptions } from '../../../src/core/history/parse';
import {
  historyMarkdown,
  lastRunStatus,
  recentRunsMarkdown,
  runDuration,
  shortTime,
  type HistoryPresentation,
  type HistoryState,
} from '../../../src/core/history/present';
import { germanBundle, withBundle } from '../translations';
import { historyFixture as fixture } from './fixtures';

const LOG = '/home/bwdc/bwdc.log';
const OPTIONS: HistoryOptions = {
  job: 'weekly-sync',
  instances: [
    { label: 'instance-1', folder: '/srv/bwdc/instance-1' },
    { label: 'instance-2', folder: '/srv/bwdc/instance-2' },
  ],
};
/** Two instances of 30 minutes each, and ten minutes more. */
const LONGEST_RUN_MS = 70 * 60_000;

/**
 * runs.log cut into its runs, oldest first: 0 ok (Tue Dec 1), 1 failed login (Wed), 2 skipped
 * (Thu), 3 stopped for a missing secret (Fri), 4 a test run (Sat), 5 no end line (Mon Dec 7),
 * 6 running (Tue Dec 8).
 */
function runChunks(): string[] {
  const chunks: string[] = [];
  for (const line of fixture('runs.log').split(/(?<=\n)/)) {
    if (line.includes('] run started')) chunks.push('');
    chunks[chunks.length - 1] += line;
  }
  return chunks;
}

function state(text: string, extra: { readonly lines?: number } = {}): HistoryState {
  const parsed = parseHistory([{ name: LOG, text }], { ...OPTIONS, ...extra });
  assert.ok(!('notOurs' in parsed));
  return { kind: 'runs', log: LOG, runs: parsed.runs, ...(parsed.lines ? { lines: parsed.lines } : {}), complete: true, longestRunMs: LONGEST_RUN_MS };
}

function presentation(now: string, overrides: Partial<HistoryPresentation> = {}): HistoryPresentation {
  return {
    now: Date.parse(now),
    zone: TimeZone.get('Europe/Berlin')!,
    locale: 'en',
    use24HourTime: true,
    scheduleFile: '/srv/weekly-sync.bwdc-schedule',
    ...overrides,
  };
}

describe('how the editor shows the run history', () => {
  describe('the status item: the last sync', () => {
    const chunks = runChunks();
    const upTo = (last: number): string => chunks.slice(0, last + 1).join('');
    const cases: readonly { readonly what: string; readonly log: string; readonly now: string; readonly text: string; readonly severity: string }[] = [
      {
        what: 'every instance synced',
        log: upTo(0),
        now: '2026-12-01T13:00:00+01:00',
        text: '$(check) last sync Tue 12:00: 2 of 2 ok',
        severity: 'information',
      },
      {
        what: 'one instance failed: which, and why in short',
        log: upTo(1),
        now: '2026-12-02T13:00:00+01:00',
        text: '$(error) last sync Wed 12:00: instance-1 failed: login failed: the client secret was rejected',
        severity: 'error',
      },
      {
        what: 'an instance was skipped: a warning, the reason cut short',
        log: upTo(2),
        now: '2026-12-03T13:00:00+01:00',
        text: '$(warning) last sync Thu 12:00: instance-1 skipped: another run is using this instance folder (lock /srv/bwdc/i…',
        severity: 'warning',
      },
      {
        what: 'the run stopped: every instance failed for its reason',
        log: upTo(3),
        now: '2026-12-04T13:00:00+01:00',
        text: '$(error) last sync Fri 12:00: 2 of 2 failed: the secret file /home/bwdc/.config/bwdc-schedule/client_sec…',
        severity: 'error',
      },
      {
        what: 'a test run is no sync: the last sync before it is shown',
        log: upTo(4),
        now: '2026-12-05T13:00:00+01:00',
        text: '$(error) last sync Fri 12:00: 2 of 2 failed: the secret file /home/bwdc/.config/bwdc-schedule/client_sec…',
        severity: 'error',
      },
      {
        what: 'a run without an end line, within its time limits: running',
        log: upTo(5),
        now: '2026-12-07T13:00:00+01:00',
        text: '$(sync~spin) sync running since Mon 12:00',
        severity: 'information',
      },
      {
        what: 'a run without an end line, long past its time limits: cut off',
        log: upTo(5),
        now: '2026-12-07T14:00:00+01:00',
        text: '$(warning) last sync Mon 12:00: cut off, no finish line',
        severity: 'warning',
      },
      {
        what: 'a run a later (test) run cut off',
        log: upTo(5) + chunks[4]!.replaceAll('2026-12-05', '2026-12-08'),
        now: '2026-12-08T13:00:00+01:00',
        text: '$(warning) last sync Mon 12:00: cut off, no finish line',
        severity: 'warning',
      },
      {
        what: 'older than six days: the date instead of the weekday',
        log: upTo(0),
        now: '2026-12-08T13:00:00+01:00',
        text: '$(check) last sync Dec 1, 2026, 12:00: 2 of 2 ok',
        severity: 'information',
      },
    ];
    for (const { what, log, now, text, severity } of cases) {
      it(`${what}: "${text}"`, () => {
        const shown = lastRunStatus(state(log), presentation(now));
        assert.strictEqual(shown.text, text);
        assert.strictEqual(shown.severity, severity);
      });
    }

    it('gives the whole story in the detail: each instance with its full message, and the log', () => {
      const shown = lastRunStatus(state(upTo(1)), presentation('2026-12-02T13:00:00+01:00'));
      assert.strictEqual(
        shown.detail,
        'instance-1: failed, login failed: the client secret was rejected; check the client-id line and the secret the secret line points to (Admin Console, Organization info, View API key)' +
          ' · instance-2: ok, nothing changed; logout failed: bwdc logout exited with 1; the next run ends that session first — Log: /home/bwdc/bwdc.log',
      );
    });

    it('says when there is no log yet, when it cannot be read and whose it is, and when it is not the script’s', () => {
      const at = presentation('2026-12-08T13:00:00+01:00');
      const shown = (given: HistoryState): [string, string, string] => {
        const status = lastRunStatus(given, at);
        return [status.text, status.detail, status.severity];
      };
      assert.deepStrictEqual(shown({ kind: 'missing', log: LOG }), [
        'last sync: no runs recorded yet',
        '/home/bwdc/bwdc.log does not exist yet; the sync script creates it when it first runs.',
        'information',
      ]);
      assert.deepStrictEqual(shown({ kind: 'unreadable', log: LOG, file: LOG, permission: true, message: '…', owner: 'bwdc' }), [
        '$(lock) last sync: the log is not readable',
        '/home/bwdc/bwdc.log belongs to bwdc, the user the job runs as, and only bwdc can read it. Run "bwdc-schedule history /srv/weekly-sync.bwdc-schedule" as bwdc or as root to see the runs.',
        'information',
      ]);
      assert.deepStrictEqual(shown({ kind: 'unreadable', log: LOG, file: `${LOG}.1`, permission: true, message: '…' }), [
        '$(lock) last sync: the log is not readable',
        '/home/bwdc/bwdc.log.1 cannot be read (permission denied): it belongs to the user the job runs as. Run "bwdc-schedule history /srv/weekly-sync.bwdc-schedule" as that user or as root to see the runs.',
        'information',
      ]);
      assert.deepStrictEqual(shown({ kind: 'unreadable', log: LOG, file: LOG, permission: false, message: '/home/bwdc/bwdc.log is a folder, not a file' }), [
        '$(warning) last sync: the log cannot be read',
        '/home/bwdc/bwdc.log is a folder, not a file',
        'warning',
      ]);
      assert.deepStrictEqual(shown({ kind: 'not-ours', log: LOG, file: LOG }), [
        '$(warning) last sync: not a log of the sync script',
        '/home/bwdc/bwdc.log is not a log the sync script wrote (its first line is not "<time> [<label>] <message>"); nothing of it was read. Check the log line of the schedule file.',
        'warning',
      ]);
      assert.deepStrictEqual(shown(state('')), ['last sync: no runs recorded yet', '/home/bwdc/bwdc.log holds no run yet.', 'information']);
      assert.deepStrictEqual(shown(state(chunks[4]!)), ['last sync: no runs recorded yet', '/home/bwdc/bwdc.log holds test runs only.', 'information']);
      assert.deepStrictEqual(shown({ kind: 'unavailable', reason: 'fix the errors in the schedule file first' }), [
        'last sync: unknown',
        'fix the errors in the schedule file first',
        'information',
      ]);
    });

    it('speaks German with the German bundle and a German locale', () => {
      const shown = withBundle(germanBundle(), () => lastRunStatus(state(upTo(1)), presentation('2026-12-02T13:00:00+01:00', { locale: 'de' })));
      assert.strictEqual(shown.text, '$(error) letzte Synchronisierung Mi., 12:00: instance-1 fehlgeschlagen: login failed: the client secret was rejected');
    });
  });

  describe('the hover on the log line', () => {
    it('lists the newest runs: when, result and how long, each instance with what happened', () => {
      const markdown = recentRunsMarkdown(state(fixture('runs.log')), presentation('2026-12-08T13:00:00+01:00'), 3);
      assert.strictEqual(
        markdown,
        [
          '**Recent runs**, newest first, in Europe/Berlin:',
          '',
          '| started | result | instances |',
          '|---|---|---|',
          '| Tue 12:00 | running | instance-1: ok, 2 groups, 5 users |',
          '| Mon 12:00 | failed | instance-1: failed, the run ended without a finish line: it was killed, or the machine stopped · instance-2: failed, the run ended without a finish line: it was killed, or the machine stopped |',
          '| Sat 09:30 | test run \\(7s\\) | instance-1: ok, 2 groups, 4 users · instance-2: skipped, /srv/bwdc/instance-2 has no data.json; configure the Directory Connector for it first |',
        ].join('\n'),
      );
    });

    it('says in one line why there are no runs to list', () => {
      assert.strictEqual(
        recentRunsMarkdown({ kind: 'missing', log: LOG }, presentation('2026-12-08T13:00:00+01:00'), 5),
        '**Recent runs:** last sync: no runs recorded yet. /home/bwdc/bwdc.log does not exist yet; the sync script creates it when it first runs.',
      );
    });
  });

  describe('the Sync History document', () => {
    it('has a table of the runs, newest first, then each run with its instances and its own log lines', () => {
      const markdown = historyMarkdown(state(runChunks().slice(0, 2).join(''), { lines: 100 }), presentation('2026-12-02T13:00:00+01:00'));
      const lines = markdown.split('\n');
      assert.deepStrictEqual(lines.slice(0, 11), [
        '# Sync history: weekly-sync.bwdc-schedule',
        '',
        'Runs newest first, from `/home/bwdc/bwdc.log` and the rotated logs beside it; times in Europe/Berlin.',
        '',
        '**last sync Wed 12:00: instance-1 failed: login failed: the client secret was rejected**',
        '',
        '| # | started | result | took | bwdc | instances |',
        '|---|---|---|---|---|---|',
        '| 1 | Wed, 12/02/2026, 12:00:01 | failed | 13s | 2026.6.1 | instance-1: failed, login failed: the client secret was rejected; check the client-id line and the secret the secret li…<br>instance-2: ok, nothing changed; logout failed: bwdc logout exited with 1; the next run ends that session first |',
        '| 2 | Tue, 12/01/2026, 12:00:01 | ok | 20s | 2026.6.1 | instance-1: ok, 2 groups, 4 users<br>instance-2: ok, 3 groups, 12 users |',
        '',
      ]);
      const second = lines.indexOf('## 2 · Tue, 12/01/2026, 12:00:01 · ok');
      assert.ok(lines.indexOf('## 1 · Wed, 12/02/2026, 12:00:01 · failed') > 0 && second > 0, markdown);
      assert.deepStrictEqual(lines.slice(second, second + 7), [
        '## 2 · Tue, 12/01/2026, 12:00:01 · ok',
        '',
        '- instance-1: ok, 2 groups, 4 users',
        '- instance-2: ok, 3 groups, 12 users',
        '',
        '```text',
        '2026-12-01T12:00:01+01:00 [weekly-sync] run started (pid 4242)',
      ]);
      assert.strictEqual(lines.filter((line) => line.startsWith('2026-12-01')).length, 13, 'all 13 lines of the first run');
      assert.deepStrictEqual(lines.slice(-3), [
        '2026-12-01T12:00:21+01:00 [weekly-sync] run finished: instance-1: synced: 2 groups, 4 users; instance-2: synced: 3 groups, 12 users; exit 0',
        '```',
        '',
      ]);
    });

    it('keeps a run to its first and last lines, saying how many were left out, and no line can leave its code block', () => {
      const hostile = '2026-12-01T12:00:05+01:00 [instance-1] bwdc: </pre><script>alert(1)</script> ``` | # \u001b[31m\r';
      const text = runChunks()[0]!.replace('logged in\n', `logged in\n${`${hostile}\n`.repeat(30)}`);
      const markdown = historyMarkdown(state(text, { lines: 10 }), presentation('2026-12-01T13:00:00+01:00'));
      const all = markdown.split('\n');
      const open = all.indexOf('````text');
      assert.ok(open > 0, markdown);
      const code = all.slice(open + 1, all.indexOf('````', open));
      assert.strictEqual(code.length, 11, 'a fence longer than the backticks in the lines holds them all');
      assert.strictEqual(code[0], '2026-12-01T12:00:01+01:00 [weekly-sync] run started (pid 4242)');
      assert.strictEqual(code[5], '… 33 more lines …');
      assert.strictEqual(
        code[10],
        '2026-12-01T12:00:21+01:00 [weekly-sync] run finished: instance-1: synced: 2 groups, 4 users; instance-2: synced: 3 groups, 12 users; exit 0',
      );
      const kept = code.filter((line) => line.includes('alert(1)'));
      assert.deepStrictEqual(kept, ['2026-12-01T12:00:05+01:00 [instance-1] bwdc: </pre><script>alert(1)</script> ``` | # \uFFFD[31m']);
    });

    it('says why there is no history instead of a table', () => {
      assert.strictEqual(
        historyMarkdown({ kind: 'not-ours', log: LOG, file: LOG }, presentation('2026-12-08T13:00:00+01:00')),
        [
          '# Sync history: weekly-sync.bwdc-schedule',
          '',
          '**last sync: not a log of the sync script**',
          '',
          '/home/bwdc/bwdc.log is not a log the sync script wrote \\(its first line is not "\\<time\\> \\[\\<label\\>\\] \\<message\\>"\\); nothing of it was read. Check the log line of the schedule file.',
          '',
        ].join('\n'),
      );
    });

    it('notes older runs left out for the bound on reading, and lines that were not understood', () => {
      const given = { ...(state(runChunks()[0]!) as Extract<HistoryState, { kind: 'runs' }>), complete: false, skipped: { lines: 3, file: LOG, line: 7 } };
      const markdown = historyMarkdown(given, presentation('2026-12-01T13:00:00+01:00'));
      assert.ok(markdown.includes('Older runs are not shown: "bwdc-schedule history /srv/weekly-sync.bwdc-schedule --count N" lists them.'), markdown);
      assert.ok(markdown.includes('3 lines of the log were not understood and were skipped \\(the first: /home/bwdc/bwdc.log, line 7\\).'), markdown);
    });
  });

  describe('times', () => {
    it('writes a time of the last six days as weekday and time, an older one with its date, in the zone and the language', () => {
      const at = presentation('2026-12-08T13:00:00+01:00', { use24HourTime: undefined });
      assert.strictEqual(shortTime('2026-12-08T12:00:01+01:00', at), 'Tue 12:00 PM');
      assert.strictEqual(shortTime('2026-12-08T11:00:01Z', at), 'Tue 12:00 PM');
      assert.strictEqual(shortTime('2026-12-03T12:00:01+01:00', at), 'Thu 12:00 PM');
      assert.strictEqual(shortTime('2026-12-02T12:00:01+01:00', at), 'Dec 2, 2026, 12:00 PM');
      assert.strictEqual(shortTime('2026-11-30T12:00:01+01:00', at), 'Nov 30, 2026, 12:00 PM');
      assert.strictEqual(shortTime('2026-12-08T12:00:01+01:00', { ...at, zone: TimeZone.get('America/New_York')! }), 'Tue 06:00 AM');
      assert.strictEqual(shortTime('2026-12-08T12:00:01.1234567+01:00', { ...at, locale: 'de' }), 'Di., 12:00');
      assert.strictEqual(shortTime('not a time', at), 'not a time');
    });

    it('writes how long a run took, and nothing for a run without an end', () => {
      const run = (start: string, end: string | null) => ({ start, end, result: 'ok' as const, bwdcVersion: null, instances: [] });
      assert.strictEqual(runDuration(run('2026-12-01T12:00:01+01:00', '2026-12-01T12:00:14+01:00')), '13s');
      assert.strictEqual(runDuration(run('2026-12-01T12:00:01+01:00', '2026-12-01T12:04:06+01:00')), '4m05s');
      assert.strictEqual(runDuration(run('2026-12-01T12:00:01+01:00', '2026-12-01T13:02:01+01:00')), '1h02m');
      assert.strictEqual(runDuration(run('2026-12-01T12:00:01+01:00', null)), undefined);
      assert.strictEqual(runDuration(run('2026-12-01T12:00:01+01:00', '2026-12-01T11:00:01+01:00')), undefined);
    });
  });
});
