import * as assert from 'assert';
import { diagnoseSchedule, type DiagnoseContext } from '../../../src/core/schedule/diagnose';
import { directiveHover, scheduleHover, type HoverOptions } from '../../../src/core/schedule/hover';
import { resolveJob } from '../../../src/core/schedule/job';
import { crontabStatus } from '../../../src/workflows/crontab';

/** Everything a valid linux file needs, without a scheduler line. */
const BASE = [
  'schedule   0 12 * * 1',
  'client-id  organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
  'secret     file:/etc/bwdc/client_secret',
  'env        BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true',
];

function file(...lines: string[]): string {
  return [...BASE, ...lines].join('\n');
}

function codes(text: string, context: Partial<DiagnoseContext> = {}): string[] {
  return diagnoseSchedule(text, { hostPlatform: 'linux', ...context }).map((d) => `${d.range.start.line}:${d.severity}:${d.code}`);
}

function only(text: string, code: string, context: Partial<DiagnoseContext> = {}) {
  const found = diagnoseSchedule(text, { hostPlatform: 'linux', ...context }).filter((d) => d.code === code);
  assert.strictEqual(found.length, 1, `${code} in ${JSON.stringify(codes(text, context))}`);
  return found[0]!;
}

describe('the scheduler, catch-up and random-delay directives', () => {
  describe('scheduler', () => {
    it('accepts cron and systemd on linux, cron on macos, task on windows', () => {
      assert.deepStrictEqual(codes(file('scheduler cron')), []);
      assert.deepStrictEqual(codes(file('scheduler systemd')), []);
      assert.deepStrictEqual(codes(file('platform macos', 'scheduler cron')), []);
      assert.deepStrictEqual(
        codes(
          [
            'schedule 0 20 * * 0',
            'client-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
            'secret env:BWDC_SECRET',
            'platform windows',
            'scheduler task',
          ].join('\n'),
        ),
        [],
      );
    });

    const combinations: ReadonlyArray<readonly [platform: string, scheduler: string, message: RegExp, fix: string]> = [
      ['macos', 'systemd', /systemd timers are for linux; on macos the job is started by cron/, 'cron'],
      ['windows', 'systemd', /systemd timers are for linux; on windows the job is started by task/, 'task'],
      ['linux', 'task', /Task Scheduler is for windows; on linux use 'scheduler cron' or 'scheduler systemd'/, 'cron'],
      ['macos', 'task', /Task Scheduler is for windows; on macos use 'scheduler cron'\./, 'cron'],
      ['windows', 'cron', /cron is for linux and macos/, 'task'],
    ];
    for (const [platform, scheduler, message, fix] of combinations) {
      it(`refuses scheduler ${scheduler} with platform ${platform} (scheduler-platform), offering ${fix}`, () => {
        const text = [
          `schedule 0 20 * * 0`,
          'client-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
          'secret env:BWDC_SECRET',
          `platform ${platform}`,
          `scheduler ${scheduler}`,
        ].join('\n');
        const diagnostic = only(text, 'scheduler-platform');
        assert.strictEqual(diagnostic.severity, 'error');
        assert.match(diagnostic.message, message);
        assert.deepStrictEqual(
          diagnostic.fixes?.map((f) => f.edits[0]!.newText),
          [fix],
        );
      });
    }

    it('refuses an unknown scheduler (invalid-scheduler), suggesting the one meant when it fits the platform', () => {
      assert.deepStrictEqual(
        only(file('scheduler Systemd'), 'invalid-scheduler').fixes?.map((f) => f.edits[0]!.newText),
        ['systemd'],
      );
      assert.deepStrictEqual(
        only(file('scheduler crontab'), 'invalid-scheduler').fixes?.map((f) => f.edits[0]!.newText),
        ['cron'],
      );
      assert.strictEqual(only(file('scheduler schtasks'), 'invalid-scheduler').fixes, undefined);
      assert.match(only(file('scheduler anacron'), 'invalid-scheduler').message, /Unknown scheduler 'anacron'/);
    });
  });

  describe('timer-inexact on schedule lines of a systemd file', () => {
    it('is an error on @reboot, saying what differs', () => {
      const diagnostic = only(file('scheduler systemd', 'schedule @reboot'), 'timer-inexact');
      assert.strictEqual(diagnostic.severity, 'error');
      assert.strictEqual(diagnostic.range.start.line, 5);
      assert.match(diagnostic.message, /^cron runs this: .*\. A systemd timer cannot run it exactly\. @reboot is not a calendar time/);
    });

    it('is not given for what a timer can do (the AND quirk included), nor in a cron file', () => {
      assert.deepStrictEqual(codes(file('scheduler systemd', 'schedule 0 0 */2 * sun', 'schedule 30 4 1,15 * 5')), [
        '5:warning:cron-day-and',
        '6:warning:cron-day-or',
      ]);
      assert.deepStrictEqual(codes(file('schedule @reboot')), []);
    });

    it('leaves a never-firing line to cron-never-fires', () => {
      assert.deepStrictEqual(codes(file('scheduler systemd', 'schedule 0 0 30 2 *')), ['5:warning:cron-never-fires']);
    });
  });

  describe('catch-up', () => {
    it('takes yes or no, and offers the spelling meant', () => {
      assert.deepStrictEqual(codes(file('scheduler systemd', 'catch-up no')), []);
      const diagnostic = only(file('catch-up true'), 'invalid-catch-up');
      assert.deepStrictEqual(
        diagnostic.fixes?.map((f) => f.edits[0]!.newText),
        ['yes'],
      );
    });

    it('warns that cron has no catch-up when a cron file asks for one, pointing to systemd on linux', () => {
      const diagnostic = only(file('catch-up yes'), 'catch-up-unsupported');
      assert.strictEqual(diagnostic.severity, 'warning');
      assert.match(diagnostic.message, /cron has no catch-up.*'scheduler systemd' catches up/);
      assert.doesNotMatch(only(file('platform macos', 'catch-up yes'), 'catch-up-unsupported').message, /systemd/);
      assert.deepStrictEqual(codes(file('catch-up no')), [], 'no is what cron does anyway');
    });
  });

  describe('random-delay', () => {
    it('takes a duration from 1 second to 24 hours', () => {
      assert.deepStrictEqual(codes(file('scheduler systemd', 'random-delay 5m')), []);
      assert.match(only(file('scheduler systemd', 'random-delay soon'), 'invalid-random-delay').message, /not a duration/);
      assert.match(only(file('scheduler systemd', 'random-delay 25h'), 'invalid-random-delay').message, /between 1 second and 24 hours/);
    });

    it('warns that cron and Task Scheduler ignore it', () => {
      assert.match(only(file('random-delay 5m'), 'random-delay-unsupported').message, /cron starts the job on time/);
      const windows = [
        'schedule 0 20 * * 0',
        'client-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
        'secret env:BWDC_SECRET',
        'platform windows',
        'random-delay 5m',
      ].join('\n');
      assert.match(only(windows, 'random-delay-unsupported').message, /Task Scheduler starts the job on time/);
    });
  });

  it('warns that a systemd service does not see an env: secret unless it is added to the service', () => {
    const text = file('scheduler systemd').replace('file:/etc/bwdc/client_secret', 'env:BWDC_SECRET');
    const diagnostic = only(text, 'secret-env-systemd');
    assert.strictEqual(diagnostic.severity, 'warning');
    assert.match(diagnostic.message, /BWDC_SECRET is not set for the script unless you add it to the service/);
  });

  it('resolves the job: the scheduler (default cron, task on windows), catch-up and the random delay', () => {
    const job = (text: string, hostPlatform: 'linux' | 'windows' = 'linux') =>
      resolveJob(text, { scheduleFile: '/srv/bwdc/x.bwdc-schedule', hostPlatform, bwdcOnPath: '/usr/bin/bwdc' }).job!;
    const systemd = job(file('scheduler systemd', 'catch-up no', 'random-delay 1h30m'));
    assert.deepStrictEqual([systemd.scheduler, systemd.catchUp, systemd.randomDelaySeconds], ['systemd', false, 5400]);
    const plain = job(file());
    assert.deepStrictEqual([plain.scheduler, plain.catchUp, plain.randomDelaySeconds], ['cron', undefined, undefined]);
    const windows = job(
      ['schedule 0 20 * * 0', 'client-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11', 'secret env:BWDC_SECRET', 'platform windows'].join('\n'),
      'windows',
    );
    assert.strictEqual(windows.scheduler, 'task');
  });

  it('keeps crontab away from a systemd job', async () => {
    const job = resolveJob(file('scheduler systemd'), { scheduleFile: '/srv/bwdc/x.bwdc-schedule', hostPlatform: 'linux', bwdcOnPath: '/usr/bin/bwdc' }).job!;
    const host = {
      runner: { run: () => Promise.reject(new Error('no process may start')) },
      currentUser: { name: 'root', uid: 0, gid: 0 },
      commandForAdmin: 'x',
    };
    await assert.rejects(
      crontabStatus(job, host as unknown as Parameters<typeof crontabStatus>[1]),
      /started by a systemd timer \(scheduler systemd\), not cron/,
    );
  });

  it('documents the directives in their hovers', () => {
    assert.match(directiveHover('scheduler')!, /\*\*scheduler\*\* — optional, at most once/);
    assert.match(directiveHover('catch-up')!, /Persistent=/);
    assert.match(directiveHover('random-delay')!, /RandomizedDelaySec=/);
  });
});

