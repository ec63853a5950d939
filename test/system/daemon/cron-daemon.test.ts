/**
 * End to end under the real scheduler: a schedule file is set up the way an admin would (two
 * Directory Connector instance folders, the secret stored with `bwdc-schedule secret store`
 * from stdin), `bwdc-schedule crontab install FILE --yes` is run as root for a throwaway run-as
 * user, and Debian's own cron daemon (package cron, started here only if none runs) then runs
 * the generated script in its minimal environment (PATH=/usr/bin:/bin, HOME and LOGNAME from
 * passwd, SHELL=/bin/sh). The job runs every minute; the test waits for one run.
 *
 * `bwdc` itself is replaced by a stand-in, test/fixtures/bwdc-standin/bwdc.js, because the real
 * Bitwarden Directory Connector CLI cannot be obtained here. The stand-in behaves like bwdc as far
 * as the script can tell (exit codes, the environment it reads, its messages; BWDC-FACTS.md) and
 * records every call (argv, uid, environment) in a file named by an `env` line of the schedule.
 * Everything else is real: the CLI bundle (dist/cli.js), crontab(1), the cron daemon, bash.
 *
 * Needs root (it creates a user and uses its crontab); never touches any other crontab.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  installStandin,
  logLines,
  posixLayout,
  renderSchedule,
  scriptFixture,
  sequence,
  syncSequence,
  VALUES,
  type LogLine,
  type PosixLayout,
  type StandinCall,
} from '../../unit/script/support';
import { parseCron } from '../../../src/core/cron/parse';
import { TimeZone } from '../../../src/core/cron/zone';
import { installedAt } from '../../../src/core/crontab/block';
import { missedRuns } from '../../../src/core/history/missed';
import { parseHistory } from '../../../src/core/history/parse';
import { assertRoot, createUser, crontabOf, removeUser, type ThrowawayUser } from '../users';
import { awayFromMinuteEdge, chownTree, cliOk, cronPids, ensureCronDaemon, poll, stopCronDaemon, type StartedCron } from './support';

const JOB = 'cron-daemon-test';
const SECRET = VALUES.secret;
/** Cron may need up to a minute to notice the new crontab and another to fire. */
const RUN_WAIT_MS = 130_000;
/** What the script logs for one instance that syncs, in order (bwdc's expected words left out). */
const instanceOutput = (folder: string): string[] => [
  `instance folder: ${folder}`,
  'logged in',
  'synced: 2 groups, 5 users',
  'logged out',
  'result: synced: 2 groups, 5 users',
];

/** A stand-in call with the ids it ran as. */
type CronCall = StandinCall & { readonly uid: number; readonly gid: number };

interface Setup {
  readonly user: ThrowawayUser;
  readonly root: string;
  readonly layout: PosixLayout;
  readonly record: string;
  readonly script: string;
  /** XDG_STATE_HOME for the CLI: its crontab backups go to the temp folder, not root's home. */
  readonly cliEnv: NodeJS.ProcessEnv;
  readonly installedAt: number;
}

interface Run {
  readonly lines: readonly LogLine[];
  readonly calls: readonly CronCall[];
}

