import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { createUser, type ThrowawayUser } from '../users';
import { bundle, temporaryFolder, useCrontabSystem, writeSchedule } from './support';

const SECRET = 'Zq8vR2mW5tY1pL9xK3nB7cD4fG6hJ0';

/** Runs a command as the throwaway user, the way cron would start its job. */
function asUser(user: ThrowawayUser, command: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('runuser', ['-u', user.name, '--', 'env', '-i', 'PATH=/usr/bin:/bin', `HOME=${user.home}`, command, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function owner(file: string): string {
  const stat = fs.statSync(file);
  return `${stat.uid}:${stat.gid} ${(stat.mode & 0o777).toString(8)}`;
}

/**
 * What root writes for a job that runs as someone else must be theirs: the secret and every
 * folder made on the way to it, and the sync script. Otherwise the job fails at its first run,
 * with a message that points the wrong way.
 */
describe('files root writes on behalf of the run-as user (as root, on a throwaway user)', function () {
  this.timeout(120_000);
  useCrontabSystem();

  it('secret store gives ~/.config and ~/.config/bwdc it creates to the run-as user, who can read the secret', () => {
    const user = createUser();
    const schedule = writeSchedule({ runAs: user.name, home: user.home });
    const text = fs.readFileSync(schedule.file, 'utf8').replace(/^secret .*$/m, `secret     file:${user.home}/.config/bwdc/client_secret`);
    fs.writeFileSync(schedule.file, text);
    assert.ok(!fs.existsSync(path.join(user.home, '.config')));

    const stored = bundle(['secret', 'store', schedule.file], { input: `${SECRET}\n` });
    assert.strictEqual(stored.code, 0, stored.stderr);
    const mine = `${user.uid}:${user.gid}`;
    assert.strictEqual(owner(path.join(user.home, '.config')), `${mine} 700`);
    assert.strictEqual(owner(path.join(user.home, '.config', 'bwdc')), `${mine} 700`);
    assert.strictEqual(owner(path.join(user.home, '.config', 'bwdc', 'client_secret')), `${mine} 600`);
    const read = asUser(user, 'cat', [path.join(user.home, '.config', 'bwdc', 'client_secret')]);
    assert.deepStrictEqual(read, { status: 0, stdout: `${SECRET}\n`, stderr: '' });
  });

  it('script, run as root for a run-as job, writes a script (and its folder) that the user can run', () => {
    const user = createUser();
    const schedule = writeSchedule({ runAs: user.name, home: user.home });
    const written = bundle(['script', schedule.file]);
    assert.strictEqual(written.code, 0, written.stderr);
    assert.strictEqual(owner(schedule.script), `${user.uid}:${user.gid} 700`);
    assert.strictEqual(owner(path.dirname(schedule.script)), `${user.uid}:${user.gid} 700`);
    assert.strictEqual(asUser(user, 'test', ['-x', schedule.script]).status, 0);
  });

  it('the script says the secret is not readable by the run-as user, not that it does not exist', () => {
    const user = createUser();
    const folder = temporaryFolder(0o755);
    const schedule = writeSchedule({ runAs: user.name, home: folder });
    // What the old secret store left: a root-only folder in the way.
    const secretFolder = path.join(folder, 'bwdc');
    fs.mkdirSync(secretFolder, { mode: 0o700 });
    fs.writeFileSync(path.join(secretFolder, 'client_secret'), `${SECRET}\n`, { mode: 0o600 });
    fs.chownSync(path.join(secretFolder, 'client_secret'), user.uid, user.gid);
    const script = path.join(temporaryFolder(0o755), 'sync.sh');
    fs.writeFileSync(
      schedule.file,
      fs
        .readFileSync(schedule.file, 'utf8')
        .replace(/^script .*$/m, `script     ${script}`)
        .replace(/^log .*$/m, `log        ${user.home}/bwdc.log`)
        .replace(/^bwdc .*$/m, 'bwdc       /usr/bin/true'),
    );
    assert.strictEqual(bundle(['script', schedule.file]).code, 0);

    const run = asUser(user, script, []);
    assert.strictEqual(run.status, 1);
    assert.match(
      run.stderr,
      new RegExp(`the secret file ${secretFolder}/client_secret is not readable by ${user.name}: it may not enter the folder ${secretFolder}`),
    );
    assert.doesNotMatch(run.stderr, /does not exist/);
  });
});