describe('the hover on a schedule line of a systemd file', () => {
  /** 2026-01-01T00:00:00Z: the next clock change in Europe/Berlin is 29 March 2026. */
  const OPTIONS: HoverOptions = { nextRunCount: 3, now: Date.UTC(2026, 0, 1), hostZone: 'UTC', hostPlatform: 'linux', use24HourTime: true };
  const hover = (text: string, line: number, character = 12): string => scheduleHover(text, { line, character }, OPTIONS)!.markdown;

  it('shows the OnCalendar= lines, two for an OR of the day fields', () => {
    const markdown = hover(file('scheduler systemd', 'schedule   30 4 1,15 * 5'), 5);
    assert.match(markdown, /\*\*systemd timer:\*\*\n- `OnCalendar=\*-\*-01,15 04:30:00`\n- `OnCalendar=Fri \*-\*-\* 04:30:00`/);
    assert.doesNotMatch(markdown, /timezone/);
    assert.doesNotMatch(hover(file('schedule   30 4 1,15 * 5'), 4), /systemd timer/, 'not in a cron file');
  });

  it('with a timezone line: the zone suffix, and that the timer follows the zone, which cron cannot', () => {
    const markdown = hover(file('scheduler systemd', 'timezone Europe/Berlin'), 0);
    assert.match(markdown, /`OnCalendar=Mon \*-\*-\* 12:00:00 Europe\/Berlin`/);
    assert.match(
      markdown,
      /The timer follows the `timezone` line: it runs on Europe\/Berlin's clock whatever zone the machine is set to\. cron cannot do this/,
    );
    const zone = scheduleHover(file('scheduler systemd', 'timezone Europe/Berlin'), { line: 5, character: 12 }, OPTIONS)!.markdown;
    assert.match(zone, /The systemd timer follows this zone/);
    assert.doesNotMatch(zone, /only sets the zone the next runs are shown in/);
  });

  it('lists the runs of the next 12 months that differ from cron on the days the clocks change', () => {
    const skipped = hover(file('scheduler systemd', 'timezone Europe/Berlin', 'schedule   30 2 * * *'), 6);
    assert.match(
      skipped,
      /On the days the clocks change in Europe\/Berlin, the timer does not run as cron does:\n- .*03:00.* — cron starts the job late for 02:30, a time the clocks skip; the timer skips that time/,
    );
    const repeated = hover(file('scheduler systemd', 'timezone Europe/Berlin', 'schedule   */30 2 * * *'), 6);
    assert.match(repeated, /- .*02:00.* — cron runs this wildcard job again in the repeated hour \(02:00 comes twice\)/);
    assert.match(repeated, /- .*02:30.* — cron runs this wildcard job again in the repeated hour \(02:30 comes twice\)/);
    assert.doesNotMatch(hover(file('scheduler systemd', 'schedule   30 2 * * *'), 5), /clocks change/, 'UTC has no clock changes');
  });

  it('says why a line has no timer form', () => {
    assert.match(hover(file('scheduler systemd', 'schedule   @reboot'), 5), /\*\*systemd timer:\*\* \$\(error\) @reboot is not a calendar time/);
  });
});