describe("a job installed with 'crontab install', run by Debian's cron daemon", function () {
  this.timeout(180_000);
  let setup: Setup | undefined;
  /** Kept apart from setup, so that a before() that fails halfway still cleans up. */
  let user: ThrowawayUser | undefined;
  let root: string | undefined;
  let cron: StartedCron | undefined;
  let run: Run | undefined;

  before(async () => {
    assertRoot();
    user = createUser();
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-daemon-test-')));
    fs.chmodSync(root, 0o755);
    const layout = posixLayout(root, 'plain');
    const record = path.join(layout.top, 'record.jsonl');
    setup = {
      user,
      root,
      layout,
      record,
      script: path.join(layout.top, 'bwdcSyncService.sh'),
      cliEnv: { XDG_STATE_HOME: path.join(root, 'state') },
      installedAt: 0,
    };

    fs.mkdirSync(layout.top, { mode: 0o700 });
    installStandin(layout.bwdc);
    for (const folder of layout.instances) {
      fs.mkdirSync(folder, { mode: 0o700 });
      fs.copyFileSync(scriptFixture('data', 'valid.json'), path.join(folder, 'data.json'));
      fs.chmodSync(path.join(folder, 'data.json'), 0o600);
    }
    fs.mkdirSync(layout.secretFolder, { mode: 0o700 });
    const text = renderSchedule('cron-daemon.template.bwdc-schedule', {
      platform: 'linux',
      runAs: user.name,
      bwdc: layout.bwdc,
      secret: `file:${layout.secretFile}`,
      instances: layout.instances,
      env: [...layout.names.env, `BWDC_STANDIN_RECORD=${record}`],
      log: layout.log,
    });
    fs.writeFileSync(layout.scheduleFile, text);
    // The run-as user owns what bwdc and the script write to: the instance folders, the log's
    // and the record's folder (as it would own its home).
    chownTree(layout.top, user.uid, user.gid);

    cliOk(['secret', 'store', layout.scheduleFile], { input: `${SECRET}\n`, env: setup.cliEnv });
    const stored = fs.statSync(layout.secretFile);
    assert.deepStrictEqual(
      { mode: stored.mode & 0o777, uid: stored.uid },
      { mode: 0o600, uid: user.uid },
      'secret store wrote the secret file 0600, owned by run-as',
    );

    const running = cronPids().length > 0;
    if (running) await awayFromMinuteEdge();
    cliOk(['crontab', 'install', layout.scheduleFile, '--yes'], { env: setup.cliEnv });
    setup = { ...setup, installedAt: Date.now() };
    cron = await ensureCronDaemon();
  });

  after(async () => {
    const problems: string[] = [];
    const step = async (what: string, action: () => void | Promise<void>): Promise<void> => {
      try {
        await action();
      } catch (error) {
        problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    if (setup) {
      const { layout, user, cliEnv } = setup;
      await step('crontab remove', () => {
        if (fs.existsSync(layout.scheduleFile)) cliOk(['crontab', 'remove', layout.scheduleFile, '--yes'], { env: cliEnv });
      });
      await step('the crontab is gone', () => assert.strictEqual(crontabOf(user.name), undefined));
    }
    if (cron) await step('stopping the cron daemon this test started', () => stopCronDaemon(cron!));
    // removeUser, not removeUsers: other suites in the same mocha process keep their own users.
    if (user) await step('removing the throwaway user', () => removeUser(user!));
    if (root) await step('removing the temp folder', () => fs.rmSync(root!, { recursive: true, force: true }));
    if (problems.length > 0) assert.fail(`cleanup: ${problems.join('; ')}`);
  });

  it("puts one line into the run-as user's crontab, which crontab status reports up to date", () => {
    const { layout, user, script, cliEnv } = setup!;
    const status = cliOk(['crontab', 'status', layout.scheduleFile, '--json'], { env: cliEnv });
    assert.deepStrictEqual(JSON.parse(status.stdout), { installed: true, upToDate: true, user: user.name, lines: [`* * * * * '${script}'`] });
    const written = fs.statSync(script);
    assert.deepStrictEqual({ mode: written.mode & 0o777, uid: written.uid }, { mode: 0o700, uid: user.uid }, 'the script belongs to run-as');
  });

  it('is run by cron within two minutes, and both instances sync', async () => {
    const { layout, record, user, installedAt } = setup!;
    const labels = [JOB, ...layout.labels];
    const finished = (): boolean => fs.existsSync(layout.log) && /\[cron-daemon-test\] run finished/.test(fs.readFileSync(layout.log, 'utf8'));
    await poll(finished, 'cron to run the job and the log to show a finished run', RUN_WAIT_MS, 1000, () =>
      [
        `cron daemons: ${cronPids().join(', ') || 'none'}`,
        `crontab of ${user.name}:\n${crontabOf(user.name) ?? '(none)'}`,
        `log:\n${fs.existsSync(layout.log) ? fs.readFileSync(layout.log, 'utf8') : '(none)'}`,
        `stand-in calls: ${fs.existsSync(record) ? fs.readFileSync(record, 'utf8').split('\n').filter(Boolean).length : 0}`,
      ].join('\n'),
    );
    // One snapshot of this run; a next run can start only at the next minute.
    const all = logLines(fs.readFileSync(layout.log, 'utf8'), labels);
    const end = all.findIndex((line) => line.label === JOB && line.message.startsWith('run finished'));
    const calls = fs
      .readFileSync(record, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as CronCall);
    run = { lines: all.slice(0, end + 1), calls };

    const lines = run.lines;
    assert.match(lines[0]!.message, /^run started \(pid \d+\)$/);
    assert.deepStrictEqual(lines.at(-1), {
      stamp: lines.at(-1)!.stamp,
      label: JOB,
      message: 'run finished: instance-1: synced: 2 groups, 5 users; instance-2: synced: 2 groups, 5 users; exit 0',
    });
    layout.labels.forEach((label, index) => {
      assert.deepStrictEqual(
        lines.filter((line) => line.label === label).map((line) => line.message),
        instanceOutput(layout.instances[index]!),
        `what happened to ${label}, logged line by line`,
      );
    });
    for (const line of lines) {
      const time = Date.parse(line.stamp);
      assert.ok(time >= Math.floor(installedAt / 1000) * 1000 && time <= Date.now(), `${line.stamp} is not after the install`);
    }
    const [first, second] = layout.instances;
    assert.deepStrictEqual(sequence(calls), [...syncSequence(first!), ...syncSequence(second!)]);
  });

  it('shows that run in bwdc-schedule history, as the script recorded it in <log>.last.json', () => {
    assert.ok(run, 'cron did not run the job');
    const { layout, cliEnv } = setup!;
    // Read first: a run that ends while history reads is then in the history too.
    const last = JSON.parse(fs.readFileSync(`${layout.log}.last.json`, 'utf8')) as { start: string };
    // Cron starts the job every minute: a later run may be going on by now, so find this one.
    const history = JSON.parse(cliOk(['history', layout.scheduleFile, '--json', '--count', '50'], { env: cliEnv }).stdout) as { start: string }[];
    const recorded = history.find((entry) => entry.start === run!.lines[0]!.stamp);
    const instances = layout.instances.map((folder, index) => ({ label: layout.labels[index]!, folder, result: 'ok', message: null, users: 5, groups: 2 }));
    assert.deepStrictEqual(recorded, { start: run.lines[0]!.stamp, end: run.lines.at(-1)!.stamp, result: 'ok', bwdcVersion: '2026.6.1', instances });
    assert.deepStrictEqual(
      last,
      history.find((entry) => entry.start === last.start),
      '<log>.last.json is a run of the history',
    );
  });

  it('finds no missed run after cron fired the job: the install time from the crontab block, every minute since with its run', async function () {
    this.timeout(RUN_WAIT_MS + 60_000);
    assert.ok(run, 'cron did not run the job');
    const { layout, cliEnv, user } = setup!;
    // The CLI reads the install line (crontab -l as root) and judges: nothing missed, nothing unchecked.
    const listed = cliOk(['history', layout.scheduleFile, '--count', '50'], { env: cliEnv });
    assert.doesNotMatch(listed.stdout, /^missed: /m, listed.stdout);
    assert.doesNotMatch(listed.stderr, /missed runs were not checked/, listed.stderr);
    const stamp = installedAt(crontabOf(user.name, { installLines: 'keep' }) ?? '', JOB);
    assert.ok(stamp, 'crontab install wrote the install line');
    assert.ok(Math.abs(Date.parse(stamp.at) - setup!.installedAt) < 5000, `${stamp.at} is the install time`);
    // The CLI's grace (15 minutes) has not passed yet: judged with 45 seconds instead (cron starts
    // the job in the first seconds of its minute, and a run here takes a few), once at least one
    // minute after the install's (when cron may not have read the new crontab yet) is judged.
    const tolerance = 45_000;
    const firstJudged = (Math.floor((Date.parse(stamp.at) + 60_000) / 60_000) + 1) * 60_000;
    while (Date.now() < firstJudged + tolerance + 5_000) await new Promise((resolve) => setTimeout(resolve, 1000));
    const history = parseHistory([{ name: layout.log, text: fs.readFileSync(layout.log, 'utf8') }], { job: JOB, traces: true });
    assert.ok(!('notOurs' in history));
    const missed = missedRuns({
      expressions: [parseCron('* * * * *').expression!],
      zone: TimeZone.host(),
      installedAt: Date.parse(stamp.at),
      now: Date.now(),
      runStarts: history.starts!.map((start) => Date.parse(start)),
      coveredFrom: undefined,
      toleranceMs: tolerance,
      lateness: 'next',
    });
    assert.ok(missed.expected >= 1, `${missed.expected} minutes judged`);
    assert.deepStrictEqual(
      missed.runs.map((entry) => new Date(entry.instant).toISOString()),
      [],
      `cron started the job at every minute: ${history.starts!.join(', ')}`,
    );
  });

  it("runs every bwdc call as the run-as user, in cron's environment, never interactive", () => {
    assert.ok(run, 'cron did not run the job');
    const { user } = setup!;
    for (const call of run.calls) {
      const what = `bwdc ${call.argv.join(' ')} in ${call.appdata}`;
      assert.deepStrictEqual({ uid: call.uid, gid: call.gid }, { uid: user.uid, gid: user.gid }, `${what} ran as ${user.name}`);
      // Set by cron from passwd (LOGNAME, HOME, SHELL) and by the script (PATH, its first line).
      assert.deepStrictEqual(
        { LOGNAME: call.environment['LOGNAME'], HOME: call.environment['HOME'], SHELL: call.environment['SHELL'], PATH: call.environment['PATH'] },
        { LOGNAME: user.name, HOME: user.home, SHELL: '/bin/sh', PATH: '/usr/bin:/bin:/usr/sbin:/sbin' },
        `${what}: cron's environment`,
      );
      assert.strictEqual(call.noInteraction, 'true', `${what}: BW_NOINTERACTION`);
      assert.strictEqual(call.plaintext, 'true', `${what}: the schedule's env line`);
      assert.strictEqual(call.clientId, call.argv[0] === 'login' ? 'organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11' : null, `${what}: BW_CLIENTID`);
    }
  });

  it("gives the client secret to bwdc login's environment only, and writes it to no log, crontab or script", () => {
    assert.ok(run, 'cron did not run the job');
    const { layout, user, script } = setup!;
    for (const call of run.calls) {
      const holding = Object.entries(call.environment)
        .filter(([, value]) => value.includes(SECRET))
        .map(([name]) => name);
      assert.deepStrictEqual(holding, call.argv[0] === 'login' ? ['BW_CLIENTSECRET'] : [], `variables holding the secret for bwdc ${call.argv.join(' ')}`);
      assert.ok(!call.argv.some((argument) => argument.includes(SECRET)), 'the secret on a command line');
    }
    const logFolder = path.dirname(layout.log);
    for (const name of fs.readdirSync(logFolder)) {
      assert.ok(!fs.readFileSync(path.join(logFolder, name), 'utf8').includes(SECRET), `the secret is in ${name}`);
    }
    assert.strictEqual(fs.statSync(layout.log).uid, user.uid, 'the log was written by run-as');
    assert.ok(!(crontabOf(user.name) ?? '').includes(SECRET), 'the secret is in the crontab');
    assert.ok(!fs.readFileSync(script, 'utf8').includes(SECRET), 'the secret is in the generated script');
    assert.ok(!fs.readFileSync(layout.scheduleFile, 'utf8').includes(SECRET), 'the secret is in the schedule file');
    // Not asserted: that the run printed nothing (which cron would mail). Debian's cron keeps a
    // job's stdout and stderr to itself and, with no MTA installed here, discards them with a
    // syslog note, and there is no syslog either; the stand-in only sees bwdc's own output. The
    // script writes to stdout/stderr only on a failure (its say()), and the log above shows none.
  });
});
