import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { SyncJob } from '../../../src/core/schedule/job';
import { generateScript } from '../../../src/core/script/generate';
import { calls, prepareRun, readLog, runScript, sequence, syncSequence, TEST_VERSION, useSandboxes, VALID, VALUES, type PreparedRun } from './support';

/**
 * `scheduler systemd` with a `file:` secret: the service has LoadCredential=client_secret:FILE,
 * so systemd puts a private copy of the secret in $CREDENTIALS_DIRECTORY and the script reads it
 * from there, without the owner and mode checks of the file itself (which may stay root's).
 * Here the variable is set by hand, as systemd would set it, and bwdc is the stand-in.
 */

/** Rewrites a prepared run's script for `scheduler systemd`. */
function asSystemdJob(run: PreparedRun): PreparedRun {
  const job: SyncJob = { ...run.job, scheduler: 'systemd' };
  const scriptText = generateScript(job, TEST_VERSION).text;
  fs.writeFileSync(job.script, scriptText, { mode: 0o700 });
  return { ...run, job, scriptText };
}

function credentials(folder: string, content: string): string {
  const directory = path.join(folder, 'credentials');
  fs.mkdirSync(directory, { mode: 0o500 });
  fs.writeFileSync(path.join(directory, 'client_secret'), content, { mode: 0o400 });
  return directory;
}

describe('the sync script under a systemd service reads the secret from $CREDENTIALS_DIRECTORY', function () {
  this.timeout(30_000);
  const sandbox = useSandboxes();

  it('logs in with the credential even when the secret file itself is gone, and syncs', () => {
    const root = sandbox();
    const run = asSystemdJob(prepareRun({ root, secret: 'file', instances: [VALID] }));
    fs.rmSync(run.layout.secretFile);
    const directory = credentials(root, `${VALUES.secret}\n`);
    const outcome = runScript(run, { CREDENTIALS_DIRECTORY: directory });
    assert.deepStrictEqual(outcome, { status: 0, stdout: '', stderr: '' });
    const made = calls(run);
    assert.deepStrictEqual(sequence(made), syncSequence(run.layout.instances[0]!));
    const login = made.find((call) => call.argv[0] === 'login')!;
    assert.strictEqual(login.clientSecret, VALUES.secret);
    for (const call of made) {
      assert.ok(!Object.values(call.environment).includes(VALUES.secret) || call.argv[0] === 'login', `only login gets the secret: ${call.argv.join(' ')}`);
      assert.strictEqual(call.environment['CREDENTIALS_DIRECTORY'], directory);
    }
    assert.ok(!readLog(run).includes(VALUES.secret), 'the secret is not in the log');
  });

  it('takes the credential over a secret file that would fail its checks (mode 0644, the root-only case)', () => {
    const root = sandbox();
    const run = asSystemdJob(prepareRun({ root, secret: 'file', instances: [VALID], secretFileContent: 'not-the-secret\n' }));
    fs.chmodSync(run.layout.secretFile, 0o644);
    const outcome = runScript(run, { CREDENTIALS_DIRECTORY: credentials(root, `${VALUES.secret}\r\n`) });
    assert.strictEqual(outcome.status, 0, outcome.stderr);
    assert.strictEqual(calls(run).find((call) => call.argv[0] === 'login')!.clientSecret, VALUES.secret);
  });

  it('says so when the credential is empty, and logs in nowhere', () => {
    const root = sandbox();
    const run = asSystemdJob(prepareRun({ root, secret: 'file', instances: [VALID] }));
    const outcome = runScript(run, { CREDENTIALS_DIRECTORY: credentials(root, '') });
    assert.strictEqual(outcome.status, 1);
    assert.match(outcome.stderr, /the systemd credential client_secret \(from .*\) is empty/);
    assert.deepStrictEqual(
      calls(run).filter((call) => call.argv[0] === 'login'),
      [],
    );
  });

  it('reads the file as always when the variable is not set (run by hand) or names no client_secret', () => {
    const root = sandbox();
    const run = asSystemdJob(prepareRun({ root, secret: 'file', instances: [VALID] }));
    assert.deepStrictEqual(runScript(run), { status: 0, stdout: '', stderr: '' });
    const other = path.join(root, 'other-credentials');
    fs.mkdirSync(other);
    assert.deepStrictEqual(runScript(run, { CREDENTIALS_DIRECTORY: other }), { status: 0, stdout: '', stderr: '' });
    for (const login of calls(run).filter((call) => call.argv[0] === 'login')) assert.strictEqual(login.clientSecret, VALUES.secret);
  });

  it('leaves the cron script as it was: no credential lines without scheduler systemd', () => {
    const run = prepareRun({ root: sandbox(), secret: 'file', instances: [VALID] });
    assert.doesNotMatch(run.scriptText, /CREDENTIALS_DIRECTORY/);
    assert.match(asSystemdJob(run).scriptText, /CREDENTIALS_DIRECTORY/);
  });
});
