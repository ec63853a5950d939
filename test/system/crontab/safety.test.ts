import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { blockFor } from '../../../src/core/crontab/block';
import { applyPlan, installCrontab, planChange, removeCrontab } from '../../../src/workflows/crontab';
import { Crontab, CrontabError, FolderBackups } from '../../../src/host/crontab';
import { SpawnRunner, type ProcessRunner } from '../../../src/host/process';
import { createUser, crontabOf, setCrontab, spoolBytes, withoutInstallLines, type ThrowawayUser } from '../users';
import { cli, expectedBlock, JOB_NAME, jobOf, RecordingUi, rootHost, scheduleFor, spoolStamp, useCrontabSystem, writeSpoolDirectly } from './support';

/**
 * What protects a crontab while it is written: the re-read before writing, crontab(1)'s own
 * refusal, the read-back check with its restore, and the backups — against the real crontab.
 */

/** Rejects with a CrontabError of this reason, and returns it for more checks. */
async function refusal(promise: Promise<unknown>, reason: CrontabError['reason']): Promise<CrontabError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof CrontabError, `not a CrontabError: ${String(error)}`);
    assert.strictEqual(error.reason, reason, error.message);
    return error;
  }
  assert.fail(`expected a '${reason}' refusal`);
}

function backupsIn(folder: string): string[] {
  return fs.existsSync(folder) ? fs.readdirSync(folder).sort() : [];
}

