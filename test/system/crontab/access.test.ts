import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { prepareUser } from '../../../src/workflows/crontab';
import { CrontabError } from '../../../src/host/crontab';
import { createUser, crontabOf, setCrontab, type ThrowawayUser } from '../users';
import {
  ALLOW,
  bundle,
  cli,
  DENY,
  expectedBlock,
  fileState,
  groupId,
  JOB_NAME,
  jobOf,
  RecordingUi,
  rootHost,
  scheduleFor,
  spoolStamp,
  temporaryFolder,
  unusedUserName,
  useCrontabSystem,
  userExists,
  writeAccessFile,
  writeSchedule,
} from './support';

/**
 * /etc/cron.allow and /etc/cron.deny against Debian's real crontab(1): the refusal when they
 * keep the run-as user out, and `prepare-user`, which edits them (never creating cron.allow)
 * and creates a missing user. Both files are put back byte for byte after every test.
 */

/** How the tests write the access files: a mode and group (crontab) that crontab(1), setgid crontab, can read. */
const ACCESS_MODE = 0o640;

function notAllowed(user: string): string {
  return (
    `bwdc-schedule: ${user} may not use cron: The user ${user} cannot use this program (crontab). ` +
    `Either /etc/cron.allow exists and does not list ${user}, or /etc/cron.deny lists it. ` +
    `Add the user to /etc/cron.allow (or remove it from /etc/cron.deny) as root: bwdc-schedule crontab prepare-user FILE, or "bwdc: Prepare Run-as User" in VS Code.\n`
  );
}

interface AccessCase {
  readonly title: string;
  readonly allow?: (user: string) => string;
  readonly deny?: (user: string) => string;
  /** What the files become; undefined: as before. */
  readonly allowAfter?: (user: string) => string;
  readonly denyAfter?: (user: string) => string;
  /** The end of the --yes output; undefined: nothing to change. */
  readonly steps?: (user: string) => string;
  readonly why?: string;
  readonly notes?: (user: string) => string;
}

const CASES: readonly AccessCase[] = [
  { title: 'neither file exists', why: 'neither /etc/cron.allow nor /etc/cron.deny exists, so everyone may' },
  {
    title: 'cron.allow exists without the user',
    allow: () => 'alice\n# admins\nbob\n',
    allowAfter: (user) => `alice\n# admins\nbob\n${user}\n`,
    steps: (user) => `add ${user} to /etc/cron.allow`,
  },
  {
    title: 'cron.allow exists without the user and without a final newline',
    allow: () => 'alice\nbob',
    allowAfter: (user) => `alice\nbob\n${user}\n`,
    steps: (user) => `add ${user} to /etc/cron.allow`,
    notes: () => "The last line of /etc/cron.allow, 'bob', has no newline, so cron reads it as 'bo'. Adding a line ends it, so 'bob' will be allowed too.\n",
  },
  { title: 'cron.allow lists the user', allow: (user) => `alice\n${user}\n`, why: '/etc/cron.allow lists it' },
  { title: 'cron.deny exists without the user', deny: () => 'mallory\n', why: '/etc/cron.deny does not list it' },
  {
    title: 'cron.deny lists the user among other lines',
    deny: (user) => `mallory\n${user}\n# keep this comment\t \n${user}x\neve`,
    denyAfter: (user) => `mallory\n# keep this comment\t \n${user}x\neve`,
    steps: (user) => `remove ${user} from /etc/cron.deny`,
  },
  {
    title: 'cron.allow exists without the user and cron.deny lists it',
    allow: () => 'alice\n',
    deny: (user) => `${user}\n`,
    allowAfter: (user) => `alice\n${user}\n`,
    steps: (user) => `add ${user} to /etc/cron.allow`,
  },
];

