import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LOG_KEEP, LOG_MAX_BYTES } from '../../../src/core/script/bash';
import {
  calls,
  logLines,
  prepareRun,
  readLog,
  runScript,
  scriptFixture,
  sequence,
  syncSequence,
  useSandboxes,
  VALID,
  VALUES,
  type InstanceSetup,
} from './support';

const JOB = 'script-test';
/** A line as the script logs it: the script appends only to a log that starts like this. */
const EARLIER_LOG_LINE = `2025-01-01T12:00:00+00:00 [${JOB}] an earlier run\n`;

describe('the generated bash script, executed with the bwdc stand-in', function () {
  this.timeout(30_000);
  const sandbox = useSandboxes();

  describe('instances', () => {
    it('syncs both instances in order, each with login, sync, logout (no opening logout) and its own app-data folder', () => {
      const run = prepareRun({ root: sandbox(), instances: [VALID, VALID] });
      const outcome = runScript(run);

      assert.deepStrictEqual(outcome, { status: 0, stdout: '', stderr: '' });
      const [first, second] = run.layout.instances;
      const made = calls(run);
      assert.deepStrictEqual(sequence(made), [...syncSequence(first!), ...syncSequence(second!)]);
      for (const call of made) {
        assert.strictEqual(call.noInteraction, 'true', `BW_NOINTERACTION for ${call.argv.join(' ')}`);
        assert.strictEqual(call.plaintext, 'true', 'the env line reaches every bwdc call');
        assert.strictEqual(call.environment['BWDC_TEST_NOTE'], 'plain note');
        const login = call.argv[0] === 'login';
        assert.strictEqual(call.clientId, login ? 'organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11' : null);
        assert.strictEqual(call.clientSecret, login ? VALUES.secret : null);
      }
      const lines = logLines(readLog(run), [JOB, ...run.layout.labels]);
      assert.deepStrictEqual(lines.at(-1), {
        stamp: lines.at(-1)!.stamp,
        label: JOB,
        message: 'run finished: instance-1: synced: 2 groups, 5 users; instance-2: synced: 2 groups, 5 users; exit 0',
      });
      assert.ok(lines.some((line) => line.label === 'instance-2' && line.message === 'result: synced: 2 groups, 5 users'));
      assert.deepStrictEqual(
        lines.filter((line) => line.message.startsWith('bwdc ')).map((line) => line.message),
        [`bwdc 2026.6.1 (${run.layout.bwdc})`],
        "bwdc's version once per run, read from data.json (no call of its own)",
      );
    });

    const failures: {
      readonly step: string;
      readonly data: string;
      readonly firstSteps: readonly string[];
      readonly why: string;
      readonly fix: string;
      readonly said: string;
    }[] = [
      {
        step: 'sync',
        data: 'fail-sync.json',
        firstSteps: ['login', 'sync', 'logout'],
        why: 'the Bitwarden server failed with an internal error',
        fix: 'try again later',
        said: 'An unhandled server error has occurred.',
      },
      {
        step: 'login',
        data: 'fail-login.json',
        firstSteps: ['login'],
        why: 'the client secret was rejected',
        fix: 'check the client-id line',
        said: '{"response":{"error":"invalid_client"},"captchaRequired":false,"statusCode":400}',
      },
    ];
    for (const failure of failures) {
      it(`goes on to the second instance when the first one's ${failure.step} fails, then exits 1 and names each result`, () => {
        const run = prepareRun({ root: sandbox(), instances: [{ data: failure.data }, VALID] });
        const outcome = runScript(run);

        assert.strictEqual(outcome.status, 1);
        const [first, second] = run.layout.instances;
        assert.deepStrictEqual(sequence(calls(run)), [...syncSequence(first!, failure.firstSteps), ...syncSequence(second!)]);
        const lines = logLines(readLog(run), [JOB, ...run.layout.labels]);
        const summary = `instance-1: failed: ${failure.step}: ${failure.why}; instance-2: synced: 2 groups, 5 users`;
        assert.strictEqual(lines.at(-1)!.message, `run finished with failures: ${summary}; exit 1`);
        assert.ok(
          lines.some((line) => line.label === 'instance-1' && line.message.startsWith(`${failure.step} failed: ${failure.why}; ${failure.fix}`)),
          'a sentence that says what happened and what to do',
        );
        assert.ok(
          lines.some((line) => line.label === 'instance-1' && line.message === `bwdc: ${failure.said}`),
          "bwdc's own words beside it",
        );
        // What cron mails: the instance, the reason, what to do, and bwdc's or the server's message.
        assert.ok(outcome.stderr.includes(`instance-1: failed: ${failure.step}: ${failure.why} — ${failure.fix}`), outcome.stderr);
        assert.ok(outcome.stderr.includes(`(bwdc: ${failure.said})`), outcome.stderr);
        assert.ok(outcome.stderr.includes(`some instances did not sync: ${summary}`), outcome.stderr);
      });
    }

    for (const data of ['comments.json', 'trailing-comma.json', 'bom.json']) {
      it(`skips an instance whose data.json does not parse (${data}), leaves it byte for byte, and never calls bwdc there`, () => {
        const run = prepareRun({ root: sandbox(), instances: [{ data }, VALID] });
        const [first, second] = run.layout.instances;
        const before = fs.readFileSync(path.join(first!, 'data.json'));
        const outcome = runScript(run);

        assert.strictEqual(outcome.status, 1);
        assert.deepStrictEqual(fs.readFileSync(path.join(first!, 'data.json')), before);
        assert.deepStrictEqual(fs.readdirSync(first!).sort(), ['.bwdc-schedule.lock', 'data.json'], 'no data.json.bak, no session');
        assert.deepStrictEqual(sequence(calls(run)), syncSequence(second!));
        const lines = logLines(readLog(run), [JOB, ...run.layout.labels]);
        assert.ok(
          lines.some(
            (line) =>
              line.label === 'instance-1' && line.message.startsWith(`skipped: ${first}/data.json is not valid JSON, and bwdc would reset it to its defaults`),
          ),
        );
        assert.strictEqual(
          lines.at(-1)!.message,
          'run finished with failures: instance-1: skipped: data.json is not valid JSON; instance-2: synced: 2 groups, 5 users; exit 1',
        );
      });
    }

    const missing: { readonly what: string; readonly setup: InstanceSetup; readonly result: string; readonly logged: (folder: string) => string }[] = [
      {
        what: 'no data.json',
        setup: { noDataJson: true },
        result: 'skipped: no data.json',
        logged: (folder) => `skipped: ${folder} has no data.json; configure the Directory Connector for it first`,
      },
      {
        what: 'no folder',
        setup: { noFolder: true },
        result: 'skipped: no instance folder',
        logged: (folder) => `skipped: the instance folder ${folder} does not exist`,
      },
    ];
    for (const { what, setup, result, logged } of missing) {
      it(`skips an instance with ${what} without creating anything there`, () => {
        const run = prepareRun({ root: sandbox(), instances: [setup, VALID] });
        const outcome = runScript(run);

        const [first, second] = run.layout.instances;
        assert.strictEqual(outcome.status, 1);
        assert.deepStrictEqual(sequence(calls(run)), syncSequence(second!));
        assert.ok(!fs.existsSync(path.join(first!, 'data.json')), 'bwdc would have created an empty data.json');
        const lines = logLines(readLog(run), [JOB, ...run.layout.labels]);
        assert.ok(lines.some((line) => line.label === 'instance-1' && line.message === logged(first!)));
        assert.strictEqual(lines.at(-1)!.message, `run finished with failures: instance-1: ${result}; instance-2: synced: 2 groups, 5 users; exit 1`);
      });
    }

    it('works with hostile paths everywhere: instance folders, log, secret file, bwdc and env values arrive exactly', () => {
      const run = prepareRun({ root: sandbox(), names: 'hostile', instances: [VALID, VALID], runAs: os.userInfo().username });
      const outcome = runScript(run);

      assert.deepStrictEqual(outcome, { status: 0, stdout: '', stderr: '' });
      const [first, second] = run.layout.instances;
      const made = calls(run);
      assert.deepStrictEqual(sequence(made), [...syncSequence(first!), ...syncSequence(second!)]);
      const note = VALUES.posix.hostile.env[1]!.replace(/^BWDC_TEST_NOTE=/, '');
      for (const call of made) assert.strictEqual(call.environment['BWDC_TEST_NOTE'], note);
      assert.strictEqual(made.find((call) => call.argv[0] === 'login')!.clientSecret, VALUES.secret);
      const lines = logLines(readLog(run), [JOB, ...run.layout.labels]);
      assert.deepStrictEqual([...new Set(lines.map((line) => line.label))], [JOB, ...run.layout.labels], 'the labels are the hostile folder names, unmangled');
      assert.strictEqual(
        lines.at(-1)!.message,
        `run finished: ${run.layout.labels[0]}: synced: 2 groups, 5 users; ${run.layout.labels[1]}: synced: 2 groups, 5 users; exit 0`,
      );
      assert.deepStrictEqual(
        fs.readdirSync(path.dirname(run.layout.log)).sort(),
        [path.basename(run.layout.log), `${path.basename(run.layout.log)}.last.json`].sort(),
        'one log and its last run, at the hostile path',
      );
    });
  });

  describe('the default folder (no instance lines)', () => {
    const cases: {
      readonly name: string;
      readonly platform: 'linux' | 'macos';
      readonly env: (home: string, root: string) => NodeJS.ProcessEnv;
      readonly folder: (home: string, root: string, bwdc: string) => string;
    }[] = [
      { name: 'linux, ~/.config', platform: 'linux', env: () => ({}), folder: (home) => `${home}/.config/Bitwarden Directory Connector` },
      {
        name: 'linux, $XDG_CONFIG_HOME',
        platform: 'linux',
        env: (_home, root) => ({ XDG_CONFIG_HOME: `${root}/xdg config` }),
        folder: (_home, root) => `${root}/xdg config/Bitwarden Directory Connector`,
      },
      {
        name: 'linux, $BITWARDEN_CONNECTOR_APPDATA_DIR',
        platform: 'linux',
        env: (_home, root) => ({ BITWARDEN_CONNECTOR_APPDATA_DIR: `${root}/appdata $x` }),
        folder: (_home, root) => `${root}/appdata $x`,
      },
      {
        name: 'linux, bitwarden-connector-appdata beside bwdc',
        platform: 'linux',
        env: () => ({}),
        folder: (_home, _root, bwdc) => `${path.dirname(bwdc)}/bitwarden-connector-appdata`,
      },
      {
        name: 'macos, ~/Library/Application Support',
        platform: 'macos',
        env: () => ({}),
        folder: (home) => `${home}/Library/Application Support/Bitwarden Directory Connector`,
      },
    ];
    for (const { name, platform, env, folder } of cases) {
      it(`syncs the folder bwdc would pick by itself (${name}) and labels it default`, () => {
        const root = sandbox();
        const run = prepareRun({ root, platform });
        const expected = folder(run.home, root, run.layout.bwdc);
        fs.mkdirSync(expected, { recursive: true, mode: 0o700 });
        fs.copyFileSync(scriptFixture('data', 'valid.json'), path.join(expected, 'data.json'));
        const outcome = runScript(run, env(run.home, root));

        assert.deepStrictEqual(outcome, { status: 0, stdout: '', stderr: '' });
        assert.deepStrictEqual(sequence(calls(run)), syncSequence(expected));
        const lines = logLines(readLog(run), [JOB, 'default']);
        assert.strictEqual(lines.at(-1)!.message, `run finished: default (${expected}): synced: 2 groups, 5 users; exit 0`);
      });
    }

    it('skips the default folder when it does not exist, and never lets bwdc create it', () => {
      const run = prepareRun({ root: sandbox() });
      const outcome = runScript(run);

      const expected = `${run.home}/.config/Bitwarden Directory Connector`;
      assert.strictEqual(outcome.status, 1);
      assert.deepStrictEqual(calls(run), []);
      assert.ok(!fs.existsSync(expected));
      assert.strictEqual(
        logLines(readLog(run), [JOB, 'default']).at(-1)!.message,
        `run finished with failures: default (${expected}): skipped: no instance folder; exit 1`,
      );
    });
  });

  describe('the log', () => {
    it('stamps every line with an ISO 8601 time of the run and labels it with the job or the instance', () => {
      const run = prepareRun({ root: sandbox(), instances: [VALID, VALID] });
      const start = Math.floor(Date.now() / 1000) * 1000;
      runScript(run);
      const end = Date.now();

      const lines = logLines(readLog(run), [JOB, ...run.layout.labels]);
      assert.ok(lines.length >= 10, `only ${lines.length} lines`);
      for (const line of lines) {
        assert.match(line.stamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})$/, 'ISO 8601 extended format, with the offset');
        const time = Date.parse(line.stamp);
        assert.ok(time >= start && time <= end, `${line.stamp} is not during the run`);
      }
      assert.deepStrictEqual(lines[0]!.label, JOB);
      assert.match(lines[0]!.message, /^run started \(pid \d+\)$/);
      run.layout.labels.forEach((label, index) => {
        assert.deepStrictEqual(
          lines.filter((line) => line.label === label).map((line) => line.message),
          [`instance folder: ${run.layout.instances[index]!}`, 'logged in', 'synced: 2 groups, 5 users', 'logged out', 'result: synced: 2 groups, 5 users'],
          'what happened to this instance, in sentences; bwdc\'s expected words ("You are logged in!") left out',
        );
      });
    });

    const modes: { readonly folderMode: number | undefined; readonly what: string }[] = [
      { folderMode: 0o777, what: 'in a folder everyone can write' },
      { folderMode: 0o755, what: 'in an existing folder' },
      { folderMode: undefined, what: 'in a folder it creates (mode 700)' },
    ];
    for (const { folderMode, what } of modes) {
      it(`creates the log with mode 600 ${what}`, () => {
        const root = sandbox();
        const run = prepareRun({ root, instances: [VALID] });
        if (folderMode !== undefined) {
          fs.mkdirSync(run.layout.logFolder);
          fs.chmodSync(run.layout.logFolder, folderMode);
        }
        assert.strictEqual(runScript(run).status, 0);

        assert.strictEqual(fs.statSync(run.layout.log).mode & 0o777, 0o600);
        assert.strictEqual(fs.statSync(run.layout.logFolder).mode & 0o777, folderMode ?? 0o700);
      });
    }

    it('rotates the log beyond LOG_MAX_BYTES: .1 .2 .3 shift, at most LOG_KEEP old logs remain', () => {
      const run = prepareRun({ root: sandbox(), instances: [VALID] });
      fs.mkdirSync(run.layout.logFolder, { mode: 0o700 });
      const big = Buffer.alloc(LOG_MAX_BYTES + 1, EARLIER_LOG_LINE);
      fs.writeFileSync(run.layout.log, big);
      for (let generation = 1; generation <= LOG_KEEP; generation++) fs.writeFileSync(`${run.layout.log}.${generation}`, `generation ${generation}\n`);
      assert.strictEqual(runScript(run).status, 0);

      assert.deepStrictEqual(fs.readFileSync(`${run.layout.log}.1`), big, 'the full log became .1');
      for (let generation = 2; generation <= LOG_KEEP; generation++) {
        assert.strictEqual(fs.readFileSync(`${run.layout.log}.${generation}`, 'utf8'), `generation ${generation - 1}\n`);
      }
      assert.deepStrictEqual(
        fs.readdirSync(run.layout.logFolder).sort(),
        [
          path.basename(run.layout.log),
          `${path.basename(run.layout.log)}.last.json`,
          ...Array.from({ length: LOG_KEEP }, (_, index) => `${path.basename(run.layout.log)}.${index + 1}`),
        ].sort(),
        `generation ${LOG_KEEP} was dropped, nothing beyond .${LOG_KEEP} (the last run's JSON is no log)`,
      );
      const fresh = logLines(readLog(run), [JOB, ...run.layout.labels]);
      assert.match(fresh[0]!.message, /^run started/, 'the new log holds this run only');
      assert.strictEqual(fs.statSync(run.layout.log).mode & 0o777, 0o600);
    });

    it('keeps appending to a log of exactly LOG_MAX_BYTES', () => {
      const run = prepareRun({ root: sandbox(), instances: [VALID] });
      fs.mkdirSync(run.layout.logFolder, { mode: 0o700 });
      const full = Buffer.alloc(LOG_MAX_BYTES, EARLIER_LOG_LINE);
      fs.writeFileSync(run.layout.log, full, { mode: 0o600 });
      assert.strictEqual(runScript(run).status, 0);

      const after = fs.readFileSync(run.layout.log);
      assert.deepStrictEqual(after.subarray(0, LOG_MAX_BYTES), full);
      assert.ok(after.length > LOG_MAX_BYTES);
      assert.ok(!fs.existsSync(`${run.layout.log}.1`));
    });
  });

  describe('refusals', () => {
    interface Refusal {
      readonly name: string;
      readonly secret?: 'file' | 'env';
      readonly runAs?: string;
      readonly change?: (run: ReturnType<typeof prepareRun>) => void;
      readonly message: (run: ReturnType<typeof prepareRun>) => string;
      /** Whether the refusal comes before the log is touched. */
      readonly noLog?: boolean;
    }
    const otherUser = 'nobody';
    const refusals: Refusal[] = [
      { name: 'run-as names another user', runAs: otherUser, noLog: true, message: () => `this job runs as ${otherUser}, not as ${os.userInfo().username}` },
      {
        name: 'the secret file has mode 0644',
        change: (run) => fs.chmodSync(run.layout.secretFile, 0o644),
        message: (run) => `the secret file ${run.layout.secretFile} must be readable by its owner only`,
      },
      {
        name: 'the secret file has mode 0640',
        change: (run) => fs.chmodSync(run.layout.secretFile, 0o640),
        message: (run) => `the secret file ${run.layout.secretFile} must be readable by its owner only`,
      },
      {
        name: 'the secret file belongs to another user',
        change: (run) => fs.chownSync(run.layout.secretFile, 65534, 65534),
        message: (run) => `the secret file ${run.layout.secretFile} is not owned by ${os.userInfo().username}`,
      },
      {
        name: 'the secret folder is world-writable',
        change: (run) => fs.chmodSync(run.layout.secretFolder, 0o777),
        message: (run) => `the folder ${run.layout.secretFolder} can be written by others`,
      },
      {
        name: 'the secret folder is group-writable',
        change: (run) => fs.chmodSync(run.layout.secretFolder, 0o770),
        message: (run) => `the folder ${run.layout.secretFolder} can be written by others`,
      },
      {
        name: 'the secret file is empty',
        change: (run) => fs.writeFileSync(run.layout.secretFile, ''),
        message: (run) => `the secret file ${run.layout.secretFile} is empty`,
      },
      {
        name: 'the secret file holds only a line break',
        change: (run) => fs.writeFileSync(run.layout.secretFile, '\n'),
        message: (run) => `the secret file ${run.layout.secretFile} is empty`,
      },
      {
        name: 'the secret file is missing',
        change: (run) => fs.rmSync(run.layout.secretFile),
        message: (run) => `the secret file ${run.layout.secretFile} does not exist`,
      },
      {
        name: 'the env: variable is not set',
        secret: 'env',
        message: () => 'the environment variable BWDC_CLIENT_SECRET is empty or not set; the scheduler must provide it',
      },
      {
        name: 'bwdc is not executable',
        change: (run) => fs.chmodSync(run.layout.bwdc, 0o644),
        message: (run) => `bwdc not found or not executable at ${run.layout.bwdc}`,
      },
      { name: 'bwdc is missing', change: (run) => fs.rmSync(run.layout.bwdc), message: (run) => `bwdc not found or not executable at ${run.layout.bwdc}` },
    ];
    for (const refusal of refusals) {
      it(`refuses to run when ${refusal.name}: exit 1, a clear message, bwdc never called`, () => {
        const run = prepareRun({
          root: sandbox(),
          names: 'hostile',
          instances: [VALID],
          ...(refusal.secret ? { secret: refusal.secret } : {}),
          ...(refusal.runAs ? { runAs: refusal.runAs } : {}),
        });
        refusal.change?.(run);
        const outcome = runScript(run);

        const message = refusal.message(run);
        assert.strictEqual(outcome.status, 1);
        assert.strictEqual(outcome.stdout, '');
        assert.ok(outcome.stderr.includes(message), `stderr ${JSON.stringify(outcome.stderr)} lacks ${JSON.stringify(message)}`);
        assert.deepStrictEqual(calls(run), []);
        if (refusal.noLog) {
          assert.ok(!fs.existsSync(run.layout.logFolder), 'nothing written: not even the log folder');
        } else {
          const lines = logLines(readLog(run), [JOB, ...run.layout.labels]);
          assert.ok(
            lines.some((line) => line.label === JOB && line.message.includes(message)),
            `the log lacks ${message}`,
          );
        }
      });
    }

    it('writes nothing to an existing log when run as the wrong user', () => {
      const run = prepareRun({ root: sandbox(), instances: [VALID], runAs: otherUser });
      fs.mkdirSync(run.layout.logFolder, { mode: 0o700 });
      fs.writeFileSync(run.layout.log, 'earlier\n', { mode: 0o600 });
      const outcome = runScript(run);

      assert.strictEqual(outcome.status, 1);
      assert.strictEqual(fs.readFileSync(run.layout.log, 'utf8'), 'earlier\n');
    });

    const accepted: { readonly name: string; readonly content?: string; readonly mode?: number }[] = [
      { name: 'mode 0400', mode: 0o400 },
      { name: 'no final line break', content: VALUES.secret },
      { name: 'a CRLF line end', content: `${VALUES.secret}\r\n` },
      { name: 'a second line (ignored)', content: `${VALUES.secret}\nsomething else\n` },
    ];
    for (const { name, content, mode } of accepted) {
      it(`reads a secret file with ${name} and passes exactly the secret to bwdc login`, () => {
        const run = prepareRun({ root: sandbox(), instances: [VALID], ...(content !== undefined ? { secretFileContent: content } : {}) });
        if (mode !== undefined) fs.chmodSync(run.layout.secretFile, mode);
        const outcome = runScript(run, { BWDC_STANDIN_EXPECTED_SECRET: VALUES.secret });

        assert.deepStrictEqual(outcome, { status: 0, stdout: '', stderr: '' });
        assert.deepStrictEqual(
          calls(run).map((call) => call.clientSecret),
          [VALUES.secret, null, null],
        );
      });
    }

    it('fails the login (and says so) when the secret file holds another secret than bwdc expects', () => {
      const run = prepareRun({ root: sandbox(), instances: [VALID], secretFileContent: 'Wrong0Secret1For2This3Org4Key5\n' });
      const outcome = runScript(run, { BWDC_STANDIN_EXPECTED_SECRET: VALUES.secret });

      assert.strictEqual(outcome.status, 1);
      const lines = logLines(readLog(run), [JOB, ...run.layout.labels]);
      assert.ok(
        lines.some(
          (line) =>
            line.message ===
            'login failed: the client secret was rejected; check the client-id line and the secret the secret line points to (Admin Console, Organization info, View API key)',
        ),
      );
      assert.ok(lines.some((line) => line.message === 'bwdc: {"response":{"error":"invalid_client"},"captchaRequired":false,"statusCode":400}'));
      assert.strictEqual(lines.at(-1)!.message, 'run finished with failures: instance-1: failed: login: the client secret was rejected; exit 1');
    });
  });
});
