import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { version } from '../../../package.json';
import { generateScript } from '../../../src/core/script/generate';
import { createUser, crontabOf, setCrontab } from '../users';
import { cli, expectedBlock, JOB_NAME, jobOf, scheduleFor, spoolStamp, spoolText, useCrontabSystem } from './support';

/**
 * Installing, updating and removing the job's block in a throwaway user's real crontab, as
 * root through the CLI (in this process): the exact bytes crontab(1) then holds.
 */

/**
 * Foreign text no tool of ours wrote: comments in the first three lines (which a careless
 * header strip would eat), environment lines, `%` commands, tabs, trailing blanks, a
 * literal `\r` in a command, another tool's markers, a block of another bwdc job and one whose
 * name starts with ours, and a last line without a newline (Debian accepts that for a comment).
 */
const HOSTILE = [
  '# my own first comment',
  '#second comment, no space',
  '# third comment: Debian hides up to three leading # lines when listing',
  'MAILTO="ops@example.com"',
  'SHELL=/bin/bash',
  'CRON_TZ=Europe/Berlin',
  '',
  '*/5 * * * *\tdate +\\%H:\\%M >> /tmp/bwdc-crontab-test.log 2>&1   ',
  '0 1 * * * cat %first stdin line%second stdin line',
  "0 4 * * *  printf 'done\\r\\n' > /dev/null\t",
  '# >>> other-tool managed block >>>',
  '@daily /usr/bin/true',
  '# <<< other-tool managed block <<<',
  '# BEGIN bwdc-schedule other-sync (from /srv/other.bwdc-schedule; managed by bwdc Schedule, edit that file instead)',
  "15 2 * * * '/srv/other/bwdcSyncService.sh'",
  '# END bwdc-schedule other-sync',
  `# BEGIN bwdc-schedule ${JOB_NAME}-2 (from /srv/two.bwdc-schedule; managed by bwdc Schedule, edit that file instead)`,
  "45 5 * * 0 '/srv/two/bwdcSyncService.sh'",
  `# END bwdc-schedule ${JOB_NAME}-2`,
  '   ',
  '# the last line has no newline',
].join('\n');