describe('crontab writes that must not lose anything (real crontab)', function () {
  this.timeout(120_000);
  useCrontabSystem();

  it('refuses to install when the crontab changed between the preview and the yes, keeping the other edit', async () => {
    const user = createUser();
    const schedule = scheduleFor(user);
    setCrontab(user.name, '# first\n0 1 * * * /bin/true\n');
    const concurrent = '# first\n0 1 * * * /bin/true\n# added by someone else meanwhile\n*/10 * * * * /bin/date\n';
    const ui = new RecordingUi((question) => {
      if (question.startsWith('Install')) setCrontab(user.name, concurrent);
      return true;
    });
    const host = rootHost();

    const error = await refusal(installCrontab(jobOf(schedule.file), host, ui), 'changed');
    assert.strictEqual(error.message, `The crontab of ${user.name} changed since the preview. Nothing was written; look at it again and retry.`);
    assert.strictEqual(crontabOf(user.name), concurrent);
    assert.deepStrictEqual(backupsIn(host.backupFolder), [], 'nothing was about to be written, so no backup');
    assert.deepStrictEqual(
      ui.previews.map((preview) => preview.title),
      [`crontab of ${user.name}`],
      'a new script is announced by name; only the crontab is shown as a diff',
    );
    assert.strictEqual(withoutInstallLines(ui.previews[0]!.after), `# first\n0 1 * * * /bin/true\n${expectedBlock(schedule)}`);

    // Looked at again, the new text installs.
    const outcome = await installCrontab(jobOf(schedule.file), host, new RecordingUi());
    assert.strictEqual(outcome.done, true);
    assert.strictEqual(crontabOf(user.name), `${concurrent}${expectedBlock(schedule)}`);
  });

  it('refuses to remove when the crontab changed between the preview and the yes', async () => {
    const user = createUser();
    const schedule = scheduleFor(user);
    setCrontab(user.name, `# mine\n${expectedBlock(schedule)}`);
    const concurrent = `# mine\n${expectedBlock(schedule)}0 2 * * * /bin/true\n`;
    const ui = new RecordingUi(() => {
      setCrontab(user.name, concurrent);
      return true;
    });

    await refusal(removeCrontab(JOB_NAME, user.name, rootHost(), ui), 'changed');
    assert.strictEqual(crontabOf(user.name), concurrent);
  });

  it('leaves the crontab as it was when crontab(1) refuses the new text, with a clear message and a backup', async () => {
    const user = createUser();
    const schedule = scheduleFor(user);
    // A line crontab(1) would never accept, left in the spool file by hand: the new text carries
    // it along (foreign lines are kept as they are), so the write is refused.
    const foreign = '# kept by hand\n61 * * * * /bin/true\n';
    writeSpoolDirectly(user, foreign);
    const spool = spoolBytes(user.name);
    assert.strictEqual(crontabOf(user.name), foreign);

    const run = await cli(['crontab', 'install', schedule.file, '--yes']);
    assert.strictEqual(run.code, 1, run.stdout);
    const backupFolder = path.join(run.stateHome, 'bwdc-schedule', 'crontab-backups');
    const backups = backupsIn(backupFolder);
    assert.strictEqual(backups.length, 1);
    const backup = path.join(backupFolder, backups[0]!);
    assert.strictEqual(
      run.stderr,
      `bwdc-schedule: crontab refused the new crontab: "-":1: bad minute\nerrors in crontab file, can't install. The crontab was left as it was (backup: ${backup}).\n`,
    );
    assert.deepStrictEqual(spoolBytes(user.name), spool, 'the spool file is untouched');
    assert.strictEqual(fs.readFileSync(backup, 'utf8'), foreign);
    assert.strictEqual(fs.statSync(backup).mode & 0o777, 0o600);
    assert.strictEqual(fs.statSync(backupFolder).mode & 0o777, 0o700);
  });

  /** A crontab(1) runner after whose first write another writer replaces the crontab with `theirs(ours)`. */
  function racedBy(user: ThrowawayUser, theirs: (ours: string) => string): { runner: ProcessRunner; raced: () => boolean } {
    const real = new SpawnRunner();
    let raced = false;
    return {
      raced: () => raced,
      runner: {
        async run(command, args, options) {
          const result = await real.run(command, args, options);
          if (!raced && args.at(-1) === '-' && result.code === 0) {
            raced = true;
            setCrontab(user.name, theirs(options?.input ?? ''));
          }
          return result;
        },
      },
    };
  }

  it('never puts the old crontab back over what another writer wrote right after us; says the change is not in it', async () => {
    const user = createUser();
    const schedule = scheduleFor(user);
    const previous = '# previous\n0 1 * * * /bin/true\n# last line without newline';
    setCrontab(user.name, previous);
    // Real crontab(1) throughout; right after our write, another writer (crontab -e, outside our
    // lock) replaces the crontab before the read-back.
    const race = racedBy(user, () => '# written by someone else right after us\n');
    const crontab = new Crontab(race.runner, { user: user.name, viaRoot: true });
    const plan = await planChange(crontab, { kind: 'install', spec: blockFor(jobOf(schedule.file)) });
    const folder = path.join(path.dirname(schedule.file), 'backups');

    const error = await refusal(applyPlan(crontab, plan, new FolderBackups(folder)), 'verify-failed');
    assert.ok(race.raced());
    const backups = backupsIn(folder);
    assert.strictEqual(backups.length, 1);
    assert.strictEqual(
      error.message,
      `The crontab of ${user.name} was changed by someone else right after this change was written, and the change is not in it any more. Nothing was put back, so their change is kept; run the command again (the crontab before this change: ${path.join(folder, backups[0]!)}).`,
    );
    assert.strictEqual(fs.readFileSync(path.join(folder, backups[0]!), 'utf8'), previous);
    assert.strictEqual(crontabOf(user.name), '# written by someone else right after us\n', 'their write is kept');
  });

  it('counts the change as done when another writer changed the crontab right after us but kept our block', async () => {
    const user = createUser();
    const schedule = scheduleFor(user);
    setCrontab(user.name, '# previous\n');
    const race = racedBy(user, (ours) => `${ours}# added by someone else right after us\n`);
    const crontab = new Crontab(race.runner, { user: user.name, viaRoot: true });
    const plan = await planChange(crontab, { kind: 'install', spec: blockFor(jobOf(schedule.file)) });

    const applied = await applyPlan(crontab, plan, new FolderBackups(path.join(path.dirname(schedule.file), 'backups')));
    assert.ok(race.raced());
    assert.strictEqual(applied.written, true);
    assert.strictEqual(crontabOf(user.name), `${plan.after}# added by someone else right after us\n`);
  });

  it('keeps a backup of the previous crontab per write, the newest 20 only', async () => {
    const user = createUser();
    const schedule = scheduleFor(user);
    const host = rootHost();
    const expected: string[] = [];
    for (let minute = 0; minute < 22; minute++) {
      expected.push(crontabOf(user.name, { installLines: 'keep' }) ?? '');
      schedule.rewrite({ schedules: [`${minute} 3 * * *`] });
      const outcome = await installCrontab(jobOf(schedule.file), host, new RecordingUi());
      assert.strictEqual(outcome.done, true, outcome.message);
      assert.strictEqual(crontabOf(user.name), expectedBlock(schedule, [`${minute} 3 * * *`]));
    }
    const backups = backupsIn(host.backupFolder);
    assert.strictEqual(backups.length, 20);
    assert.ok(
      backups.every((name) => name.startsWith(`${user.name}-`) && name.endsWith('.crontab')),
      backups.join(' '),
    );
    // The two oldest (no crontab, then minute 0) went; the rest are in order.
    assert.deepStrictEqual(
      backups.map((name) => fs.readFileSync(path.join(host.backupFolder, name), 'utf8')),
      expected.slice(2),
    );
    assert.strictEqual(withoutInstallLines(expected[2]!), expectedBlock(schedule, ['1 3 * * *']));
  });

  it('does not write, and keeps no backup, when the user says no', async () => {
    const user = createUser();
    const schedule = scheduleFor(user);
    setCrontab(user.name, '# mine\n');
    const stamp = spoolStamp(user.name);
    const host = rootHost();
    const ui = new RecordingUi((question) => !question.startsWith('Install'));

    const outcome = await installCrontab(jobOf(schedule.file), host, ui);
    assert.deepStrictEqual(outcome, { done: false, message: 'Nothing was changed.' });
    assert.deepStrictEqual(ui.questions, [
      `The sync script ${schedule.script} does not exist yet. Write it now?`,
      `Install ${JOB_NAME} into the crontab of ${user.name}?`,
    ]);
    assert.strictEqual(spoolStamp(user.name), stamp);
    assert.deepStrictEqual(backupsIn(host.backupFolder), []);
  });
});