describe('cron.allow and cron.deny (real crontab, files restored)', function () {
  this.timeout(120_000);
  useCrontabSystem();

  it('refuses to install for a user listed in cron.deny, naming both files, and changes nothing', async () => {
    const user = createUser();
    setCrontab(user.name, '# mine\n');
    const stamp = spoolStamp(user.name);
    setAccessFiles(undefined, `mallory\n${user.name}\n`);
    const schedule = scheduleFor(user);

    const install = await cli(['crontab', 'install', schedule.file, '--yes']);
    assert.deepStrictEqual([install.code, install.stderr], [1, notAllowed(user.name)]);
    const status = await cli(['crontab', 'status', schedule.file]);
    assert.deepStrictEqual([status.code, status.stdout, status.stderr], [1, '', notAllowed(user.name)]);
    assert.strictEqual(spoolStamp(user.name), stamp);
    fs.rmSync(DENY);
    assert.strictEqual(crontabOf(user.name), '# mine\n');
  });

  it('refuses to install for a user that an existing cron.allow does not list, and changes nothing', async () => {
    const user = createUser();
    setAccessFiles('alice\n', undefined);
    const schedule = scheduleFor(user);

    const install = await cli(['crontab', 'install', schedule.file, '--yes']);
    assert.deepStrictEqual([install.code, install.stderr], [1, notAllowed(user.name)]);
    assert.strictEqual(spoolStamp(user.name), undefined);
  });

  for (const c of CASES) {
    it(`prepare-user when ${c.title}: ${c.steps ? 'the one edit' : 'nothing to change'}, --dry-run writes nothing, other bytes and the mode kept`, async () => {
      const user = createUser();
      const name = user.name;
      setAccessFiles(c.allow?.(name), c.deny?.(name));
      const before = { allow: fileState(ALLOW), deny: fileState(DENY) };
      const schedule = scheduleFor(user);

      const dry = await cli(['crontab', 'prepare-user', schedule.file, '--dry-run']);
      assert.strictEqual(dry.code, 0, dry.stderr);
      assert.strictEqual(dry.stderr, '');
      assert.deepStrictEqual({ allow: fileState(ALLOW), deny: fileState(DENY) }, before);
      const run = await cli(['crontab', 'prepare-user', schedule.file, '--yes']);
      assert.strictEqual(run.code, 0, run.stderr);
      assert.strictEqual(run.stderr, '');

      if (!c.steps) {
        const nothing = `${name} exists and may use cron (${c.why}). Nothing to change.\n`;
        assert.strictEqual(dry.stdout, nothing);
        assert.strictEqual(run.stdout, nothing);
        assert.deepStrictEqual({ allow: fileState(ALLOW), deny: fileState(DENY) }, before);
      } else {
        const file = c.allowAfter ? ALLOW : DENY;
        const edited = c.allowAfter ? c.allowAfter(name) : c.denyAfter!(name);
        assert.ok(dry.stdout.startsWith(`--- ${file} (now)\n+++ ${file} (after)\n@@ `), dry.stdout);
        assert.ok(dry.stdout.endsWith(`${c.notes?.(name) ?? ''}Dry run: would ${c.steps(name)}.\n`), dry.stdout);
        const done = c.allowAfter ? `Added ${name} to /etc/cron.allow.\n` : `Removed ${name} from /etc/cron.deny.\n`;
        assert.ok(run.stdout.endsWith(`${c.notes?.(name) ?? ''}${done}${name} is ready to run the job.\n`), run.stdout);

        const after = fileState(file)!;
        const original = c.allowAfter ? before.allow! : before.deny!;
        assert.strictEqual(after.bytes, edited);
        assert.deepStrictEqual([after.mode, after.uid, after.gid], [ACCESS_MODE, 0, groupId('crontab')]);
        assert.notStrictEqual(after.stamp, original.stamp);
        // The other file is not touched.
        assert.deepStrictEqual(c.allowAfter ? fileState(DENY) : fileState(ALLOW), c.allowAfter ? before.deny : before.allow);
      }

      // Either way cron now lets the user in: the install goes through.
      const install = await cli(['crontab', 'install', schedule.file, '--yes']);
      assert.strictEqual(install.code, 0, install.stderr);
      assert.strictEqual(crontabOf(name), expectedBlock(schedule));
    });
  }

  it('prepare-user creates a run-as user that does not exist (system user, no login shell), and --dry-run does not', async () => {
    const name = unusedUserName();
    setAccessFiles('alice\n', undefined);
    const schedule = writeSchedule({ runAs: name, home: temporaryFolder() });

    const dry = await cli(['crontab', 'prepare-user', schedule.file, '--dry-run']);
    assert.strictEqual(dry.code, 0, dry.stderr);
    assert.ok(
      dry.stdout.endsWith(
        `Dry run: would create the system user ${name} (no login shell): useradd --system --create-home --shell /usr/sbin/nologin ${name}; add ${name} to /etc/cron.allow.\n`,
      ),
      dry.stdout,
    );
    assert.ok(!userExists(name));
    assert.strictEqual(fileState(ALLOW)!.bytes, 'alice\n');

    const run = await cli(['crontab', 'prepare-user', schedule.file, '--yes']);
    assert.strictEqual(run.code, 0, run.stderr);
    assert.ok(run.stdout.endsWith(`Created the system user ${name}.\nAdded ${name} to /etc/cron.allow.\n${name} is ready to run the job.\n`), run.stdout);
    const entry = spawnSync('getent', ['passwd', name], { encoding: 'utf8' }).stdout.trim().split(':');
    assert.strictEqual(entry[6], '/usr/sbin/nologin');
    assert.ok(Number(entry[2]) < 1000, `a system uid: ${entry[2]}`);
    assert.ok(fs.statSync(entry[5]!).isDirectory(), 'its home was created');
    assert.strictEqual(fileState(ALLOW)!.bytes, `alice\n${name}\n`);

    const again = await cli(['crontab', 'prepare-user', schedule.file, '--yes']);
    assert.deepStrictEqual([again.code, again.stdout], [0, `${name} exists and may use cron (/etc/cron.allow lists it). Nothing to change.\n`]);
    const install = await cli(['crontab', 'install', schedule.file, '--yes']);
    assert.strictEqual(install.code, 0, install.stderr);
    assert.strictEqual(crontabOf(name), expectedBlock(schedule));
  });

  it('prepare-user does not write cron.allow when it changed while the question was open', async () => {
    const user = createUser();
    setAccessFiles('alice\n', undefined);
    const schedule = scheduleFor(user);
    const ui = new RecordingUi(() => {
      fs.writeFileSync(ALLOW, 'alice\ncarol\n');
      return true;
    });

    await assert.rejects(prepareUser(jobOf(schedule.file), rootHost(), ui), (error: unknown) => {
      assert.ok(error instanceof CrontabError);
      assert.strictEqual(error.reason, 'changed');
      assert.strictEqual(error.message, '/etc/cron.allow changed while you were looking at it. Nothing more was written; try again.');
      return true;
    });
    assert.strictEqual(fs.readFileSync(ALLOW, 'utf8'), 'alice\ncarol\n');
  });

  it('prepare-user as a user who is not root prints the commands an admin can run, and changes nothing', async () => {
    const me = createUser();
    const denied = createUser();
    const missing = unusedUserName();
    setAccessFiles(undefined, `${denied.name}\n`, 0o644);
    const files = { deny: fileState(DENY) };

    const forDenied = ownSchedule(me, denied.name);
    const run = bundle(['crontab', 'prepare-user', forDenied, '--yes'], { user: me });
    assert.deepStrictEqual(run, {
      code: 1,
      stdout: `Only root can prepare ${denied.name}. An admin can run:\n  sudo bwdc-schedule crontab prepare-user ${JSON.stringify(forDenied)}\nor by hand:\n  sudo sed -i '/^${denied.name}$/d' /etc/cron.deny\n`,
      stderr: '',
    });

    writeAccessFile(ALLOW, 'alice\n', 0o644);
    const forMissing = ownSchedule(me, missing, 'other-sync');
    const second = bundle(['crontab', 'prepare-user', forMissing, '--yes'], { user: me });
    assert.deepStrictEqual(second, {
      code: 1,
      stdout: `Only root can prepare ${missing}. An admin can run:\n  sudo bwdc-schedule crontab prepare-user ${JSON.stringify(forMissing)}\nor by hand:\n  sudo useradd --system --create-home --shell /usr/sbin/nologin ${missing}\n  printf '%s\\n' ${missing} | sudo tee -a /etc/cron.allow\n`,
      stderr: '',
    });
    assert.ok(!userExists(missing));
    assert.deepStrictEqual({ deny: fileState(DENY) }, files);
    assert.strictEqual(fileState(ALLOW)!.bytes, 'alice\n');
  });
});

/** Exactly these access files (undefined: the file does not exist); both are restored after the test. */
function setAccessFiles(allow: string | undefined, deny: string | undefined, mode = ACCESS_MODE): void {
  for (const [file, text] of [
    [ALLOW, allow],
    [DENY, deny],
  ] as const) {
    if (text === undefined) fs.rmSync(file, { force: true });
    else writeAccessFile(file, text, mode, mode === ACCESS_MODE ? groupId('crontab') : 0);
  }
}

/** A schedule file in `owner`'s home, readable by it, for a job running as `runAs`. */
function ownSchedule(owner: ThrowawayUser, runAs: string, name = JOB_NAME): string {
  return writeSchedule({ name, runAs, home: path.join(owner.home, runAs) }, owner.home, owner).file;
}
