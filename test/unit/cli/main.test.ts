import * as assert from 'assert';
import { version } from '../../../package.json';
import { pathKind } from '../../../src/host/files';
import { FAKE_SECRET, fixturePath, readExpected, readFixture, SCHEDULE_FIXTURES } from '../schedule/support';
import { run } from './fakeIo';

const LINE = /^(.+):(\d+):(\d+): (error|warning|information|hint) ([a-z-]+): (.+)$/;

/** No "    at foo (file.js:1:2)" lines anywhere. */
function assertNoStackTrace(text: string): void {
  assert.doesNotMatch(text, /^\s+at .+:\d+:\d+\)?$/m, text);
}

describe('bwdc-schedule', () => {
  describe('help and version', () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      it(`prints the usage and exits 0 for ${argv.join(' ')}`, () => {
        const result = run(argv);
        assert.strictEqual(result.code, 0);
        assert.match(result.stdout, /^Usage: bwdc-schedule <command>/);
        for (const command of ['check FILE...', 'explain EXPR', 'next EXPR|FILE']) assert.ok(result.stdout.includes(command), command);
        assert.strictEqual(result.stderr, '');
      });
    }

    it('prints the usage and exits 2 when no command is given', () => {
      const result = run([]);
      assert.strictEqual(result.code, 2);
      assert.match(result.stdout + result.stderr, /Usage: bwdc-schedule <command>/);
    });

    const subcommands: { readonly command: string; readonly usage: string }[] = [
      { command: 'check', usage: 'Usage: bwdc-schedule check FILE... [--json]' },
      { command: 'explain', usage: 'Usage: bwdc-schedule explain EXPR' },
      { command: 'next', usage: 'Usage: bwdc-schedule next EXPR|FILE' },
    ];
    for (const { command, usage } of subcommands) {
      for (const flag of ['--help', '-h']) {
        it(`prints the usage of ${command} for ${command} ${flag}`, () => {
          const result = run([command, flag]);
          assert.strictEqual(result.code, 0);
          assert.ok(result.stdout.startsWith(usage), result.stdout);
          assert.match(result.stdout, /Exit status/);
          assert.strictEqual(result.stderr, '');
        });
      }

      it(`prints the version for ${command} --version`, () => {
        assert.deepStrictEqual(run([command, '--version']), { code: 0, stdout: `${version}\n`, stderr: '' });
      });
    }

    it('prints the version of package.json for --version', () => {
      assert.deepStrictEqual(run(['--version']), { code: 0, stdout: `${version}\n`, stderr: '' });
      assert.match(version, /^\d+\.\d+\.\d+/);
    });
  });

  describe('usage errors', () => {
    const usage: { readonly argv: readonly string[]; readonly words: readonly string[] }[] = [
      { argv: ['frobnicate'], words: ["unknown command 'frobnicate'", 'check, explain, next', '--help'] },
      { argv: ['check'], words: ['check: name at least one file'] },
      { argv: ['check', '--verbose', 'x.bwdc-schedule'], words: ['check:', "'--verbose'"] },
      { argv: ['explain'], words: ['explain: give a cron expression'] },
      { argv: ['explain', '0 12 * * 1', '--locale'], words: ['explain:', '--locale'] },
      { argv: ['next'], words: ['next: give a cron expression or a schedule file'] },
      { argv: ['next', '* * * * *', '--count', '0'], words: ['--count must be a whole number from 1 to 1000', "'0'"] },
      { argv: ['next', '* * * * *', '--count', 'five'], words: ["'five'"] },
      { argv: ['next', '* * * * *', '--count', '1001'], words: ["'1001'"] },
      { argv: ['next', '* * * * *', '--tz', 'Mars/Base'], words: ["unknown time zone 'Mars/Base'", 'IANA'] },
      { argv: ['next', '* * * * *', '--from', 'yesterday'], words: ["--from 'yesterday' is not an ISO 8601 time", '2025-01-01T00:00:00Z'] },
      { argv: ['next', '* * * * *', '--from', '2025-02-30'], words: ["--from '2025-02-30' is not a valid date"] },
      { argv: ['next', '* * * * *', '--from', '2025-13-01T00:00Z'], words: ["--from '2025-13-01T00:00Z' is not a valid time"] },
    ];
    for (const { argv, words } of usage) {
      it(`exits 2 with a one-line reason on stderr for ${JSON.stringify(argv)}`, () => {
        const result = run(argv);
        assert.strictEqual(result.code, 2);
        assert.strictEqual(result.stdout, '');
        assert.match(result.stderr, /^bwdc-schedule: [^\n]+\n$/);
        for (const word of words) assert.ok(result.stderr.includes(word), `${word} in ${result.stderr}`);
        assertNoStackTrace(result.stderr);
      });
    }

    it('reports an unexpected failure in one line, without a stack trace', () => {
      const failing = (): never => {
        throw new TypeError('disk on fire');
      };
      const result = run(['check', 'a.bwdc-schedule'], { pathKind: failing });
      assert.strictEqual(result.code, 2);
      assert.strictEqual(result.stderr, 'bwdc-schedule: internal error: disk on fire\n');
      assert.strictEqual(result.stdout, '');
    });

    it('shows the stack of an unexpected failure only when BWDC_SCHEDULE_DEBUG is set', () => {
      const failing = (): never => {
        throw new TypeError('disk on fire');
      };
      const result = run(['check', 'a.bwdc-schedule'], { pathKind: failing, env: { BWDC_SCHEDULE_DEBUG: '1' } });
      assert.strictEqual(result.code, 2);
      assert.match(result.stderr, /^bwdc-schedule: internal error: disk on fire\nTypeError: disk on fire\n\s+at /);
    });
  });

  describe('check', () => {
    it('exits 0 and prints nothing for valid files', () => {
      const result = run(['check', 'linux.bwdc-schedule', 'windows.bwdc-schedule', 'macos.bwdc-schedule', 'sections.bwdc-schedule'], {
        cwd: SCHEDULE_FIXTURES,
        // The fixtures' folders are real; the rest of the machine (bwdc in /usr/local/bin) is taken as installed.
        pathKind: (file) => (file.startsWith(SCHEDULE_FIXTURES) ? pathKind(file) : 'file'),
      });
      // The outline's fixture leaves plaintext mode out on purpose: a warning, no error.
      assert.deepStrictEqual(result, { code: 0, stdout: result.stdout, stderr: '' });
      assert.deepStrictEqual(
        result.stdout
          .trimEnd()
          .split('\n')
          .map((line) => LINE.exec(line)?.slice(1, 6).join(' ')),
        ['sections.bwdc-schedule 12 1 warning plaintext-missing'],
      );
    });

    it('prints FILE:LINE:COL: severity code: message for every problem and exits 1', () => {
      const result = run(['check', 'every-error.bwdc-schedule'], { cwd: SCHEDULE_FIXTURES });
      assert.strictEqual(result.code, 1);
      assert.strictEqual(result.stderr, '');
      const printed = result.stdout.trimEnd().split('\n');
      const expected = readExpected('every-error.expected.json');
      assert.strictEqual(printed.length, expected.length);
      printed.forEach((line, index) => {
        const match = LINE.exec(line);
        assert.ok(match, line);
        const e = expected[index]!;
        assert.deepStrictEqual(match.slice(1, 6), ['every-error.bwdc-schedule', String(e.line), String(e.column), e.severity, e.code]);
        for (const word of e.words) assert.ok(match[6]!.includes(word), `${word} in ${line}`);
      });
    });

    it('prints one JSON array with 1-based positions for --json', () => {
      const result = run(['check', '--json', 'every-error.bwdc-schedule'], { cwd: SCHEDULE_FIXTURES });
      assert.strictEqual(result.code, 1);
      const printed = JSON.parse(result.stdout) as Record<string, unknown>[];
      const expected = readExpected('every-error.expected.json');
      assert.deepStrictEqual(
        printed.map((d) => Object.keys(d)),
        expected.map(() => ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message']),
      );
      assert.deepStrictEqual(
        printed.map(({ message: _message, ...rest }) => rest),
        expected.map(({ words: _words, ...rest }) => ({ file: 'every-error.bwdc-schedule', ...rest })),
      );
    });

    it('exits 0 when there are only warnings', () => {
      const files = {
        '/work/warn.bwdc-schedule':
          'schedule 0 0 13 * 5\nclient-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11\nsecret env:S\ninstance ./missing\nenv BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true\n',
      };
      const result = run(['check', 'warn.bwdc-schedule'], { files });
      assert.strictEqual(result.code, 0);
      assert.deepStrictEqual(
        result.stdout
          .trimEnd()
          .split('\n')
          .map((line) => LINE.exec(line)?.slice(2, 6).join(' ')),
        ['1 14 warning cron-day-or', '4 10 warning instance-missing'],
      );
      assert.ok(result.stdout.includes("'/work/missing'"), result.stdout);
    });

    it('prints [] for --json when all is well', () => {
      const files = { '/work/ok.bwdc-schedule': readFixture('macos.bwdc-schedule') };
      assert.deepStrictEqual(run(['check', '--json', 'ok.bwdc-schedule'], { files }), { code: 0, stdout: '[]\n', stderr: '' });
    });

    it('checks several files and names each in its lines', () => {
      const files = {
        '/work/a.bwdc-schedule':
          'schedule 0 24 * * *\nclient-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11\nsecret env:S\nenv BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true\n',
        '/work/jobs/b.bwdc-schedule':
          'schedule @daily\nclient-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11\nsecret env:S\nplatform bsd\nenv BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true\n',
      };
      const result = run(['check', 'a.bwdc-schedule', 'jobs/b.bwdc-schedule'], { files });
      assert.strictEqual(result.code, 1);
      assert.deepStrictEqual(
        result.stdout
          .trimEnd()
          .split('\n')
          .map((line) => LINE.exec(line)?.slice(1, 6).join(' ')),
        ['a.bwdc-schedule 1 12 error cron-out-of-range', 'jobs/b.bwdc-schedule 4 10 error invalid-platform'],
      );
    });

    it('exits 2 for a file it cannot read, after checking the others', () => {
      const files = { '/work/a.bwdc-schedule': 'schedule 0 24 * * *\n' };
      const result = run(['check', 'a.bwdc-schedule', 'missing.bwdc-schedule'], { files });
      assert.strictEqual(result.code, 2);
      assert.strictEqual(result.stderr, 'bwdc-schedule: missing.bwdc-schedule: cannot read it (no such file)\n');
      assert.match(result.stdout, /^a\.bwdc-schedule:1:12: error cron-out-of-range: /m);
    });

    it('exits 2 for a folder', () => {
      const result = run(['check', 'instances'], { cwd: SCHEDULE_FIXTURES });
      assert.deepStrictEqual(result, { code: 2, stdout: '', stderr: 'bwdc-schedule: instances: is a folder, not a file\n' });
    });

    it('reads a file saved with a byte order mark like the editor does', () => {
      const files = { '/work/bom.bwdc-schedule': `\uFEFF${readFixture('linux.bwdc-schedule')}` };
      // A Windows host: the Linux job's paths are not looked up there.
      const result = run(['check', '--json', 'bom.bwdc-schedule'], { files, hostPlatform: 'windows' });
      assert.deepStrictEqual(result, { code: 0, stdout: '[]\n', stderr: '' });
    });

    it('neither echoes a pasted secret nor lets control characters reach the terminal', () => {
      const result = run(['check', 'hostile.bwdc-schedule'], { cwd: SCHEDULE_FIXTURES });
      assert.strictEqual(result.code, 1);
      assert.ok(!result.stdout.includes(FAKE_SECRET), 'the secret is not printed');
      // eslint-disable-next-line no-control-regex -- asserts that no control character is printed
      assert.doesNotMatch(result.stdout.replace(/\n/g, ''), /[\u0000-\u001f\u007f-\u009f]/, 'no raw control character');
      assert.ok(result.stdout.includes("'$(reboot)\\u001B]0;pwned\\u0007' is not a valid job name"), result.stdout);
      assert.deepStrictEqual(
        result.stdout
          .trimEnd()
          .split('\n')
          .map((line) => LINE.exec(line)?.slice(2, 6).join(' ')),
        [
          '2 12 error invalid-name',
          '2 21 error control-character',
          '3 21 error cron-unsupported-syntax',
          '5 1 warning plaintext-missing',
          '7 12 error invalid-run-as',
          '8 25 error control-character',
          '9 1 error literal-secret',
          '10 27 error literal-secret',
          '11 22 error control-character',
          '12 12 warning bwdc-missing',
          '12 25 error control-character',
        ],
      );
    });

    it('keeps a pasted secret out of --json too', () => {
      const result = run(['check', '--json', 'hostile.bwdc-schedule'], { cwd: SCHEDULE_FIXTURES });
      assert.strictEqual(result.code, 1);
      assert.ok(!result.stdout.includes(FAKE_SECRET));
      assert.strictEqual((JSON.parse(result.stdout) as unknown[]).length, 11);
    });
  });

  describe('explain', () => {
    const sentences: { readonly argv: readonly string[]; readonly line: string }[] = [
      { argv: ['0 12 * * 1'], line: 'At 12:00 PM, only on Monday' },
      { argv: ['0', '12', '*', '*', '1'], line: 'At 12:00 PM, only on Monday' },
      { argv: ['0 12 * * 1', '--24h'], line: 'At 12:00, only on Monday' },
      { argv: ['0 12 * * 1', '--locale', 'de'], line: 'Um 12:00, nur jeden Montag' },
      { argv: ['--locale', 'xx', '0 12 * * 1'], line: 'At 12:00 PM, only on Monday' },
      { argv: ['0 0 31 2 *'], line: 'Never runs: February never has day 31.' },
      { argv: ['@weekly'], line: 'At 12:00 AM, only on Sunday' },
    ];
    for (const { argv, line } of sentences) {
      it(`says "${line}" in one line for ${JSON.stringify(argv)}`, () => {
        const result = run(['explain', ...argv]);
        assert.strictEqual(result.code, 0);
        assert.strictEqual(result.stdout, `${line}\n`);
        assert.strictEqual(result.stderr, '');
      });
    }

    it('says @reboot runs at startup', () => {
      const result = run(['explain', '@reboot']);
      assert.strictEqual(result.code, 0);
      assert.match(result.stdout, /^[^\n]*startup[^\n]*\n$/);
    });

    it('adds what to know with --notes', () => {
      const result = run(['explain', '0 0 13 * 5', '--notes']);
      assert.strictEqual(result.code, 0);
      const [sentence, ...notes] = result.stdout.trimEnd().split('\n');
      assert.strictEqual(sentence, 'At 12:00 AM, on day 13 of the month, or on Friday');
      assert.strictEqual(notes.length, 1);
      assert.match(notes[0]!, /^ {2}note: .*OR/);
    });

    it('puts a parse warning on stderr and the description on stdout', () => {
      const result = run(['explain', '5-2 * * * *']);
      assert.strictEqual(result.code, 0);
      assert.match(result.stdout, /^Never runs: [^\n]+\n$/);
      assert.match(result.stderr, /^warning: minute: the range '5-2' runs backwards/);
    });

    it('exits 1 with the error on stderr for an invalid expression', () => {
      const result = run(['explain', '0 24 * * *']);
      assert.deepStrictEqual(result, { code: 1, stdout: '', stderr: 'bwdc-schedule: 0 24 * * *: hour: 24 is out of range 0–23.\n' });
    });
  });

  describe('next', () => {
    /** Midnights (UTC) of Sundays on odd dates after 2025-01-01, found by walking the calendar. */
    function oddSundays(count: number): string[] {
      const found: string[] = [];
      for (let day = Date.UTC(2025, 0, 1); found.length < count; day += 86_400_000) {
        const date = new Date(day);
        if (date.getUTCDay() === 0 && date.getUTCDate() % 2 === 1) found.push(date.toISOString());
      }
      return found;
    }

    it("prints the Sundays on odd dates for the issue's example '0 0 */2 * sun'", () => {
      const result = run(['next', '0 0 */2 * sun', '--from', '2025-01-01T00:00:00Z', '--json']);
      assert.strictEqual(result.code, 0);
      assert.deepStrictEqual(JSON.parse(result.stdout), oddSundays(5));
      assert.deepStrictEqual(oddSundays(5), [
        '2025-01-05T00:00:00.000Z',
        '2025-01-19T00:00:00.000Z',
        '2025-02-09T00:00:00.000Z',
        '2025-02-23T00:00:00.000Z',
        '2025-03-09T00:00:00.000Z',
      ]);
      assert.strictEqual(result.stderr, '');
    });

    it('prints as many runs as --count asks for', () => {
      const result = run(['next', '0 0 */2 * sun', '--from', '2025-01-01T00:00:00Z', '--json', '--count', '12']);
      assert.deepStrictEqual(JSON.parse(result.stdout), oddSundays(12));
    });

    it('starts strictly after --from', () => {
      const result = run(['next', '0 0 * * *', '--from', '2025-01-01T00:00:00Z', '--count', '2', '--json']);
      assert.strictEqual(result.stdout, '["2025-01-02T00:00:00.000Z","2025-01-03T00:00:00.000Z"]\n');
    });

    it('starts after now without --from', () => {
      const result = run(['next', '0 12 * * 1', '--count', '1', '--json'], { now: Date.UTC(2025, 0, 6, 12, 0) });
      assert.strictEqual(result.stdout, '["2025-01-13T12:00:00.000Z"]\n');
    });

    it('computes in --tz and prints UTC instants in JSON', () => {
      const result = run(['next', '0 12 * * 1', '--tz', 'Europe/Berlin', '--from', '2025-01-01T00:00:00Z', '--count', '1', '--json']);
      assert.strictEqual(result.stdout, '["2025-01-06T11:00:00.000Z"]\n');
    });

    it("computes in this machine's zone by default", () => {
      const result = run(['next', '0 12 * * 1', '--from', '2025-01-01T00:00:00Z', '--count', '1', '--json'], { hostZone: 'America/New_York' });
      assert.strictEqual(result.stdout, '["2025-01-06T17:00:00.000Z"]\n');
    });

    it('reads a --from without an offset as a wall time in the zone', () => {
      const result = run(['next', '0 12 * * *', '--tz', 'Europe/Berlin', '--from', '2025-01-01T12:00', '--count', '1', '--json']);
      assert.strictEqual(result.stdout, '["2025-01-02T11:00:00.000Z"]\n');
      // 12:00+01:00 is 11:00 UTC, an hour before the UTC noon run.
      const offset = run(['next', '0 12 * * *', '--from', '2025-01-01T12:00+01:00', '--count', '1', '--json']);
      assert.strictEqual(offset.stdout, '["2025-01-01T12:00:00.000Z"]\n');
    });

    it('prints one local time, weekday and zone per line without --json', () => {
      const result = run(['next', '0 12 * * 1', '--tz', 'Europe/Berlin', '--from', '2025-01-01T00:00:00Z', '--count', '2']);
      assert.deepStrictEqual(result, {
        code: 0,
        stdout: '2025-01-06T12:00+01:00  Mon  Europe/Berlin\n2025-01-13T12:00+01:00  Mon  Europe/Berlin\n',
        stderr: '',
      });
    });

    it('prints [] and exits 0 for an expression that never fires, saying why on stderr', () => {
      const result = run(['next', '0 0 31 2 *', '--json']);
      assert.strictEqual(result.code, 0);
      assert.strictEqual(result.stdout, '[]\n');
      assert.strictEqual(result.stderr, 'bwdc-schedule: 0 0 31 2 *: Never runs: February never has day 31.\n');
    });

    it('prints nothing for a never-firing expression without --json', () => {
      const result = run(['next', '5-2 * * * *']);
      assert.strictEqual(result.code, 0);
      assert.strictEqual(result.stdout, '');
      assert.match(result.stderr, /Never runs/);
    });

    it('prints [] for @reboot with the reason on stderr', () => {
      const result = run(['next', '@reboot', '--json']);
      assert.deepStrictEqual(result, {
        code: 0,
        stdout: '[]\n',
        stderr: 'bwdc-schedule: @reboot runs once when cron starts after a boot, not at clock times\n',
      });
    });

    it('exits 1 with the error on stderr for an invalid expression', () => {
      const result = run(['next', '0 0 * * 8', '--json']);
      assert.deepStrictEqual(result, { code: 1, stdout: '', stderr: 'bwdc-schedule: 0 0 * * 8: day-of-week: 8 is out of range 0–7 (0 and 7 are Sunday).\n' });
    });

    describe('with a schedule file', () => {
      const files = {
        '/work/two.bwdc-schedule': 'timezone Europe/Berlin\nschedule 0 12 * * 1\nschedule 0 8 * * 3   # Wednesdays\nschedule @reboot\n',
        '/work/bad.bwdc-schedule': 'schedule 0 12 * * 1\nschedule   0 24 * * *\n',
        '/work/none.bwdc-schedule': 'name nothing-scheduled\n',
        '/work/schedule-without-suffix': 'schedule 30 6 * * *\n',
      };

      it('merges the runs of all its schedule lines, in its timezone', () => {
        const result = run(['next', 'two.bwdc-schedule', '--from', '2025-01-01T00:00:00Z', '--count', '3'], { files });
        assert.strictEqual(result.code, 0);
        assert.strictEqual(
          result.stdout,
          '2025-01-01T08:00+01:00  Wed  Europe/Berlin\n2025-01-06T12:00+01:00  Mon  Europe/Berlin\n2025-01-08T08:00+01:00  Wed  Europe/Berlin\n',
        );
        assert.match(result.stderr, /@reboot runs once when cron starts after a boot/);
      });

      it('lets --tz override the timezone line', () => {
        const result = run(['next', 'two.bwdc-schedule', '--from', '2025-01-01T00:00:00Z', '--count', '1', '--tz', 'UTC', '--json'], { files });
        assert.strictEqual(result.stdout, '["2025-01-01T08:00:00.000Z"]\n');
      });

      it('exits 1 and points at the invalid field as FILE:LINE:COL', () => {
        const result = run(['next', 'bad.bwdc-schedule', '--json'], { files });
        assert.deepStrictEqual(result, { code: 1, stdout: '', stderr: 'bad.bwdc-schedule:2:14: error cron-out-of-range: hour: 24 is out of range 0–23.\n' });
      });

      it('exits 1 for a file without a schedule line', () => {
        const result = run(['next', 'none.bwdc-schedule'], { files });
        assert.deepStrictEqual(result, { code: 1, stdout: '', stderr: 'bwdc-schedule: none.bwdc-schedule: has no schedule line\n' });
      });

      it('takes an existing file without the suffix as a file', () => {
        const result = run(['next', 'schedule-without-suffix', '--from', '2025-01-01T00:00:00Z', '--count', '1', '--json'], { files });
        assert.strictEqual(result.stdout, '["2025-01-01T06:30:00.000Z"]\n');
      });

      it('exits 2 for a schedule file it cannot read', () => {
        const result = run(['next', 'gone.bwdc-schedule'], { files });
        assert.deepStrictEqual(result, { code: 2, stdout: '', stderr: 'bwdc-schedule: gone.bwdc-schedule: cannot read it (no such file)\n' });
      });

      it("reads the seeds' fixture from disk", () => {
        const result = run(['next', fixturePath('linux.bwdc-schedule'), '--from', '2025-01-01T00:00:00Z', '--count', '2', '--json']);
        assert.deepStrictEqual(result, { code: 0, stdout: '["2025-01-06T11:00:00.000Z","2025-01-13T11:00:00.000Z"]\n', stderr: '' });
      });
    });
  });
});