describe('crontab install, update and remove on a throwaway user (real crontab)', function () {
  this.timeout(120_000);
  useCrontabSystem();

  it('installs into a user without a crontab: exactly our block, and the sync script 0700 owned by run-as', async () => {
    const user = createUser();
    const schedule = scheduleFor(user);
    assert.strictEqual(crontabOf(user.name), undefined);

    const before = await cli(['crontab', 'status', schedule.file]);
    assert.deepStrictEqual([before.code, before.stdout, before.stderr], [0, `${JOB_NAME} in the crontab of ${user.name}: not installed\n`, '']);

    const run = await cli(['crontab', 'install', schedule.file, '--yes']);
    assert.strictEqual(run.code, 0, run.stderr);
    assert.strictEqual(run.stderr, '');
    const block = expectedBlock(schedule);
    assert.strictEqual(crontabOf(user.name), block);
    // One Debian header in the spool file and our text below it: nothing piles up.
    assert.strictEqual(spoolText(user.name), block);

    const script = fs.statSync(schedule.script);
    assert.strictEqual(script.mode & 0o777, 0o700);
    assert.deepStrictEqual([script.uid, script.gid], [user.uid, user.gid]);
    const folder = fs.statSync(path.dirname(schedule.script));
    assert.deepStrictEqual([folder.uid, folder.mode & 0o777], [user.uid, 0o700]);
    assert.strictEqual(fs.readFileSync(schedule.script, 'utf8'), generateScript(jobOf(schedule.file), version).text);

    const backup = path.join(run.stateHome, 'bwdc-schedule', 'crontab-backups');
    const backups = fs.readdirSync(backup);
    assert.strictEqual(backups.length, 1);
    assert.match(backups[0]!, new RegExp(`^${user.name}-\\d{4}-\\d\\d-\\d\\dT[\\d-]+Z\\.crontab$`));
    assert.strictEqual(fs.readFileSync(path.join(backup, backups[0]!), 'utf8'), '');
    assert.ok(run.stdout.includes(`Wrote ${schedule.script}.\n`), run.stdout);
    assert.ok(
      run.stdout.endsWith(`Installed ${JOB_NAME} in the crontab of ${user.name}. The previous crontab is kept in ${path.join(backup, backups[0]!)}.\n`),
      run.stdout,
    );

    const status = await cli(['crontab', 'status', schedule.file]);
    assert.deepStrictEqual(
      [status.code, status.stdout, status.stderr],
      [0, `${JOB_NAME} in the crontab of ${user.name}: installed and up to date\n  0 3 * * * '${schedule.script}'\n`, ''],
    );
    const json = await cli(['crontab', 'status', schedule.file, '--json']);
    assert.strictEqual(json.code, 0);
    assert.deepStrictEqual(JSON.parse(json.stdout), { installed: true, upToDate: true, user: user.name, lines: [`0 3 * * * '${schedule.script}'`] });
  });

  it('removes the crontab entirely when our block was all it held, as before the install', async () => {
    const user = createUser();
    const schedule = scheduleFor(user);
    assert.strictEqual((await cli(['crontab', 'install', schedule.file, '--yes'])).code, 0);

    const run = await cli(['crontab', 'remove', schedule.file, '--yes']);
    assert.strictEqual(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`Removed ${JOB_NAME} from the crontab of ${user.name}\\. The previous crontab is kept in .+\\.crontab\\.\\n$`));
    assert.strictEqual(crontabOf(user.name), undefined);
    const listed = spawnSync('crontab', ['-u', user.name, '-l'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    assert.strictEqual(listed.status, 1);
    assert.match(listed.stderr, new RegExp(`no crontab for ${user.name}`));

    const again = await cli(['crontab', 'remove', schedule.file, '--yes']);
    assert.deepStrictEqual([again.code, again.stdout, again.stderr], [0, `${JOB_NAME} is not in the crontab of ${user.name}; nothing to remove.\n`, '']);
    assert.strictEqual(crontabOf(user.name), undefined);
  });

  it('keeps every byte of a hostile foreign crontab, and remove gives it back with only the final newline added', async () => {
    const user = createUser();
    setCrontab(user.name, HOSTILE);
    assert.strictEqual(crontabOf(user.name), HOSTILE, 'crontab(1) keeps the unterminated last comment');
    const schedule = scheduleFor(user);

    const install = await cli(['crontab', 'install', schedule.file, '--yes']);
    assert.strictEqual(install.code, 0, install.stderr);
    // The block goes at the end; the unterminated last line gets the one newline cron requires.
    const installed = `${HOSTILE}\n${expectedBlock(schedule)}`;
    assert.strictEqual(crontabOf(user.name), installed);
    assert.strictEqual(spoolText(user.name), installed);

    const status = await cli(['crontab', 'status', schedule.file]);
    assert.match(status.stdout, /: installed and up to date\n/);

    const remove = await cli(['crontab', 'remove', schedule.file, '--yes']);
    assert.strictEqual(remove.code, 0, remove.stderr);
    assert.strictEqual(crontabOf(user.name), `${HOSTILE}\n`);
    assert.strictEqual(spoolText(user.name), `${HOSTILE}\n`);

    // Twice is once: installing and removing again ends at the same bytes.
    assert.strictEqual((await cli(['crontab', 'install', schedule.file, '--yes'])).code, 0);
    assert.strictEqual(crontabOf(user.name), installed);
    assert.strictEqual((await cli(['crontab', 'remove', '--name', JOB_NAME, '--user', user.name, '--yes'])).code, 0);
    assert.strictEqual(crontabOf(user.name), `${HOSTILE}\n`);
  });

  it('keeps carriage returns and backspaces in foreign lines, which root reads from the spool file', async () => {
    const user = createUser();
    const foreign = '# saved on Windows\r\n0 5 * * * /bin/echo a\bb\n# a literal \\r is text\n';
    setCrontab(user.name, foreign);
    const schedule = scheduleFor(user);

    assert.strictEqual((await cli(['crontab', 'install', schedule.file, '--yes'])).code, 0);
    assert.strictEqual(spoolText(user.name), `${foreign}${expectedBlock(schedule)}`);
    assert.strictEqual((await cli(['crontab', 'remove', schedule.file, '--yes'])).code, 0);
    assert.strictEqual(spoolText(user.name), foreign);
  });

  it('changes nothing, not even the spool file, when the block is already as the file says', async () => {
    const user = createUser();
    const schedule = scheduleFor(user);
    const first = await cli(['crontab', 'install', schedule.file, '--yes']);
    assert.strictEqual(first.code, 0, first.stderr);
    const stamp = spoolStamp(user.name);
    const script = fs.statSync(schedule.script).mtimeMs;

    // No --yes and no terminal: nothing needs asking, so this still succeeds.
    const again = await cli(['crontab', 'install', schedule.file], { stateHome: first.stateHome });
    assert.deepStrictEqual(
      [again.code, again.stdout, again.stderr],
      [0, `The crontab of ${user.name} already runs ${JOB_NAME} as the schedule file says; nothing to change.\n`, ''],
    );
    assert.strictEqual(spoolStamp(user.name), stamp);
    assert.strictEqual(fs.statSync(schedule.script).mtimeMs, script);
    assert.strictEqual(fs.readdirSync(path.join(first.stateHome, 'bwdc-schedule', 'crontab-backups')).length, 1, 'no second backup');
  });

  it('updates the block in place when the schedule changes, leaving the lines around it alone', async () => {
    const user = createUser();
    const schedule = scheduleFor(user);
    assert.strictEqual((await cli(['crontab', 'install', schedule.file, '--yes'])).code, 0);
    const above = '# above\nMAILTO=""\n0 0 * * * /bin/true %x\n';
    const below = '\n# below\t \n30 6 * * 1 /bin/false\n';
    setCrontab(user.name, `${above}${expectedBlock(schedule)}${below}`);

    const schedules = ['30 4 * * 1-5', '0 12 * * sat'];
    schedule.rewrite({ schedules });
    const status = await cli(['crontab', 'status', schedule.file]);
    assert.strictEqual(
      status.stdout,
      `${JOB_NAME} in the crontab of ${user.name}: installed, but different from the schedule file (run: bwdc-schedule crontab install FILE)\n  0 3 * * * '${schedule.script}'\n`,
    );
    const json = await cli(['crontab', 'status', schedule.file, '--json']);
    assert.deepStrictEqual(JSON.parse(json.stdout), { installed: true, upToDate: false, user: user.name, lines: [`0 3 * * * '${schedule.script}'`] });

    const install = await cli(['crontab', 'install', schedule.file, '--yes']);
    assert.strictEqual(install.code, 0, install.stderr);
    assert.ok(install.stdout.includes(`Wrote ${schedule.script}.\n`), 'the script is rewritten for the new schedule');
    assert.strictEqual(crontabOf(user.name), `${above}${expectedBlock(schedule, schedules)}${below}`);
    assert.strictEqual(fs.readFileSync(schedule.script, 'utf8'), generateScript(jobOf(schedule.file), version).text);
    assert.match((await cli(['crontab', 'status', schedule.file])).stdout, /: installed and up to date\n/);
  });
});

describe('crontab status and refusals when the block was edited by hand (real crontab)', function () {
  this.timeout(120_000);
  useCrontabSystem();

  it('reports a hand edit inside the block as different, and install puts the block back', async () => {
    const user = createUser();
    const schedule = scheduleFor(user);
    const block = expectedBlock(schedule);
    const edited = block.replace('0 3 * * *', '0 4 * * *') + '# mine\n';
    setCrontab(user.name, `# before\n${edited}`);

    const status = await cli(['crontab', 'status', schedule.file]);
    assert.deepStrictEqual(
      [status.code, status.stdout],
      [
        0,
        `${JOB_NAME} in the crontab of ${user.name}: installed, but different from the schedule file (run: bwdc-schedule crontab install FILE)\n  0 4 * * * '${schedule.script}'\n`,
      ],
    );
    // A line added between the markers is drift too.
    setCrontab(user.name, `# before\n${block.replace('# END', `0 5 * * * /bin/true\n# END`)}# mine\n`);
    const json = await cli(['crontab', 'status', schedule.file, '--json']);
    assert.deepStrictEqual(JSON.parse(json.stdout), {
      installed: true,
      upToDate: false,
      user: user.name,
      lines: [`0 3 * * * '${schedule.script}'`, '0 5 * * * /bin/true'],
    });

    assert.strictEqual((await cli(['crontab', 'install', schedule.file, '--yes'])).code, 0);
    assert.strictEqual(crontabOf(user.name), `# before\n${block}# mine\n`);
  });

  const damages: { readonly title: string; readonly text: (block: string) => string; readonly reason: string; readonly lines: string }[] = [
    {
      title: 'a begin marker without its end marker',
      text: (block) => `# a\n${block.split('\n').slice(0, 2).join('\n')}\n# b\n`,
      reason: `a begin marker of '${JOB_NAME}' without its end marker`,
      lines: '2',
    },
    {
      title: 'an end marker without its begin marker',
      text: (block) => `# a\n${block.split('\n').slice(1).join('\n')}`,
      reason: `an end marker of '${JOB_NAME}' without its begin marker`,
      lines: '3',
    },
    {
      title: 'the end marker above the begin marker',
      text: (block) => `${block.split('\n')[2]}\n# x\n${block.split('\n')[0]}\n`,
      reason: `the end marker of '${JOB_NAME}' comes before its begin marker`,
      lines: '1, 3',
    },
    { title: 'the block twice', text: (block) => `${block}# between\n${block}`, reason: `more than one block of '${JOB_NAME}'`, lines: '1, 3, 5, 7' },
  ];
  for (const damage of damages) {
    it(`reports ${damage.title} as damaged, and install and remove refuse without touching the crontab`, async () => {
      const user = createUser();
      const schedule = scheduleFor(user);
      const text = damage.text(expectedBlock(schedule));
      setCrontab(user.name, text);
      const stamp = spoolStamp(user.name);

      const status = await cli(['crontab', 'status', schedule.file]);
      assert.deepStrictEqual(
        [status.code, status.stdout, status.stderr],
        [0, `${JOB_NAME} in the crontab of ${user.name}: damaged: ${damage.reason} (line ${damage.lines})\n`, ''],
      );
      const json = await cli(['crontab', 'status', schedule.file, '--json']);
      assert.deepStrictEqual(JSON.parse(json.stdout), {
        installed: false,
        upToDate: false,
        user: user.name,
        lines: [],
        damaged: `${damage.reason} (line ${damage.lines})`,
      });

      for (const action of ['install', 'remove']) {
        const run = await cli(['crontab', action, schedule.file, '--yes']);
        assert.strictEqual(run.code, 1, `${action}: ${run.stdout}${run.stderr}`);
        assert.strictEqual(
          run.stderr,
          `bwdc-schedule: The crontab has ${damage.reason} (line ${damage.lines}): it was edited by hand. Nothing was changed; restore or remove the '# BEGIN bwdc-schedule ${JOB_NAME}' … '# END bwdc-schedule ${JOB_NAME}' lines with crontab -e, then try again.\n`,
        );
        assert.strictEqual(crontabOf(user.name), text);
        assert.strictEqual(spoolStamp(user.name), stamp);
      }
    });
  }
});
