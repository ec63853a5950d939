import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { generateScript } from '../../../src/core/script/generate';
import {
  calls,
  jobOf,
  logLines,
  prepareRun,
  readLog,
  runScript,
  scriptFixture,
  sequence,
  syncSequence,
  TEST_VERSION,
  useSandboxes,
  VALID,
  type PreparedRun,
} from './support';

const JOB = 'script-test';

/** Sets stand-in keys (test/fixtures/bwdc-standin/bwdc.js) in an instance's data.json. */
function simulate(folder: string, keys: Record<string, unknown>): void {
  const file = path.join(folder, 'data.json');
  const data = JSON.parse(fs.readFileSync(fs.existsSync(file) ? file : scriptFixture('data', 'valid.json'), 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(file, JSON.stringify({ ...data, ...keys }, null, 2));
}

/** The run with lines changed in its schedule file and the script generated again. */
function withSchedule(run: PreparedRun, change: (text: string) => string): PreparedRun {
  const text = change(fs.readFileSync(run.layout.scheduleFile, 'utf8'));
  fs.writeFileSync(run.layout.scheduleFile, text);
  const job = jobOf(text, run.layout.scheduleFile);
  const scriptText = generateScript(job, TEST_VERSION).text;
  fs.writeFileSync(job.script, scriptText, { mode: 0o700 });
  return { ...run, job, scriptText };
}

function messages(run: PreparedRun, label: string): string[] {
  return logLines(readLog(run), [JOB, ...run.layout.labels])
    .filter((line) => line.label === label)
    .map((line) => line.message);
}

/** Whether any process still has this path on its command line. */
function running(fragment: string): boolean {
  return spawnSync('pgrep', ['-f', fragment]).status === 0;
}

/**
 * What a scheduled sync meets when nobody watches: a session an interrupted run left open, a
 * server that never answers, no desktop keyring, a sync with nothing to do. Run against the
 * stand-in, which answers as the real bwdc does in each case (test/realbwdc/conformance.test.ts).
 */
describe('the generated bash script, unattended (bwdc stand-in)', function () {
  this.timeout(60_000);
  const sandbox = useSandboxes();

  it('ends a session an interrupted run left open, then logs in afresh: one extra call, only then', () => {
    const run = prepareRun({ root: sandbox(), instances: [VALID, VALID] });
    const [first, second] = run.layout.instances;
    // What a run killed between login and logout leaves: a session, in data.json.
    assert.strictEqual(runScript(run).status, 0);
    const login = spawnSync(run.layout.bwdc, ['login'], {
      env: {
        ...run.env,
        BITWARDENCLI_CONNECTOR_APPDATA_DIR: first!,
        BW_CLIENTID: 'organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
        BW_CLIENTSECRET: run.secret,
        BW_NOINTERACTION: 'true',
        BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: 'true',
      },
      encoding: 'utf8',
    });
    assert.strictEqual(login.stdout, 'You are logged in!\n');
    fs.rmSync(run.record);
    const outcome = runScript(run);
    assert.strictEqual(outcome.status, 0, outcome.stderr);
    assert.deepStrictEqual(sequence(calls(run)), [...syncSequence(first!, ['login', 'logout', 'login', 'sync', 'logout']), ...syncSequence(second!)]);
    assert.ok(messages(run, 'instance-1').includes('a session of an earlier run was still open (it was stopped halfway); logging it out first'));
    assert.ok(!messages(run, 'instance-2').some((message) => message.includes('session of an earlier run')));
  });

  it('stops a bwdc that waits for ever after the timeout, fails that instance, frees its lock, and goes on', () => {
    const run = withSchedule(prepareRun({ root: sandbox(), instances: [VALID, VALID] }), (text) => `${text}timeout    10s\n`);
    const [first, second] = run.layout.instances;
    simulate(first!, { standinImport: 'hang' });
    const started = Date.now();
    const outcome = runScript(run);
    const took = Date.now() - started;

    assert.strictEqual(outcome.status, 1);
    // bash's clock (SECONDS) counts whole seconds: a 10 s limit ends the step after 9 to 11 s.
    assert.ok(took >= 9_000 && took < 30_000, `took ${took} ms`);
    assert.deepStrictEqual(sequence(calls(run)), [...syncSequence(first!), ...syncSequence(second!)], 'logged out after the timeout, then the next instance');
    assert.ok(
      messages(run, 'instance-1').some((message) => message.startsWith('sync failed: timed out after 10s; bwdc and everything it started were stopped')),
    );
    assert.ok(messages(run, 'instance-2').includes('result: synced: 2 groups, 5 users'));
    assert.match(outcome.stderr, /instance-1: failed: sync: timed out after 10s/);
    assert.strictEqual(spawnSync('flock', ['-n', path.join(first!, '.bwdc-schedule.lock'), 'true']).status, 0, 'the lock is free');
    assert.ok(!running(first!), 'no bwdc (and no watchdog) of that instance is left');
  });

  it('explains the keyring trap (login "works", then sync fails for want of D-Bus) and names the fix', () => {
    const run = prepareRun({ root: sandbox(), instances: [VALID], withEnvLines: false });
    simulate(run.layout.instances[0]!, { standinLogin: 'keyring', standinRelease: '2026.4.0' });
    const outcome = runScript(run);

    assert.strictEqual(outcome.status, 1);
    const logged = messages(run, 'instance-1');
    assert.ok(
      logged.includes(
        "sync failed: bwdc could not use the OS keyring; a job started by cron has none: add the line 'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true' to the schedule file",
      ),
      logged.join('\n'),
    );
    assert.ok(logged.includes('bwdc: Cannot autolaunch D-Bus without X11 $DISPLAY'));
    assert.match(outcome.stderr, /instance-1: failed: sync: bwdc could not use the OS keyring — a job started by cron has none/);
  });

  it('says a sync with nothing to import changed nothing, which bwdc reports as "Synced 0 group(s) and 0 user(s)."', () => {
    const run = prepareRun({ root: sandbox(), instances: [VALID] });
    assert.strictEqual(runScript(run).status, 0);
    assert.strictEqual(runScript(run).status, 0);
    const results = messages(run, 'instance-1').filter((message) => message.startsWith('result: '));
    assert.deepStrictEqual(results, ['result: synced: 2 groups, 5 users', 'result: synced: nothing changed since the last sync (0 groups, 0 users)']);
  });

  const unreachable: { readonly release: string; readonly said: RegExp }[] = [
    { release: '2026.6.1', said: /^bwdc: fetch failed$/ },
    { release: '2026.4.0', said: /^bwdc: request to .*\/connect\/token failed, reason: connect ECONNREFUSED/ },
  ];
  for (const { release, said } of unreachable) {
    it(`says the server could not be reached, in ${release}'s words too, and tries no sync`, () => {
      const run = prepareRun({ root: sandbox(), instances: [VALID] });
      const folder = run.layout.instances[0]!;
      simulate(folder, { standinLogin: 'unreachable', standinRelease: release });
      const outcome = runScript(run);
      assert.strictEqual(outcome.status, 1);
      assert.deepStrictEqual(sequence(calls(run)), syncSequence(folder, ['login']));
      const logged = messages(run, 'instance-1');
      assert.ok(
        logged.includes('login failed: the Bitwarden server could not be reached; check the server address (bwdc config server) and the network'),
        logged.join('\n'),
      );
      assert.ok(
        logged.some((message) => said.test(message)),
        logged.join('\n'),
      );
    });
  }

  it("passes the server's own message on, in the log and where cron mails it", () => {
    const run = prepareRun({ root: sandbox(), instances: [VALID] });
    simulate(run.layout.instances[0]!, { standinImport: { status: 400, message: 'The import failed: the organization has no seats left.' } });
    const outcome = runScript(run);
    assert.strictEqual(outcome.status, 1);
    assert.ok(messages(run, 'instance-1').includes('sync failed: the server or the directory refused it'));
    assert.ok(messages(run, 'instance-1').includes('bwdc: The import failed: the organization has no seats left.'));
    assert.match(
      outcome.stderr,
      /instance-1: failed: sync: the server or the directory refused it \(bwdc: The import failed: the organization has no seats left\.\)/,
    );
  });
});
